"""Framework data: the shipped bank, export → import round trip, and refusal of invalid files."""

import copy
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from assessments.frameworks.loader import FrameworkError, import_document, validate_document
from assessments.models import ContextQuestion, Dimension, Framework, Question, RaciActivity, RaciRole

pytestmark = pytest.mark.django_db


def export(*args) -> dict:
    out = StringIO()
    call_command("export_framework", *args, stdout=out)
    return json.loads(out.getvalue())


def test_shipped_framework_follows_the_contract(framework):
    doc = export("--key", "cx-governance", "--version", "1.0")
    assert doc["schema"] == "cxgov.framework/1"
    assert [d["key"] for d in doc["dimensions"]] == [f"D{i}" for i in range(1, 11)]
    questions = [q for d in doc["dimensions"] for q in d["questions"]]
    assert len(questions) >= 45
    assert all(4 <= len(d["questions"]) <= 6 for d in doc["dimensions"])
    assert all([lv["level"] for lv in q["levels"]] == [1, 2, 3, 4, 5] for q in questions)
    texts = (
        [q["text"] for q in questions]
        + [lv["text"] for q in questions for lv in q["levels"]]
        + [d["title"] for d in doc["dimensions"]]
    )
    assert all(t["fr"].strip() and t["en"].strip() and t["fr"] != t["en"] for t in texts[:60])
    assert all(t["fr"].strip() and t["en"].strip() for t in texts)
    areas = {d["key"]: d["area"] for d in doc["dimensions"]}
    assert areas["D2"] == "stakeholder_alignment" and areas["D3"] == "role_definition"
    assert areas["D4"] == "shared_objectives" and areas["D7"] == "measurement"
    assert doc["dimensions"][0]["title"] == {"fr": "Stratégie et vision CX", "en": "CX strategy and vision"}
    assert [lv["label"]["fr"] for lv in doc["levels"]] == ["Initial", "Émergent", "Structuré", "Piloté", "Intégré"]
    assert len(doc["raci"]["activities"]) == 14 and len(doc["raci"]["roles"]) == 10
    assert {c["key"] for c in doc["context"]} >= {"cxo_exists", "cxo_reports_to"}


def test_export_import_round_trip_is_exact(framework):
    before = export()
    for model in (Question, Dimension, ContextQuestion, RaciActivity, RaciRole, Framework):
        model.objects.all().delete()
    path_doc = copy.deepcopy(before)
    import_document(path_doc)
    assert export() == before


def test_import_refuses_an_existing_version(framework, tmp_path):
    path = tmp_path / "fw.json"
    path.write_text(json.dumps(export()), encoding="utf-8")
    before = Framework.objects.count()  # 1.0, and 2.0 once its file is shipped
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_framework", str(path), stderr=err)
    assert "already exists" in err.getvalue()
    assert Framework.objects.count() == before


def test_invalid_file_names_every_problem_and_writes_nothing(framework, tmp_path):
    doc = export("--version", "1.0")
    doc["version"] = "1.5"
    doc["dimensions"][0]["questions"][0]["levels"].pop()
    doc["dimensions"][1]["title"].pop("en")
    doc["dimensions"][2]["questions"][1]["key"] = doc["dimensions"][2]["questions"][0]["key"]
    doc["dimensions"][3]["area"] = "marketing"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="4 problem"):
        call_command("import_framework", str(path), stderr=err)
    problems = err.getvalue()
    assert "dimensions[0].questions[0].levels: 4 levels, expected 5" in problems
    assert "dimensions[1].title.en: missing text" in problems
    assert "dimensions[2].questions[1].key: duplicate key 'D3.1'" in problems
    assert "dimensions[3].area" in problems
    assert not Framework.objects.filter(version="1.5").exists()


def test_a_new_version_imports(framework):
    doc = export("--version", "1.0")
    doc["version"] = "1.1"
    imported = import_document(doc)
    assert imported.questions.count() == framework.questions.count()
    assert export("--version", "1.1")["version"] == "1.1"
    doc["version"] = "9.10"  # after every shipped version, "9.9" included: compared number by number
    import_document(doc)
    assert export()["version"] == "9.10"  # the latest by default


def test_validation_of_garbage():
    assert validate_document([]) == ["$: expected an object"]
    problems = validate_document({"schema": "x"})
    assert any(p.startswith("schema") for p in problems) and any(p.startswith("dimensions") for p in problems)
    with pytest.raises(FrameworkError):
        import_document({"schema": "x"})


def test_unreadable_json_is_a_clear_error(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="not valid JSON"):
        call_command("import_framework", str(path))


def test_framework_is_read_only_in_the_admin(framework, admin_client):
    from django.urls import reverse

    response = admin_client.get(reverse("admin:assessments_framework_change", args=[framework.pk]))
    assert response.status_code == 200
    assert b'name="_save"' not in response.content
    assert (
        admin_client.post(reverse("admin:assessments_framework_delete", args=[framework.pk]), {"post": "yes"}).status_code == 403
    )
    assert Framework.objects.filter(pk=framework.pk).exists()
