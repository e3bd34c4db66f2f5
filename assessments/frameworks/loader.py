"""Validates, imports and exports frameworks in the JSON contract of EXPORTS.md."""

import json
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import transaction

from cxgov import schema

if TYPE_CHECKING:
    from ..models import Framework

SCHEMA = "cxgov.framework/1"
FRAMEWORK_DIR = Path(__file__).resolve().parent
AREAS = ("role_definition", "stakeholder_alignment", "shared_objectives", "measurement", None)
LANGUAGES = ("fr", "en")


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


# The contract of EXPORTS.md, with the limits of the columns each value is stored in (assessments.models).
DOCUMENT = schema.Obj(
    {
        "schema": schema.Const(SCHEMA),
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
        "dimensions": schema.List(
            schema.Obj(
                {
                    "key": _key(20, "dimension"),
                    "title": _text(200),
                    "area": schema.Str(choices=[a for a in AREAS if a], null=True, optional=True),
                    "weight": WEIGHT,
                    "questions": schema.List(
                        schema.Obj(
                            {
                                "key": _key(20, "question"),
                                "text": _text(),
                                "weight": WEIGHT,
                                "levels": schema.List(
                                    schema.Obj({"level": schema.Int(minimum=1, maximum=5), "text": _text()}),
                                    length=5,
                                    noun="levels",
                                    numbered="level",
                                ),
                            }
                        ),
                        min_items=1,
                        max_items=200,
                    ),
                }
            ),
            min_items=1,
            max_items=50,
        ),
        "context": schema.List(
            schema.Obj(
                {
                    "key": _key(40, "context"),
                    "text": _text(),
                    "choices": schema.List(
                        schema.Obj(
                            {
                                "key": schema.Str(blank=False, max_length=40, pattern=KEY_PATTERN, pattern_message=KEY_HINT),
                                "label": _text(200),
                            }
                        ),
                        min_items=1,
                        max_items=20,
                    ),
                }
            ),
            max_items=50,
            null=True,
            optional=True,
        ),
        "raci": schema.Obj(
            {
                "question": _text(300),
                "activities": schema.List(_titled(40, "activity", 200), min_items=1, max_items=100),
                "roles": schema.List(_titled(40, "role", 100), min_items=1, max_items=50),
            }
        ),
    }
)


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


def validate_document(doc) -> list[str]:
    """Every problem of the document, each prefixed with its JSON path; empty when it is valid."""
    problems = schema.validate(DOCUMENT, doc)
    if isinstance(doc, dict):
        problems += _choice_keys_unique(doc)
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
    from ..models import ContextQuestion, Dimension, Framework, Question, RaciActivity, RaciRole

    problems = validate_document(doc)
    if not problems and Framework.objects.filter(key=doc["key"], version=doc["version"]).exists():
        problems.append(f"key/version: {doc['key']} {doc['version']} already exists and cannot be changed")
    if problems:
        raise FrameworkError(problems)
    framework = Framework.objects.create(
        key=doc["key"],
        version=doc["version"],
        title_fr=doc["title"]["fr"],
        title_en=doc["title"]["en"],
        levels=doc["levels"],
        raci_question_fr=doc["raci"]["question"]["fr"],
        raci_question_en=doc["raci"]["question"]["en"],
    )
    questions = []
    position = 0
    for d, dim in enumerate(doc["dimensions"]):
        dimension = Dimension.objects.create(
            framework=framework,
            key=dim["key"],
            position=d,
            title_fr=dim["title"]["fr"],
            title_en=dim["title"]["en"],
            area=dim.get("area") or "",
            weight=_weight(dim.get("weight")),
        )
        for q in dim["questions"]:
            questions.append(
                Question(
                    framework=framework,
                    dimension=dimension,
                    key=q["key"],
                    position=position,
                    text_fr=q["text"]["fr"],
                    text_en=q["text"]["en"],
                    weight=_weight(q.get("weight")),
                    level_texts=q["levels"],
                )
            )
            position += 1
    Question.objects.bulk_create(questions)
    ContextQuestion.objects.bulk_create(
        ContextQuestion(
            framework=framework, key=c["key"], position=i, text_fr=c["text"]["fr"], text_en=c["text"]["en"], choices=c["choices"]
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


def export_document(framework) -> dict:
    dimensions = list(framework.dimensions.order_by("position"))
    questions_by_dimension: dict[int, list] = {d.pk: [] for d in dimensions}
    for question in framework.questions.order_by("position"):
        questions_by_dimension[question.dimension_id].append(question)
    return {
        "schema": SCHEMA,
        "key": framework.key,
        "version": framework.version,
        "title": _bi(framework, "title"),
        "levels": framework.levels,
        "dimensions": [
            {
                "key": d.key,
                "title": _bi(d, "title"),
                "area": d.area or None,
                "weight": _number(d.weight),
                "questions": [
                    {"key": q.key, "text": _bi(q, "text"), "weight": _number(q.weight), "levels": q.level_texts}
                    for q in questions_by_dimension[d.pk]
                ],
            }
            for d in dimensions
        ],
        "context": [
            {"key": c.key, "text": _bi(c, "text"), "choices": c.choices} for c in framework.context_questions.order_by("position")
        ],
        "raci": {
            "question": _bi(framework, "raci_question"),
            "activities": [{"key": a.key, "title": _bi(a, "title")} for a in framework.raci_activities.order_by("position")],
            "roles": [{"key": r.key, "title": _bi(r, "title")} for r in framework.raci_roles.order_by("position")],
        },
    }


def shipped_files() -> list[Path]:
    return sorted(FRAMEWORK_DIR.glob("*.json"))


def load_shipped_frameworks(**kwargs) -> int:
    """Imports every shipped framework file whose (key, version) is not in the database yet."""
    from ..models import Framework

    loaded = 0
    for path in shipped_files():
        doc = json.loads(path.read_text(encoding="utf-8"))
        if not Framework.objects.filter(key=doc.get("key"), version=doc.get("version")).exists():
            import_document(doc)
            loaded += 1
    return loaded
