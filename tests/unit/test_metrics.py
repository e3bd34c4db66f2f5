"""Unit tests of the KPI register statistics (measurement.domain.metrics)."""

import ast
import math
import statistics
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from measurement.domain import metrics as m
from measurement.domain.metrics import MetricError, Period

PROPERTY = settings(max_examples=100, deadline=None)


def code_of(excinfo: pytest.ExceptionInfo[MetricError]) -> str:
    return excinfo.value.code


def test_metric_keys_match_the_product_spec():
    assert m.CX_METRICS == ("nps", "csat", "ces", "fcr", "response_time")
    assert m.FINANCIAL_METRICS == (
        "retention_rate",
        "churn_rate",
        "repeat_purchase_rate",
        "renewal_rate",
        "cost_per_contact",
        "cost_to_serve",
        "revenue_per_customer",
        "referral_revenue",
    )
    assert tuple(m.METRICS) == m.ALL_METRICS


def test_kpi_tree_links_cx_metrics_to_financial_ones():
    assert dict(m.KPI_TREE) == {
        "nps": ("retention_rate", "referral_revenue"),
        "csat": ("repeat_purchase_rate", "renewal_rate"),
        "ces": ("cost_per_contact", "churn_rate"),
        "fcr": ("cost_to_serve",),
    }
    for cx, financial in m.KPI_TREE.items():
        assert m.METRICS[cx].kind == "cx"
        assert all(m.METRICS[key].kind == "financial" for key in financial)


def test_every_metric_has_a_kind_and_a_unit():
    for key, info in m.METRICS.items():
        assert info.key == key
        assert info.kind in ("cx", "financial")
    assert m.METRICS["nps"].unit == "points"
    assert m.METRICS["csat"].unit == "percent"
    assert m.METRICS["ces"].unit == "score"
    assert m.METRICS["response_time"].unit == "seconds"
    assert m.METRICS["cost_per_contact"].unit == "currency"


def test_unknown_metric_is_rejected():
    with pytest.raises(MetricError) as excinfo:
        m.check_metric("ebitda")
    assert code_of(excinfo) == "unknown_metric"
    assert excinfo.value.params["expected"] == ", ".join(m.ALL_METRICS)


def test_error_is_a_value_error_with_a_code_and_its_parameters():
    with pytest.raises(ValueError, match="2026-13") as excinfo:
        m.parse_period("2026-13")
    error = excinfo.value
    assert isinstance(error, MetricError)
    assert error.code == "bad_period"
    assert error.params == {"value": "2026-13"}
    assert str(error) == "bad_period: value='2026-13'"  # for logs; the words are measurement.presentation's
    assert str(MetricError("empty_sample")) == "empty_sample"


def test_an_error_code_outside_the_list_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown MetricError code"):
        MetricError("no_such_code")
    assert len(set(m.ERROR_CODES)) == len(m.ERROR_CODES)


def test_domain_module_imports_only_the_standard_library():
    source = Path(m.__file__).read_text(encoding="utf-8")
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    allowed = {
        "__future__",
        "collections",
        "dataclasses",
        "decimal",
        "fractions",
        "functools",
        "math",
        "numbers",
        "re",
        "types",
        "typing",
    }
    assert imported <= allowed


def test_parse_month_and_quarter():
    month = m.parse_period("2026-03")
    quarter = m.parse_period("2026-Q3")
    assert (month.year, month.kind, month.number) == (2026, "month", 3)
    assert (quarter.year, quarter.kind, quarter.number) == (2026, "quarter", 3)
    assert str(month) == "2026-03"
    assert str(quarter) == "2026-Q3"
    assert (quarter.first_month, quarter.last_month) == (7, 9)
    assert m.parse_period(quarter) is quarter


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2026",
        "2026-13",
        "2026-00",
        "2026-1",
        "2026-Q0",
        "2026-Q5",
        "2026-q1",
        "26-01",
        "2026/01",
        " 2026-01",
        "2026-01 ",
        "2026-Q1-01",
        "0000-01",
        "\uff12\uff10\uff12\uff16-01",
        "2026-S1",
        "2026-T1",
        "2026-Q1\n",
    ],
)
def test_bad_period_is_rejected(text):
    with pytest.raises(MetricError) as excinfo:
        m.parse_period(text)
    assert code_of(excinfo) == "bad_period"


