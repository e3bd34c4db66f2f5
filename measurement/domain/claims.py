"""Claims against evidence: the level the committee claims for a question, and the level the KPI
register supports (issue #18).

Executives tend to rate their customer experience above what they can show. Evidence rules (a
versioned file beside the framework, ``measurement/rules/``, read by ``measurement/evidence_rules.py``)
say, for some questions, what the KPI register must hold for each level. This module compares.

Inputs (frozen dataclasses, no clock, no I/O)
    * :class:`EvidenceRules`: per question, the requirements of levels 2–5 (level 1 is the floor
      and needs nothing); per dimension, the KPIs whose fall makes a high rating optimistic.
    * Facts from the register: :class:`MetricFacts` per metric, built by :func:`facts_from` from
      :class:`Observation` rows (one per metric and period) and the reference month.
    * :class:`ClaimedQuestion` per question: its score *before any cap* (the level the committee
      agreed on, else the mean of the answers), as the results snapshot stores it.

Rules
    * **Window**: a period counts when it overlaps the ``window_months`` months ending with the
      reference month (the round's close, or this month while it is open): with 12 and March
      2026, April 2025 to March 2026; the quarter 2025-Q2 counts, 2025-Q1 does not.
    * **Periods** of a metric are counted per kind and the larger count is kept: two months, or
      two quarters, are two periods; a quarter and one of its months are one period of each kind,
      so they never make a trend. ``periods_with_sample`` counts those stored with their sample
      size (``n``, or the counts behind the value).
    * **A metric requirement** (:class:`MetricRequirement`) holds when one of its metrics has at
      least ``periods`` periods in the window (with their sample size when ``sample_size``).
    * **A financial-link requirement** (:class:`FinancialLinkRequirement`) holds when the KPI
      tree (``metrics.KPI_TREE``) links one of its CX drivers to one of its financial KPIs and
      the register holds, in the window, a value of that driver and ``periods`` periods of that
      financial KPI: the link is then measured on both sides, not only drawn.
    * **Supported level** of a question: the highest level L such that every requirement of every
      level from 2 to L holds; a level with no requirement holds. So it is 1 to 5, and a level
      with a requirement that fails caps everything above it.
    * **Claimed level**: the question's score rounded half-up to a whole level (3.5 → 4,
      3.49 → 3). A question without a score (nobody gave a level) claims nothing and has no claim.
    * **Over-claimed**: claimed − supported ≥ 1. ``missing`` lists, in level order, the keys of the
      requirements that fail at the levels up to the claimed one: what the register would need
      to hold for the claim (empty when the claim is supported).
    * **Optimism**: the committee rates a dimension ≥ 4 (the weighted mean of its questions'
      scores, rounded half-up as above) while one of the dimension's KPIs fell beyond noise in
      its latest period in the window: a lower value than the previous period of the same kind,
      and the change is not noise (``metrics.change_is_noise``). Every claim of the dimension
      carries the flag. Only survey metrics have a known sampling error, so only they can fall
      beyond noise; each of them is better when higher (CES is asked as "the company made it
      easy", 1–5 or 1–7).
    * **Caps** (:func:`caps`): each question with a requirement and its supported level; a round
      with "cap by evidence" scores such a question at most at that level.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from .metrics import KPI_TREE, Period

LEVEL_MIN = 1
LEVEL_MAX = 5
#: The levels a requirement may be attached to (level 1 is the floor: it needs no evidence).
REQUIREMENT_LEVELS: tuple[int, ...] = (2, 3, 4, 5)
#: A dimension rated at least this level is optimistic when one of its KPIs fell beyond noise.
OPTIMISM_LEVEL = 4

FLAG_OVER_CLAIMED = "over_claimed"
FLAG_OPTIMISM = "optimism"


# --------------------------------------------------------------------------- facts


@dataclass(frozen=True)
class MetricFacts:
    """What the register holds of one metric in the window (see the module rules)."""

    periods: int = 0
    periods_with_sample: int = 0
    fell_beyond_noise: bool = False

    def __post_init__(self) -> None:
        if self.periods < 0 or self.periods_with_sample < 0 or self.periods_with_sample > self.periods:
            raise ValueError(f"inconsistent facts: {self.periods} periods, {self.periods_with_sample} with a sample size")


Facts = Mapping[str, MetricFacts]


@dataclass(frozen=True)
class Observation:
    """One register value: its metric and period, whether its sample size is known, and its change
    from the previous period of the same kind (``delta``, with ``noise`` from the noise rule: None
    when either period lacks a known sampling error)."""

    metric: str
    period: Period
    sample_size: bool
    delta: Fraction | None = None
    noise: bool | None = None


def _month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def in_window(period: Period, *, year: int, month: int, months: int) -> bool:
    """True when ``period`` overlaps the ``months`` months that end with ``year``-``month``."""
    if months < 1:
        raise ValueError(f"a window is at least one month, got {months}")
    end = _month_index(year, month)
    first, last = _month_index(period.year, period.first_month), _month_index(period.year, period.last_month)
    return first <= end and last >= end - months + 1


def _recency(period: Period) -> tuple[int, int, bool]:
    # The period that ends last; a month beats the quarter it closes (as measurement.selectors.latest).
    return (period.year, period.last_month, period.kind == "month")


def facts_from(observations: Iterable[Observation], *, year: int, month: int, months: int) -> dict[str, MetricFacts]:
    """Facts per metric from the register's values in the window (metrics without one are absent)."""
    kept: dict[str, list[Observation]] = {}
    for item in observations:
        if in_window(item.period, year=year, month=month, months=months):
            kept.setdefault(item.metric, []).append(item)
    facts: dict[str, MetricFacts] = {}
    for metric, items in kept.items():
        by_kind: dict[str, set[Period]] = {"month": set(), "quarter": set()}
        sampled: dict[str, set[Period]] = {"month": set(), "quarter": set()}
        for item in items:
            by_kind[item.period.kind].add(item.period)
            if item.sample_size:
                sampled[item.period.kind].add(item.period)
        latest = max(items, key=lambda item: _recency(item.period))
        fell = latest.noise is False and latest.delta is not None and latest.delta < 0
        facts[metric] = MetricFacts(
            periods=max(len(periods) for periods in by_kind.values()),
            periods_with_sample=max(len(periods) for periods in sampled.values()),
            fell_beyond_noise=fell,
        )
    return facts


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class MetricRequirement:
    """One of ``metrics`` has ``periods`` periods in the window (with their sample size when ``sample_size``)."""

    key: str
    metrics: tuple[str, ...]
    periods: int = 1
    sample_size: bool = True

    def holds(self, facts: Facts) -> bool:
        for metric in self.metrics:
            known = facts.get(metric)
            if known is not None and (known.periods_with_sample if self.sample_size else known.periods) >= self.periods:
                return True
        return False


