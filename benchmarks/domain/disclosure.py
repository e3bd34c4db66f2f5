"""What peer figures may be shown, pure: an order statistic must never give away one organisation's score.

A median or quartile of a handful of organisations *is* one of their scores: four self-made "peers"
scoring 1, 1, 5 and 5 put a victim's exact score in the middle of five. Independence checks (in the
selectors) stop peers that share people, a firm or a creator with each other or with the viewer;
what they cannot see (an attacker with separate accounts) is covered here, deterministically, so
the rule is easy to state and to test:

- nothing is shown for a dimension with fewer than ``MIN_PEERS`` scored peers;
- the quartiles only from ``MIN_PEERS_FOR_QUARTILES`` peers: with fewer, each quartile sits on or
  next to one organisation's score, and together with the median they would pin down three of them;
- every figure is rounded half-up to ``STEP`` (half a point on the 1–5 scale). Whatever the peers
  around it, a viewer learns at most which half-point band an organisation's score lies in, which
  says no more than its stage (a whole point) already suggests; the stored two-decimal score is
  never printed unless it happens to sit on the grid itself.

Calibrated noise was rejected: it would change the figure on every computation (or need a stored
seed per group that repeated queries average away) and makes the page impossible to check.
"""

from __future__ import annotations

import math
from fractions import Fraction

from .percentiles import PeerStats

MIN_PEERS = 5
MIN_PEERS_FOR_QUARTILES = 10
STEP = Fraction(1, 2)


def coarsen(value: float | Fraction | None, step: Fraction = STEP) -> float | None:
    """``value`` rounded half-up to a multiple of ``step`` (exactly: floats are read through their shortest repr)."""
    if value is None:
        return None
    exact = Fraction(repr(value)) if isinstance(value, float) else Fraction(value)
    return float(math.floor(exact / step + Fraction(1, 2)) * step)


def disclosed(
    stats: PeerStats, *, min_peers: int = MIN_PEERS, min_for_quartiles: int = MIN_PEERS_FOR_QUARTILES, step: Fraction = STEP
) -> PeerStats | None:
    """The figures of one dimension that may be shown, coarsened; None when nothing may be."""
    if stats.count < min_peers or stats.median is None:
        return None
    quartiles = stats.count >= min_for_quartiles
    return PeerStats(
        count=stats.count,
        q1=coarsen(stats.q1, step) if quartiles else None,
        median=coarsen(stats.median, step),
        q3=coarsen(stats.q3, step) if quartiles else None,
    )
