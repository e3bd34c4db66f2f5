"""Frozen value types of the roadmap and RACI domain.

Roadmap inputs
    ``Initiative`` one entry of the initiative library; ``KpiLink(metric, drives)`` one of its
    KPIs; ``DimensionState`` the scored state and target of a dimension (given in framework
    order); ``PlacedItem`` an item the facilitator locked or added by hand.

Roadmap outputs
    ``PlannedInitiative`` one scheduled initiative; ``Problem(path, message)`` one problem
    found in the initiative library.

RACI
    ``Violation`` one finding of the to-be validation; ``AsIsRow`` the as-is votes of an
    activity; ``ProposedCell`` one proposed to-be cell with its ``Reason``; ``RaciRules`` the
    proposal rules (``RaciRule`` per activity, ``StageRule`` per weak dimension), read from
    ``roadmaps/rules/raci.toml`` by the loader and passed in.

The domain words nothing: a violation or a reason is a ``code`` with ``params`` (keys and
figures), and ``roadmaps/raci_messages.py`` turns it into text in the active language (gettext).
Every figure is exact (``Fraction`` / ``int``); rounding happens only at the export edge
(``prioritisation.round2``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

#: Why an initiative is in the roadmap (EXPORTS.md ``selected_by``).
SELECTED_BY = ("gap", "prerequisite", "context", "custom")


@dataclass(frozen=True)
class Problem:
    """A problem found while validating input data; ``path`` is a JSON-style path."""

    path: str
    message: str


@dataclass(frozen=True)
class KpiLink:
    """A KPI of an initiative: the metric it moves and the financial metric it drives."""

    metric: str
    drives: str | None = None


@dataclass(frozen=True)
class Initiative:
    """One initiative of the library.

    ``from_level`` is the lower level of the step it serves (1→2 is ``from_level=1``);
    it is ``None`` for an initiative that is not a level step: a context initiative (which
    may still name its ``dimension``) or a cross-cutting one without a dimension.
    """

    key: str
    dimension: str | None
    from_level: int | None
    effort: int
    impact: int
    duration_months: int
    prerequisites: tuple[str, ...] = ()
    activity: str = ""
    quick_win: bool = False
    context_condition: str | None = None
    kpis: tuple[KpiLink, ...] = ()

    def __post_init__(self) -> None:
        # Accept lists from loaders while keeping the value hashable and immutable.
        object.__setattr__(self, "prerequisites", tuple(self.prerequisites))
        object.__setattr__(self, "kpis", tuple(self.kpis))


@dataclass(frozen=True)
class DimensionState:
    """A dimension as the roadmap sees it: ``stage``/``score`` are ``None`` when unscored.

    ``score`` is used exactly as given: pass the stored snapshot score (2 decimals) so that
    exported priorities can be recomputed from exported figures.
    """

    key: str
    stage: int | None
    score: Fraction | None
    target: int | None
    importance: int = 2


@dataclass(frozen=True)
class PlacedItem:
    """An item that keeps its place on regeneration: locked, custom, or both.

    ``dimension``/``from_level`` default to the library's when ``key`` is a library
    initiative. ``selected_by`` is the reason recorded when the item was first generated,
    used only when the item is no longer selected (see ``prioritisation``).
    """

    key: str
    start_month: int
    duration_months: int
    dimension: str | None = None
    from_level: int | None = None
    locked: bool = True
    custom: bool = False
    selected_by: str | None = None

    def __post_init__(self) -> None:
        if not (self.locked or self.custom):
            raise ValueError(f"placed item {self.key!r} must be locked or custom")
        if self.start_month < 0:
            raise ValueError(f"placed item {self.key!r}: start month {self.start_month} < 0")
        if self.duration_months < 1:
            raise ValueError(f"placed item {self.key!r}: duration {self.duration_months} < 1")


@dataclass(frozen=True)
class PlannedInitiative:
    """One initiative of the generated roadmap.

    ``priority`` is exact; it is ``None`` for a context initiative (ranked above every
    computed priority) and for a custom item (never ranked). ``earliest_month`` is the month
    the dependencies allowed; ``start_month`` is later when a horizon was full.
    """

    key: str
    dimension: str | None
    from_level: int | None
    start_month: int
    duration_months: int
    finish_month: int
    horizon: str
    priority: Fraction | None
    selected_by: str
    locked: bool = False
    custom: bool = False
    earliest_month: int = 0
    prerequisites: tuple[str, ...] = ()
    activity: str | None = None
    effort: int | None = None
    impact: int | None = None
    quick_win: bool = False
    kpis: tuple[KpiLink, ...] = ()


@dataclass(frozen=True)
class Violation:
    """A RACI finding: ``severity`` is ``"error"`` or ``"warning"``; ``params`` fill its message.

    ``params`` by code: ``multiple_accountable`` ``count`` and ``roles`` (the keys holding an A);
    ``too_many_consulted`` and ``role_overloaded`` ``count`` and ``limit``; the others none (the
    ``activity`` and ``role`` fields name what the message is about).
    """

    severity: str
    code: str
    activity: str | None
    role: str | None
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class AsIsRow:
    """The as-is answers for one activity.

    ``votes`` counts the votes per named role; ``accountable`` is the role with a strict
    plurality of them (``None`` on a tie or without named votes); ``disagreement`` is
    ``1 - top / named votes`` (``None`` without named votes).
    """

    activity: str
    votes: Mapping[str, int]
    nobody: int
    dont_know: int
    accountable: str | None
    disagreement: Fraction | None


@dataclass(frozen=True)
class Reason:
    """Why a cell was proposed: a ``code`` (see ``raci.REASON_CODES``) and the ``params`` of its text."""

    code: str
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class ProposedCell:
    """One proposed to-be RACI cell and the reason for it."""

    activity: str
    role: str
    letter: str
    reason: Reason


@dataclass(frozen=True)
class RaciRule:
    """The base proposal for one activity: A, then R, then C; ``inform_others`` informs every other role."""

    a: str
    r: tuple[str, ...]
    c: tuple[str, ...] = ()
    inform_others: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "r", tuple(self.r))
        object.__setattr__(self, "c", tuple(self.c))


@dataclass(frozen=True)
class StageRule:
    """A weak dimension adds a doer: ``dimension`` at ``at_most_stage`` or below makes ``role`` R on ``activity``."""

    dimension: str
    at_most_stage: int
    activity: str
    role: str


@dataclass(frozen=True)
class RaciRules:
    """The proposal rules: one table with a CXO, one without (activity → rule), then the stage rules.

    ``stand_ins`` names the roles an organisation may not have (those cx-governance 2.0 added) and,
    for each, who holds its A when it is not in the RACI (see ``raci.propose_to_be``).
    """

    with_cxo: Mapping[str, RaciRule]
    without_cxo: Mapping[str, RaciRule]
    weak_dimensions: tuple[StageRule, ...] = ()
    stand_ins: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def table(self, cxo_exists: bool) -> Mapping[str, RaciRule]:
        return self.with_cxo if cxo_exists else self.without_cxo

    @staticmethod
    def table_name(cxo_exists: bool) -> str:
        return "with_cxo" if cxo_exists else "without_cxo"
