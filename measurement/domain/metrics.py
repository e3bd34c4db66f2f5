"""KPI register statistics: metric keys, periods, NPS, CSAT, CES, FCR and the noise rule."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Context, Decimal
from fractions import Fraction
from functools import total_ordering
from numbers import Rational
from types import MappingProxyType
from typing import Any, Literal, Protocol, overload

CX_METRICS: tuple[str, ...] = ("nps", "csat", "ces", "fcr", "response_time")
FINANCIAL_METRICS: tuple[str, ...] = (
    "retention_rate",
    "churn_rate",
    "repeat_purchase_rate",
    "renewal_rate",
    "cost_per_contact",
    "cost_to_serve",
    "revenue_per_customer",
    "referral_revenue",
)
ALL_METRICS: tuple[str, ...] = CX_METRICS + FINANCIAL_METRICS

# Only these come from survey or contact-centre responses; the others are entered as values.
RAW_RESPONSE_METRICS: tuple[str, ...] = ("nps", "csat", "ces", "fcr")

KPI_TREE: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "nps": ("retention_rate", "referral_revenue"),
        "csat": ("repeat_purchase_rate", "renewal_rate"),
        "ces": ("cost_per_contact", "churn_rate"),
        "fcr": ("cost_to_serve",),
    }
)

Unit = Literal["points", "percent", "score", "seconds", "currency"]


@dataclass(frozen=True)
class MetricInfo:
    """A metric's kind and unit; its label is interface text (``measurement/presentation.py``)."""

    key: str
    kind: Literal["cx", "financial"]
    unit: Unit


METRICS: Mapping[str, MetricInfo] = MappingProxyType(
    {
        info.key: info
        for info in (
            MetricInfo("nps", "cx", "points"),
            MetricInfo("csat", "cx", "percent"),
            MetricInfo("ces", "cx", "score"),
            MetricInfo("fcr", "cx", "percent"),
            # Average speed of answer is conventionally counted in seconds.
            MetricInfo("response_time", "cx", "seconds"),
            MetricInfo("retention_rate", "financial", "percent"),
            MetricInfo("churn_rate", "financial", "percent"),
            MetricInfo("repeat_purchase_rate", "financial", "percent"),
            MetricInfo("renewal_rate", "financial", "percent"),
            MetricInfo("cost_per_contact", "financial", "currency"),
            MetricInfo("cost_to_serve", "financial", "currency"),
            MetricInfo("revenue_per_customer", "financial", "currency"),
            MetricInfo("referral_revenue", "financial", "currency"),
        )
    }
)

#: Every code a MetricError may carry; ``measurement/presentation.py`` words each one (gettext).
ERROR_CODES: tuple[str, ...] = (
    "bad_period",
    "unknown_metric",
    "metric_not_raw",
    "not_a_number",
    "score_not_integer",
    "score_out_of_range",
    "bad_count",
    "count_exceeds_total",
    "empty_sample",
    "bad_ces_scale",
    "ces_scale_required",
    "bad_window",
    "fcr_window_required",
    "negative_standard_error",
    "no_standard_error",
)


class MetricError(ValueError):
    """A validation error with a stable ``code`` and the ``params`` of its message (all text).

    The domain words nothing: the message is ``measurement.presentation.metric_error_text``'s.
    ``str()`` gives the code and parameters, for logs and tracebacks.
    """

    def __init__(self, code: str, **params: object) -> None:
        if code not in ERROR_CODES:
            raise ValueError(f"unknown MetricError code {code!r}")
        self.code = code
        self.params = {name: str(value) for name, value in params.items()}
        details = ", ".join(f"{name}={value!r}" for name, value in self.params.items())
        super().__init__(f"{code}: {details}" if details else code)


def check_metric(key: object) -> str:
    if not isinstance(key, str) or key not in METRICS:
        raise MetricError("unknown_metric", value=key, expected=", ".join(ALL_METRICS))
    return key


# ASCII only: Python's \d also matches other scripts' digits, which a CSV file should not carry.
_MONTH_RE = re.compile(r"(\d{4})-(0[1-9]|1[0-2])", re.ASCII)
_QUARTER_RE = re.compile(r"(\d{4})-Q([1-4])", re.ASCII)


