"""What a respondent may answer, beyond a level: "not applicable", a confidence, an importance (framework 2.0).

Public API (pure functions)::

    condition_holds(when: Condition, context: Context) -> bool
    not_applicable_allowed(rule: Mapping | None, context: Context) -> bool
    variant_index(variants: Sequence[Mapping] | None, context: Context) -> int | None
    committee_importance(values: Iterable[int]) -> Fraction | None

Rules
    * A context is what is known of the round and the respondent: context question key → the
      choice made (a key absent from it was not answered). A condition
      (``{"<context key>": ["<choice>", …]}``, the ``when`` of the framework file) holds when
      every key it names is answered with one of the choices listed for it. An empty condition
      never holds: nothing is offered on a condition that says nothing.
    * "Not applicable" (``NOT_APPLICABLE``, "na") may be answered only to a question whose
      ``not_applicable`` rule's condition holds; a question without a rule always applies. It is
      neither scored nor counted as "don't know" (scoring.py).
    * A question's wording is its first variant whose condition holds, else its own text.
    * A confidence (``CONFIDENCE_LEVELS``: "low" or "high", or none) qualifies a level; with
      "don't know" or "not applicable" there is no level to qualify and it is not kept (types.Answer).
    * An importance is a whole number from 1 to 3 given by a respondent to a dimension; the
      committee's importance of a dimension is the mean of those given (None when none was).

Pure Python: no Django, no I/O.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction

from .types import CONFIDENCE_LEVELS

__all__ = [
    "CONFIDENCE_LEVELS",
    "DONT_KNOW",
    "IMPORTANCE_MAX",
    "IMPORTANCE_MIN",
    "NOT_APPLICABLE",
    "Condition",
    "Context",
    "committee_importance",
    "condition_holds",
    "not_applicable_allowed",
    "variant_index",
]

#: The answer values that are not levels, as the questionnaire sends them.
DONT_KNOW = "dk"
NOT_APPLICABLE = "na"
#: The importance a respondent gives a dimension.
IMPORTANCE_MIN = 1
IMPORTANCE_MAX = 3

#: Context question key → the choice made.
Context = Mapping[str, str]
#: Context question key → the choices for which the condition holds.
Condition = Mapping[str, Sequence[str]]


def condition_holds(when: Condition, context: Context) -> bool:
    """Every key of ``when`` is answered in ``context`` with one of its listed choices; an empty ``when`` never holds."""
    if not when:
        return False
    return all(key in context and context[key] in choices for key, choices in when.items())


def not_applicable_allowed(rule: Mapping | None, context: Context) -> bool:
    """Whether "not applicable" may be answered to a question with this ``not_applicable`` rule (None: always applies)."""
    if not rule:
        return False
    return condition_holds(rule.get("when") or {}, context)


def variant_index(variants: Sequence[Mapping] | None, context: Context) -> int | None:
    """The position of the first wording variant whose condition holds, or None for the question's own text."""
    for index, variant in enumerate(variants or ()):
        if condition_holds(variant.get("when") or {}, context):
            return index
    return None


def committee_importance(values: Iterable[int]) -> Fraction | None:
    """The exact mean of the importances given to one dimension; None when nobody gave one.

    Raises ``TypeError`` for a value that is not a whole number, ``ValueError`` outside 1–3.
    """
    given = list(values)
    for value in given:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"an importance is a whole number 1–3, got {value!r}")
        if not IMPORTANCE_MIN <= value <= IMPORTANCE_MAX:
            raise ValueError(f"an importance is 1–3, got {value}")
    if not given:
        return None
    return Fraction(sum(given), len(given))
