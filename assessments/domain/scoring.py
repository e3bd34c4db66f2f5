"""Scoring of a round: questions, dimensions, overall, evidence and spread (PRODUCT.md).

Public API (pure functions; exact ``Fraction`` arithmetic; rounding only in ``round2`` and
the ``as_export()`` methods of the result types)::

    score_round(framework: FrameworkSpec, answers: Iterable[Answer],
                consensus: Mapping[str, int | None] | None = None,
                caps: Mapping[str, int] | None = None) -> RoundScores
    score_questions(framework, answers, consensus=None, caps=None) -> tuple[QuestionScore, ...]
    score_dimensions(framework, questions: Iterable[QuestionScore]) -> tuple[DimensionScore, ...]
    score_overall(dimensions: Iterable[DimensionScore]) -> OverallScore
    counted_answers(framework, answers) -> tuple[Answer, ...]
    spread(levels: Sequence[int]) -> Spread | None
    is_contested(s: Spread) -> bool
    mean(values) -> Fraction | None
    weighted_mean(pairs: Iterable[tuple[value, weight]]) -> Fraction | None
    index_of(score) -> Fraction | None        # (round_half_up(score) − 1) × 25
    stage_of(score) -> int | None             # floor(round_half_up(score))
    agreement_of(ads) -> Fraction | None      # 100 × (1 − mean(ads) / 2)
    round2(x) -> float | None                 # re-exported from types

Rules
    * Only answers to questions of the framework count; the others are ignored. Each
      (participant, question) pair must appear at most once: the caller deduplicates (e.g.
      one saved answer per participant and question, withdrawn participants left out) and a
      duplicate raises ``ValueError``. Levels are 1–5, ``None`` is "don't know" (a
      level or consensus of the wrong type raises ``TypeError``, out of 1–5 ``ValueError``).
    * "Not applicable" answers (``Answer.not_applicable``, framework 2.0) are neither scored
      nor counted as don't-knows: they are only counted, in ``not_applicable``.
    * Question: ``n`` levels, ``dont_know`` don't-knows, ``answered = n + dont_know``,
      ``dont_know_rate = dont_know / answered`` (None when nothing was answered). Of the
      levels, ``low_confidence`` and ``high_confidence`` count those given with that
      confidence; a confidence changes no figure. ``mean`` is
      the mean of the levels; ``score`` is the consensus level when recorded, else ``mean``,
      else None. Consensus (``question key → level 1–5``; ``None`` values and keys outside
      the framework are ignored) changes the score only.
    * Caps (``question key → level 1–5``, "cap by evidence", issue #18; keys outside the
      framework are ignored): a capped question's ``score`` is ``min(score, cap)``, whether the
      score is the mean or the agreed level; ``mean`` and ``consensus_level`` keep what the
      committee said. No caps (the default) change nothing.
    * Spread needs ``n ≥ 3`` (``sufficient``): ``range`` (max − min), population
      ``variance`` (``sd`` is its square root), ``ad`` = mean |x − mean|; ``contested`` when
      ``ad > 4/5`` or ``range ≥ 3``. Otherwise all five are None.
    * Dimension: ``score`` = weighted mean (question weights) of its scored questions;
      ``index = (round_half_up(score) − 1) × 25``, ``stage = floor(round_half_up(score))``.
      Evidence is pooled: ``dont_know_rate = Σ dont_know / Σ answered`` over all its
      questions; ``low_evidence`` when that rate is strictly above 1/2 (a dimension nobody
      answered has rate None and is not flagged). ``agreement = 100 × (1 − mean AD / 2)``
      over its sufficient questions, unweighted, None when there are none. A dimension with
      no scored question is ``unscored``: score, index, stage and agreement are None, and
      ``unscored_reason`` is ``no_answer`` (nothing answered), ``not_applicable`` (only "not
      applicable" answers) or ``dont_know`` (answers, none with a level).
    * Overall: weighted mean (dimension weights, renormalised over scored dimensions) of the
      unrounded dimension scores; ``index`` and a first stage come from the score rounded
      half-up; ``stage = min(that, stage of the weakest dimension + 1)``. The weakest
      dimension is the ``constraint``: lowest unrounded score, ties → first in framework
      order; unscored dimensions are never the constraint. All None when nothing is scored.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import overload

from .types import (
    LEVEL_MAX,
    LEVEL_MIN,
    UNSCORED_DONT_KNOW,
    UNSCORED_NO_ANSWER,
    UNSCORED_NOT_APPLICABLE,
    Answer,
    DimensionScore,
    FrameworkSpec,
    Number,
    OverallScore,
    QuestionScore,
    RoundScores,
    Spread,
    round2,
    round_half_up,
    to_fraction,
)

__all__ = [
    "CONTESTED_AD",
    "CONTESTED_RANGE",
    "INDEX_PER_LEVEL",
    "LOW_EVIDENCE_RATE",
    "MIN_SPREAD_N",
    "agreement_of",
    "counted_answers",
    "index_of",
    "is_contested",
    "mean",
    "round2",
    "score_dimensions",
    "score_overall",
    "score_questions",
    "score_round",
    "spread",
    "stage_of",
    "weighted_mean",
]

#: A question needs at least this many levels for its spread to be computed.
MIN_SPREAD_N = 3
#: A question is contested when its AD is strictly above this ...
CONTESTED_AD = Fraction(4, 5)
#: ... or its range is at least this.
CONTESTED_RANGE = 3
#: A dimension is low evidence when its pooled don't-know rate is strictly above this.
LOW_EVIDENCE_RATE = Fraction(1, 2)
#: Index points per level above 1 (level 1 → 0, level 5 → 100).
INDEX_PER_LEVEL = 25


# --------------------------------------------------------------------------- small pieces


def _as_int(value: object) -> int | None:
    """``value`` as a plain int when it is a whole number held exactly, else ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, Fraction) and value.denominator == 1:
        return value.numerator
    return None