@total_ordering
@dataclass(frozen=True)
class Period:
    """A calendar month ("2026-03") or quarter ("2026-Q1")."""

    year: int
    kind: Literal["month", "quarter"]
    number: int

    def __post_init__(self) -> None:
        top = 12 if self.kind == "month" else 4
        if self.kind not in ("month", "quarter") or not 1 <= self.year <= 9999 or not 1 <= self.number <= top:
            prefix = "Q" if self.kind == "quarter" else ""
            raise MetricError("bad_period", value=f"{self.year:04d}-{prefix}{self.number}")

    def __str__(self) -> str:
        if self.kind == "month":
            return f"{self.year:04d}-{self.number:02d}"
        return f"{self.year:04d}-Q{self.number}"

    @property
    def first_month(self) -> int:
        return self.number if self.kind == "month" else 3 * self.number - 2

    @property
    def last_month(self) -> int:
        return self.number if self.kind == "month" else 3 * self.number

    def sort_key(self) -> tuple[int, int, int]:
        # Chronological by start; a quarter sorts just before the months it contains,
        # like a heading above its rows.
        return (self.year, self.first_month, 0 if self.kind == "quarter" else 1)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self.sort_key() < other.sort_key()

    def previous(self) -> Period:
        """The period just before, of the same kind (2026-01 → 2025-12, 2026-Q1 → 2025-Q4)."""
        if self.number > 1:
            return Period(self.year, self.kind, self.number - 1)
        return Period(self.year - 1, self.kind, 12 if self.kind == "month" else 4)


def parse_period(value: str | Period) -> Period:
    """Parse "YYYY-MM" or "YYYY-Qn" exactly (no spaces, upper-case Q); anything else fails."""
    if isinstance(value, Period):
        return value
    if isinstance(value, str):
        kind: Literal["month", "quarter"]
        if match := _MONTH_RE.fullmatch(value):
            year, kind, number = int(match[1]), "month", int(match[2])
        elif match := _QUARTER_RE.fullmatch(value):
            year, kind, number = int(match[1]), "quarter", int(match[2])
        else:
            raise MetricError("bad_period", value=value)
        if year >= 1:
            return Period(year, kind, number)
    raise MetricError("bad_period", value=value)


def previous_period(period: str | Period, candidates: Iterable[str | Period]) -> Period | None:
    """The latest candidate of the same kind strictly before ``period``, if any.

    Months are compared with months and quarters with quarters: a quarter's figure says
    nothing about one of its months' change.
    """
    current = parse_period(period)
    earlier = [p for p in map(parse_period, candidates) if p.kind == current.kind and p < current]
    return max(earlier, default=None)


# Point estimates are exact Fractions; only square roots are inexact, and they are taken to
# 40 significant digits with a private context so the caller's decimal context never matters.
_CTX = Context(prec=40, rounding=ROUND_HALF_EVEN)
Z95 = Fraction(196, 100)
_NUMBER_RE = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)", re.ASCII)

Number = int | Fraction | Decimal | float


def _exact(value: object) -> Fraction:
    """An exact Fraction from int, Fraction, Decimal, float or numeric text.

    Floats are read through their shortest repr so that 9.8 means 9.8, not the binary value
    next to it; text accepts a decimal comma because French CSV files use one.
    """
    if isinstance(value, bool):
        raise MetricError("not_a_number", value=value)
    if isinstance(value, Rational):
        return Fraction(value)
    if isinstance(value, Decimal) and value.is_finite():
        return Fraction(value)
    if isinstance(value, float) and math.isfinite(value):
        return Fraction(repr(value))
    if isinstance(value, str):
        text = value.strip()
        if _NUMBER_RE.fullmatch(text):
            return Fraction(Decimal(text.replace(",", ".")))
    raise MetricError("not_a_number", value=value)


def _dec(value: Fraction) -> Decimal:
    return _CTX.divide(Decimal(value.numerator), Decimal(value.denominator))


def _sqrt(value: Fraction) -> Decimal:
    return _CTX.sqrt(_dec(value))


def _count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise MetricError("bad_count", value=value)
    return value


def _positive_total(total: int) -> int:
    if total == 0:
        raise MetricError("empty_sample")
    return total


