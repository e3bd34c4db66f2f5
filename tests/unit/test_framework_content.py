"""Content guards for the shipped question banks (issue #16), read as plain JSON: no loader, no database.

cx-governance 2.0 must keep the shape of schema cxgov.framework/2, its French must follow the repository's
glossary (docs/glossary.md, assessments/frameworks/glossary/glossary-fr.json) and its level texts must describe
verifiable practices. 1.0 stays byte for byte what rounds were run on. Every check is a function that returns the
problems it finds, so that each is also run on a deliberately bad document and shown to fail.
"""

import copy
import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

FRAMEWORKS = Path(__file__).resolve().parents[2] / "assessments" / "frameworks"
V1 = FRAMEWORKS / "cx-governance-1.0.json"
V2 = FRAMEWORKS / "cx-governance-2.0.json"
GLOSSARY = FRAMEWORKS / "glossary" / "glossary-fr.json"
GLOSSARY_DOC = Path(__file__).resolve().parents[2] / "docs" / "glossary.md"

# Rounds answered on 1.0 are read against this exact file: any edit, even a typo fix, must become a new version.
V1_SHA256 = "d28d094b6e8a215474a855490e85c752de27c957b46ceca4296f4c5aed93d7c6"

TOP_KEYS = {"schema", "key", "version", "title", "levels", "dimensions", "context", "raci", "short_form"}
DIMENSION_KEYS = {"key", "title", "area", "weight", "intro", "questions"}
QUESTION_KEYS = {"key", "text", "weight", "guidance", "not_applicable", "variants", "levels"}
LEVEL_KEYS = {"level", "title", "text", "evidence"}
TITLE_MAX = 60
NEW_CONTEXT = {
    "sector": None,  # free list of sectors: only its presence is required
    "b2b_b2c": {"b2b", "b2c", "both"},
    "listed": {"yes", "no"},
    "perimeter": {"group", "business_unit", "country", "brand"},
    "regulated": {"yes", "no"},
    "networks_outsourcing": {"none", "outsourced_service", "distribution_network", "franchise", "several"},
    "respondent_role": {"ceo", "coo", "cmo", "cfo", "cio", "hr", "service", "sales", "product", "cxo", "other"},
}
# 1.0 questions that 2.0 merged into another (the review's duplicates); every other 1.0 key keeps its meaning.
MERGED = {"D3.3": "D6.2", "D7.4": "D7.2", "D8.3": "D8.2"}
D11_TITLE = {"fr": "Données, technologie et IA au service de l'expérience", "en": "Data, technology and AI for the experience"}


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def bank() -> dict:
    return load(V2)


@pytest.fixture(scope="module")
def glossary() -> dict:
    return load(GLOSSARY)


# --------------------------------------------------------------------------- walking the document


def texts(node, path: str = "$") -> Iterator[tuple[str, dict]]:
    """Every bilingual text {"fr": …, "en": …} of the document, with its JSON path."""
    if isinstance(node, dict):
        if "fr" in node or "en" in node:
            yield path, node
            return
        for key, value in node.items():
            yield from texts(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from texts(value, f"{path}[{i}]")


def questions(doc: dict) -> Iterator[tuple[str, dict]]:
    for d, dimension in enumerate(doc["dimensions"]):
        for q, question in enumerate(dimension["questions"]):
            yield f"$.dimensions[{d}].questions[{q}]", question


def level_texts(doc: dict) -> Iterator[tuple[str, dict]]:
    """The texts a respondent scores against: each level's title and description (not the evidence, a list to ask for)."""
    for path, question in questions(doc):
        for i, level in enumerate(question["levels"]):
            for field in ("title", "text"):
                yield f"{path}.levels[{i}].{field}", level[field]


def phrase_pattern(phrase: str) -> re.Pattern:
    """A word or phrase as a whole word, in any case: « process » must not match « processus », nor « CX » « CXO »."""
    return re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)", re.IGNORECASE)


# --------------------------------------------------------------------------- the checks


def question_shape_problems(path: str, question: dict) -> list[str]:
    problems = []
    if set(question) != QUESTION_KEYS:
        problems.append(f"{path}: keys {sorted(set(question) ^ QUESTION_KEYS)} differ from the schema")
    levels = question.get("levels", [])
    if [level.get("level") for level in levels] != [1, 2, 3, 4, 5]:
        problems.append(f"{path}.levels: expected levels 1 to 5 in order")
    for i, level in enumerate(levels):
        if set(level) != LEVEL_KEYS:
            problems.append(f"{path}.levels[{i}]: keys {sorted(set(level) ^ LEVEL_KEYS)} differ from the schema")
        for language, title in (level.get("title") or {}).items():
            if len(title) > TITLE_MAX:
                problems.append(f"{path}.levels[{i}].title.{language}: {len(title)} characters, at most {TITLE_MAX}")
    return problems


