"""Validates, imports and exports frameworks in the JSON contracts of EXPORTS.md and docs/exports.md.

Two schemas are read: ``cxgov.framework/1`` (1.0) and its superset ``cxgov.framework/2``, which adds
a dimension's introduction, a question's facilitator guidance, its "not applicable" rule and wording
variants, a title and the evidence to ask for at each level, the scope of a context question, a
short form and the one-line meaning of each RACI letter. A framework is exported in the schema it
was imported with, so a file round-trips exactly.
"""

import json
import logging
import sys
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from cxgov import schema

from ..models import ContextQuestion, Dimension, Framework, Question, RaciActivity, RaciRole

SCHEMA_V1 = "cxgov.framework/1"
SCHEMA_V2 = "cxgov.framework/2"
SCHEMAS = (SCHEMA_V1, SCHEMA_V2)
FRAMEWORK_DIR = Path(__file__).resolve().parent
AREAS = ("role_definition", "stakeholder_alignment", "shared_objectives", "measurement", None)
LANGUAGES = ("fr", "en")
# The RACI letters schema 2 defines in one line each, where the RACI question is asked.
RACI_LETTERS = ("R", "A", "C", "I")
# Who answers a context question in 2.0: once for the round, or each respondent for themselves.
SCOPES = ("round", "respondent")

logger = logging.getLogger(__name__)