@overload
def export_round(value: Number, places: int = 2) -> Decimal: ...
@overload
def export_round(value: None, places: int = 2) -> None: ...
@overload
def export_round(value: Number | None, places: int = 2) -> Decimal | None: ...
def export_round(value: Number | None, places: int = 2) -> Decimal | None:
    """Half-up rounding (ties away from zero) for storage, display and export; None stays None.

    Rounds the exact value, so a Fraction that is exactly a tie rounds up and one a hair
    below does not, whatever its decimal expansion.
    """
    if value is None:
        return None
    exact = _exact(value)
    scaled = abs(exact) * 10**places
    rounded = math.floor(scaled + Fraction(1, 2))
    sign = "-" if exact < 0 and rounded else ""
    # Built from text so that no decimal context can round a large value.
    return Decimal(f"{sign}{rounded}e-{places}")


class Estimate(Protocol):
    """Anything with an exact value and an exact sampling variance (None if unknown)."""

    @property
    def value(self) -> Fraction: ...

    @property
    def variance(self) -> Fraction | None: ...


def _margin(variance: Fraction | None) -> Decimal | None:
    return None if variance is None else _CTX.multiply(_dec(Z95), _sqrt(variance))


def _standard_error(variance: Fraction | None) -> Decimal | None:
    return None if variance is None else _sqrt(variance)


def wilson_interval(successes: int, n: int, z: Fraction = Z95) -> tuple[Decimal, Decimal]:
    """Wilson score interval for successes / n, in percent (0–100)."""
    successes, n = _count(successes), _positive_total(_count(n))
    if successes > n:
        raise MetricError("count_exceeds_total", value=successes, total=n)
    p = Fraction(successes, n)
    z2 = z * z
    denominator = 1 + z2 / n
    centre = 100 * (p + z2 / (2 * n)) / denominator
    half = _CTX.multiply(_dec(100 * z / denominator), _sqrt(p * (1 - p) / n + z2 / (4 * n * n)))
    low = _CTX.subtract(_dec(centre), half)
    high = _CTX.add(_dec(centre), half)
    # The true bounds are exactly 0 at p = 0 and exactly 100 at p = 1; pin them so that
    # rounding in the last digit can never leave the estimate outside its own interval.
    if successes == 0:
        low = Decimal(0)
    if successes == n:
        high = Decimal(100)
    return max(low, Decimal(0)), min(high, Decimal(100))


@dataclass(frozen=True)
class Proportion:
    """A share in percent with its Wilson 95 % interval."""

    successes: int
    n: int

    def __post_init__(self) -> None:
        _count(self.successes)
        _positive_total(_count(self.n))
        if self.successes > self.n:
            raise MetricError("count_exceeds_total", value=self.successes, total=self.n)

    @property
    def value(self) -> Fraction:
        return Fraction(100 * self.successes, self.n)

    @property
    def variance(self) -> Fraction:
        # Normal-approximation variance (percent²); it feeds the noise rule, while the shown
        # interval is Wilson's, which stays sensible near 0 % and 100 %.
        p = Fraction(self.successes, self.n)
        return 10_000 * p * (1 - p) / self.n

    @property
    def standard_error(self) -> Decimal:
        return _sqrt(self.variance)

    @property
    def ci_low(self) -> Decimal:
        return wilson_interval(self.successes, self.n)[0]

    @property
    def ci_high(self) -> Decimal:
        return wilson_interval(self.successes, self.n)[1]


@dataclass(frozen=True)
class NpsResult:
    promoters: int
    passives: int
    detractors: int

    def __post_init__(self) -> None:
        for count in (self.promoters, self.passives, self.detractors):
            _count(count)
        _positive_total(self.n)

    @property
    def n(self) -> int:
        return self.promoters + self.passives + self.detractors

    @property
    def value(self) -> Fraction:
        return Fraction(100 * (self.promoters - self.detractors), self.n)

    @property
    def variance(self) -> Fraction:
        # Each answer coded +1 / 0 / −1: per-answer variance p + d − (p − d)², in points².
        p, d = Fraction(self.promoters, self.n), Fraction(self.detractors, self.n)
        return 10_000 * (p + d - (p - d) ** 2) / self.n

    @property
    def standard_error(self) -> Decimal:
        return _sqrt(self.variance)

    @property
    def margin_of_error(self) -> Decimal:
        return _CTX.multiply(_dec(Z95), self.standard_error)

    def export_fields(self) -> dict[str, object]:
        return {
            "value": export_round(self.value),
            "n": self.n,
            "margin_of_error": export_round(self.margin_of_error),
            "promoters": self.promoters,
            "passives": self.passives,
            "detractors": self.detractors,
        }