def test_non_text_period_is_rejected():
    with pytest.raises(MetricError) as excinfo:
        m.parse_period(202601)  # type: ignore[arg-type]
    assert code_of(excinfo) == "bad_period"


def test_period_ordering_is_chronological_with_quarter_before_its_months():
    texts = ["2026-02", "2025-12", "2026-Q1", "2026-01", "2025-Q4", "2026-04", "2026-Q2"]
    ordered = sorted(m.parse_period(t) for t in texts)
    assert [str(p) for p in ordered] == [
        "2025-Q4",
        "2025-12",
        "2026-Q1",
        "2026-01",
        "2026-02",
        "2026-Q2",
        "2026-04",
    ]
    assert sorted(texts, key=lambda t: m.parse_period(t).sort_key()) == [str(p) for p in ordered]


def test_previous_period_of_the_same_kind():
    assert str(m.parse_period("2026-01").previous()) == "2025-12"
    assert str(m.parse_period("2026-07").previous()) == "2026-06"
    assert str(m.parse_period("2026-Q1").previous()) == "2025-Q4"
    assert str(m.parse_period("2026-Q3").previous()) == "2026-Q2"


def test_previous_period_among_recorded_ones():
    recorded = ["2025-Q4", "2026-Q1", "2026-02", "2026-03", "2026-Q3"]
    assert str(m.previous_period("2026-Q3", recorded)) == "2026-Q1"
    assert str(m.previous_period("2026-04", recorded)) == "2026-03"
    assert m.previous_period("2025-Q4", recorded) is None
    assert m.previous_period("2026-01", recorded) is None


@PROPERTY
@given(year=st.integers(2, 9999), kind=st.sampled_from(["month", "quarter"]), data=st.data())
def test_period_round_trips_and_previous_sorts_first(year, kind, data):
    number = data.draw(st.integers(1, 12 if kind == "month" else 4))
    period = Period(year, kind, number)
    assert m.parse_period(str(period)) == period
    assert period.previous() < period
    assert period.previous().kind == kind


def test_nps_worked_example():
    result = m.nps_from_counts(86, 97, 57)
    assert result.n == 240
    assert result.value == Fraction(29 * 100, 240)
    assert m.export_round(result.value) == Decimal("12.08")
    assert m.export_round(result.margin_of_error) == Decimal("9.65")
    assert float(result.standard_error) == pytest.approx(float(result.margin_of_error) / 1.96, rel=1e-15)
    assert abs(result.margin_of_error - Decimal("9.6455155935188252027091837403579")) < Decimal("1e-30")
    assert result.export_fields() == {
        "value": Decimal("12.08"),
        "n": 240,
        "margin_of_error": Decimal("9.65"),
        "promoters": 86,
        "passives": 97,
        "detractors": 57,
    }


def test_nps_from_scores_buckets_answers():
    scores = [10] * 40 + [9] * 46 + [8] * 50 + [7] * 47 + [6] * 20 + [0] * 37
    assert m.nps_from_scores(scores) == m.nps_from_counts(86, 97, 57)
    assert m.nps_from_scores(["10", "7", "6"]) == m.nps_from_counts(1, 1, 1)


def test_nps_table_of_the_research_note():
    # p = .5, d = .2 with n = 100 gives about ±15; worst case p = d = .5 about ±20.
    assert round(float(m.nps_from_counts(50, 30, 20).margin_of_error)) == 15
    assert round(float(m.nps_from_counts(50, 0, 50).margin_of_error)) == 20


@pytest.mark.parametrize("score", [11, -1, 9.5, "9,5", "abc", True, None, float("nan")])
def test_nps_rejects_bad_scores(score):
    with pytest.raises(MetricError) as excinfo:
        m.nps_from_scores([9, score])
    assert code_of(excinfo) in {"score_out_of_range", "score_not_integer", "not_a_number"}


def test_nps_error_codes_are_specific():
    with pytest.raises(MetricError) as excinfo:
        m.nps_from_scores([11])
    assert code_of(excinfo) == "score_out_of_range"
    assert excinfo.value.params == {"metric": "nps", "low": "0", "high": "10", "value": "11"}
    with pytest.raises(MetricError) as excinfo:
        m.nps_from_scores([8.5])
    assert code_of(excinfo) == "score_not_integer"


