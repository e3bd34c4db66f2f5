"""The RACI proposal rules as data (roadmaps/rules/raci.toml): loaded, checked whole, refused with every problem named."""

from __future__ import annotations

import copy
import tomllib

import pytest

from roadmaps.domain.raci import check_rules
from roadmaps.domain.types import RaciRule, RaciRules, StageRule
from roadmaps.rules.loader import RULES_FILE, RaciRulesError, load_document, load_file, raci_rules


@pytest.fixture
def doc():
    return tomllib.loads(RULES_FILE.read_text(encoding="utf-8"))


def problems_of(doc) -> list[str]:
    with pytest.raises(RaciRulesError) as excinfo:
        load_document(doc)
    return excinfo.value.problems


def test_the_shipped_rules_load_with_both_tables_and_the_stage_rules():
    rules = raci_rules()
    assert load_file(RULES_FILE) == rules
    assert len(rules.with_cxo) == len(rules.without_cxo) == 27  # 1.0's 14 and the 13 cx-governance 2.0 adds
    assert rules.with_cxo["cx_strategy"] == RaciRule("cxo", ("ceo",), ("cmo", "cfo", "coo"), inform_others=True)
    assert rules.without_cxo["cx_strategy"] == RaciRule("ceo", ("coo",), ("cmo", "cfo", "chro"), inform_others=True)
    assert rules.with_cxo["close_the_loop"] == RaciRule("coo", ("service",), ("cxo", "product", "cio"))
    assert rules.weak_dimensions == (
        StageRule("D8", 2, "close_the_loop", "product"),
        StageRule("D6", 2, "journey_ownership", "service"),
    )
    assert check_rules(rules) == ()
    assert rules.stand_ins["cdo"] == ("cio",) and rules.stand_ins["legal"] == ()
    assert set(rules.stand_ins) == {
        "board",
        "cdo",
        "legal",
        "bu_heads",
        "quality",
        "transformation",
        "procurement",
        "journey_owners",
        "communication",
    }


def test_the_rules_of_1_0_activities_name_none_of_the_roles_2_0_added():
    """1.0 rounds must be proposed as before: their rules never meet a stand-in."""
    rules = raci_rules()
    old = list(rules.with_cxo)[:14]
    assert old[0] == "cx_strategy" and old[-1] == "cx_budget"
    for table in (rules.with_cxo, rules.without_cxo):
        for activity in old:
            rule = table[activity]
            assert not {rule.a, *rule.r, *rule.c} & set(rules.stand_ins), activity


def test_the_2_0_rules_use_the_new_roles_where_they_are_natural():
    rules = raci_rules()
    for table in (rules.with_cxo, rules.without_cxo):
        assert table["customer_data_consent"].a == "cdo" and "legal" in table["customer_data_consent"].c
        assert table["complaints_mediation"].a == "quality" and "legal" in table["complaints_mediation"].c
        assert table["incident_communication"].a == "communication"
        assert "procurement" in (table["partners_networks"].a, *table["partners_networks"].r)
    assert rules.with_cxo["improvement_portfolio"].a == "transformation"


def test_structure_problems_are_all_named_with_their_path(doc):
    doc["schema"] = "cxgov.raci-rules/2"
    doc["with_cxo"]["cx_budget"]["reason"] = "Because."
    doc["without_cxo"]["cx_budget"]["r"] = []
    doc["without_cxo"]["cx_budget"]["c"] = ["coo", 3]
    doc["without_cxo"]["omnichannel"]["owner"] = "coo"
    doc["weak_dimensions"][0]["at_most_stage"] = 7
    assert problems_of(doc) == [
        "schema: expected 'cxgov.raci-rules/1'",
        "with_cxo.cx_budget.reason: unknown field",  # the reasons are interface text (raci_messages)
        "without_cxo.omnichannel.owner: unknown field",  # file order: omnichannel comes before cx_budget
        "without_cxo.cx_budget.r: expected a non-empty list",
        "without_cxo.cx_budget.c[1]: expected a string",
        "weak_dimensions[0].at_most_stage: 7 is outside 1…5",
    ]


