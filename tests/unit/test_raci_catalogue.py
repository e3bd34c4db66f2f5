"""The RACI catalogue of cx-governance 2.0 (issue #17), read as plain JSON: what a CXO expects to find, in both languages.

The French is held to the glossary with the checks of tests/unit/test_framework_content.py, run here on the RACI
section alone so that a failure names it; each check of this file is also shown to fail on a bad catalogue.
"""

import copy
import json
import re
from pathlib import Path

import pytest

from tests.unit.test_framework_content import banned_problems, glossary_variants, texts

FRAMEWORKS = Path(__file__).resolve().parents[2] / "assessments" / "frameworks"
V1 = FRAMEWORKS / "cx-governance-1.0.json"
V2 = FRAMEWORKS / "cx-governance-2.0.json"
GLOSSARY = FRAMEWORKS / "glossary" / "glossary-fr.json"

# The review's missing activities and roles (../shared/research/question-bank-review.md §6), by key.
NEW_ACTIVITIES = {
    "cx_promise",
    "segmentation_service_levels",
    "customer_research",
    "service_design",
    "complaints_mediation",
    "improvement_portfolio",
    "frontline_authority",
    "customer_data_consent",
    "digital_self_service_ai",
    "partners_networks",
    "change_management",
    "incident_communication",
    "personalisation",
}
NEW_ROLES = {"board", "cdo", "legal", "bu_heads", "quality", "transformation", "procurement", "journey_owners"}
# One convention in French: people (« Directeur financier »), not departments (« Direction financière ») mixed with
# people; the board is the one body, named as such.
PERSON_TITLE = re.compile(r"^(Directeur|Directeurs|Responsables|Conseil d'administration) ")
LETTERS = ("R", "A", "C", "I")


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def raci() -> dict:
    return load(V2)["raci"]


@pytest.fixture(scope="module")
def glossary() -> dict:
    return load(GLOSSARY)


def catalogue_problems(raci: dict) -> list[str]:
    """What a CXO would miss or misread in the catalogue."""
    old = load(V1)["raci"]
    problems = []
    for part, minimum, new in (("activities", 20, NEW_ACTIVITIES), ("roles", 16, NEW_ROLES)):
        keys = [item["key"] for item in raci[part]]
        if len(keys) < minimum:
            problems.append(f"{part}: {len(keys)}, at least {minimum}")
        if len(set(keys)) != len(keys):
            problems.append(f"{part}: a key is listed twice")
        missing = (new | {item["key"] for item in old[part]}) - set(keys)
        if missing:
            problems.append(f"{part}: missing {sorted(missing)}")
        for item in raci[part]:
            title = item["title"]
            if not (title.get("fr", "").strip() and title.get("en", "").strip()):
                problems.append(f"{part}.{item['key']}: expected a French and an English title")
            if re.search(r"(?<!\w)CX(?!\w)", title.get("fr", "")):
                problems.append(f"{part}.{item['key']}: « CX » in the French title")
    for role in raci["roles"]:
        if not PERSON_TITLE.match(role["title"]["fr"]):
            problems.append(f"roles.{role['key']}: « {role['title']['fr']} » does not name a person")
    return problems


def question_problems(raci: dict) -> list[str]:
    """The question asks for today's A in both languages, and each letter is defined in one line."""
    problems = []
    question = raci["question"]
    if "rend compte" not in question["fr"] or "« A »" not in question["fr"] or "Aujourd'hui" not in question["fr"]:
        problems.append("question.fr: does not ask who is accountable (the A) today")
    if "responsable" in question["fr"].lower():
        problems.append("question.fr: « responsable » reads as the R in French RACI usage")
    if "accountable" not in question["en"] or '"A"' not in question["en"] or "Today" not in question["en"]:
        problems.append("question.en: does not ask who is accountable (the A) today")
    definitions = raci.get("definitions") or {}
    if sorted(definitions) != sorted(LETTERS):
        problems.append(f"definitions: expected {LETTERS}, got {sorted(definitions)}")
    for letter, text in definitions.items():
        for language in ("fr", "en"):
            line = text.get(language, "")
            if not line.strip() or "\n" in line or len(line) > 120:
                problems.append(f"definitions.{letter}.{language}: expected one short line")
    if definitions and not definitions["A"]["fr"].startswith("Rend compte"):
        problems.append("definitions.A.fr: the A « rend compte »")
    if definitions and not definitions["R"]["en"].startswith("Responsible"):
        problems.append("definitions.R.en: the R is responsible")
    return problems


# --------------------------------------------------------------------------- the shipped catalogue passes


def test_the_catalogue_has_the_activities_and_roles_a_cxo_expects(raci):
    assert catalogue_problems(raci) == []
    assert len(raci["activities"]) == 27 and len(raci["roles"]) == 19


def test_the_customer_data_is_split_from_the_experience_platform(raci):
    titles = {a["key"]: a["title"] for a in raci["activities"]}
    assert "CXM" in titles["cx_tools_data"]["fr"] and "données" not in titles["cx_tools_data"]["fr"]
    assert "consentement" in titles["customer_data_consent"]["fr"]


def test_the_question_asks_for_the_a_and_defines_each_letter(raci):
    assert question_problems(raci) == []


def test_the_french_of_the_catalogue_follows_the_glossary(raci, glossary):
    assert banned_problems({"raci": raci}, glossary["banned_fr"], "anglicism") == []
    assert banned_problems({"raci": raci}, glossary_variants(glossary), "glossary variant") == []
    assert len(list(texts({"raci": raci}))) == 1 + 4 + 27 + 19


# --------------------------------------------------------------------------- each check fails on a bad catalogue


def broken(raci: dict, change) -> dict:
    bad = copy.deepcopy(raci)
    change(bad)
    return bad


def test_the_catalogue_check_fails_on_a_missing_activity_a_department_and_cx(raci):
    def change(bad):
        bad["activities"] = [a for a in bad["activities"] if a["key"] != "complaints_mediation"]
        bad["roles"][2]["title"]["fr"] = "Direction marketing"
        bad["activities"][0]["title"]["fr"] = "Vision et stratégie CX"
        bad["roles"][3]["title"]["en"] = " "

    problems = "\n".join(catalogue_problems(broken(raci, change)))
    assert "activities: missing ['complaints_mediation']" in problems
    assert "roles.cmo: « Direction marketing » does not name a person" in problems
    assert "activities.cx_strategy: « CX » in the French title" in problems
    assert "roles.cfo: expected a French and an English title" in problems
    assert catalogue_problems(broken(raci, lambda bad: bad.update(roles=bad["roles"][:15])))


def test_the_question_check_fails_on_the_r_asked_in_french_and_a_missing_definition(raci):
    def change(bad):
        bad["question"]["fr"] = "Qui est responsable de cette activité ?"
        del bad["definitions"]["C"]

    problems = "\n".join(question_problems(broken(raci, change)))
    assert "question.fr: does not ask who is accountable" in problems
    assert "« responsable » reads as the R" in problems
    assert "definitions: expected" in problems


def test_the_glossary_check_fails_on_an_anglicism_in_a_title(raci, glossary):
    bad = broken(raci, lambda bad: bad["activities"][5]["title"].update(fr="Design de services et test and learn"))
    assert banned_problems({"raci": bad}, glossary["banned_fr"], "anglicism")
    bad = broken(raci, lambda bad: bad["roles"][12]["title"].update(fr="Directeur juridique et DPO"))
    assert banned_problems({"raci": bad}, glossary_variants(glossary), "glossary variant")
