"""How the RACI's codes read (roadmaps/raci_messages.py): one message per code, in the active language.

Messages go through gettext (docs/adr/0003), French from locale/fr: the wording is checked in
English here, French only for being there; activity and role titles are content, in both.
"""

from __future__ import annotations

import pytest
from django.utils import translation

from roadmaps import raci_messages as rm
from roadmaps.domain.raci import MANUAL, REASON_CODES, VIOLATION_CODES, propose_to_be, validate
from roadmaps.domain.types import Reason, Violation
from roadmaps.rules.loader import raci_rules

LABELS = {
    "cx_budget": {"fr": "Budget CX", "en": "CX budget"},
    "cx_strategy": {"fr": "Vision et stratégie CX", "en": "CX vision and strategy"},
    "ceo": {"fr": "DG", "en": "CEO"},
    "cfo": {"fr": "DAF", "en": "CFO"},
    "cmo": {"fr": "Marketing", "en": "Marketing"},
}

# One violation per code, as validate returns it, and its English message with LABELS.
VIOLATIONS = {
    "no_accountable": (
        Violation("error", "no_accountable", "cx_budget", None),
        "No role is accountable (A) for the activity “CX budget”: it needs exactly one.",
    ),
    "multiple_accountable": (
        Violation("error", "multiple_accountable", "cx_budget", None, {"count": 2, "roles": ("ceo", "cfo")}),
        "The activity “CX budget” has 2 accountable roles (A) (CEO, CFO): only one should answer for it.",
    ),
    "no_responsible": (
        Violation("error", "no_responsible", "cx_budget", None),
        "Nobody is responsible (R) for the activity “CX budget”: name at least one role that does the work.",
    ),
    "too_many_consulted": (
        Violation("warning", "too_many_consulted", "cx_budget", None, {"count": 5, "limit": 4}),
        "The activity “CX budget” consults 5 roles (more than 4): decisions risk getting bogged down.",
    ),
    "strategy_owner_not_cx": (
        Violation("warning", "strategy_owner_not_cx", "cx_strategy", "cmo"),
        "The CX strategy is owned by “Marketing”: CX is neither customer support nor marketing. "
        "Give it to the CXO or, failing that, to the CEO.",
    ),
    "role_overloaded": (
        Violation("warning", "role_overloaded", None, "cfo", {"count": 5, "limit": 4}),
        "The role “CFO” is accountable (A) for 5 activities (more than 4): spread the accountability.",
    ),
    "cxo_idle": (
        Violation("warning", "cxo_idle", None, "cxo"),
        "A CXO is in place but is neither accountable (A) nor responsible (R) for any activity: the role is still undefined.",
    ),
}

REASONS = {
    "no_rule": (Reason("no_rule"), "No rule for this activity: the CEO holds it until the committee decides."),
    "fallback": (
        Reason("fallback", {"intended": "coo", "taken_by": "ceo", "letter": "A"}),
        "The intended role (coo) is not in this RACI: ceo takes the A meanwhile.",
    ),
    "consulted": (Reason("consulted"), "Consulted: their function is directly affected by this activity."),
    "informed": (Reason("informed"), "Informed: the whole executive committee follows this activity."),
    "reports_to": (Reason("reports_to", {"role": "chro"}), "The CXO reports to chro: consulted on CX strategy and steering."),
    "handover": (
        Reason("handover", {"role": "sales"}),
        "Respondents see sales as accountable today: consulted during the handover.",
    ),
    "named_responsible": (
        Reason("named_responsible", {"role": "cio", "count": 3, "respondents": 4}),
        "Most respondents who answered name cio as responsible (R) today: it keeps doing the work.",
    ),
    "manual": (MANUAL, "Set by hand by the facilitator."),
    "rule": (
        Reason("rule", {"table": "without_cxo", "activity": "cx_strategy"}),
        "No CXO yet: the CEO holds CX strategy until one is appointed; the COO prepares it.",
    ),
    "weak_dimension": (
        Reason("weak_dimension", {"dimension": "D8", "activity": "close_the_loop", "role": "product", "stage": 2}),
        "Acting on insight is still weak (stage 2): fixing pain points needs product changes, not only case-by-case recovery.",
    ),
}


def test_every_code_the_domain_can_emit_has_a_message():
    assert set(rm.VIOLATION_MESSAGES) == set(VIOLATION_CODES) == set(VIOLATIONS)
    # "rule" and "weak_dimension" read the rules file; "manual" is the services' own code.
    assert set(rm.REASON_MESSAGES) | {"rule", "weak_dimension"} == {*REASON_CODES, MANUAL.code} == set(REASONS)