@dataclass(frozen=True)
class CsatResult:
    """CSAT on 1–5; ``counts[i]`` is the number of answers scoring ``i + 1``."""

    counts: tuple[int, int, int, int, int]

    def __post_init__(self) -> None:
        if len(self.counts) != 5:
            raise MetricError("bad_count", value=self.counts)
        for count in self.counts:
            _count(count)
        _positive_total(self.n)

    @property
    def n(self) -> int:
        return sum(self.counts)

    @property
    def top_2_box(self) -> Proportion:
        return Proportion(self.counts[3] + self.counts[4], self.n)

    @property
    def top_box(self) -> Proportion:
        # Shown apart from top-2-box: "very satisfied" customers repurchase far more often
        # than merely "satisfied" ones.
        return Proportion(self.counts[4], self.n)

    @property
    def value(self) -> Fraction:
        return self.top_2_box.value

    @property
    def variance(self) -> Fraction:
        return self.top_2_box.variance

    def export_fields(self) -> dict[str, object]:
        top2, top = self.top_2_box, self.top_box
        return {
            "value": export_round(top2.value),
            "n": self.n,
            "ci_low": export_round(top2.ci_low),
            "ci_high": export_round(top2.ci_high),
            "top_box": export_round(top.value),
            "top_box_ci_low": export_round(top.ci_low),
            "top_box_ci_high": export_round(top.ci_high),
        }


@dataclass(frozen=True)
class FcrResult:
    """Share of contacts resolved at first contact, for a stated re-contact window."""

    resolved: int
    n: int
    recontact_window_days: int

    def __post_init__(self) -> None:
        _check_window(self.recontact_window_days)
        Proportion(self.resolved, self.n)

    @property
    def proportion(self) -> Proportion:
        return Proportion(self.resolved, self.n)

    @property
    def value(self) -> Fraction:
        return self.proportion.value

    @property
    def variance(self) -> Fraction:
        return self.proportion.variance

    @property
    def standard_error(self) -> Decimal:
        return self.proportion.standard_error

    @property
    def ci_low(self) -> Decimal:
        return self.proportion.ci_low

    @property
    def ci_high(self) -> Decimal:
        return self.proportion.ci_high

    def export_fields(self) -> dict[str, object]:
        return {
            "value": export_round(self.value),
            "n": self.n,
            "ci_low": export_round(self.ci_low),
            "ci_high": export_round(self.ci_high),
            "recontact_window_days": self.recontact_window_days,
        }


@dataclass(frozen=True)
class CesResult:
    """Mean effort score with a normal 95 % interval; ``counts`` pairs (score, count)."""

    counts: tuple[tuple[Fraction, int], ...]
    scale_max: int
    scale_min: int = 1

    def __post_init__(self) -> None:
        _check_ces_scale(self.scale_max)
        for score, count in self.counts:
            _check_range("ces", _exact(score), self.scale_min, self.scale_max, score)
            _count(count)
        _positive_total(self.n)

    @property
    def n(self) -> int:
        return sum(count for _, count in self.counts)

    @property
    def value(self) -> Fraction:
        return sum((Fraction(score) * count for score, count in self.counts), Fraction(0)) / self.n

    @property
    def sample_variance(self) -> Fraction | None:
        """Sample variance (n − 1 denominator); None with a single answer."""
        if self.n < 2:
            return None
        mean = self.value
        squares = sum(((Fraction(s) - mean) ** 2 * c for s, c in self.counts), Fraction(0))
        return squares / (self.n - 1)

    @property
    def sample_sd(self) -> Decimal | None:
        return _standard_error(self.sample_variance)

    @property
    def variance(self) -> Fraction | None:
        """Variance of the mean, s² / n."""
        s2 = self.sample_variance
        return None if s2 is None else s2 / self.n

    @property
    def standard_error(self) -> Decimal | None:
        return _standard_error(self.variance)

    @property
    def margin_of_error(self) -> Decimal | None:
        return _margin(self.variance)

    @property
    def ci_low(self) -> Decimal | None:
        margin = self.margin_of_error
        return None if margin is None else _CTX.subtract(_dec(self.value), margin)

    @property
    def ci_high(self) -> Decimal | None:
        margin = self.margin_of_error
        return None if margin is None else _CTX.add(_dec(self.value), margin)

    def export_fields(self) -> dict[str, object]:
        return {
            "value": export_round(self.value),
            "n": self.n,
            "sd": export_round(self.sample_sd),
            "margin_of_error": export_round(self.margin_of_error),
            "ci_low": export_round(self.ci_low),
            "ci_high": export_round(self.ci_high),
            "scale_min": self.scale_min,
            "scale_max": self.scale_max,
        }