def mean(values: Iterable[Number]) -> Fraction | None:
    """Exact arithmetic mean; ``None`` for no values."""
    items = list(values)
    if not items:
        return None
    ints = [i for i in map(_as_int, items) if i is not None]
    if len(ints) == len(items):
        # Integer sums are exact and far cheaper than adding Fractions one by one.
        return Fraction(sum(ints), len(ints))
    return sum((to_fraction(v) for v in items), Fraction(0)) / len(items)


def weighted_mean(pairs: Iterable[tuple[Number, Number]]) -> Fraction | None:
    """Exact mean of ``(value, weight)`` pairs; ``None`` for no pairs (weights are > 0)."""
    pairs = list(pairs)
    ints = [(v, w) for v, w in ((_as_int(v), _as_int(w)) for v, w in pairs) if v is not None and w is not None]
    if ints and len(ints) == len(pairs):
        # Whole levels and whole weights (the usual case): exact with plain integers.
        return Fraction(sum(v * w for v, w in ints), sum(w for _v, w in ints))
    total = Fraction(0)
    weights = Fraction(0)
    for value, weight in pairs:
        w = to_fraction(weight)
        total += to_fraction(value) * w
        weights += w
    if not weights:
        return None
    return total / weights


def spread(levels: Sequence[int]) -> Spread | None:
    """Range, population variance and AD of raw levels; ``None`` when ``n < 3``."""
    n = len(levels)
    if n < MIN_SPREAD_N:
        return None
    total = sum(levels)
    # With m = total / n: variance = (n·Σx² − total²) / n² and AD = Σ|n·x − total| / n², in integers.
    variance = Fraction(n * sum(x * x for x in levels) - total * total, n * n)
    ad = Fraction(sum(abs(n * x - total) for x in levels), n * n)
    return Spread(range=max(levels) - min(levels), variance=variance, ad=ad)