class FrameworkError(Exception):
    """The document was refused; `problems` names every problem with its JSON path."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


# Keys end up in URLs (the questionnaire's pages) and in columns of 20 or 40 characters: letters,
# digits, ".", "_" and "-" only, starting with a letter or digit.
KEY_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._-]*"
KEY_HINT = "must be letters, digits, '.', '_' or '-' (no '/' or spaces), starting with a letter or digit"
# Versions are compared number by number when they are dotted numbers ("1.10" after "1.9"); others
# (a test or draft bank, "bench-6") sort before them as text (version_order). Either way, key characters only.
VERSION_PATTERN = KEY_PATTERN
# Weights are stored with two decimals (DecimalField(6, 2)): a smaller one would silently become 0,
# which later breaks the weighted means when a round closes.
WEIGHT = schema.Num(minimum=0.01, maximum=1000, places=2, null=True, optional=True)
TEXT_MAX = 4000  # a question or level text; titles are bounded by their columns
# A level's title heads the one-question-per-screen view, where a longer one would wrap.
LEVEL_TITLE_MAX = 60


def _text(max_length: int = TEXT_MAX) -> schema.Obj:
    """``{"fr": …, "en": …}``, both present and not blank."""
    language = schema.Str(blank=False, max_length=max_length, missing="missing text")
    return schema.Obj(dict.fromkeys(LANGUAGES, language), unknown="unknown language", missing='expected {"fr": …, "en": …}')


def _key(max_length: int, scope: str) -> schema.Str:
    return schema.Str(
        blank=False,
        max_length=max_length,
        pattern=KEY_PATTERN,
        pattern_message=KEY_HINT,
        unique=scope,
        missing="expected a non-empty string key",
    )


def _titled(max_length: int, scope: str, title_max: int) -> schema.Obj:
    return schema.Obj({"key": _key(max_length, scope), "title": _text(title_max)})


def _choice_key() -> schema.Str:
    return schema.Str(blank=False, max_length=40, pattern=KEY_PATTERN, pattern_message=KEY_HINT)


def _condition() -> schema.Node:
    """``{"<context key>": ["<choice>", …]}``: holds when every key named is answered with one of its choices.

    Which keys and choices exist is checked against the document's context (_reference_problems).
    """
    return schema.All(
        schema.Map(_choice_key(), schema.List(_choice_key(), min_items=1, max_items=20)),
        schema.Check(lambda value: None if value else "expected at least one context question"),
    )


def _raci(v2: bool) -> dict[str, schema.Node]:
    """The RACI catalogue; version 2 may add ``definitions`` (every letter, absent rather than null so a file round-trips)."""
    raci: dict[str, schema.Node] = {"question": _text(300)}
    if v2:
        raci["definitions"] = schema.Obj(dict.fromkeys(RACI_LETTERS, _text(300)), unknown="not a RACI letter", optional=True)
    raci["activities"] = schema.List(_titled(40, "activity", 200), min_items=1, max_items=100)
    raci["roles"] = schema.List(_titled(40, "role", 100), min_items=1, max_items=50)
    return raci


def _document(version: int) -> schema.Obj:
    """The contract of one schema, with the limits of the columns each value is stored in (assessments.models).

    Version 2 is version 1 plus its own members; the members common to both are checked alike, in the same order.
    """
    v2 = version == 2
    level: dict[str, schema.Node] = {"level": schema.Int(minimum=1, maximum=5)}
    if v2:
        level["title"] = _text(LEVEL_TITLE_MAX)
    level["text"] = _text()
    if v2:
        level["evidence"] = _text()
    question: dict[str, schema.Node] = {"key": _key(20, "question"), "text": _text(), "weight": WEIGHT}
    if v2:
        question["guidance"] = _text()
        # Always written, null when the question always applies: one spelling, so a file round-trips exactly.
        question["not_applicable"] = schema.Obj({"when": _condition(), "reason": _text()}, null=True)
        question["variants"] = schema.List(schema.Obj({"when": _condition(), "text": _text()}), max_items=20, optional=True)
    question["levels"] = schema.List(schema.Obj(level), length=5, noun="levels", numbered="level")
    dimension: dict[str, schema.Node] = {
        "key": _key(20, "dimension"),
        "title": _text(200),
        "area": schema.Str(choices=[a for a in AREAS if a], null=True, optional=True),
        "weight": WEIGHT,
    }
    if v2:
        dimension["intro"] = _text()
    dimension["questions"] = schema.List(schema.Obj(question), min_items=1, max_items=200)
    context: dict[str, schema.Node] = {
        "key": _key(40, "context"),
        "text": _text(),
        "choices": schema.List(schema.Obj({"key": _choice_key(), "label": _text(200)}), min_items=1, max_items=20),
    }
    if v2:
        context["scope"] = schema.Str(choices=SCOPES)
    document: dict[str, schema.Node] = {
        "schema": schema.Const(SCHEMA_V2 if v2 else SCHEMA_V1),
        "key": schema.Str(
            blank=False,
            max_length=60,
            pattern=r"[-a-zA-Z0-9_]+",
            pattern_message="must be letters, digits, '-' or '_'",
            missing="expected a non-empty string",
        ),
        "version": schema.Str(
            blank=False, max_length=20, pattern=VERSION_PATTERN, pattern_message=KEY_HINT, missing="expected a non-empty string"
        ),
        "title": _text(200),
        "levels": schema.List(
            schema.Obj({"level": schema.Int(minimum=1, maximum=5), "label": _text(100)}),
            length=5,
            noun="levels",
            numbered="level",
        ),
        "dimensions": schema.List(schema.Obj(dimension), min_items=1, max_items=50),
        "context": schema.List(schema.Obj(context), max_items=50, null=True, optional=True),
        "raci": schema.Obj(_raci(v2)),
    }
    if v2:
        # Absent or an object (never null), so that what was read is what is written back.
        document["short_form"] = schema.Obj(
            {"title": _text(200), "questions": schema.List(_choice_key(), min_items=1, max_items=50)}, optional=True
        )
    return schema.Obj(document)


DOCUMENTS = {SCHEMA_V1: _document(1), SCHEMA_V2: _document(2)}


def _choice_keys_unique(doc) -> list[str]:
    """A context question's choice keys are unique within that question (the schema's scopes span the document)."""
    problems = []
    for i, question in enumerate(doc.get("context") or []):
        seen: set = set()
        for j, choice in enumerate(question.get("choices") or [] if isinstance(question, dict) else []):
            key = choice.get("key") if isinstance(choice, dict) else None
            if isinstance(key, str) and key in seen:
                problems.append(f"context[{i}].choices[{j}].key: duplicate key {key!r}")
            seen.add(key)
    return problems


def _dicts(value) -> list[tuple[int, dict]]:
    """The objects of a list with their index (what is not an object was already named by the schema)."""
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)] if isinstance(value, list) else []


def _context_choices(doc) -> dict[str, set]:
    choices: dict[str, set] = {}
    for _i, question in _dicts(doc.get("context")):
        if isinstance(question.get("key"), str):
            choices[question["key"]] = {c.get("key") for _j, c in _dicts(question.get("choices"))}
    return choices


def _condition_problems(when, path: str, context: dict[str, set]) -> list[str]:
    problems: list[str] = []
    if not isinstance(when, dict):
        return problems
    for key, listed in when.items():
        at = schema.child(path, str(key))
        if key not in context:
            problems.append(f"{at}: {key!r} is not a context question of this framework")
            continue
        for k, choice in enumerate(listed if isinstance(listed, list) else []):
            if isinstance(choice, str) and choice not in context[key]:
                problems.append(f"{schema.item(at, k)}: {choice!r} is not a choice of {key!r}")
    return problems


def _reference_problems(doc) -> list[str]:
    """Version 2's cross-references: conditions name the document's context questions and choices, the
    short form the document's questions, once each."""
    context = _context_choices(doc)
    questions: set = set()
    problems: list[str] = []
    for d, dimension in _dicts(doc.get("dimensions")):
        for q, question in _dicts(dimension.get("questions")):
            path = f"dimensions[{d}].questions[{q}]"
            questions.add(question.get("key"))
            rule = question.get("not_applicable")
            if isinstance(rule, dict):
                problems += _condition_problems(rule.get("when"), f"{path}.not_applicable.when", context)
            for v, variant in _dicts(question.get("variants")):
                problems += _condition_problems(variant.get("when"), f"{path}.variants[{v}].when", context)
    short_form = doc.get("short_form")
    keys = short_form.get("questions") if isinstance(short_form, dict) else None
    seen: set = set()
    for i, key in enumerate(keys if isinstance(keys, list) else []):
        if not isinstance(key, str):
            continue
        if key not in questions:
            problems.append(f"short_form.questions[{i}]: {key!r} is not a question of this framework")
        elif key in seen:
            problems.append(f"short_form.questions[{i}]: {key!r} is listed twice")
        seen.add(key)
    return problems


