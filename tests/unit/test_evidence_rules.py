"""The evidence rules' loader (measurement/evidence_rules.py): the shipped files load, and every
kind of mistake is refused, each named with its path, all at once (issue #18)."""

import copy
import tomllib

import pytest

from measurement import evidence_rules
from measurement.domain.claims import FinancialLinkRequirement, MetricRequirement
from measurement.evidence_rules import RULES_DIR, FrameworkKeys, RulesError, load, parse, rules_file, shipped_keys

from .test_framework_content import GLOSSARY, banned_problems, glossary_variants
from .test_framework_content import load as load_json

KEYS = FrameworkKeys({"D7.2": "D7", "D7.3": "D7", "D10.1": "D10"}, frozenset({"D7", "D10"}))

GOOD = {
    "schema": "cxgov.evidence-rules/1",
    "framework": "cx-governance",
    "version": "2.0",
    "window_months": 12,
    "requirements": {
        "relationship": {
            "kind": "metric",
            "metrics": ["nps"],
            "explanation": {"fr": "un NPS avec sa taille d'échantillon", "en": "an NPS with its sample size"},
        },
        "trend": {
            "kind": "metric",
            "metrics": ["nps", "csat"],
            "periods": 2,
            "explanation": {"fr": "deux périodes", "en": "two periods"},
        },
        "link": {
            "kind": "financial_link",
            "drivers": ["nps"],
            "financial": ["retention_rate"],
            "explanation": {"fr": "un lien financier", "en": "a financial link"},
        },
    },
    "questions": {"D7.3": {"3": ["relationship"], "4": ["trend", "link"]}, "D10.1": {"3": ["link"]}},
    "dimensions": {"D7": {"kpis": ["nps", "csat"]}},
}


def problems_of(change) -> list[str]:
    doc = copy.deepcopy(GOOD)
    change(doc)
    with pytest.raises(RulesError) as refused:
        parse(doc, keys=KEYS)
    return refused.value.problems


def test_a_good_document_gives_the_domain_its_rules():
    loaded = parse(GOOD, keys=KEYS)
    rule = loaded.rules.rule("D7.3")
    assert rule.dimension == "D7"
    assert rule.at(3) == (MetricRequirement("relationship", ("nps",)),)
    assert rule.at(4)[1] == FinancialLinkRequirement("link", ("nps",), ("retention_rate",))
    assert loaded.rules.dimension_kpis == {"D7": ("nps", "csat")}
    assert loaded.explanation("trend", "en") == "two periods"
    assert loaded.explanation("trend", "fr") == "deux périodes"


@pytest.mark.parametrize("version", ["1.0", "2.0"])
def test_the_shipped_rules_load_against_the_shipped_framework(version):
    loaded = load(rules_file("cx-governance", version), keys=shipped_keys("cx-governance", version))
    keys = {r.question for r in loaded.rules.questions}
    # At least the measurement dimension, the CX-to-finance questions and listening (D5.1).
    assert {"D7.1", "D7.2", "D7.3", "D7.5", "D10.1", "D10.2", "D5.1"} <= keys
    assert set(loaded.rules.dimension_kpis) == {"D5", "D7", "D10"}
    # The example: D7.3 at 3 needs NPS and a transactional metric with sample sizes; at 4 two periods and a link.
    at3, at4 = loaded.rules.rule("D7.3").at(3), loaded.rules.rule("D7.3").at(4)
    assert {r.metrics for r in at3} == {("nps",), ("csat", "ces", "fcr")} and all(r.sample_size for r in at3)
    assert {getattr(r, "periods", 1) for r in at4 if isinstance(r, MetricRequirement)} == {2}
    assert any(isinstance(r, FinancialLinkRequirement) for r in at4)
    assert any(isinstance(r, FinancialLinkRequirement) for r in loaded.rules.rule("D10.1").at(3))