def test_every_rule_of_the_rules_file_has_its_reason_and_every_reason_its_rule():
    rules = raci_rules()
    assert set(rm.RULE_REASONS) == {
        (table, activity) for table in ("with_cxo", "without_cxo") for activity in rules.table(table == "with_cxo")
    }
    assert set(rm.WEAK_DIMENSION_REASONS) == {(s.dimension, s.activity, s.role) for s in rules.weak_dimensions}


@pytest.mark.parametrize("code", VIOLATION_CODES)
def test_each_violation_reads_as_before_in_english(code):
    violation, expected = VIOLATIONS[code]
    with translation.override("en"):
        assert rm.violation_message(violation, LABELS) == expected
    texts = rm.violation_texts(violation, LABELS)
    assert list(texts) == ["fr", "en"] and texts["en"] == expected and texts["fr"]


def test_a_key_without_a_title_names_itself_and_labels_follow_the_language():
    violation = Violation("error", "no_accountable", "new_activity", None)
    with translation.override("en"):
        assert "“new_activity”" in rm.violation_message(violation)
    multiple = Violation("error", "multiple_accountable", "cx_budget", None, {"count": 2, "roles": ("ceo", "cfo")})
    with translation.override("fr"):
        assert "(DG, DAF)" in rm.violation_message(multiple, LABELS)  # French titles, whatever the catalogue holds


def test_labels_of_takes_the_titles_and_a_single_language_role_title_serves_both():
    class Item:
        def __init__(self, key, fr, en):
            self.key, self.title_fr, self.title_en = key, fr, en

    labels = rm.labels_of([Item("cx_budget", "Budget CX", "CX budget")], [Item("brand", "", "Brand"), Item("ceo", "DG", "CEO")])
    assert labels == {
        "cx_budget": {"fr": "Budget CX", "en": "CX budget"},
        "brand": {"fr": "Brand", "en": "Brand"},
        "ceo": {"fr": "DG", "en": "CEO"},
    }


@pytest.mark.parametrize("code", sorted(REASONS))
def test_each_reason_reads_as_before_in_english(code):
    reason, expected = REASONS[code]
    with translation.override("en"):
        assert rm.reason_text(reason) == expected
    texts = rm.reason_texts(reason)
    assert list(texts) == ["fr", "en"] and texts["en"] == expected and texts["fr"]


def test_a_stored_cell_without_a_reason_or_whose_rule_has_gone_reads_as_nothing():
    class Cell:
        reason_code, reason_params = "", {}

    assert rm.cell_reason(Cell()) == Reason("", {})
    assert rm.reason_texts(rm.cell_reason(Cell())) == {"fr": "", "en": ""}
    assert rm.reason_text(Reason("rule", {"table": "with_cxo", "activity": "retired_activity"})) == ""
    assert rm.reason_text(Reason("retired_code")) == ""
    with translation.override("en"):
        assert rm.reason_text(
            Reason("weak_dimension", {"dimension": "D6", "activity": "journey_ownership", "role": "service", "stage": 1})
        ).startswith("Journey management is still weak (stage 1): customer service")


def test_every_reason_and_violation_of_real_proposals_renders_in_both_languages():
    activities = [*raci_rules().with_cxo, "new_activity"]
    roles = ["ceo", "cxo", "cmo", "cfo", "sales", "service", "product"]  # coo, chro, cio hidden: fallbacks
    for cxo_exists in (True, False):
        proposal = propose_to_be(activities, roles, cxo_exists, "cmo", (), {"D8": 1, "D6": 2}, raci_rules())
        codes = {cell.reason.code for cell in proposal}
        assert {"rule", "no_rule", "fallback", "weak_dimension"} <= codes
        for cell in proposal:
            texts = rm.reason_texts(cell.reason)
            assert texts["fr"] and texts["en"] and "%(" not in texts["fr"] + texts["en"]
    found = validate({("cx_budget", "cmo"): "A", ("cx_strategy", "cmo"): "A"}, activities, roles, True)
    assert {v.code for v in found} >= {"no_accountable", "no_responsible", "strategy_owner_not_cx", "cxo_idle"}
    for violation in found:
        texts = rm.violation_texts(violation, LABELS)
        assert texts["fr"] and texts["en"] and "%(" not in texts["fr"] + texts["en"]