def shape_problems(doc: dict) -> list[str]:
    problems = []
    if set(doc) != TOP_KEYS:
        problems.append(f"$: keys {sorted(set(doc) ^ TOP_KEYS)} differ from the schema")
    if (doc.get("schema"), doc.get("key"), doc.get("version")) != ("cxgov.framework/2", "cx-governance", "2.0"):
        problems.append("$: not cx-governance 2.0 in schema cxgov.framework/2")
    dimensions = doc.get("dimensions", [])
    if [d.get("key") for d in dimensions] != [f"D{i}" for i in range(1, 12)]:
        problems.append("$.dimensions: expected D1 … D11 in order")
    for d, dimension in enumerate(dimensions):
        if set(dimension) != DIMENSION_KEYS:
            problems.append(f"$.dimensions[{d}]: keys {sorted(set(dimension) ^ DIMENSION_KEYS)} differ from the schema")
        if len(dimension.get("questions", [])) != 5:
            problems.append(f"$.dimensions[{d}]: {len(dimension.get('questions', []))} questions, expected 5")
    keys = [question.get("key") for _, question in questions(doc)]
    problems += [f"$: question key {key} used twice" for key in sorted({k for k in keys if keys.count(k) > 1})]
    for path, question in questions(doc):
        problems += question_shape_problems(path, question)
    for path, text in texts(doc):
        if set(text) != {"fr", "en"} or not all(isinstance(v, str) and v.strip() for v in text.values()):
            problems.append(f"{path}: expected non-empty French and English texts")
    return problems


def condition_problems(doc: dict) -> list[str]:
    """N/A rules, wording variants and the short form refer to what the document defines."""
    choices = {c["key"]: {choice["key"] for choice in c["choices"]} for c in doc["context"]}
    problems = []
    for path, question in questions(doc):
        conditions = [(f"{path}.variants[{i}]", v["when"]) for i, v in enumerate(question["variants"])]
        if question["not_applicable"] is not None:
            conditions.append((f"{path}.not_applicable", question["not_applicable"]["when"]))
        for where, when in conditions:
            if not when:
                problems.append(f"{where}.when: empty condition")
            for key, values in when.items():
                if key not in choices:
                    problems.append(f"{where}.when: {key!r} is not a context question")
                elif not values or not set(values) <= choices[key]:
                    problems.append(f"{where}.when.{key}: {sorted(set(values) - choices[key])} are not its choices")
    keys = [q["key"] for _, q in questions(doc)]
    dimension_of = {q["key"]: d["key"] for d in doc["dimensions"] for q in d["questions"]}
    short = doc["short_form"]["questions"]
    if not 12 <= len(short) <= 15 or len(set(short)) != len(short) or not set(short) <= set(keys):
        problems.append("$.short_form.questions: expected 12 to 15 distinct questions of this framework")
    elif len({d["key"] for d in doc["dimensions"]} - {dimension_of[k] for k in short}) > 2:
        problems.append("$.short_form.questions: more than two dimensions left out")
    return problems


def banned_problems(doc: dict, phrases: list[str], where: str) -> list[str]:
    """French texts that use one of the phrases (global anglicisms, or the variants the glossary replaces)."""
    patterns = [(phrase, phrase_pattern(phrase)) for phrase in phrases]
    return [
        f"{path}.fr: « {phrase} » ({where})"
        for path, text in texts(doc)
        for phrase, pattern in patterns
        if pattern.search(text["fr"])
    ]


def glossary_variants(glossary: dict) -> list[str]:
    return [variant for term in glossary["terms"] for variant in term["banned_fr"]]


def vague_problems(doc: dict, glossary: dict) -> list[str]:
    """Level titles and texts that rest on unverifiable wording (a reflex, « significant », board visibility…)."""
    problems = []
    for language in ("fr", "en"):
        patterns = [re.compile(p, re.IGNORECASE) for p in glossary["vague_patterns"][language]]
        for path, text in level_texts(doc):
            problems += [f"{path}.{language}: /{p.pattern}/" for p in patterns if p.search(text[language])]
    return problems


# --------------------------------------------------------------------------- the shipped files pass


def test_version_1_0_is_unchanged():
    assert hashlib.sha256(V1.read_bytes()).hexdigest() == V1_SHA256


