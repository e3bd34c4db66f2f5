"""The RACI reason texts stored before roadmaps 0003 are frozen, and each reads back as its own code."""

import hashlib
import json

import pytest

from roadmaps.legacy_reasons import MESSAGES, RULES, WEAK_DIMENSIONS, code_of, texts_of, upgraded

# The digest of the tables as they were when 0003 ran. A change here means the texts were edited:
# stored cells, old exports and the migration would stop reading them. Never update this value.
FROZEN_DIGEST = "4be767c1e809f88a1e62d314d980179ca113ccf81abede228a312005890d1b93"


def test_the_legacy_texts_are_frozen():
    tables = {
        "messages": MESSAGES,
        "rules": [[list(key), list(texts)] for key, texts in RULES.items()],
        "weak": [[list(key), list(texts)] for key, texts in WEAK_DIMENSIONS.items()],
    }
    digest = hashlib.sha256(json.dumps(tables, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
    assert digest == FROZEN_DIGEST, "roadmaps/legacy_reasons.py holds the texts stored before 0003: never edit them"


CODES = [
    ("no_rule", {}),
    ("consulted", {}),
    ("informed", {}),
    ("manual", {}),
    ("fallback", {"intended": "coo", "taken_by": "ceo", "letter": "A"}),
    ("reports_to", {"role": "chro"}),
    ("handover", {"role": "cmo"}),
    *[("weak_dimension", {"dimension": d, "activity": a, "role": r, "stage": 2}) for d, a, r in WEAK_DIMENSIONS],
]


@pytest.mark.parametrize(("code", "params"), CODES, ids=[c for c, _p in CODES])
def test_each_stored_text_reads_back_as_its_code(code, params):
    _fr, en = texts_of(code, params)
    assert en
    assert code_of(en, params.get("activity", "cx_budget"), True) == (code, params)


@pytest.mark.parametrize(("table", "activity"), list(RULES))
def test_each_rule_text_reads_back_as_its_rule_given_the_round(table, activity):
    _fr, en = texts_of("rule", {"table": table, "activity": activity})
    assert code_of(en, activity, table == "with_cxo") == ("rule", {"table": table, "activity": activity})


def test_an_old_row_gets_the_code_and_loses_the_texts():
    fr, en = texts_of("manual", {})
    row = {"activity": "cx_budget", "role": "cio", "letter": "C", "reason_fr": fr, "reason_en": en}
    assert upgraded(row, cxo_exists=None) == {
        "activity": "cx_budget",
        "role": "cio",
        "letter": "C",
        "reason_code": "manual",
        "reason_params": {},
    }
    assert upgraded({**row, "reason_en": "Anything else."}, cxo_exists=True)["reason_code"] == ""
    assert "reason_en" in row  # the caller's row is left alone
