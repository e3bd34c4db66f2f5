"""The 2.0 initiative library: it extends 1.0 with D11 and 2.0's new practices, and 1.0 rounds never see it.

``initiatives-2.0.json`` names framework 2.0 and extends ``initiatives-1.0.json``; the loader checks
the two as one library against 2.0's dimensions. Its French follows the glossary the question bank
follows (the checker of tests/unit/test_framework_content.py, run on the library's own texts).
"""

import copy
import inspect
import json
import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from roadmaps.library.loader import (
    LIBRARY_DIR,
    LIBRARY_FILES,
    SHIPPED_FILE,
    LibraryError,
    check_document,
    default_dimension_keys,
    library_for,
    load_document,
    load_file,
    shipped_library,
)
from tests.unit.test_framework_content import GLOSSARY, banned_problems, glossary_variants, load, texts

V2_FILE = LIBRARY_DIR / "initiatives-2.0.json"
MIN_PER_STEP = inspect.signature(check_document).parameters["min_per_step"].default
NEW_PRACTICES = {"D3": "partners", "D7": "competitors", "D8": "complaints"}


def v2_doc() -> dict:
    return json.loads(V2_FILE.read_text(encoding="utf-8"))


def own_keys() -> set[str]:
    """The initiatives the 2.0 file adds (not those it inherits from 1.0)."""
    return {entry["key"] for entry in v2_doc()["initiatives"]}


@pytest.fixture(scope="module")
def glossary() -> dict:
    return load(GLOSSARY)


# --------------------------------------------------------------------------- choice and validation


def test_each_framework_version_gets_its_library():
    assert LIBRARY_FILES["2.0"] == V2_FILE
    assert library_for("1.0") is shipped_library()
    # A framework with no library of its own (a test's, a future one) keeps the 1.0 library, as before 2.0.
    assert library_for("9.9") is shipped_library()
    v2 = library_for("2.0")
    assert (v2.key, v2.version, v2.framework) == ("cx-initiatives", "2.0", "2.0")
    assert shipped_library().framework == "1.0"


def test_the_2_0_library_validates_against_framework_2_0():
    problems, initiatives = check_document(v2_doc())
    assert problems == []
    assert {i.dimension for i in initiatives} == set(default_dimension_keys("2.0")) == {f"D{n}" for n in range(1, 12)}
    # The management command reads the same file and says it is valid.
    out = StringIO()
    call_command("validate_library", str(V2_FILE), stdout=out)
    assert "cx-initiatives 2.0: " in out.getvalue() and "valid" in out.getvalue()


def test_the_2_0_library_keeps_every_1_0_initiative_as_it_is():
    v1, v2 = shipped_library(), library_for("2.0")
    assert [i.key for i in v2.initiatives[: len(v1.initiatives)]] == [i.key for i in v1.initiatives]
    for item in v1.initiatives:
        assert v2.by_key[item.key] == item, item.key
        assert v2.title(item.key) == v1.title(item.key) and v2.description(item.key) == v1.description(item.key)
    # "appoint a CXO precedes D3" holds for the D3 initiatives 2.0 adds too.
    assert all("appoint-cxo" in v2.by_key[f"D3-{n}-partners"].prerequisites for n in range(1, 5))


def test_every_d11_step_has_enough_initiatives():
    steps = Counter(i.from_level for i in library_for("2.0").initiatives if i.dimension == "D11")
    assert None not in steps
    for level in range(1, 5):
        assert steps[level] >= MIN_PER_STEP, f"D11 step {level}→{level + 1}"
    assert not any(i.dimension == "D11" for i in shipped_library().initiatives)


def test_d11_covers_data_consent_personalisation_ai_with_a_human_and_experiments():
    library = library_for("2.0")
    d11 = [
        library.description(i.key) | {"title": library.title(i.key)["fr"]} for i in library.initiatives if i.dimension == "D11"
    ]
    french = "\n".join(f"{d['title']} {d['fr']}" for d in d11)
    for theme in ("consentement", "identifiant client unique", "CRM", "CXM", "personnalisation", "relais vers un conseiller"):
        assert theme in french, theme
    assert re.search(r"\bIA\b", french) and "règlement européen sur l'IA" in french
    assert "expérimentation" in french and "critère d'arrêt" in french and "groupe témoin" in french