def test_nps_needs_responses_and_valid_counts():
    with pytest.raises(MetricError) as excinfo:
        m.nps_from_counts(0, 0, 0)
    assert code_of(excinfo) == "empty_sample"
    with pytest.raises(MetricError) as excinfo:
        m.nps_from_counts(1, -1, 3)
    assert code_of(excinfo) == "bad_count"
    with pytest.raises(MetricError):
        m.nps_from_scores([])


counts3 = st.tuples(st.integers(0, 10_000), st.integers(0, 10_000), st.integers(0, 10_000)).filter(lambda c: sum(c) > 0)


@PROPERTY
@given(counts3)
def test_nps_lies_between_minus_and_plus_100(counts):
    result = m.nps_from_counts(*counts)
    assert -100 <= result.value <= 100
    assert result.margin_of_error >= 0


@PROPERTY
@given(counts3, st.integers(2, 50))
def test_nps_margin_does_not_grow_with_more_of_the_same_answers(counts, k):
    small = m.nps_from_counts(*counts)
    large = m.nps_from_counts(*(k * c for c in counts))
    assert large.value == small.value
    assert large.margin_of_error <= small.margin_of_error


@PROPERTY
@given(st.lists(st.integers(0, 10), min_size=1, max_size=200))
def test_nps_from_scores_matches_plus_minus_one_coding(scores):
    coded = [1 if s >= 9 else -1 if s <= 6 else 0 for s in scores]
    result = m.nps_from_scores(scores)
    assert float(result.value) == pytest.approx(100 * statistics.fmean(coded))
    expected_se = 100 * statistics.pstdev(coded) / math.sqrt(len(coded))
    assert float(result.standard_error) == pytest.approx(expected_se, abs=1e-9)


def wilson_by_hand(x: int, n: int, z: float = 1.96) -> tuple[float, float]:
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return 100 * (centre - half), 100 * (centre + half)


def test_wilson_interval_80_of_100():
    low, high = m.wilson_interval(80, 100)
    # Hand computation: centre 0.819208 / 1.038416, half-width 1.96 × sqrt(0.00169604) / 1.038416.
    assert abs(low - Decimal("71.1169038073497638859127658966")) < Decimal("1e-25")
    assert abs(high - Decimal("86.6634077440901214779491160467")) < Decimal("1e-25")
    assert (m.export_round(low), m.export_round(high)) == (Decimal("71.12"), Decimal("86.66"))
    assert (float(low), float(high)) == pytest.approx(wilson_by_hand(80, 100), rel=1e-12)


def test_wilson_interval_at_the_edges():
    assert m.wilson_interval(0, 10)[0] == 0
    assert m.wilson_interval(10, 10)[1] == 100
    assert float(m.wilson_interval(0, 10)[1]) == pytest.approx(wilson_by_hand(0, 10)[1])
    with pytest.raises(MetricError) as excinfo:
        m.wilson_interval(11, 10)
    assert code_of(excinfo) == "count_exceeds_total"
    with pytest.raises(MetricError) as excinfo:
        m.wilson_interval(0, 0)
    assert code_of(excinfo) == "empty_sample"