def test_2_0_has_the_schema_shape(bank):
    assert shape_problems(bank) == []
    assert bank["levels"] == load(V1)["levels"]
    assert bank["dimensions"][10]["title"] == D11_TITLE


def test_2_0_keeps_the_areas_and_the_keys_of_1_0(bank):
    old = load(V1)
    assert [d["area"] for d in bank["dimensions"][:10]] == [d["area"] for d in old["dimensions"]]
    new_keys = {q["key"] for _, q in questions(bank)}
    guidance = {q["key"]: q["guidance"]["en"] for _, q in questions(bank)}
    for _, question in questions(old):
        key = question["key"]
        if key not in new_keys:
            # A merged question says so to the facilitator, so a 1.0 → 2.0 comparison is read correctly.
            assert key in MERGED, f"{key} disappeared without being merged"
            assert key in guidance[MERGED[key]], f"{MERGED[key]} does not say it covers {key}"
    # RACI 2.0 (issue #17) adds activities and roles; 1.0's keep their meaning and their relative order.
    for part in ("activities", "roles"):
        kept = [item["key"] for item in old["raci"][part]]
        assert [item["key"] for item in bank["raci"][part] if item["key"] in kept] == kept, part


def test_2_0_context_extends_1_0(bank):
    old = {c["key"]: c for c in load(V1)["context"]}
    context = {c["key"]: c for c in bank["context"]}
    for key, question in old.items():
        assert [c["key"] for c in context[key]["choices"]] == [c["key"] for c in question["choices"]]
    for key, expected in NEW_CONTEXT.items():
        assert key in context, key
        if expected is not None:
            assert {c["key"] for c in context[key]["choices"]} == expected, key
    assert {c["key"]: c["scope"] for c in bank["context"] if c["scope"] != "round"} == {"respondent_role": "respondent"}


def test_2_0_conditions_and_short_form_refer_to_what_exists(bank):
    assert condition_problems(bank) == []
    assert any(q["not_applicable"] for _, q in questions(bank))
    assert any("listed" in v["when"] for _, q in questions(bank) for v in q["variants"])


def test_2_0_french_has_no_anglicism(bank, glossary):
    assert banned_problems(bank, glossary["banned_fr"], "anglicism") == []


def test_2_0_french_uses_the_glossary_terms(bank, glossary):
    assert banned_problems(bank, glossary_variants(glossary), "glossary variant") == []
    french = "\n".join(text["fr"] for _, text in texts(bank))
    english = "\n".join(text["en"] for _, text in texts(bank))
    for term in glossary["terms"]:
        assert phrase_pattern(term["fr"]).search(french), f"glossary term « {term['fr']} » is never used"
        assert phrase_pattern(term["en"]).search(english), f"glossary term {term['en']!r} is never used"


def test_the_glossary_document_lists_every_term(glossary):
    """docs/glossary.md is the human-readable copy: a term added to the JSON only would go unexplained."""
    document = GLOSSARY_DOC.read_text(encoding="utf-8")
    for term in glossary["terms"]:
        assert f"| {term['concept']} | {term['fr']} | {term['en']} |" in document, term["concept"]


def test_2_0_levels_describe_verifiable_practices(bank, glossary):
    assert vague_problems(bank, glossary) == []


def test_d3_1_top_level_keeps_the_seat_of_level_4(bank):
    """The review's non-monotonic step: 1.0 let a company reach D3.1 level 5 by downgrading its head of CX."""
    levels = next(q for _, q in questions(bank) if q["key"] == "D3.1")["levels"]
    assert "arbitrages" in levels[3]["text"]["fr"] and "arbitrages" in levels[4]["text"]["fr"]
    assert "decisions" in levels[4]["text"]["en"]


# --------------------------------------------------------------------------- each check fails on a bad document


def broken(bank: dict, change) -> dict:
    doc = copy.deepcopy(bank)
    change(doc)
    return doc


def first_level(doc: dict, number: int = 5) -> dict:
    return doc["dimensions"][0]["questions"][0]["levels"][number - 1]