def test_each_new_practice_of_2_0_has_at_least_two_initiatives():
    library, keys = library_for("2.0"), own_keys()
    for dimension, practice in NEW_PRACTICES.items():
        added = [i for i in library.initiatives if i.key in keys and i.dimension == dimension]
        assert len(added) >= 2, dimension
        assert all(practice in i.key for i in added)
    french = {
        d: " ".join(library.description(i.key)["fr"] for i in library.initiatives if i.dimension == d) for d in NEW_PRACTICES
    }
    assert "prestataires" in french["D3"] and "franchisés" in french["D3"]
    assert "mesure comparative" in french["D7"] and "concurrents nommés" in french["D7"]
    assert "ISO 10002" in french["D8"] and "médiateur de la consommation" in french["D8"]


def test_no_2_0_initiative_is_in_the_1_0_library():
    assert own_keys().isdisjoint(shipped_library().by_key)
    # Loaded against 1.0's dimensions, the 2.0 file is refused: D11 does not exist there.
    problems, _ = check_document(v2_doc() | {"framework": "1.0"})
    assert any("unknown dimension 'D11'" in p for p in problems)


# --------------------------------------------------------------------------- the extension mechanism refuses


def test_a_2_0_library_without_a_d11_step_is_refused():
    doc = v2_doc()
    doc["initiatives"] = [e for e in doc["initiatives"] if not e["key"].startswith("D11-4-")]
    problems, _ = check_document(doc)
    assert f"initiatives: dimension D11 step 4→5 has 0 initiative(s), expected at least {MIN_PER_STEP}" in problems


def test_problems_name_the_file_they_come_from():
    doc = v2_doc()
    doc["initiatives"][0]["key"] = "D1-1-a"  # already a key of the extended 1.0 file
    doc["initiatives"][1]["activity"] = "coffee"
    with pytest.raises(LibraryError) as error:
        load_document(doc)
    assert error.value.problems == [
        "initiatives[0].key: duplicate key 'D1-1-a' (first at initiatives-1.0.json#initiatives[0])",
        "initiatives[1].activity: unknown activity 'coffee'",
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"framework": "3.0"}, "framework: unknown framework version '3.0'"),
        ({"framework": "../../etc/passwd"}, "framework: unknown framework version '../../etc/passwd'"),
        (
            {"extends": "../assessments/frameworks/cx-governance-1.0.json"},
            "extends: expected the file name of a library in the same folder",
        ),
        ({"extends": "initiatives-0.9.json"}, "extends: cannot read"),
        (
            {"extends": "initiatives-2.0.json"},
            "extends: initiatives-2.0.json extends another library: only one level is supported",
        ),
        ({"colour": "red"}, "$.colour: unknown key"),
    ],
)
def test_a_bad_framework_or_extends_is_refused(change, expected):
    problems, _ = check_document(v2_doc() | change)
    assert any(p.startswith(expected) for p in problems), problems


def test_a_file_that_extends_is_read_from_its_own_folder(tmp_path):
    (tmp_path / "base.json").write_text(SHIPPED_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "mine.json").write_text(json.dumps(v2_doc() | {"extends": "base.json"}), encoding="utf-8")
    assert load_file(tmp_path / "mine.json").initiatives == library_for("2.0").initiatives


# --------------------------------------------------------------------------- the French of the new texts


def test_the_new_french_has_no_anglicism_and_follows_the_glossary(glossary):
    doc = v2_doc()
    assert banned_problems(doc, glossary["banned_fr"], "anglicism") == []
    assert banned_problems(doc, glossary_variants(glossary), "glossary variant") == []


def test_the_new_texts_use_no_vague_wording(glossary):
    doc = v2_doc()
    for language in ("fr", "en"):
        patterns = [re.compile(p, re.IGNORECASE) for p in glossary["vague_patterns"][language]]
        found = [(path, p.pattern) for path, text in texts(doc) for p in patterns if p.search(text[language])]
        assert found == [], language


def test_the_new_texts_are_bilingual_and_name_a_deliverable():
    for path, text in texts(v2_doc()):
        assert set(text) == {"fr", "en"} and all(v.strip() for v in text.values()), path
        if path.endswith(".description"):
            assert "Livrable : " in text["fr"] and "Deliverable: " in text["en"], path


@pytest.mark.parametrize(
    "bad",
    [
        "Le CX tient un backlog de cas d'usage.",
        "Un chatbot avec un fallback vers le call center.",
        "Le COPIL suit le test and learn dans un dashboard.",
        "Un benchmark annuel et un reporting au CODIR.",
    ],
)
def test_the_french_check_fails_on_an_anglicism_in_the_library(glossary, bad):
    doc = copy.deepcopy(v2_doc())
    doc["initiatives"][0]["description"]["fr"] = bad
    problems = banned_problems(doc, glossary["banned_fr"] + glossary_variants(glossary), "any")
    assert problems and all(p.startswith("$.initiatives[0].description.fr") for p in problems)