@pytest.mark.django_db
def test_the_shipped_rules_load_against_the_imported_framework():
    from assessments.models import Framework

    framework = Framework.objects.get(key="cx-governance", version="2.0")
    loaded = evidence_rules.rules_for(framework)
    assert loaded is not None and loaded.version == "2.0"
    assert loaded.rules.rule("D7.3").dimension == "D7"
    assert evidence_rules.rules_for(framework) is loaded  # cached while the file is unchanged


@pytest.mark.django_db
def test_without_keys_the_framework_named_in_the_file_is_read():
    assert parse(GOOD).framework == "cx-governance"
    doc = {**GOOD, "questions": {"D99.1": {"3": ["relationship"]}}}
    with pytest.raises(RulesError) as refused:
        parse(doc)
    assert any(p.startswith('$.questions."D99.1": unknown question') for p in refused.value.problems)


@pytest.mark.parametrize("version", ["1.0", "2.0"])
def test_the_shipped_french_has_no_anglicism_and_follows_the_glossary(version):
    doc = tomllib.loads(rules_file("cx-governance", version).read_text(encoding="utf-8"))
    glossary = load_json(GLOSSARY)
    assert banned_problems(doc, glossary["banned_fr"], "anglicism") == []
    assert banned_problems(doc, glossary_variants(glossary), "glossary variant") == []


def test_only_the_shipped_files_are_rules():
    assert {p.name for p in RULES_DIR.glob("*.toml")} == {
        "evidence-cx-governance-1.0.toml",
        "evidence-cx-governance-2.0.toml",
    }
    assert rules_file("cx-governance", "9.9") is None
    assert rules_file("../cx-governance", "2.0") is None


# --------------------------------------------------------------------------- refusals


def test_an_unknown_metric_is_refused():
    def change(doc):
        doc["requirements"]["trend"]["metrics"] = ["nps", "nsp"]
        doc["dimensions"]["D7"]["kpis"] = ["happiness"]

    problems = problems_of(change)
    assert any(p.startswith("$.requirements.trend.metrics[1]: unknown metric 'nsp'") for p in problems)
    assert any(p.startswith("$.dimensions.D7.kpis[0]: unknown metric 'happiness'") for p in problems)


def test_a_link_to_something_that_is_not_a_financial_kpi_is_refused():
    def change(doc):
        doc["requirements"]["link"]["financial"] = ["csat"]
        doc["requirements"]["link"]["drivers"] = ["response_time"]

    problems = problems_of(change)
    assert "$.requirements.link.financial[0]: 'csat' is not a financial KPI" in problems
    assert "$.requirements.link.drivers[0]: 'response_time' is not a driver of the KPI tree" in problems


def test_a_link_the_kpi_tree_does_not_draw_is_refused():
    problems = problems_of(lambda doc: doc["requirements"]["link"].update(drivers=["ces"], financial=["retention_rate"]))
    assert problems == ["$.requirements.link: the KPI tree links none of these drivers to any of these financial KPIs"]


def test_a_sample_size_asked_of_a_financial_kpi_is_refused():
    problems = problems_of(lambda doc: doc["requirements"]["trend"].update(metrics=["nps", "churn_rate"]))
    assert problems == [
        "$.requirements.trend.metrics[1]: a financial KPI (churn_rate) has no sample size: set sample_size = false"
    ]


@pytest.mark.parametrize("level", ["6", "0", "three", "-1"])
def test_an_unknown_level_is_refused(level):
    problems = problems_of(lambda doc: doc["questions"]["D7.3"].update({level: ["relationship"]}))
    assert problems == [f'$.questions."D7.3".{level}: unknown level {level!r} (levels are 1–5)']


def test_level_1_needs_no_evidence():
    problems = problems_of(lambda doc: doc["questions"]["D7.3"].update({"1": ["relationship"]}))
    assert problems == ['$.questions."D7.3".1: level 1 is the floor: it needs no evidence']