@dataclass(frozen=True)
class FinancialLinkRequirement:
    """The KPI tree links a measured CX driver to a financial KPI with ``periods`` periods in the window.

    Empty ``drivers`` or ``financial`` mean any of the tree's.
    """

    key: str
    drivers: tuple[str, ...] = ()
    financial: tuple[str, ...] = ()
    periods: int = 1

    def links(self) -> tuple[tuple[str, str], ...]:
        """The (CX driver, financial KPI) pairs of the tree this requirement accepts."""
        return tuple(
            (cx, kpi)
            for cx, driven in KPI_TREE.items()
            for kpi in driven
            if (not self.drivers or cx in self.drivers) and (not self.financial or kpi in self.financial)
        )

    def holds(self, facts: Facts) -> bool:
        for cx, kpi in self.links():
            driver, result = facts.get(cx), facts.get(kpi)
            if driver is not None and driver.periods >= 1 and result is not None and result.periods >= self.periods:
                return True
        return False


Requirement = MetricRequirement | FinancialLinkRequirement


@dataclass(frozen=True)
class QuestionRule:
    """A question's requirements per level (2–5); a level left out needs nothing."""

    question: str
    dimension: str
    levels: Mapping[int, tuple[Requirement, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        wrong = sorted(level for level in self.levels if level not in REQUIREMENT_LEVELS)
        if wrong:
            raise ValueError(f"{self.question}: requirements only on levels 2–5, got {wrong}")

    def at(self, level: int) -> tuple[Requirement, ...]:
        return self.levels.get(level, ())

    @property
    def has_requirements(self) -> bool:
        return any(self.levels.values())


@dataclass(frozen=True)
class EvidenceRules:
    """Every question's rule, and per dimension the KPIs whose fall makes a rating ≥ 4 optimistic."""

    questions: tuple[QuestionRule, ...] = ()
    dimension_kpis: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    window_months: int = 12

    def rule(self, question: str) -> QuestionRule | None:
        return next((r for r in self.questions if r.question == question), None)


# --------------------------------------------------------------------------- comparison


def supported_level(rule: QuestionRule, facts: Facts) -> int:
    """The highest level whose requirements, and those of every level below, all hold (1–5)."""
    supported = LEVEL_MIN
    for level in range(LEVEL_MIN + 1, LEVEL_MAX + 1):
        if not all(requirement.holds(facts) for requirement in rule.at(level)):
            break
        supported = level
    return supported


def missing(rule: QuestionRule, facts: Facts, *, up_to: int) -> tuple[str, ...]:
    """Keys of the requirements that fail at the levels up to ``up_to``, in level order, each once."""
    keys: list[str] = []
    for level in range(LEVEL_MIN + 1, min(up_to, LEVEL_MAX) + 1):
        for requirement in rule.at(level):
            if requirement.key not in keys and not requirement.holds(facts):
                keys.append(requirement.key)
    return tuple(keys)


def level_of(score: Fraction) -> int:
    """A score rounded half-up to a whole level, within 1–5 (3.5 → 4, 3.49 → 3)."""
    return min(max(math.floor(score + Fraction(1, 2)), LEVEL_MIN), LEVEL_MAX)


@dataclass(frozen=True)
class ClaimedQuestion:
    """A question's score before any cap (the agreed level, else the mean; None when unscored)."""

    key: str
    dimension: str
    score: Fraction | None
    weight: Fraction = Fraction(1)


@dataclass(frozen=True)
class DimensionRating:
    """The committee's level for a dimension and the KPIs of the dimension that fell beyond noise."""

    dimension: str
    rating: int | None
    falling: tuple[str, ...]

    @property
    def optimistic(self) -> bool:
        return self.rating is not None and self.rating >= OPTIMISM_LEVEL and bool(self.falling)


@dataclass(frozen=True)
class Claim:
    question: str
    dimension: str
    claimed: int
    supported: int
    missing: tuple[str, ...]
    optimistic: bool = False
    falling: tuple[str, ...] = ()  # the dimension's KPIs that fell beyond noise, when optimistic

    @property
    def over_claimed(self) -> bool:
        return self.claimed - self.supported >= 1

    @property
    def flags(self) -> tuple[str, ...]:
        return tuple(flag for flag, on in ((FLAG_OVER_CLAIMED, self.over_claimed), (FLAG_OPTIMISM, self.optimistic)) if on)


@dataclass(frozen=True)
class ClaimsReport:
    claims: tuple[Claim, ...]
    dimensions: tuple[DimensionRating, ...]

    def for_question(self, key: str) -> Claim | None:
        return next((c for c in self.claims if c.question == key), None)

    @property
    def flagged(self) -> tuple[Claim, ...]:
        return tuple(c for c in self.claims if c.flags)


def _weighted(pairs: Sequence[tuple[Fraction, Fraction]]) -> Fraction | None:
    weights = sum((w for _s, w in pairs), Fraction(0))
    return sum((s * w for s, w in pairs), Fraction(0)) / weights if weights else None


def rate_dimensions(questions: Sequence[ClaimedQuestion], rules: EvidenceRules, facts: Facts) -> tuple[DimensionRating, ...]:
    """The rating and falling KPIs of each dimension the rules name KPIs for (rules' order)."""
    ratings = []
    for dimension, kpis in rules.dimension_kpis.items():
        scored = [(q.score, q.weight) for q in questions if q.dimension == dimension and q.score is not None]
        mean = _weighted(scored)
        falling = tuple(k for k in kpis if (known := facts.get(k)) is not None and known.fell_beyond_noise)
        ratings.append(DimensionRating(dimension, None if mean is None else level_of(mean), falling))
    return tuple(ratings)


def assess(questions: Sequence[ClaimedQuestion], rules: EvidenceRules, facts: Facts) -> ClaimsReport:
    """A claim for each scored question that has a rule with a requirement, in the given order."""
    ratings = {r.dimension: r for r in rate_dimensions(questions, rules, facts)}
    claims = []
    for question in questions:
        rule = rules.rule(question.key)
        if rule is None or not rule.has_requirements or question.score is None:
            continue
        claimed = level_of(question.score)
        rating = ratings.get(question.dimension)
        optimistic = rating is not None and rating.optimistic
        claims.append(
            Claim(
                question=question.key,
                dimension=question.dimension,
                claimed=claimed,
                supported=supported_level(rule, facts),
                missing=missing(rule, facts, up_to=claimed),
                optimistic=optimistic,
                falling=rating.falling if rating is not None and optimistic else (),
            )
        )
    return ClaimsReport(tuple(claims), tuple(ratings.values()))


def caps(rules: EvidenceRules, facts: Facts) -> dict[str, int]:
    """Question key → supported level, for each question with a requirement (the "cap by evidence")."""
    return {rule.question: supported_level(rule, facts) for rule in rules.questions if rule.has_requirements}
