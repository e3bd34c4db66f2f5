"""raci.definitions in schema cxgov.framework/2 (issue #17): checked, stored, exported as imported; refused in schema 1."""

import copy
import json
from pathlib import Path

import pytest

from assessments.frameworks.loader import FrameworkError, export_document, import_document, validate_document

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
DEFINITIONS = {
    "R": {"fr": "Réalise : fait le travail.", "en": "Responsible: does the work."},
    "A": {"fr": "Rend compte : tranche.", "en": "Accountable: has the final say."},
    "C": {"fr": "Consulté : donne son avis.", "en": "Consulted: gives an opinion."},
    "I": {"fr": "Informé : est tenu au courant.", "en": "Informed: is told."},
}


def sample(definitions=None) -> dict:
    doc = json.loads((FIXTURES / "framework-2-sample.json").read_text(encoding="utf-8"))
    if definitions is not None:
        raci = doc["raci"]
        doc["raci"] = {"question": raci["question"], "definitions": definitions, **raci}
    return doc


def test_definitions_are_stored_and_exported_as_imported():
    doc = sample(copy.deepcopy(DEFINITIONS))
    framework = import_document(copy.deepcopy(doc))
    assert framework.raci_definitions == DEFINITIONS
    exported = export_document(framework)
    assert exported == doc
    assert list(exported["raci"]) == ["question", "definitions", "activities", "roles"]  # the file's order


def test_a_file_without_definitions_round_trips_without_them():
    framework = import_document(sample())
    assert framework.raci_definitions is None
    assert "definitions" not in export_document(framework)["raci"]


def test_a_missing_or_unknown_letter_and_definitions_in_schema_1_are_refused():
    definitions = copy.deepcopy(DEFINITIONS)
    del definitions["I"]
    definitions["X"] = {"fr": "?", "en": "?"}
    definitions["C"]["en"] = " "
    assert validate_document(sample(definitions)) == [
        "raci.definitions.C.en: missing text",
        'raci.definitions.I: expected {"fr": …, "en": …}',
        "raci.definitions.X: not a RACI letter",
    ]
    with pytest.raises(FrameworkError):
        import_document(sample(definitions))
    v1 = json.loads((Path(__file__).resolve().parents[2] / "assessments" / "frameworks" / "cx-governance-1.0.json").read_text())
    v1["raci"]["definitions"] = DEFINITIONS
    assert "raci.definitions: unknown field" in validate_document(v1)