def test_an_unknown_question_or_dimension_is_refused():
    def change(doc):
        doc["questions"]["D7.9"] = {"3": ["relationship"]}
        doc["dimensions"]["D12"] = {"kpis": ["nps"]}

    problems = problems_of(change)
    assert "$.questions.\"D7.9\": unknown question 'D7.9' in cx-governance 2.0" in problems
    assert "$.dimensions.D12: unknown dimension 'D12' in cx-governance 2.0" in problems


def test_an_undefined_or_unused_requirement_is_refused():
    def change(doc):
        doc["questions"]["D10.1"] = {"3": ["linkk"]}

    problems = problems_of(change)
    assert "$.questions.\"D10.1\".3[0]: unknown requirement 'linkk'" in problems
    assert problems_of(lambda doc: doc["requirements"].update(spare=copy.deepcopy(GOOD["requirements"]["link"]))) == [
        "$.requirements.spare: defined but no question uses it"
    ]


def test_an_explanation_must_be_bilingual():
    problems = problems_of(lambda doc: doc["requirements"]["relationship"].update(explanation={"fr": "un NPS", "de": "ein NPS"}))
    assert problems == [
        "$.requirements.relationship.explanation.de: unknown key",
        "$.requirements.relationship.explanation.en: missing: a non-empty text",
    ]


def test_unknown_keys_kinds_and_values_are_refused():
    def change(doc):
        doc["colour"] = "blue"
        doc["schema"] = "cxgov.evidence-rules/9"
        doc["window_months"] = 0
        doc["requirements"]["relationship"]["sample"] = True
        doc["requirements"]["trend"]["periods"] = 13
        doc["requirements"]["link"]["kind"] = "finance"
        doc["dimensions"]["D7"]["weight"] = 2

    problems = problems_of(change)
    assert "$.colour: unknown key" in problems
    assert "$.schema: expected 'cxgov.evidence-rules/1', got 'cxgov.evidence-rules/9'" in problems
    assert "$.window_months: expected a whole number from 1 to 60, got 0" in problems
    assert "$.requirements.relationship.sample: unknown key" in problems
    assert "$.requirements.trend.periods: expected a whole number from 1 to 12, got 13" in problems
    assert "$.requirements.link.kind: expected one of metric, financial_link, got 'finance'" in problems
    assert "$.dimensions.D7.weight: unknown key" in problems


def test_every_problem_is_named_at_once_and_a_file_is_named_in_each(tmp_path):
    path = tmp_path / "evidence-cx-governance-2.0.toml"
    text = rules_file("cx-governance", "2.0").read_text(encoding="utf-8")
    text = text.replace('metrics = ["nps"]\n', 'metrics = ["nsp"]\n', 1).replace('[questions."D7.2"]', '[questions."D7.99"]')
    text = text.replace('3 = ["customer_metric_sampled"]\n4 = ["customer_metric_trend"]', '7 = ["customer_metric_trend"]')
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RulesError) as refused:
        load(path, keys=shipped_keys("cx-governance", "2.0"))
    problems = refused.value.problems
    assert len(problems) >= 3
    assert all(p.startswith("evidence-cx-governance-2.0.toml#$.") for p in problems)
    assert any("unknown metric 'nsp'" in p for p in problems)
    assert any("unknown question 'D7.99'" in p for p in problems)
    assert any("unknown level '7'" in p for p in problems)


def test_a_file_that_is_not_toml_is_refused(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("schema = \n", encoding="utf-8")
    with pytest.raises(RulesError, match="broken.toml: not a readable TOML file"):
        load(path, keys=KEYS)


@pytest.mark.django_db
def test_an_unknown_framework_is_refused():
    with pytest.raises(RulesError) as refused:
        parse({**GOOD, "framework": "no-such-bank"})
    assert "$.framework: unknown framework no-such-bank 2.0" in refused.value.problems