def is_contested(s: Spread) -> bool:
    """``AD > 4/5`` or ``range ≥ 3`` (exact comparisons)."""
    return s.ad > CONTESTED_AD or s.range >= CONTESTED_RANGE


def index_of(score: Number | None) -> Fraction | None:
    """``(score rounded half-up to 2 decimals − 1) × 25``, exact; ``None`` stays."""
    if score is None:
        return None
    return (round_half_up(score) - 1) * INDEX_PER_LEVEL


@overload
def stage_of(score: None) -> None: ...
@overload
def stage_of(score: Number) -> int: ...
def stage_of(score: Number | None) -> int | None:
    """``floor(score rounded half-up to 2 decimals)``; ``None`` stays (2.995 → 3)."""
    if score is None:
        return None
    return math.floor(round_half_up(score))


def agreement_of(ads: Iterable[Number]) -> Fraction | None:
    """``100 × (1 − mean(ads) / 2)``; ``None`` for no ADs."""
    m = mean(ads)
    if m is None:
        return None
    return 100 * (1 - m / 2)


def _rate(part: int, whole: int) -> Fraction | None:
    return Fraction(part, whole) if whole else None


def counted_answers(framework: FrameworkSpec, answers: Iterable[Answer]) -> tuple[Answer, ...]:
    """The answers that count: those to framework questions, in the given order.

    Raises ``ValueError`` when a participant answers a framework question more than once.
    """
    keys = framework.questions_by_key()
    seen: set[tuple[object, str]] = set()
    kept: list[Answer] = []
    for answer in answers:
        if answer.question_key not in keys:
            continue
        pair = (answer.participant_id, answer.question_key)
        if pair in seen:
            raise ValueError(f"participant {answer.participant_id!r} answered {answer.question_key!r} more than once")
        seen.add(pair)
        kept.append(answer)
    return tuple(kept)


def _consensus_levels(
    framework: FrameworkSpec, consensus: Mapping[str, int | None] | None, what: str = "consensus level"
) -> dict[str, int]:
    if not consensus:
        return {}
    keys = framework.questions_by_key()
    levels: dict[str, int] = {}
    for key, level in consensus.items():
        if key not in keys or level is None:
            continue
        if isinstance(level, bool) or not isinstance(level, int):
            raise TypeError(f"{what} of {key!r} must be an int 1–5, got {level!r}")
        if not LEVEL_MIN <= level <= LEVEL_MAX:
            raise ValueError(f"{what} of {key!r} must be 1–5, got {level}")
        levels[key] = level
    return levels


# --------------------------------------------------------------------------- scoring


def score_questions(
    framework: FrameworkSpec,
    answers: Iterable[Answer],
    consensus: Mapping[str, int | None] | None = None,
    caps: Mapping[str, int] | None = None,
) -> tuple[QuestionScore, ...]:
    """Score every question of the framework, in framework order (see module rules)."""
    agreed = _consensus_levels(framework, consensus)
    capped = _consensus_levels(framework, caps, "cap")
    levels: dict[str, list[int]] = {}
    dont_know: dict[str, int] = {}
    not_applicable: dict[str, int] = {}
    confidence: dict[tuple[str, str], int] = {}
    for answer in counted_answers(framework, answers):
        key = answer.question_key
        if answer.not_applicable:
            not_applicable[key] = not_applicable.get(key, 0) + 1
        elif answer.level is None:
            dont_know[key] = dont_know.get(key, 0) + 1
        else:
            levels.setdefault(key, []).append(answer.level)
            if answer.confidence is not None:
                confidence[(key, answer.confidence)] = confidence.get((key, answer.confidence), 0) + 1

    scores: list[QuestionScore] = []
    for dimension in framework.dimensions:
        for question in dimension.questions:
            given = levels.get(question.key, [])
            n = len(given)
            dk = dont_know.get(question.key, 0)
            m = mean(given)
            consensus_level = agreed.get(question.key)
            score = Fraction(consensus_level) if consensus_level is not None else m
            cap = capped.get(question.key)
            if cap is not None and score is not None:
                score = min(score, Fraction(cap))
            s = spread(given)
            scores.append(
                QuestionScore(
                    key=question.key,
                    dimension=dimension.key,
                    weight=question.weight,
                    score=score,
                    mean=m,
                    consensus_level=consensus_level,
                    n=n,
                    dont_know=dk,
                    answered=n + dk,
                    dont_know_rate=_rate(dk, n + dk),
                    sufficient=s is not None,
                    range=s.range if s else None,
                    variance=s.variance if s else None,
                    ad=s.ad if s else None,
                    contested=is_contested(s) if s else None,
                    not_applicable=not_applicable.get(question.key, 0),
                    low_confidence=confidence.get((question.key, "low"), 0),
                    high_confidence=confidence.get((question.key, "high"), 0),
                )
            )
    return tuple(scores)