def test_rules_that_would_make_the_proposal_warn_are_refused(doc):
    broken = copy.deepcopy(doc)
    broken["with_cxo"]["cx_strategy"]["a"] = "cmo"
    broken["with_cxo"]["cx_strategy"]["c"] = ["cfo", "coo"]
    broken["with_cxo"]["cx_governance"]["c"] = ["coo", "cfo", "chro", "cmo", "cio"]
    broken["with_cxo"]["cx_budget"]["r"] = ["cxo", "cfo"]
    broken["without_cxo"]["cx_culture"]["r"] = ["cxo"]
    for activity in ("cx_metrics", "cx_dashboard"):
        broken["without_cxo"][activity]["a"] = "coo"
        broken["without_cxo"][activity]["r"] = ["cfo"]
        broken["without_cxo"][activity]["c"] = []
    assert problems_of(broken) == [
        "with_cxo.cx_strategy.a: the CX strategy cannot be accountable to 'cmo'",
        "with_cxo.cx_governance.c: 5 roles consulted, at most 4",
        "with_cxo.cx_budget: role 'cfo' is named more than once (A, R and C are exclusive)",
        "without_cxo.cx_culture: names 'cxo' in the table used when there is no CXO",
        "without_cxo: 'coo' is accountable for 6 activities, at most 4",
    ]


def test_a_cxo_without_a_or_r_and_a_repeated_stage_rule_are_refused():
    idle = RaciRules(
        with_cxo={"cx_strategy": RaciRule("ceo", ("coo",), ("cxo",))},
        without_cxo={},
        weak_dimensions=(StageRule("D8", 2, "close_the_loop", "product"), StageRule("D8", 1, "close_the_loop", "product")),
    )
    assert check_rules(idle) == (
        "with_cxo: the CXO holds no A and no R",
        "weak_dimensions[1]: repeats D8 → product on close_the_loop",
    )


def test_stand_ins_that_may_be_missing_or_would_overload_a_role_are_refused(doc):
    broken = copy.deepcopy(doc)
    broken["stand_ins"]["cdo"] = ["quality", "cxo"]  # quality may be missing too; cxo is absent without a CXO
    broken["stand_ins"]["transformation"] = ["coo"]  # coo already holds 4 A without a CXO
    broken["stand_ins"]["quality"] = []  # the CEO would take the A of complaints
    broken["without_cxo"]["complaints_mediation"].update(r=["journey_owners"], c=["legal"])
    assert problems_of(broken) == [
        "stand_ins.cdo: 'quality' may be missing too (stand-ins are roles every RACI has)",
        "stand_ins.cdo: 'cxo' cannot stand in (it is absent when there is no CXO)",
        "without_cxo.complaints_mediation: without the roles of stand_ins, no role does the work (at least one R)",
        # coo is the portfolio's R there: once it stands in for the A, only the journey owners are left to do the work.
        "without_cxo.improvement_portfolio: without the roles of stand_ins, no role does the work (at least one R)",
        "without_cxo: without the roles of stand_ins, 'ceo' is accountable for 5 activities, at most 4",  # complaints
        "without_cxo: without the roles of stand_ins, 'coo' is accountable for 5 activities, at most 4",  # the portfolio
    ]
    strategy = RaciRules(with_cxo={"cx_strategy": RaciRule("board", ("cxo",))}, without_cxo={}, stand_ins={"board": ("cmo",)})
    assert check_rules(strategy) == ("with_cxo.cx_strategy.a: without 'board', the CX strategy would be accountable to 'cmo'",)


def test_an_unreadable_or_malformed_file_is_refused(tmp_path):
    with pytest.raises(RaciRulesError, match="cannot read the file"):
        load_file(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text('schema = "cxgov.raci-rules/1"\n[with_cxo\n', encoding="utf-8")
    with pytest.raises(RaciRulesError, match="not valid TOML") as excinfo:
        load_file(bad)
    assert str(bad) in str(excinfo.value)