@PROPERTY
@given(st.integers(1, 1_000_000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_interval_contains_estimate_within_0_100(sample):
    successes, n = sample
    low, high = m.wilson_interval(successes, n)
    estimate = Fraction(100 * successes, n)
    assert 0 <= Fraction(low) <= estimate <= Fraction(high) <= 100
    assert (float(low), float(high)) == pytest.approx(wilson_by_hand(successes, n), abs=1e-9)


def test_csat_worked_example_of_the_export():
    # 400 answers, 326 of them 4 or 5, 168 of them 5.
    result = m.csat_from_counts({1: 20, 2: 24, 3: 30, 4: 158, 5: 168})
    assert result.n == 400
    assert result.value == Fraction(815, 10)
    assert result.top_box.value == 42
    assert result.export_fields() == {
        "value": Decimal("81.50"),
        "n": 400,
        "ci_low": Decimal("77.40"),
        "ci_high": Decimal("85.00"),
        "top_box": Decimal("42.00"),
        "top_box_ci_low": Decimal("37.26"),
        "top_box_ci_high": Decimal("46.89"),
    }


def test_csat_from_scores_equals_from_counts_and_missing_scores_count_zero():
    scores = [5, 5, 4, 3, 1, "4"]
    assert m.csat_from_scores(scores) == m.csat_from_counts({5: 2, 4: 2, 3: 1, 1: 1})
    assert m.csat_from_counts({5: 1}).counts == (0, 0, 0, 0, 1)


@pytest.mark.parametrize("score", [0, 6, 4.5, "x"])
def test_csat_rejects_bad_scores(score):
    with pytest.raises(MetricError):
        m.csat_from_scores([score])
    with pytest.raises(MetricError):
        m.csat_from_counts({score: 1})


def test_fcr_carries_its_recontact_window():
    result = m.fcr_from_counts(48, 100, window_days=7)
    assert result.value == 48
    assert result.recontact_window_days == 7
    assert (float(result.ci_low), float(result.ci_high)) == pytest.approx(wilson_by_hand(48, 100))
    assert result.export_fields()["recontact_window_days"] == 7
    assert m.fcr_from_scores([1, 0, 1, 1], window_days=14) == m.fcr_from_counts(3, 4, window_days=14)


@pytest.mark.parametrize("window", [0, -7, 7.5, None, True])
def test_fcr_rejects_bad_window(window):
    with pytest.raises(MetricError) as excinfo:
        m.fcr_from_counts(1, 2, window_days=window)
    assert code_of(excinfo) == "bad_window"


def test_fcr_rejects_bad_flags_and_overcounts():
    with pytest.raises(MetricError) as excinfo:
        m.fcr_from_scores([1, 2], window_days=7)
    assert code_of(excinfo) == "score_out_of_range"
    with pytest.raises(MetricError) as excinfo:
        m.fcr_from_counts(5, 4, window_days=7)
    assert code_of(excinfo) == "count_exceeds_total"


def test_ces_mean_and_normal_interval():
    result = m.ces_from_scores([2, 3, 4, 5, 6], scale=7)
    assert result.value == 4
    assert result.sample_variance == Fraction(5, 2)
    # s / sqrt(n) = sqrt(2.5 / 5) = sqrt(0.5); margin 1.96 × sqrt(0.5) = 1.38592929…
    assert abs(result.margin_of_error - Decimal("1.385929291125633147825654949726")) < Decimal("1e-28")
    assert m.export_round(result.ci_low) == Decimal("2.61")
    assert m.export_round(result.ci_high) == Decimal("5.39")
    assert result.export_fields() == {
        "value": Decimal("4.00"),
        "n": 5,
        "sd": Decimal("1.58"),
        "margin_of_error": Decimal("1.39"),
        "ci_low": Decimal("2.61"),
        "ci_high": Decimal("5.39"),
        "scale_min": 1,
        "scale_max": 7,
    }


def test_ces_accepts_decimals_and_decimal_comma():
    result = m.ces_from_scores(["3,5", "4.5", 2], scale=5)
    assert result.value == Fraction(10, 3)
    assert result.scale_max == 5


def test_ces_single_answer_has_no_interval():
    result = m.ces_from_scores([3], scale=5)
    assert result.value == 3
    assert result.margin_of_error is None
    assert result.ci_low is None
    assert result.sample_sd is None
    with pytest.raises(MetricError) as excinfo:
        m.change_is_noise(result, result)
    assert code_of(excinfo) == "no_standard_error"


@pytest.mark.parametrize(("score", "scale"), [(6, 5), (8, 7), (0, 7), (0.5, 5), ("7,5", 7)])
def test_ces_rejects_scores_outside_the_scale(score, scale):
    with pytest.raises(MetricError) as excinfo:
        m.ces_from_scores([3, score], scale=scale)
    assert code_of(excinfo) == "score_out_of_range"


@pytest.mark.parametrize("scale", [4, 10, 7.0, True, None])
def test_ces_rejects_unknown_scales(scale):
    with pytest.raises(MetricError) as excinfo:
        m.ces_from_scores([3], scale=scale)
    assert code_of(excinfo) in {"bad_ces_scale", "ces_scale_required"}


@PROPERTY
@given(st.lists(st.integers(1, 7), min_size=2, max_size=200))
def test_ces_matches_the_statistics_module(scores):
    result = m.ces_from_scores(scores, scale=7)
    assert result.value == Fraction(sum(scores), len(scores))
    assert float(result.sample_sd) == pytest.approx(statistics.stdev(scores), abs=1e-9)
    assert result.ci_low <= m._dec(result.value) <= result.ci_high


def test_noise_at_the_boundary():
    # 1.96 × sqrt(3² + 4²) = 1.96 × 5 = 9.8 exactly.
    assert m.is_noise(Decimal("9.8"), 3, 4) is True
    assert m.is_noise(Decimal("-9.8"), 3, 4) is True
    assert m.is_noise(9.8, 3.0, 4.0) is True
    assert m.is_noise(Decimal("9.8000001"), 3, 4) is False
    assert m.is_noise(Decimal("-9.81"), 3, 4) is False
    assert m.is_noise(0, 0, 0) is True
    assert m.is_noise(Fraction(1, 10**9), 0, 0) is False


def test_noise_rejects_negative_standard_error():
    with pytest.raises(MetricError) as excinfo:
        m.is_noise(1, -1, 1)
    assert code_of(excinfo) == "negative_standard_error"


def test_ten_point_nps_swing_on_100_answers_is_noise():
    before = m.nps_from_counts(40, 30, 30)
    after = m.nps_from_counts(45, 30, 25)
    assert after.value - before.value == 10
    assert m.change_is_noise(after, before) is True
    assert m.is_noise(after.value - before.value, after.standard_error, before.standard_error)
    large_before = m.nps_from_counts(4000, 3000, 3000)
    large_after = m.nps_from_counts(4500, 3000, 2500)
    assert m.change_is_noise(large_after, large_before) is False


@PROPERTY
@given(counts3, counts3)
def test_change_is_noise_agrees_with_is_noise(a, b):
    first, second = m.nps_from_counts(*a), m.nps_from_counts(*b)
    delta = second.value - first.value
    bound = float(m.Z95) * math.hypot(float(first.standard_error), float(second.standard_error))
    if abs(abs(float(delta)) - bound) > 1e-9:  # away from the boundary, floats agree
        assert m.change_is_noise(second, first) == (abs(float(delta)) <= bound)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("2.675"), "2.68"),
        (Decimal("2.665"), "2.67"),
        (Decimal("-2.675"), "-2.68"),
        (Fraction(2675, 1000), "2.68"),
        (Fraction(1, 3), "0.33"),
        (Fraction(-1, 1000), "0.00"),
        (12, "12.00"),
        (2.675, "2.68"),
        (Decimal("0.004999"), "0.00"),
        (Fraction(10**40 + 5, 1000), "10000000000000000000000000000000000000.01"),
    ],
)
def test_export_round_half_up(value, expected):
    assert m.export_round(value) == Decimal(expected)
    assert str(m.export_round(value)) == expected