def score_dimensions(framework: FrameworkSpec, questions: Iterable[QuestionScore]) -> tuple[DimensionScore, ...]:
    """Score every dimension of the framework from its question scores, in framework order."""
    by_key = {q.key: q for q in questions}
    results: list[DimensionScore] = []
    for dimension in framework.dimensions:
        qs = [by_key[q.key] for q in dimension.questions if q.key in by_key]
        score = weighted_mean((q.score, q.weight) for q in qs if q.score is not None)
        answered = sum(q.answered for q in qs)
        dk = sum(q.dont_know for q in qs)
        na = sum(q.not_applicable for q in qs)
        rate = _rate(dk, answered)
        agreement = agreement_of(q.ad for q in qs if q.sufficient and q.ad is not None)
        results.append(
            DimensionScore(
                key=dimension.key,
                weight=dimension.weight,
                score=score,
                index=index_of(score),
                stage=stage_of(score),
                answered=answered,
                dont_know=dk,
                dont_know_rate=rate,
                low_evidence=rate is not None and rate > LOW_EVIDENCE_RATE,
                agreement=agreement if score is not None else None,
                unscored=score is None,
                not_applicable=na,
                unscored_reason=None if score is not None else _unscored_reason(answered, na),
            )
        )
    return tuple(results)


def _unscored_reason(answered: int, not_applicable: int) -> str:
    """Why a dimension without a scored question has no score (``answered`` counts levels and don't-knows)."""
    if answered:
        return UNSCORED_DONT_KNOW
    return UNSCORED_NOT_APPLICABLE if not_applicable else UNSCORED_NO_ANSWER


def score_overall(dimensions: Iterable[DimensionScore]) -> OverallScore:
    """Overall score, index, stage and constraint from dimension scores in framework order."""
    scored = [(d, d.score) for d in dimensions if d.score is not None]
    if not scored:
        return OverallScore(score=None, index=None, stage=None, constraint=None)
    score = weighted_mean((value, d.weight) for d, value in scored)
    weakest, weakest_score = scored[0]
    for d, value in scored[1:]:
        if value < weakest_score:  # strict: ties keep the first in framework order
            weakest, weakest_score = d, value
    # A scored dimension always has a stage, and weights are > 0, so neither is None here.
    assert score is not None and weakest.stage is not None
    stage = min(stage_of(score), weakest.stage + 1)
    return OverallScore(score=score, index=index_of(score), stage=stage, constraint=weakest.key)


def score_round(
    framework: FrameworkSpec,
    answers: Iterable[Answer],
    consensus: Mapping[str, int | None] | None = None,
    caps: Mapping[str, int] | None = None,
) -> RoundScores:
    """Questions, dimensions and overall of a round (see the module docstring)."""
    questions = score_questions(framework, answers, consensus, caps)
    dimensions = score_dimensions(framework, questions)
    return RoundScores(questions=questions, dimensions=dimensions, overall=score_overall(dimensions))