def validate_document(doc) -> list[str]:
    """Every problem of the document, each prefixed with its JSON path; empty when it is valid.

    The document's ``schema`` says which contract applies; an unknown one is named, and the rest of
    the document is then checked as version 1, so that its other problems are named too.
    """
    version = doc.get("schema") if isinstance(doc, dict) else None
    if version not in DOCUMENTS:
        problems = schema.validate(DOCUMENTS[SCHEMA_V1], doc)
        expected = " or ".join(repr(s) for s in SCHEMAS)
        return [f"schema: expected {expected}" if p.startswith("schema: expected") else p for p in problems]
    problems = schema.validate(DOCUMENTS[version], doc)
    problems += _choice_keys_unique(doc)
    if version == SCHEMA_V2:
        problems += _reference_problems(doc)
    return problems


def version_order(version: str) -> tuple:
    """A sort key for versions: dotted numbers by number, after anything else (stored before versions were checked), which sorts as text."""
    parts = version.split(".")
    if all(part.isdigit() for part in parts):
        return (1, tuple(int(part) for part in parts), "")
    return (0, (), version)


def _weight(value) -> Decimal:
    return Decimal(str(value if value is not None else 1))


def _number(value: Decimal):
    """A weight as JSON: an integer when it is whole, so a file round-trips exactly."""
    return int(value) if value == value.to_integral_value() else float(value)


@transaction.atomic
def import_document(doc) -> "Framework":  # the model is imported lazily: apps may not be ready at import

    problems = validate_document(doc)
    if not problems and Framework.objects.filter(key=doc["key"], version=doc["version"]).exists():
        problems.append(f"key/version: {doc['key']} {doc['version']} already exists and cannot be changed")
    if problems:
        raise FrameworkError(problems)
    framework = Framework.objects.create(
        key=doc["key"],
        version=doc["version"],
        schema=doc["schema"],
        title_fr=doc["title"]["fr"],
        title_en=doc["title"]["en"],
        levels=doc["levels"],
        raci_question_fr=doc["raci"]["question"]["fr"],
        raci_question_en=doc["raci"]["question"]["en"],
        short_form=doc.get("short_form"),
        raci_definitions=doc["raci"].get("definitions"),
    )
    questions = []
    position = 0
    for d, dim in enumerate(doc["dimensions"]):
        intro = dim.get("intro") or {"fr": "", "en": ""}
        dimension = Dimension.objects.create(
            framework=framework,
            key=dim["key"],
            position=d,
            title_fr=dim["title"]["fr"],
            title_en=dim["title"]["en"],
            area=dim.get("area") or "",
            weight=_weight(dim.get("weight")),
            intro_fr=intro["fr"],
            intro_en=intro["en"],
        )
        for q in dim["questions"]:
            guidance = q.get("guidance") or {"fr": "", "en": ""}
            questions.append(
                Question(
                    framework=framework,
                    dimension=dimension,
                    key=q["key"],
                    position=position,
                    text_fr=q["text"]["fr"],
                    text_en=q["text"]["en"],
                    weight=_weight(q.get("weight")),
                    # Version 2's levels also hold their title and evidence: stored as written.
                    level_texts=q["levels"],
                    guidance_fr=guidance["fr"],
                    guidance_en=guidance["en"],
                    not_applicable=q.get("not_applicable"),
                    variants=q.get("variants"),
                )
            )
            position += 1
    Question.objects.bulk_create(questions)
    ContextQuestion.objects.bulk_create(
        ContextQuestion(
            framework=framework,
            key=c["key"],
            position=i,
            text_fr=c["text"]["fr"],
            text_en=c["text"]["en"],
            choices=c["choices"],
            scope=c.get("scope", ""),
        )
        for i, c in enumerate(doc.get("context") or [])
    )
    RaciActivity.objects.bulk_create(
        RaciActivity(framework=framework, key=a["key"], position=i, title_fr=a["title"]["fr"], title_en=a["title"]["en"])
        for i, a in enumerate(doc["raci"]["activities"])
    )
    RaciRole.objects.bulk_create(
        RaciRole(framework=framework, key=r["key"], position=i, title_fr=r["title"]["fr"], title_en=r["title"]["en"])
        for i, r in enumerate(doc["raci"]["roles"])
    )
    return framework


