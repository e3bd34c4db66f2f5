"""The minimum response rule: when a round's results rest on too few people to be read with confidence.

A round of 9 with one submission must not show "Stage 3" with green deltas as if the committee had
spoken. The rule, per round (both thresholds are settings of the round):

* **Who counts.** The *invited* are the round's participants who are not withdrawn (the people whose
  answers count in the scores). The *submitted* are those of them who submitted.
* **Answered a dimension.** A participant answered a dimension when at least one of their answers
  to a question of that dimension exists, a level (1–5) or "don't know". A "don't know" counts:
  the person took part in that dimension, even if it lowers the evidence (the scores say so).
  Submission does not matter, because unsubmitted answers count in the scores too.
* **Enough.** Every dimension needs at least ``required`` respondents, where
  ``required = max(min_respondents, ceil(min_share × invited))`` — by default at least 3 people
  and at least half of those invited. A dimension below it is *short*; a round with any short
  dimension (or no dimension at all) is a *low sample*.

Pure Python, exact arithmetic (``Fraction``): no Django, no clock, no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

DEFAULT_MIN_RESPONDENTS = 3
DEFAULT_MIN_PERCENT = 50


@dataclass(frozen=True)
class SampleRule:
    """At least ``min_respondents`` people and at least ``min_share`` of those invited, in every dimension."""

    min_respondents: int = DEFAULT_MIN_RESPONDENTS
    min_share: Fraction = Fraction(DEFAULT_MIN_PERCENT, 100)

    def __post_init__(self) -> None:
        if isinstance(self.min_respondents, bool) or not isinstance(self.min_respondents, int) or self.min_respondents < 1:
            raise ValueError(f"min_respondents must be a whole number of at least 1, got {self.min_respondents!r}")
        share = Fraction(self.min_share)
        if not 0 <= share <= 1:
            raise ValueError(f"min_share must lie between 0 and 1, got {self.min_share!r}")
        object.__setattr__(self, "min_share", share)

    @classmethod
    def from_percent(cls, min_respondents: int, min_percent: int) -> SampleRule:
        return cls(min_respondents=min_respondents, min_share=Fraction(min_percent, 100))

    def required(self, invited: int) -> int:
        """How many respondents each dimension needs when ``invited`` people count."""
        return max(self.min_respondents, math.ceil(self.min_share * invited))


@dataclass(frozen=True)
class DimensionSample:
    key: str
    respondents: int
    short: bool


@dataclass(frozen=True)
class SampleCheck:
    """The counts behind the rule and its verdict for one round."""

    rule: SampleRule
    invited: int
    submitted: int
    required: int
    dimensions: tuple[DimensionSample, ...]

    @property
    def short(self) -> tuple[DimensionSample, ...]:
        return tuple(d for d in self.dimensions if d.short)

    @property
    def low(self) -> bool:
        return not self.dimensions or bool(self.short)

    def as_export(self) -> dict[str, Any]:
        """JSON shape stored in the snapshot and exported (`low_sample`): counts, never names."""
        return {
            "low": self.low,
            "invited": self.invited,
            "submitted": self.submitted,
            "required": self.required,
            "min_respondents": self.rule.min_respondents,
            "min_percent": _percent(self.rule.min_share),
            "dimensions": [{"key": d.key, "respondents": d.respondents, "short": d.short} for d in self.dimensions],
        }


def _percent(share: Fraction) -> int | float:
    value = share * 100
    return int(value) if value.denominator == 1 else float(value)


def respondents_by_dimension(
    dimension_of: Mapping[str, str], dimension_keys: Sequence[str], answers: Iterable[tuple[Any, str]]
) -> dict[str, int]:
    """``dimension key → number of distinct participants`` with at least one answer (level or don't know) in it.

    ``dimension_of`` maps a question key to its dimension key; ``answers`` are ``(participant id,
    question key)`` pairs of the answers that count. Questions outside the framework are ignored.
    """
    people: dict[str, set[Any]] = {key: set() for key in dimension_keys}
    for participant, question in answers:
        dimension = dimension_of.get(question)
        if dimension in people:
            people[dimension].add(participant)
    return {key: len(who) for key, who in people.items()}


def check_sample(rule: SampleRule, *, invited: int, submitted: int, respondents: Mapping[str, int]) -> SampleCheck:
    """The verdict of ``rule`` on a round, dimensions in the order of ``respondents``."""
    if invited < 0 or not 0 <= submitted <= invited:
        raise ValueError(f"needs 0 <= submitted <= invited, got submitted={submitted}, invited={invited}")
    required = rule.required(invited)
    return SampleCheck(
        rule=rule,
        invited=invited,
        submitted=submitted,
        required=required,
        dimensions=tuple(DimensionSample(key=key, respondents=n, short=n < required) for key, n in respondents.items()),
    )
