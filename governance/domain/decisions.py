"""The decision log's rule: a decision is valid only from the role accountable (A) for its activity.

A steering committee decides many things; the RACI says who has the final say on each activity.
Recording a decision in the name of a role that is not the single A of the linked activity would
make the log contradict the RACI the committee validated, so it is refused, naming the role that is
accountable. An activity with no A, or with several, cannot be decided on at all until the RACI is
fixed: there is no one whose say is final.

Pure: the caller passes the to-be RACI's non-empty cells ``{(activity, role): letter}`` (visible
roles only, as validation counts them), the known activity and role keys, the keys of the round's
roadmap initiatives and today's date. Every problem is returned, not the first; each is a field, a
code and parameters (keys, never words): ``governance/services_decisions.py`` words them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

MAX_TITLE = 200
MAX_RATIONALE = 4000

# Codes, by field.
TITLE_REQUIRED = "title_required"
TITLE_TOO_LONG = "title_too_long"
RATIONALE_TOO_LONG = "rationale_too_long"
DATE_REQUIRED = "date_required"
DATE_IN_FUTURE = "date_in_future"
UNKNOWN_ACTIVITY = "unknown_activity"
UNKNOWN_ROLE = "unknown_role"
UNKNOWN_INITIATIVE = "unknown_initiative"
#: The deciding role is not the activity's A; ``params["accountable"]`` is the role that is.
NOT_ACCOUNTABLE = "not_accountable"
#: The activity has no A in the to-be RACI: the RACI must be fixed before anyone decides on it.
RACI_NO_ACCOUNTABLE = "raci_no_accountable"
#: The activity has several As; ``params["roles"]`` lists them, comma-separated, in the given role order.
RACI_SEVERAL_ACCOUNTABLE = "raci_several_accountable"


@dataclass(frozen=True)
class DecisionDraft:
    """What someone asks to record. ``title`` and ``rationale`` as typed (surrounding blanks do not count)."""

    title: str
    rationale: str
    decided_on: date | None
    activity: str
    deciding_role: str
    initiative_keys: tuple[str, ...] = ()


@dataclass(frozen=True)
class DecisionProblem:
    """Why a draft is refused: the field it concerns, a code, and the code's parameters (keys, figures)."""

    field: str
    code: str
    params: Mapping[str, str] = dataclasses.field(default_factory=dict)


def accountable_roles(cells: Mapping[tuple[str, str], str], activity: str, roles: Sequence[str]) -> tuple[str, ...]:
    """The known roles holding an A on ``activity``, in the order of ``roles``."""
    return tuple(role for role in roles if cells.get((activity, role)) == "A")


def _text_problems(draft: DecisionDraft) -> list[DecisionProblem]:
    problems = []
    title = draft.title.strip()
    if not title:
        problems.append(DecisionProblem("title", TITLE_REQUIRED))
    elif len(title) > MAX_TITLE:
        problems.append(DecisionProblem("title", TITLE_TOO_LONG, {"max": str(MAX_TITLE), "length": str(len(title))}))
    rationale = draft.rationale.strip()
    if len(rationale) > MAX_RATIONALE:
        problems.append(
            DecisionProblem("rationale", RATIONALE_TOO_LONG, {"max": str(MAX_RATIONALE), "length": str(len(rationale))})
        )
    return problems


def _date_problems(draft: DecisionDraft, today: date) -> list[DecisionProblem]:
    if draft.decided_on is None:
        return [DecisionProblem("decided_on", DATE_REQUIRED)]
    if draft.decided_on > today:
        # A log records decisions taken; a future date would also count as "recent" for months.
        return [DecisionProblem("decided_on", DATE_IN_FUTURE)]
    return []


def _accountability_problems(
    draft: DecisionDraft, activities: Collection[str], roles: Sequence[str], cells: Mapping[tuple[str, str], str]
) -> list[DecisionProblem]:
    problems = []
    activity_known = draft.activity in activities
    role_known = draft.deciding_role in roles
    if not activity_known:
        problems.append(DecisionProblem("activity", UNKNOWN_ACTIVITY))
    if not role_known:
        problems.append(DecisionProblem("deciding_role", UNKNOWN_ROLE))
    if not activity_known:
        return problems
    holders = accountable_roles(cells, draft.activity, roles)
    if not holders:
        problems.append(DecisionProblem("activity", RACI_NO_ACCOUNTABLE, {"activity": draft.activity}))
    elif len(holders) > 1:
        problems.append(
            DecisionProblem("activity", RACI_SEVERAL_ACCOUNTABLE, {"activity": draft.activity, "roles": ",".join(holders)})
        )
    elif role_known and holders[0] != draft.deciding_role:
        problems.append(
            DecisionProblem(
                "deciding_role",
                NOT_ACCOUNTABLE,
                {"activity": draft.activity, "role": draft.deciding_role, "accountable": holders[0]},
            )
        )
    return problems


def validate_decision(
    draft: DecisionDraft,
    *,
    activities: Collection[str],
    roles: Sequence[str],
    cells: Mapping[tuple[str, str], str],
    initiatives: Collection[str],
    today: date,
) -> tuple[DecisionProblem, ...]:
    """Every problem of ``draft``; none means it may be recorded.

    ``roles`` are the visible roles, in order: a hidden role's letters do not count, as in the
    RACI's own validation. ``initiatives`` are the keys of the round's roadmap items.
    """
    problems = [*_text_problems(draft), *_date_problems(draft, today)]
    problems += _accountability_problems(draft, activities, roles, cells)
    unknown = [key for key in dict.fromkeys(draft.initiative_keys) if key not in initiatives]
    if unknown:
        problems.append(DecisionProblem("initiative_keys", UNKNOWN_INITIATIVE, {"keys": ",".join(unknown)}))
    return tuple(problems)
