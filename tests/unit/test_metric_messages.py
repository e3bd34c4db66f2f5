"""How the KPI register's codes and keys read (measurement/presentation.py): gettext, one message per code.

Each error is raised by the domain itself, so a message naming a parameter the domain does not
give fails here. The French catalogue is the lead's to merge: the wording is checked in English.
"""

from __future__ import annotations

import pytest
from django.utils import translation

from measurement.domain import metrics as m
from measurement.presentation import ERROR_MESSAGES, METRIC_LABELS, metric_error_text, metric_label

# How to make the domain raise each code, and the English it reads as.
RAISED = {
    "bad_period": (
        lambda: m.parse_period("2026-13"),
        "Period must be YYYY-MM or YYYY-Qn (quarter n from 1 to 4); got '2026-13'.",
    ),
    "unknown_metric": (
        lambda: m.check_metric("ebitda"),
        "Unknown metric 'ebitda'; expected one of: " + ", ".join(m.ALL_METRICS) + ".",
    ),
    "metric_not_raw": (
        lambda: m.validate_score("churn_rate", 3),
        "Metric 'churn_rate' cannot be imported as raw responses; only nps, csat, ces, fcr can.",
    ),
    "not_a_number": (lambda: m.validate_score("nps", "abc"), "'abc' is not a number."),
    "score_not_integer": (lambda: m.validate_score("nps", "3.5"), "A nps score must be a whole number; got '3.5'."),
    "score_out_of_range": (lambda: m.validate_score("csat", 7), "A csat score must be between 1 and 5; got '7'."),
    "bad_count": (lambda: m.nps_from_counts(-1, 0, 1), "A count must be a whole number, zero or more; got '-1'."),
    "count_exceeds_total": (lambda: m.wilson_interval(5, 3), "5 successes cannot exceed the 3 responses."),
    "empty_sample": (lambda: m.nps_from_counts(0, 0, 0), "There are no responses; at least one is needed."),
    "bad_ces_scale": (lambda: m.ces_from_scores([1], scale=9), "The CES scale must be 1–5 or 1–7 (give 5 or 7); got '9'."),
    "ces_scale_required": (lambda: m.validate_score("ces", 3), "CES responses need their scale (1–5 or 1–7)."),
    "bad_window": (
        lambda: m.fcr_from_scores([1], window_days=0),
        "The re-contact window must be a whole number of days, 1 or more; got '0'.",
    ),
    "fcr_window_required": (
        lambda: m.RawResponseAggregator().feed("fcr", "2026-Q1", 1),
        "FCR responses need their re-contact window in days.",
    ),
    "negative_standard_error": (lambda: m.is_noise(1, -2, 1), "A standard error cannot be negative; got '-2'."),
    "no_standard_error": (
        lambda: m.change_is_noise(m.ces_from_scores([3], scale=5), m.ces_from_scores([3, 4], scale=5)),
        "At least two responses are needed for a standard error.",
    ),
}


def test_every_error_code_has_a_message_and_every_metric_a_label():
    assert set(ERROR_MESSAGES) == set(m.ERROR_CODES) == set(RAISED)
    assert set(METRIC_LABELS) == set(m.ALL_METRICS)


@pytest.mark.parametrize("code", m.ERROR_CODES)
def test_each_error_raised_by_the_domain_reads_as_before_in_english(code):
    raise_it, expected = RAISED[code]
    with pytest.raises(m.MetricError) as excinfo:
        raise_it()
    assert excinfo.value.code == code
    with translation.override("en"):
        assert metric_error_text(excinfo.value) == expected
    with translation.override("fr"):
        assert metric_error_text(excinfo.value)  # no missing parameter in either language


def test_metric_labels_are_the_canonical_english_names():
    with translation.override("en"):
        assert metric_label("nps") == "Net Promoter Score (NPS)"
        assert metric_label("fcr") == "First-contact resolution (FCR)"
        assert metric_label("churn_rate") == "Churn rate"
        assert metric_label("referral_revenue") == "Referral revenue"
    with translation.override("fr"):
        assert all(metric_label(key) for key in m.ALL_METRICS)