def test_export_round_keeps_none():
    assert m.export_round(None) is None


@PROPERTY
@given(st.decimals(min_value=-(10**6), max_value=10**6, places=6, allow_nan=False))
def test_export_round_matches_decimal_round_half_up(value):
    from decimal import ROUND_HALF_UP

    assert m.export_round(value) == value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_aggregator_keeps_counts_and_builds_results():
    agg = m.RawResponseAggregator(ces_scale=7, fcr_window_days=7)
    for row in [
        ("nps", "2026-Q3", "10"),
        ("nps", "2026-Q3", 6),
        ("nps", "2026-Q2", 9),
        ("csat", "2026-07", 5),
        ("csat", "2026-07", "4"),
        ("ces", "2026-07", "6,5"),
        ("ces", "2026-07", 3),
        ("fcr", "2026-07", 1),
        ("fcr", "2026-07", 0),
    ]:
        agg.feed(*row)
    assert agg.rows == 9
    q3 = m.parse_period("2026-Q3")
    assert agg.counts()[("nps", q3)] == {6: 1, 10: 1}
    results = agg.results()
    assert [(metric, str(period)) for metric, period in results] == [
        ("nps", "2026-Q2"),
        ("nps", "2026-Q3"),
        ("csat", "2026-07"),
        ("ces", "2026-07"),
        ("fcr", "2026-07"),
    ]
    assert results[("nps", q3)] == m.nps_from_counts(1, 0, 1)
    assert agg.result("ces", "2026-07").value == Fraction(19, 4)
    assert agg.result("fcr", "2026-07").recontact_window_days == 7