def test_the_shape_check_fails_on_a_missing_evidence_a_long_title_an_extra_key_and_a_duplicate(bank):
    def change(doc):
        del first_level(doc, 2)["evidence"]["en"]
        first_level(doc, 3)["title"]["fr"] = "x" * (TITLE_MAX + 1)
        doc["dimensions"][1]["questions"][0]["changes"] = "not in the schema"
        doc["dimensions"][2]["questions"].pop()
        doc["dimensions"][3]["questions"][0]["key"] = "D1.1"

    problems = "\n".join(shape_problems(broken(bank, change)))
    assert "$.dimensions[0].questions[0].levels[1].evidence: expected non-empty French and English texts" in problems
    assert f"levels[2].title.fr: {TITLE_MAX + 1} characters" in problems
    assert "$.dimensions[1].questions[0]: keys ['changes'] differ from the schema" in problems
    assert "$.dimensions[2]: 4 questions, expected 5" in problems
    assert "$: question key D1.1 used twice" in problems


def test_the_condition_check_fails_on_an_unknown_choice_and_a_short_short_form(bank):
    def change(doc):
        doc["dimensions"][0]["questions"][0]["variants"] = [{"when": {"listed": ["maybe"]}, "text": {"fr": "?", "en": "?"}}]
        doc["dimensions"][0]["questions"][1]["not_applicable"] = {"when": {"size": ["small"]}, "reason": {"fr": "-", "en": "-"}}
        doc["short_form"]["questions"] = doc["short_form"]["questions"][:11]

    problems = "\n".join(condition_problems(broken(bank, change)))
    assert "variants[0].when.listed: ['maybe'] are not its choices" in problems
    assert "not_applicable.when: 'size' is not a context question" in problems
    assert "$.short_form.questions: expected 12 to 15" in problems


@pytest.mark.parametrize(
    "bad",
    [
        "Le CX est porté par le comité de direction.",
        "Le portefeuille est tenu dans un backlog partagé.",
        "La direction financière challenge les hypothèses du business case.",
        "Les décisions sont escaladées au comité ; un reporting mensuel suit.",
        "Le turnover est suivi dans le dashboard digital.",
    ],
)
def test_the_anglicism_check_fails_on_an_anglicism(bank, glossary, bad):
    doc = broken(bank, lambda doc: first_level(doc)["text"].update(fr=bad))
    assert banned_problems(doc, glossary["banned_fr"], "anglicism")


@pytest.mark.parametrize(
    "bad",
    [
        "Chaque parcours a un propriétaire de parcours nommé.",
        "Le pilote du parcours réunit les directions.",
        "Le CODIR examine le tableau de bord ; le DAF le relit.",
        "Le taux de rappel est suivi en regard de la durée moyenne de traitement.",
        "Les achats mystères sont menés chaque trimestre.",
    ],
)
def test_the_glossary_check_fails_on_a_replaced_variant(bank, glossary, bad):
    doc = broken(bank, lambda doc: doc["dimensions"][5]["questions"][1].update(guidance={"fr": bad, "en": "ok"}))
    assert banned_problems(doc, glossary_variants(glossary), "glossary variant")


@pytest.mark.parametrize(
    ("language", "bad"),
    [
        ("fr", "Boucler la boucle est un réflexe dans toutes les fonctions."),
        ("fr", "Les dirigeants tranchent naturellement à l'aune de l'impact client."),
        ("fr", "La part variable intègre un objectif client avec un poids significatif."),
        ("fr", "Le conseil d'administration revoit la performance client chaque année."),
        ("fr", "Aucun projet n'est financé sans démontrer l'expérience qu'il créera."),
        ("fr", "La valeur réalisée est certifiée par la direction financière."),
        ("en", "Closing the loop is second nature; teams act regularly."),
        ("en", "The CX dashboard reaches the board and investors."),
        ("en", "No project is approved without a customer-impact review."),
    ],
)
def test_the_vague_check_fails_on_unverifiable_wording(bank, glossary, language, bad):
    doc = broken(bank, lambda doc: first_level(doc)["text"].update({language: bad}))
    assert vague_problems(doc, glossary) == [
        p for p in vague_problems(doc, glossary) if p.startswith(f"$.dimensions[0].questions[0].levels[4].text.{language}")
    ]
    assert vague_problems(doc, glossary)


@pytest.mark.parametrize(
    "fine",
    [
        "Une règle écrite qualifie chaque écart de statistiquement significatif ou non.",
        "Les processus sont revus ; le responsable désigné rend compte au CXO.",
        "La plateforme de gestion de l'expérience (CXM) est rapprochée du CRM.",
    ],
)
def test_the_checks_leave_correct_french_alone(bank, glossary, fine):
    doc = broken(bank, lambda doc: first_level(doc)["text"].update(fr=fine))
    assert banned_problems(doc, glossary["banned_fr"] + glossary_variants(glossary), "any") == []
    assert vague_problems(doc, glossary) == []
