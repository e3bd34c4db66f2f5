"""Frozen value types of the scoring domain, and the number helpers used at its edge.

Inputs
    ``QuestionSpec(key, weight=1)``, ``DimensionSpec(key, weight=1, questions=())``,
    ``FrameworkSpec(dimensions)`` describe the framework; ``Answer(participant_id,
    question_key, level, not_applicable=False, confidence=None)`` is one saved answer
    (``level=None`` is "don't know", or "not applicable" with ``not_applicable``).
    Weights accept ``int``, ``Fraction``, ``Decimal``, ``str`` ("1.5", "3/2") or ``float``
    (read through its shortest repr, so ``0.1`` means 1/10) and are stored as ``Fraction``;
    they must be positive.

Outputs
    ``QuestionScore``, ``DimensionScore``, ``OverallScore``, ``RoundScores`` (see
    ``scoring``) and ``FunctionMean``, ``PerceptionGap``, ``Alignment`` (see ``alignment``).
    Every figure is held exactly (``Fraction``; ``int`` for counts, ranges and stages), except
    ``QuestionScore.sd``, the square root of the exact ``variance``, held as a 50-digit
    ``Decimal`` for display only. ``as_export()`` turns an output into the JSON shape of
    EXPORTS.md: that is the only place where values are rounded (half-up, 2 decimals).

Number helpers
    ``to_fraction(x)`` exact conversion; ``round_half_up(x, places=2) -> Fraction`` exact
    rounding; ``round2(x) -> float | None`` the edge rounding; ``sqrt_round2(v)`` the rounded
    square root of an exact non-negative value (used for the standard deviation, so that even
    a root lying exactly on a half, e.g. sqrt(1/64) = 0.125 → 0.13, rounds correctly).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Context, Decimal, localcontext
from fractions import Fraction
from typing import Any

LEVEL_MIN = 1
LEVEL_MAX = 5
#: How sure a respondent is of a level (answers.CONFIDENCE_LEVELS, kept here so that types imports nothing).
CONFIDENCE_LEVELS = ("low", "high")

#: Anything :func:`to_fraction` accepts.
Number = int | Fraction | Decimal | str | float

SD_DIGITS = 50


# --------------------------------------------------------------------------- numbers


def to_fraction(value: Number) -> Fraction:
    """Return ``value`` as an exact ``Fraction``.

    Floats are read through their shortest repr (``2.675`` → 2675/1000), which is what a
    person typed or sees; every other type converts exactly. ``bool`` and non-finite values
    are refused.
    """
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number here")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"not a finite number: {value!r}")
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"not a finite number: {value!r}")
        return Fraction(repr(value))
    if isinstance(value, str):
        return Fraction(value.strip())
    raise TypeError(f"not a number: {value!r}")


def _half_up_units(value: Number, places: int) -> tuple[int, int]:
    """``(k, 10**places)`` with ``k / 10**places`` = ``value`` rounded half-up (away from 0)."""
    x = to_fraction(value)
    scale = 10**places
    k = math.floor(abs(x) * scale + Fraction(1, 2))
    return (k if x >= 0 else -k), scale


def round_half_up(value: Number, places: int = 2) -> Fraction:
    """Exact ``value`` rounded half-up to ``places`` decimals, as a ``Fraction``.

    Same result as ``Decimal(exact value).quantize(..., ROUND_HALF_UP)`` had Decimal been able
    to hold the exact value: ties go away from zero (2.625 → 2.63, −2.625 → −2.63).
    """
    k, scale = _half_up_units(value, places)
    return Fraction(k, scale)


def round2(value: Number | None) -> float | None:
    """Edge rounding: ``value`` rounded half-up to 2 decimals as a ``float``; ``None`` stays.

    Rounding is done on the exact value; the float is only the carrier of the 2-decimal
    result (``float(Decimal("2.68"))``), so JSON prints it as written.
    """
    if value is None:
        return None
    k, _ = _half_up_units(value, 2)
    return float(Decimal(k).scaleb(-2))


def sqrt_round2(value: Number | None) -> float | None:
    """``sqrt(value)`` rounded half-up to 2 decimals, computed exactly; ``None`` stays.

    With ``w = value × 10⁴``, the result is ``k / 100`` where ``k = floor(sqrt(w) + 1/2)``,
    i.e. the largest ``k`` with ``(2k − 1)² ≤ 4w``, found with integer square roots only.
    """
    if value is None:
        return None
    w = to_fraction(value) * 10_000
    if w < 0:
        raise ValueError("square root of a negative value")
    t = math.isqrt((4 * w.numerator) // w.denominator)  # = floor(sqrt(4w))
    k = (t + 1) // 2
    return float(Decimal(k).scaleb(-2))


def sqrt_decimal(value: Number, digits: int = SD_DIGITS) -> Decimal:
    """``sqrt(value)`` to ``digits`` significant digits (display only; never compared)."""
    x = to_fraction(value)
    if x < 0:
        raise ValueError("square root of a negative value")
    with localcontext(Context(prec=digits + 5)):
        root = (Decimal(x.numerator) / Decimal(x.denominator)).sqrt()
    with localcontext(Context(prec=digits)):
        return +root


def export_weight(weight: Fraction) -> int | float | None:
    """A weight for JSON: an ``int`` when whole (``1``), else rounded to 2 decimals."""
    if weight.denominator == 1:
        return int(weight)
    return round2(weight)


# --------------------------------------------------------------------------- inputs


def _check_key(key: Any, what: str) -> None:
    if not isinstance(key, str) or not key:
        raise ValueError(f"{what} key must be a non-empty string, got {key!r}")


def _positive_weight(value: Number, what: str) -> Fraction:
    weight = to_fraction(value)
    if weight <= 0:
        raise ValueError(f"{what} weight must be positive, got {value!r}")
    return weight


@dataclass(frozen=True)
class QuestionSpec:
    """A scored question of the framework and its weight inside its dimension."""

    key: str
    weight: Fraction = Fraction(1)

    def __post_init__(self) -> None:
        _check_key(self.key, "question")
        object.__setattr__(self, "weight", _positive_weight(self.weight, f"question {self.key}"))


@dataclass(frozen=True)
class DimensionSpec:
    """A dimension of the framework, its weight in the overall and its questions in order."""

    key: str
    weight: Fraction = Fraction(1)
    questions: tuple[QuestionSpec, ...] = ()

    def __post_init__(self) -> None:
        _check_key(self.key, "dimension")
        object.__setattr__(self, "weight", _positive_weight(self.weight, f"dimension {self.key}"))
        object.__setattr__(self, "questions", tuple(self.questions))


@dataclass(frozen=True)
class FrameworkSpec:
    """The dimensions of a framework, in framework order. Keys are unique framework-wide."""

    dimensions: tuple[DimensionSpec, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "dimensions", tuple(self.dimensions))
        seen_dimensions: set[str] = set()
        seen_questions: set[str] = set()
        for dimension in self.dimensions:
            if dimension.key in seen_dimensions:
                raise ValueError(f"duplicate dimension key {dimension.key!r}")
            seen_dimensions.add(dimension.key)
            for question in dimension.questions:
                if question.key in seen_questions:
                    raise ValueError(f"duplicate question key {question.key!r}")
                seen_questions.add(question.key)

    def questions_by_key(self) -> dict[str, tuple[DimensionSpec, QuestionSpec]]:
        """``question key → (its dimension, the question)``, in framework order."""
        return {q.key: (d, q) for d in self.dimensions for q in d.questions}


@dataclass(frozen=True)
class Answer:
    """One counted answer: a level 1–5, ``None`` for "don't know", or "not applicable".

    ``not_applicable`` answers have no level (a level with it raises ``ValueError``).
    ``confidence`` ("low", "high" or None) qualifies a level: with no level it is dropped
    (set to None), so a confidence left over from an earlier level never counts.
    The caller passes each (participant, question) pair at most once; the domain refuses
    duplicates rather than guess which one counts.
    """

    participant_id: int
    question_key: str
    level: int | None
    not_applicable: bool = False
    confidence: str | None = None

    def __post_init__(self) -> None:
        if self.confidence is not None and self.confidence not in CONFIDENCE_LEVELS:
            raise ValueError(f"confidence must be one of {CONFIDENCE_LEVELS} or None, got {self.confidence!r}")
        level = self.level
        if self.not_applicable and level is not None:
            raise ValueError(f"a not applicable answer has no level, got {level!r}")
        if level is None:
            object.__setattr__(self, "confidence", None)
            return
        if isinstance(level, bool) or not isinstance(level, int):
            raise TypeError(f"level must be an int 1–5 or None, got {level!r}")
        if not LEVEL_MIN <= level <= LEVEL_MAX:
            raise ValueError(f"level must be 1–5, got {level}")


# --------------------------------------------------------------------------- outputs

#: Why a dimension is unscored: nobody answered any of its questions ...
UNSCORED_NO_ANSWER = "no_answer"
#: ... its answers are all "not applicable" ...
UNSCORED_NOT_APPLICABLE = "not_applicable"
#: ... or they hold no level: "don't know" only (with or without "not applicable").
UNSCORED_DONT_KNOW = "dont_know"


@dataclass(frozen=True)
class Spread:
    """Spread of the raw levels of a question with ``n ≥ 3`` levels (exact)."""

    range: int
    variance: Fraction  # population variance
    ad: Fraction  # mean absolute deviation from the mean


@dataclass(frozen=True)
class QuestionScore:
    """Score, evidence and spread of one question.

    ``score`` is the consensus level when one is recorded, else ``mean`` (``None`` with
    neither). ``range``/``variance``/``sd``/``ad``/``contested`` are ``None`` unless
    ``sufficient`` (``n ≥ 3``), and always come from the raw levels. ``not_applicable``
    counts the "not applicable" answers (in neither ``answered`` nor ``dont_know``);
    ``low_confidence`` / ``high_confidence`` count the levels given with that confidence.
    These three are not in ``as_export()``: snapshot.answer_details writes them, on the
    rows of a schema-2 round only, so a 1.0 round's stored document keeps its shape.
    """

    key: str
    dimension: str
    weight: Fraction
    score: Fraction | None
    mean: Fraction | None
    consensus_level: int | None
    n: int
    dont_know: int
    answered: int
    dont_know_rate: Fraction | None
    sufficient: bool
    range: int | None
    variance: Fraction | None
    ad: Fraction | None
    contested: bool | None
    not_applicable: int = 0
    low_confidence: int = 0
    high_confidence: int = 0

    @property
    def sd(self) -> Decimal | None:
        """Population standard deviation (50 digits, for display); derived from ``variance`` on demand."""
        return None if self.variance is None else sqrt_decimal(self.variance)

    def as_export(self) -> dict[str, Any]:
        """The ``scores.questions[]`` row of EXPORTS.md (without ``consensus_rationale``,
        which the domain does not know), plus ``dont_know_rate``."""
        return {
            "key": self.key,
            "dimension": self.dimension,
            "weight": export_weight(self.weight),
            "score": round2(self.score),
            "mean": round2(self.mean),
            "consensus_level": self.consensus_level,
            "n": self.n,
            "dont_know": self.dont_know,
            "answered": self.answered,
            "dont_know_rate": round2(self.dont_know_rate),
            "sufficient": self.sufficient,
            "range": self.range,
            "sd": sqrt_round2(self.variance),
            "ad": round2(self.ad),
            "contested": self.contested,
        }


@dataclass(frozen=True)
class DimensionScore:
    """Score, evidence and agreement of one dimension.

    ``score`` is exact; ``index`` and ``stage`` derive from the score rounded half-up to 2
    decimals. An ``unscored`` dimension has ``score``/``index``/``stage``/``agreement`` None,
    and ``unscored_reason`` says why (``UNSCORED_*``; None when scored). ``not_applicable``
    counts its "not applicable" answers (written by snapshot.answer_details, see
    QuestionScore); the reason is not stored: pages read an unscored row as before.
    """

    key: str
    weight: Fraction
    score: Fraction | None
    index: Fraction | None
    stage: int | None
    answered: int
    dont_know: int
    dont_know_rate: Fraction | None
    low_evidence: bool
    agreement: Fraction | None
    unscored: bool
    not_applicable: int = 0
    unscored_reason: str | None = None

    def as_export(self) -> dict[str, Any]:
        """The ``scores.dimensions[]`` row of EXPORTS.md."""
        return {
            "key": self.key,
            "weight": export_weight(self.weight),
            "score": round2(self.score),
            "index": round2(self.index),
            "stage": self.stage,
            "answered": self.answered,
            "dont_know": self.dont_know,
            "dont_know_rate": round2(self.dont_know_rate),
            "low_evidence": self.low_evidence,
            "agreement": round2(self.agreement),
            "unscored": self.unscored,
        }


@dataclass(frozen=True)
class OverallScore:
    """Overall score of a round; every field is ``None`` when no dimension is scored."""

    score: Fraction | None
    index: Fraction | None
    stage: int | None
    constraint: str | None

    def as_export(self) -> dict[str, Any]:
        """The ``scores.overall`` object of EXPORTS.md."""
        return {
            "score": round2(self.score),
            "index": round2(self.index),
            "stage": self.stage,
            "constraint": self.constraint,
        }


@dataclass(frozen=True)
class RoundScores:
    """All scores of a round, each tuple in framework order."""

    questions: tuple[QuestionScore, ...]
    dimensions: tuple[DimensionScore, ...]
    overall: OverallScore

    def question(self, key: str) -> QuestionScore:
        """The score of question ``key`` (``KeyError`` when not in the framework)."""
        for question in self.questions:
            if question.key == key:
                return question
        raise KeyError(key)

    def dimension(self, key: str) -> DimensionScore:
        """The score of dimension ``key`` (``KeyError`` when not in the framework)."""
        for dimension in self.dimensions:
            if dimension.key == key:
                return dimension
        raise KeyError(key)

    def as_export(self) -> dict[str, Any]:
        """The ``scores`` object of EXPORTS.md."""
        return {
            "overall": self.overall.as_export(),
            "dimensions": [d.as_export() for d in self.dimensions],
            "questions": [q.as_export() for q in self.questions],
        }


@dataclass(frozen=True)
class FunctionMean:
    """Mean of one function's participants' scores in one dimension.

    ``participants`` counts the participants whose dimension score enters the mean (those
    with at least one level in the dimension); ``answers`` counts their levels there.
    """

    function: str
    dimension: str
    mean: Fraction
    participants: int
    answers: int

    def as_export(self) -> dict[str, Any]:
        """The ``alignment.by_function[]`` row of EXPORTS.md."""
        return {
            "function": self.function,
            "dimension": self.dimension,
            "mean": round2(self.mean),
            "participants": self.participants,
        }


@dataclass(frozen=True)
class PerceptionGap:
    """Highest minus lowest shown function mean of a dimension (``None`` with < 2)."""

    dimension: str
    gap: Fraction | None
    flagged: bool

    def as_export(self) -> dict[str, Any]:
        """The ``alignment.perception_gaps[]`` row of EXPORTS.md."""
        return {
            "dimension": self.dimension,
            "gap": round2(self.gap),
            "flagged": self.flagged,
        }


@dataclass(frozen=True)
class Alignment:
    """Per-function means (only the shown groups) and perception gaps of a round."""

    by_function: tuple[FunctionMean, ...]
    perception_gaps: tuple[PerceptionGap, ...]

    def as_export(self) -> dict[str, Any]:
        """The ``alignment`` object of EXPORTS.md."""
        return {
            "by_function": [m.as_export() for m in self.by_function],
            "perception_gaps": [g.as_export() for g in self.perception_gaps],
        }