def _bi(obj, name: str) -> dict:
    return {"fr": getattr(obj, f"{name}_fr"), "en": getattr(obj, f"{name}_en")}


def _question(q, v2: bool) -> dict:
    entry = {"key": q.key, "text": _bi(q, "text"), "weight": _number(q.weight)}
    if v2:
        entry["guidance"] = _bi(q, "guidance")
        entry["not_applicable"] = q.not_applicable
        if q.variants is not None:
            entry["variants"] = q.variants
    entry["levels"] = q.level_texts
    return entry


def _raci_export(framework, v2: bool) -> dict:
    raci: dict = {"question": _bi(framework, "raci_question")}
    if v2 and framework.raci_definitions is not None:
        raci["definitions"] = framework.raci_definitions
    raci["activities"] = [{"key": a.key, "title": _bi(a, "title")} for a in framework.raci_activities.order_by("position")]
    raci["roles"] = [{"key": r.key, "title": _bi(r, "title")} for r in framework.raci_roles.order_by("position")]
    return raci


def export_document(framework) -> dict:
    """The framework in the schema it was imported with (members in the order of the contract)."""
    v2 = framework.schema == SCHEMA_V2
    dimensions = list(framework.dimensions.order_by("position"))
    questions_by_dimension: dict[int, list] = {d.pk: [] for d in dimensions}
    for question in framework.questions.order_by("position"):
        questions_by_dimension[question.dimension_id].append(question)
    exported_dimensions = []
    for d in dimensions:
        entry = {"key": d.key, "title": _bi(d, "title"), "area": d.area or None, "weight": _number(d.weight)}
        if v2:
            entry["intro"] = _bi(d, "intro")
        entry["questions"] = [_question(q, v2) for q in questions_by_dimension[d.pk]]
        exported_dimensions.append(entry)
    context = []
    for c in framework.context_questions.order_by("position"):
        entry = {"key": c.key, "text": _bi(c, "text"), "choices": c.choices}
        if v2:
            entry["scope"] = c.scope
        context.append(entry)
    doc = {
        "schema": SCHEMA_V2 if v2 else SCHEMA_V1,
        "key": framework.key,
        "version": framework.version,
        "title": _bi(framework, "title"),
        "levels": framework.levels,
        "dimensions": exported_dimensions,
        "context": context,
        "raci": _raci_export(framework, v2),
    }
    if v2 and framework.short_form is not None:
        doc["short_form"] = framework.short_form
    return doc


def shipped_files() -> list[Path]:
    return sorted(FRAMEWORK_DIR.glob("*.json"))


def read_file(path: Path) -> dict:
    """A framework file, checked: FrameworkError names what is wrong (unreadable JSON included)."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise FrameworkError([f"$: cannot be read: {error}"]) from None
    except json.JSONDecodeError as error:
        raise FrameworkError([f"$: not valid JSON: line {error.lineno}, column {error.colno}: {error.msg}"]) from None
    problems = validate_document(doc)
    if problems:
        raise FrameworkError(problems)
    return doc


def _report(message: str) -> None:
    # Logged for the servers' logs, and written on the terminal that runs `migrate`, so nobody misses it.
    logger.error(message)
    sys.stderr.write(message + "\n")


def load_shipped_frameworks(**kwargs) -> int:
    """Imports every shipped framework file whose (key, version) is not in the database yet.

    Runs after every `migrate`. A file that cannot be imported (a bank still being written, a broken
    edit) is skipped and reported with every problem by JSON path, so that `migrate` still brings the
    database up to date and the frameworks already shipped stay usable; tests fail on such a file
    (tests/integration/test_framework_v2.py). A file whose version is already stored but whose content
    differs is reported too: a version never changes once loaded, edits need a new version.
    """

    loaded = 0
    for path in shipped_files():
        try:
            doc = read_file(path)
        except FrameworkError as error:
            _report(f"Framework file {path.name} was not loaded: " + "; ".join(error.problems))
            continue
        stored = Framework.objects.filter(key=doc["key"], version=doc["version"]).first()
        if stored is None:
            import_document(doc)
            loaded += 1
        elif export_document(stored) != doc:
            _report(
                f"Framework file {path.name} differs from the stored {doc['key']} {doc['version']}, which is kept: "
                "a version never changes once loaded, publish the change as a new version.",
            )
    return loaded
