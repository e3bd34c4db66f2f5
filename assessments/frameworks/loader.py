"""Validates, imports and exports frameworks in the JSON contract of EXPORTS.md."""

import json
from decimal import Decimal
from pathlib import Path

from django.db import transaction

SCHEMA = "cxgov.framework/1"
FRAMEWORK_DIR = Path(__file__).resolve().parent
AREAS = {"role_definition", "stakeholder_alignment", "shared_objectives", "measurement", None}
LANGUAGES = ("fr", "en")


class FrameworkError(Exception):
    """The document was refused; `problems` names every problem with its JSON path."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


class _Checker:
    def __init__(self):
        self.problems: list[str] = []

    def add(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def obj(self, value, path) -> bool:
        if not isinstance(value, dict):
            self.add(path, "expected an object")
            return False
        return True

    def text(self, value, path) -> None:
        if not isinstance(value, dict):
            self.add(path, 'expected {"fr": …, "en": …}')
            return
        for language in LANGUAGES:
            if not isinstance(value.get(language), str) or not value[language].strip():
                self.add(f"{path}.{language}", "missing text")
        for extra in sorted(set(value) - set(LANGUAGES)):
            self.add(f"{path}.{extra}", "unknown language")

    def key(self, value, path, seen: set) -> None:
        if not isinstance(value, str) or not value.strip():
            self.add(path, "expected a non-empty string key")
        elif value in seen:
            self.add(path, f"duplicate key {value!r}")
        else:
            seen.add(value)

    def weight(self, value, path) -> None:
        if value is None:
            return
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0 or value > 1000:
            self.add(path, "expected a positive number")

    def items(self, value, path) -> list:
        if not isinstance(value, list) or not value:
            self.add(path, "expected a non-empty list")
            return []
        return value


def validate_document(doc) -> list[str]:
    """Every problem of the document, each prefixed with its JSON path; empty when it is valid."""
    c = _Checker()
    if not c.obj(doc, "$"):
        return c.problems
    if doc.get("schema") != SCHEMA:
        c.add("schema", f"expected {SCHEMA!r}")
    for field in ("key", "version"):
        if not isinstance(doc.get(field), str) or not doc.get(field, "").strip():
            c.add(field, "expected a non-empty string")
    c.text(doc.get("title"), "title")
    levels = doc.get("levels")
    if not isinstance(levels, list) or len(levels) != 5:
        c.add("levels", f"{len(levels) if isinstance(levels, list) else 0} levels, expected 5")
    else:
        for i, level in enumerate(levels):
            if c.obj(level, f"levels[{i}]"):
                if level.get("level") != i + 1:
                    c.add(f"levels[{i}].level", f"expected {i + 1}")
                c.text(level.get("label"), f"levels[{i}].label")
    dimension_keys: set = set()
    question_keys: set = set()
    for d, dimension in enumerate(c.items(doc.get("dimensions"), "dimensions")):
        dpath = f"dimensions[{d}]"
        if not c.obj(dimension, dpath):
            continue
        c.key(dimension.get("key"), f"{dpath}.key", dimension_keys)
        c.text(dimension.get("title"), f"{dpath}.title")
        if dimension.get("area") not in AREAS:
            c.add(f"{dpath}.area", f"unknown area {dimension.get('area')!r}")
        c.weight(dimension.get("weight"), f"{dpath}.weight")
        for q, question in enumerate(c.items(dimension.get("questions"), f"{dpath}.questions")):
            qpath = f"{dpath}.questions[{q}]"
            if not c.obj(question, qpath):
                continue
            c.key(question.get("key"), f"{qpath}.key", question_keys)
            c.text(question.get("text"), f"{qpath}.text")
            c.weight(question.get("weight"), f"{qpath}.weight")
            qlevels = question.get("levels")
            if not isinstance(qlevels, list) or len(qlevels) != 5:
                c.add(f"{qpath}.levels", f"{len(qlevels) if isinstance(qlevels, list) else 0} levels, expected 5")
                continue
            for i, level in enumerate(qlevels):
                if c.obj(level, f"{qpath}.levels[{i}]"):
                    if level.get("level") != i + 1:
                        c.add(f"{qpath}.levels[{i}].level", f"expected {i + 1}")
                    c.text(level.get("text"), f"{qpath}.levels[{i}].text")
    context_keys: set = set()
    for i, question in enumerate(doc.get("context") or []):
        path = f"context[{i}]"
        if not c.obj(question, path):
            continue
        c.key(question.get("key"), f"{path}.key", context_keys)
        c.text(question.get("text"), f"{path}.text")
        choice_keys: set = set()
        for j, choice in enumerate(c.items(question.get("choices"), f"{path}.choices")):
            if c.obj(choice, f"{path}.choices[{j}]"):
                c.key(choice.get("key"), f"{path}.choices[{j}].key", choice_keys)
                c.text(choice.get("label"), f"{path}.choices[{j}].label")
    raci = doc.get("raci")
    if c.obj(raci, "raci"):
        c.text(raci.get("question"), "raci.question")
        for part in ("activities", "roles"):
            seen: set = set()
            for i, item in enumerate(c.items(raci.get(part), f"raci.{part}")):
                if c.obj(item, f"raci.{part}[{i}]"):
                    c.key(item.get("key"), f"raci.{part}[{i}].key", seen)
                    c.text(item.get("title"), f"raci.{part}[{i}].title")
    return c.problems


def _weight(value) -> Decimal:
    return Decimal(str(value if value is not None else 1))


def _number(value: Decimal):
    """A weight as JSON: an integer when it is whole, so a file round-trips exactly."""
    return int(value) if value == value.to_integral_value() else float(value)


@transaction.atomic
def import_document(doc) -> "Framework":  # noqa: F821 (model imported lazily: apps may not be ready at import)
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
        ContextQuestion(framework=framework, key=c["key"], position=i, text_fr=c["text"]["fr"], text_en=c["text"]["en"], choices=c["choices"])
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