@pytest.mark.parametrize(
    ("row", "code"),
    [
        (("nps", "2026-13", 9), "bad_period"),
        (("nps", "2026-Q3", 11), "score_out_of_range"),
        (("csat", "2026-Q3", 0), "score_out_of_range"),
        (("fcr", "2026-Q3", 2), "score_out_of_range"),
        (("ces", "2026-Q3", 8), "score_out_of_range"),
        (("nps", "2026-Q3", "neuf"), "not_a_number"),
        (("nps", "2026-Q3", "8.5"), "score_not_integer"),
        (("NPS", "2026-Q3", 9), "unknown_metric"),
        (("response_time", "2026-Q3", 30), "metric_not_raw"),
        (("retention_rate", "2026-Q3", 90), "metric_not_raw"),
    ],
)
def test_aggregator_rejects_bad_rows_without_counting_them(row, code):
    agg = m.RawResponseAggregator(ces_scale=7, fcr_window_days=7)
    agg.feed("nps", "2026-Q3", 9)
    with pytest.raises(MetricError) as excinfo:
        agg.feed(*row)
    assert code_of(excinfo) == code
    assert agg.rows == 1
    assert agg.counts() == {("nps", m.parse_period("2026-Q3")): {9: 1}}


def test_aggregator_needs_ces_scale_and_fcr_window_for_those_rows():
    agg = m.RawResponseAggregator()
    agg.feed("nps", "2026-01", 9)
    with pytest.raises(MetricError) as excinfo:
        agg.feed("ces", "2026-01", 3)
    assert code_of(excinfo) == "ces_scale_required"
    with pytest.raises(MetricError) as excinfo:
        agg.feed("fcr", "2026-01", 1)
    assert code_of(excinfo) == "fcr_window_required"
    with pytest.raises(MetricError) as excinfo:
        m.RawResponseAggregator(ces_scale=10)
    assert code_of(excinfo) == "bad_ces_scale"


def test_aggregator_on_a_1_to_5_ces_scale_rejects_6():
    agg = m.RawResponseAggregator(ces_scale=5)
    with pytest.raises(MetricError) as excinfo:
        agg.feed("ces", "2026-01", 6)
    assert excinfo.value.params["high"] == "5"


def test_aggregator_result_for_an_absent_key():
    with pytest.raises(MetricError) as excinfo:
        m.RawResponseAggregator().result("nps", "2026-01")
    assert code_of(excinfo) == "empty_sample"


PERIODS = ["2026-01", "2026-02", "2026-Q1"]
raw_rows = st.one_of(
    st.tuples(st.just("nps"), st.sampled_from(PERIODS), st.integers(0, 10)),
    st.tuples(st.just("csat"), st.sampled_from(PERIODS), st.integers(1, 5)),
    st.tuples(st.just("ces"), st.sampled_from(PERIODS), st.integers(2, 10).map(lambda half: Fraction(half, 2))),
    st.tuples(st.just("fcr"), st.sampled_from(PERIODS), st.integers(0, 1)),
)


def direct(metric, scores):
    if metric == "nps":
        return m.nps_from_scores(scores)
    if metric == "csat":
        return m.csat_from_scores(scores)
    if metric == "ces":
        return m.ces_from_scores(scores, scale=5)
    return m.fcr_from_scores(scores, window_days=14)


@PROPERTY
@given(st.lists(raw_rows, max_size=150).flatmap(lambda rows: st.tuples(st.just(rows), st.permutations(rows))))
def test_aggregator_equals_direct_computation_in_any_order(data):
    rows, shuffled = data
    grouped = defaultdict(list)
    for metric, period, score in rows:
        grouped[(metric, m.parse_period(period))].append(score)
    expected = {key: direct(key[0], scores) for key, scores in grouped.items()}
    for order in (rows, shuffled):
        agg = m.RawResponseAggregator(ces_scale=5, fcr_window_days=14)
        for row in order:
            agg.feed(*row)
        assert agg.rows == len(rows)
        assert agg.results() == expected