CES_SCALES: tuple[int, ...] = (5, 7)
_INTEGER_RANGES: Mapping[str, tuple[int, int]] = MappingProxyType({"nps": (0, 10), "csat": (1, 5), "fcr": (0, 1)})


def _check_ces_scale(scale: object) -> int:
    if isinstance(scale, bool) or not isinstance(scale, int) or scale not in CES_SCALES:
        raise MetricError("bad_ces_scale", value=scale)
    return scale


def _check_window(days: object) -> int:
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise MetricError("bad_window", value=days)
    return days


def _check_range(metric: str, score: Fraction, low: int, high: int, raw: object) -> None:
    if not low <= score <= high:
        raise MetricError("score_out_of_range", metric=metric, low=low, high=high, value=raw)


def validate_score(metric: str, score: object, *, ces_scale: int | None = None) -> int | Fraction:
    """Check one raw response and return it as a number.

    NPS: whole 0–10; CSAT: whole 1–5; FCR: 0 or 1 (1 = resolved at first contact); CES: any
    number within the stated scale (1–5 or 1–7), which the caller must give.
    """
    check_metric(metric)
    if metric not in RAW_RESPONSE_METRICS:
        raise MetricError("metric_not_raw", value=metric, expected=", ".join(RAW_RESPONSE_METRICS))
    if metric == "ces" and ces_scale is None:
        raise MetricError("ces_scale_required")
    exact = _exact(score)
    if metric == "ces":
        _check_range(metric, exact, 1, _check_ces_scale(ces_scale), score)
        return exact
    if exact.denominator != 1:
        raise MetricError("score_not_integer", metric=metric, value=score)
    low, high = _INTEGER_RANGES[metric]
    _check_range(metric, exact, low, high, score)
    return int(exact)


def nps_from_counts(promoters: int, passives: int, detractors: int) -> NpsResult:
    return NpsResult(promoters, passives, detractors)


def nps_from_scores(scores: Iterable[object]) -> NpsResult:
    """NPS from 0–10 answers: promoters 9–10, passives 7–8, detractors 0–6."""
    return _nps_from_counter(Counter(int(validate_score("nps", s)) for s in scores))


def _nps_from_counter(counts: Mapping[int, int] | Mapping[int | Fraction, int]) -> NpsResult:
    promoters = sum(c for s, c in counts.items() if s >= 9)
    passives = sum(c for s, c in counts.items() if 7 <= s <= 8)
    return NpsResult(promoters, passives, sum(counts.values()) - promoters - passives)


def csat_from_counts(counts: Mapping[int, int]) -> CsatResult:
    """CSAT from {score: count} on 1–5; missing scores count zero."""
    merged: Counter[int] = Counter()
    for score, count in counts.items():
        merged[int(validate_score("csat", score))] += _count(count)
    c1, c2, c3, c4, c5 = (merged[score] for score in range(1, 6))
    return CsatResult((c1, c2, c3, c4, c5))


def csat_from_scores(scores: Iterable[object]) -> CsatResult:
    return csat_from_counts(Counter(int(validate_score("csat", s)) for s in scores))


def fcr_from_counts(resolved: int, total: int, *, window_days: int) -> FcrResult:
    return FcrResult(resolved, total, window_days)


def fcr_from_scores(scores: Iterable[object], *, window_days: int) -> FcrResult:
    """FCR from 0/1 flags (1 = resolved at first contact within the window)."""
    _check_window(window_days)
    counts = Counter(validate_score("fcr", s) for s in scores)
    return FcrResult(counts[1], counts[0] + counts[1], window_days)


