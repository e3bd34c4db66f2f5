"""Peer statistics, pure: the quartiles PostgreSQL's ``percentile_cont`` gives, computed exactly.

``percentile_cont(f)`` over n sorted values interpolates linearly between the values at 0-based
positions ``floor(f × (n − 1))`` and ``ceil(f × (n − 1))``; this module does the same with
``Fraction`` so the embedded (SQLite) path and the PostgreSQL path give the same figures. Scores
may come as ``Decimal`` or as ``float`` (a float is read through its shortest repr, so 2.35 means
235/100, the stored two-decimal score).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

Number = Fraction | Decimal | int | float
QUARTILES = (Fraction(1, 4), Fraction(1, 2), Fraction(3, 4))


@dataclass(frozen=True)
class PeerStats:
    """One dimension across the peer group: how many peers have a score, and its quartiles (floats)."""

    count: int
    q1: float | None
    median: float | None
    q3: float | None


def _exact(value: Number) -> Fraction:
    return Fraction(Decimal(repr(value))) if isinstance(value, float) else Fraction(value)


def positions(count: int, fraction: Fraction | float) -> tuple[int, int, Fraction]:
    """The 0-based positions around the ``fraction`` percentile of ``count`` sorted values, and the weight of the upper one."""
    f = Fraction(fraction)
    if not 0 <= f <= 1:
        raise ValueError(f"percentile fraction {fraction!r} is outside [0, 1]")
    position = f * (count - 1)
    low = math.floor(position)
    return low, math.ceil(position), position - low


def interpolate(count: int, fraction: Fraction | float, value_at: Callable[[int], Number]) -> Fraction | None:
    """The percentile from the two values it needs; ``value_at(i)`` gives the i-th smallest (0-based)."""
    if count == 0:
        return None
    low, high, weight = positions(count, fraction)
    below = _exact(value_at(low))
    return below if low == high else below + (_exact(value_at(high)) - below) * weight


def percentile_sorted(ordered: Sequence[Number], fraction: Fraction | float) -> Fraction | None:
    """The ``fraction`` percentile of ``ordered`` (already sorted ascending); None when it is empty."""
    return interpolate(len(ordered), fraction, ordered.__getitem__)


def percentile_cont(values: Iterable[Number], fraction: Fraction | float) -> Fraction | None:
    """The ``fraction`` percentile of ``values`` (any order) by linear interpolation; None when empty."""
    return percentile_sorted(sorted(values), fraction)


def peer_stats(values: Iterable[Number | None]) -> PeerStats:
    """Count and quartiles of one dimension; null scores (unscored dimensions) are left out, as SQL does."""
    ordered = sorted(v for v in values if v is not None)
    q1, median, q3 = (percentile_sorted(ordered, f) for f in QUARTILES)
    return PeerStats(
        count=len(ordered),
        q1=None if q1 is None else float(q1),
        median=None if median is None else float(median),
        q3=None if q3 is None else float(q3),
    )


def stats_by_dimension(scores: Mapping[str, Iterable[Number | None]]) -> dict[str, PeerStats]:
    return {key: peer_stats(values) for key, values in scores.items()}
