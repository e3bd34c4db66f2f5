"""The ownership map of a round's as-is RACI: who each executive thinks is accountable for what (issue #17).

Public API (pure functions; exact ``Fraction`` arithmetic)::

    ownership_map(respondents: Iterable[Respondent], activities: Sequence[str],
                  roles: Sequence[str], anonymous: bool) -> tuple[OwnershipRow, ...]
    ambiguity_index(counts: Iterable[int]) -> Fraction | None
    contested_first(rows: Iterable[RowT]) -> list[RowT]

Input: per respondent (a participant whose answers count), their function (``None`` when it is
not known) and, per activity, the A they named (``accountable``: a role key, ``"nobody"`` or
``"dont_know"``) and the letters R, C or I they gave roles (``letters``; none on framework 1.0,
which asked for the A only). A role named A may also be R.

Rules, per activity (one row per activity of ``activities``, in that order; answers about other
activities are ignored):

    * **A counts** (``accountable``): how many respondents named each role as A, most named first,
      ties in the order of ``roles`` (a role the answers name outside ``roles`` — hidden or since
      removed — comes after them, by key). Roles nobody named are left out.
    * ``nobody`` and ``dont_know``: how many said that nobody is accountable, or did not know.
    * **Plurality**: the answer (a role key or ``"nobody"``) that strictly more respondents gave
      than any other, don't-knows left out; ``None`` on a tie or without such answers.
    * **Ownership ambiguity index**: over the ``N`` answers that name a role or ``"nobody"``
      (don't-knows left out), the probability that two different respondents, drawn at random,
      gave different answers: ``1 − Σ nᵢ(nᵢ − 1) / (N(N − 1))`` over the answers' counts ``nᵢ``.
      It is 0 exactly when every answer is the same, 1 exactly when no two are; ``None`` below
      two answers (no pair to compare).
    * **contested**: the index is at least :data:`CONTESTED_AMBIGUITY` (½: at least one pair of
      respondents in two names a different A). It orders the map, as contested questions do.
    * **no_a** (no A in people's minds): at least one respondent answered, and no role is named
      A more often than "nobody" — every answer is "nobody" or "don't know", or "nobody" is
      given at least as often as the most named role. A tie between two roles is not "no A": it
      is ``several_a``.
    * **several_a**: two roles or more are named A, by anyone.
    * **R counts** (``responsible``): how many respondents gave each role the letter R, ordered
      as the A counts. C and I are collected but not counted here.
    * **Perception gaps by function** (``function_gaps``): the functions whose A differs from the
      plurality, with the answer they gave and how many of their respondents gave it (``"nobody"``
      is an answer; don't-knows are not). On a tie (no plurality) with at least two different
      answers, every function's answer is listed: the room is split and each side is a view.
      None when everyone agrees. Ordered by function key, then as the A counts (``"nobody"`` last).
      **Anonymous rounds have none**: in PRODUCT.md's anonymous round no answer is linked to a
      function anywhere, and unlike a dimension mean (assessments/domain/alignment.py, which
      shows a group of at least 3) a function's A is the very answer of its members, so no group
      size hides it. Respondents without a function are in no group.

Letters other than R, C and I raise ``ValueError``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Protocol, TypeVar

from .types import round2

__all__ = [
    "CONTESTED_AMBIGUITY",
    "DONT_KNOW",
    "LETTERS",
    "NOBODY",
    "FunctionView",
    "OwnershipRow",
    "Respondent",
    "RoleCount",
    "ambiguity_index",
    "contested_first",
    "ownership_map",
]

NOBODY = "nobody"
DONT_KNOW = "dont_know"
#: The letters a respondent may give a role beside the A (RaciLetter).
LETTERS = ("R", "C", "I")
#: An activity is contested at this ambiguity or above: at least one pair of respondents in two disagree.
CONTESTED_AMBIGUITY = Fraction(1, 2)


@dataclass(frozen=True)
class Respondent:
    """One respondent's as-is RACI: ``accountable`` activity → choice; ``letters`` activity → role → R/C/I."""

    function: str | None
    accountable: Mapping[str, str]
    letters: Mapping[str, Mapping[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class RoleCount:
    """How many respondents gave one role a letter (A or R) for one activity."""

    role: str
    count: int

    def as_export(self) -> dict[str, Any]:
        return {"role": self.role, "count": self.count}


@dataclass(frozen=True)
class FunctionView:
    """A function whose A for an activity is not the plurality's: the answer it gave, by how many of its respondents."""

    function: str
    choice: str
    count: int

    def as_export(self) -> dict[str, Any]:
        return {"function": self.function, "choice": self.choice, "count": self.count}


@dataclass(frozen=True)
class OwnershipRow:
    """One activity of the ownership map (see the module rules)."""

    activity: str
    accountable: tuple[RoleCount, ...]
    nobody: int
    dont_know: int
    plurality: str | None
    ambiguity: Fraction | None
    contested: bool
    no_a: bool
    several_a: bool
    responsible: tuple[RoleCount, ...]
    function_gaps: tuple[FunctionView, ...]

    @property
    def counted(self) -> int:
        """The answers the index is computed over: those naming a role or "nobody"."""
        return sum(c.count for c in self.accountable) + self.nobody

    @property
    def answered(self) -> int:
        """Every answer about the activity, don't-knows included."""
        return self.counted + self.dont_know

    def as_export(self) -> dict[str, Any]:
        """The stored row (``ownership.activities[]``; docs/exports.md), the index half-up to 2 decimals."""
        return {
            "activity": self.activity,
            "answered": self.answered,
            "accountable": [c.as_export() for c in self.accountable],
            "nobody": self.nobody,
            "dont_know": self.dont_know,
            "plurality": self.plurality,
            "ambiguity": round2(self.ambiguity),
            "contested": self.contested,
            "no_a": self.no_a,
            "several_a": self.several_a,
            "responsible": [c.as_export() for c in self.responsible],
            "function_gaps": [g.as_export() for g in self.function_gaps],
        }


def ambiguity_index(counts: Iterable[int]) -> Fraction | None:
    """``1 − Σ nᵢ(nᵢ − 1) / (N(N − 1))``: the chance two different respondents gave different answers; None below 2."""
    values = [n for n in counts if n]
    if any(n < 0 for n in values):
        raise ValueError("a count cannot be negative")
    total = sum(values)
    if total < 2:
        return None
    return 1 - Fraction(sum(n * (n - 1) for n in values), total * (total - 1))


def _ranked(tally: Counter[str], order: Mapping[str, int]) -> tuple[RoleCount, ...]:
    """Counts above 0, most first; ties in ``order``, then unknown keys by key."""
    known = len(order)
    items = sorted(
        ((role, n) for role, n in tally.items() if n > 0), key=lambda item: (-item[1], order.get(item[0], known), item[0])
    )
    return tuple(RoleCount(role, n) for role, n in items)


def _plurality(choices: Counter[str]) -> str | None:
    named = [(choice, n) for choice, n in choices.items() if n > 0]
    if not named:
        return None
    top = max(n for _choice, n in named)
    leaders = [choice for choice, n in named if n == top]
    return leaders[0] if len(leaders) == 1 else None


def _function_gaps(
    views: Mapping[str, Counter[str]], plurality: str | None, distinct: int, order: Mapping[str, int]
) -> tuple[FunctionView, ...]:
    if distinct < 2:
        return ()
    # "nobody" after every role: it is an answer, but not a role of the grid.
    rank = {**order, NOBODY: len(order) + 1}
    gaps: list[FunctionView] = []
    for function in sorted(views):
        differing = [(choice, n) for choice, n in views[function].items() if n > 0 and choice != plurality]
        differing.sort(key=lambda item: (-item[1], rank.get(item[0], len(order)), item[0]))
        gaps.extend(FunctionView(function, choice, n) for choice, n in differing)
    return tuple(gaps)


def _letter(value: str) -> str:
    if value not in LETTERS:
        raise ValueError(f"not an R, C or I letter: {value!r}")
    return value


def ownership_map(
    respondents: Iterable[Respondent],
    activities: Sequence[str],
    roles: Sequence[str],
    anonymous: bool,
) -> tuple[OwnershipRow, ...]:
    """The ownership map of a round: one row per activity (see the module rules)."""
    order = {role: n for n, role in enumerate(dict.fromkeys(roles))}
    keys = list(dict.fromkeys(activities))
    choices: dict[str, Counter[str]] = {a: Counter() for a in keys}
    responsible: dict[str, Counter[str]] = {a: Counter() for a in keys}
    by_function: dict[str, dict[str, Counter[str]]] = {a: {} for a in keys}
    for respondent in respondents:
        for activity, choice in respondent.accountable.items():
            if activity not in choices:
                continue
            choices[activity][choice] += 1
            if not anonymous and respondent.function is not None and choice != DONT_KNOW:
                by_function[activity].setdefault(respondent.function, Counter())[choice] += 1
        for activity, letters in respondent.letters.items():
            for role, letter in letters.items():
                if _letter(letter) == "R" and activity in responsible:
                    responsible[activity][role] += 1

    rows = []
    for activity in keys:
        tally = choices[activity]
        dont_know = tally[DONT_KNOW]
        nobody = tally[NOBODY]
        named = Counter({choice: n for choice, n in tally.items() if choice not in (NOBODY, DONT_KNOW)})
        counted = Counter({choice: n for choice, n in tally.items() if choice != DONT_KNOW and n > 0})
        ambiguity = ambiguity_index(counted.values())
        plurality = _plurality(counted)
        top_role = max(named.values(), default=0)
        rows.append(
            OwnershipRow(
                activity=activity,
                accountable=_ranked(named, order),
                nobody=nobody,
                dont_know=dont_know,
                plurality=plurality,
                ambiguity=ambiguity,
                contested=ambiguity is not None and ambiguity >= CONTESTED_AMBIGUITY,
                no_a=sum(tally.values()) > 0 and top_role <= nobody,
                several_a=sum(1 for n in named.values() if n > 0) >= 2,
                responsible=_ranked(responsible[activity], order),
                function_gaps=_function_gaps(by_function[activity], plurality, len(counted), order),
            )
        )
    return tuple(rows)


class _Ranked(Protocol):
    @property
    def contested(self) -> bool | None: ...

    @property
    def ambiguity(self) -> Fraction | float | None: ...


RowT = TypeVar("RowT", bound=_Ranked)


def contested_first(rows: Iterable[RowT]) -> list[RowT]:
    """Contested activities first, most ambiguous first; then the others. Ties keep the given (catalogue) order."""
    return sorted(rows, key=lambda r: (not r.contested, -(r.ambiguity or 0) if r.contested else 0))