def ces_from_counts(counts: Mapping[Any, int], *, scale: int) -> CesResult:
    """CES from {score: count} on 1–``scale`` (5 or 7); zero counts are dropped.

    A score is anything ``validate_score`` reads (an int, a Fraction, numeric text as stored in
    JSON); the key type is Any because a Mapping is invariant in it, so Mapping[object, int]
    would refuse a dict[str, int]."""
    merged: Counter[Fraction] = Counter()
    for score, count in counts.items():
        merged[Fraction(validate_score("ces", score, ces_scale=scale))] += _count(count)
    return CesResult(tuple(sorted((s, c) for s, c in merged.items() if c)), scale)


def ces_from_scores(scores: Iterable[object], *, scale: int) -> CesResult:
    _check_ces_scale(scale)
    return ces_from_counts(Counter(validate_score("ces", s, ces_scale=scale) for s in scores), scale=scale)


def is_noise(delta: Number, se1: Number, se2: Number) -> bool:
    """True when |Δ| ≤ 1.96 × sqrt(SE₁² + SE₂²): the change is within sampling error.

    Compared squared and exactly, so a change sitting on the boundary is noise.
    """
    d, s1, s2 = _exact(delta), _exact(se1), _exact(se2)
    for se, raw in ((s1, se1), (s2, se2)):
        if se < 0:
            raise MetricError("negative_standard_error", value=raw)
    return d * d <= Z95 * Z95 * (s1 * s1 + s2 * s2)


def change_is_noise(current: Estimate, previous: Estimate) -> bool:
    """The noise rule between two estimates of the same metric, on exact variances."""
    v1, v2 = current.variance, previous.variance
    if v1 is None or v2 is None:
        raise MetricError("no_standard_error")
    delta = current.value - previous.value
    return delta * delta <= Z95 * Z95 * (v1 + v2)


MetricResult = NpsResult | CsatResult | CesResult | FcrResult


class RawResponseAggregator:
    """Counts raw (metric, period, score) rows one at a time; memory is one counter per
    distinct (metric, period, score), never the rows themselves.

    A rejected row raises MetricError and leaves the counts untouched, so an importer can
    feed every row, collect every error, and write nothing if there was one.
    """

    def __init__(self, *, ces_scale: int | None = None, fcr_window_days: int | None = None):
        # Both are properties of how the survey was run, not of a row: the caller states them.
        self.ces_scale = None if ces_scale is None else _check_ces_scale(ces_scale)
        self.fcr_window_days = None if fcr_window_days is None else _check_window(fcr_window_days)
        self._counts: dict[tuple[str, Period], Counter[int | Fraction]] = {}
        self.rows = 0

    def feed(self, metric: str, period: str | Period, score: object) -> None:
        score_value = validate_score(metric, score, ces_scale=self.ces_scale)
        if metric == "fcr" and self.fcr_window_days is None:
            raise MetricError("fcr_window_required")
        key = (metric, parse_period(period))
        self._counts.setdefault(key, Counter())[score_value] += 1
        self.rows += 1

    def _keys(self) -> list[tuple[str, Period]]:
        return sorted(self._counts, key=lambda k: (ALL_METRICS.index(k[0]), k[1].sort_key()))

    def counts(self) -> dict[tuple[str, Period], dict[int | Fraction, int]]:
        """Counts per score for each (metric, period), scores ascending."""
        return {key: dict(sorted(self._counts[key].items())) for key in self._keys()}

    def result(self, metric: str, period: str | Period) -> MetricResult:
        counts = self._counts.get((metric, parse_period(period)))
        if not counts:
            raise MetricError("empty_sample")
        if metric == "nps":
            return _nps_from_counter(counts)
        if metric == "csat":
            return csat_from_counts(counts)  # type: ignore[arg-type]
        if metric == "ces":
            return ces_from_counts(counts, scale=self.ces_scale)  # type: ignore[arg-type]
        return fcr_from_counts(counts[1], counts[0] + counts[1], window_days=self.fcr_window_days)  # type: ignore[arg-type]

    def results(self) -> dict[tuple[str, Period], MetricResult]:
        """One result per (metric, period), in metric order then chronological order."""
        return {key: self.result(*key) for key in self._keys()}
