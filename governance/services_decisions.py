"""Writes of the decision log: record a steering committee's decision, if the RACI says that role decides.

The rule is governance/domain/decisions.py's (a decision only from the single A of its activity in
the round's to-be RACI); this module reads what it needs, words every problem in the reader's
language and saves in one transaction, with an audit line.

Decisions are recorded on a round whose results exist and whose RACI the committee works from:
closed or published (delivery is followed after the board report, as initiative statuses are).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Round
from audit import recording as audit
from cxgov.numbers import format_number

from .domain.decisions import (
    DATE_IN_FUTURE,
    DATE_REQUIRED,
    MAX_RATIONALE,
    MAX_TITLE,
    NOT_ACCOUNTABLE,
    RACI_NO_ACCOUNTABLE,
    RACI_SEVERAL_ACCOUNTABLE,
    RATIONALE_TOO_LONG,
    TITLE_REQUIRED,
    TITLE_TOO_LONG,
    UNKNOWN_ACTIVITY,
    UNKNOWN_INITIATIVE,
    UNKNOWN_ROLE,
    DecisionDraft,
    DecisionProblem,
    validate_decision,
)
from .models import Decision
from .selectors_decisions import DecisionLabels, decision_labels

#: Round statuses in which decisions may be recorded.
DECISION_STATUSES = ("closed", "published")
ROUND_NOT_CLOSED = "round_not_closed"
#: The field of a problem that concerns the whole decision, not one field (Django's name for it).
WHOLE = "__all__"


@dataclass(frozen=True)
class Refusal:
    field: str
    code: str
    message: str


class DecisionRefused(Exception):
    """The decision was not recorded; ``refusals`` says why, field by field, in the reader's language."""

    def __init__(self, refusals: Iterable[Refusal]):
        self.refusals = tuple(refusals)
        super().__init__("; ".join(f"{r.field}: {r.code}" for r in self.refusals))

    @property
    def codes(self) -> list[str]:
        return [r.code for r in self.refusals]


def problem_message(problem: DecisionProblem, labels: DecisionLabels) -> str:
    """One problem in words, naming activities and roles by their titles."""
    params = problem.params
    activity = labels.activity(params.get("activity", ""))
    if problem.code == NOT_ACCOUNTABLE:
        return _("Only the role accountable for this activity (A) may decide: here, %(role)s.") % {
            "role": labels.role(params["accountable"])
        }
    if problem.code == RACI_NO_ACCOUNTABLE:
        return _(
            "“%(activity)s” has no accountable role (A) in the to-be RACI: fix the RACI first, then record the decision."
        ) % {"activity": activity}
    if problem.code == RACI_SEVERAL_ACCOUNTABLE:
        roles = ", ".join(labels.role(key) for key in params["roles"].split(","))
        return _(
            "“%(activity)s” has several accountable roles (A) in the to-be RACI (%(roles)s): "
            "fix the RACI first, so that one role has the final say."
        ) % {"activity": activity, "roles": roles}
    messages = {
        TITLE_REQUIRED: _("Give the decision a title."),
        TITLE_TOO_LONG: _("A decision's title holds at most %(max)s characters.")
        % {"max": format_number(MAX_TITLE, 0, grouping=True)},
        RATIONALE_TOO_LONG: _("The rationale holds at most %(max)s characters.")
        % {"max": format_number(MAX_RATIONALE, 0, grouping=True)},
        DATE_REQUIRED: _("Give the date of the decision."),
        DATE_IN_FUTURE: _("A decision is recorded once taken: its date cannot be in the future."),
        UNKNOWN_ACTIVITY: _("Choose one of the RACI's activities."),
        UNKNOWN_ROLE: _("Choose one of the organisation's visible roles."),
        UNKNOWN_INITIATIVE: _("Choose initiatives of this round's roadmap."),
    }
    return messages.get(problem.code, _("This decision was refused."))


def decision_check(*, round_, draft: DecisionDraft, labels: DecisionLabels | None = None, today: date | None = None) -> None:
    """Raises :class:`DecisionRefused` with every reason ``draft`` may not be recorded on ``round_``."""
    if round_.status not in DECISION_STATUSES:
        raise DecisionRefused(
            [Refusal(WHOLE, ROUND_NOT_CLOSED, _("Decisions are recorded once the round is closed and its RACI drawn up."))]
        )
    labels = labels or decision_labels(round_=round_)
    problems = validate_decision(
        draft,
        activities=labels.raci.activity_keys,
        roles=labels.raci.visible_keys,
        cells=labels.cells,
        initiatives=labels.initiatives.keys(),
        today=today or timezone.localdate(),
    )
    if problems:
        raise DecisionRefused(Refusal(p.field, p.code, problem_message(p, labels)) for p in problems)


@transaction.atomic
def decision_record(
    *,
    round_,
    user,
    title: str,
    rationale: str = "",
    decided_on: date | None,
    activity: str,
    deciding_role: str,
    initiative_keys: Iterable[str] = (),
    today: date | None = None,
) -> Decision:
    """Records a decision, refused (:class:`DecisionRefused`) unless ``deciding_role`` is the activity's single A.

    The same decision posted twice (a double click, two tabs) is recorded once: the second call
    returns the first.
    """
    # Serialised on the round's row: a decision and its duplicate, or a RACI edit, wait for each other.
    Round.objects.select_for_update().filter(pk=round_.pk).first()
    draft = DecisionDraft(
        title=title or "",
        rationale=rationale or "",
        decided_on=decided_on,
        activity=activity or "",
        deciding_role=deciding_role or "",
        initiative_keys=tuple(dict.fromkeys(initiative_keys)),
    )
    labels = decision_labels(round_=round_)
    decision_check(round_=round_, draft=draft, labels=labels, today=today)
    fields = {
        "title": draft.title.strip(),
        "rationale": draft.rationale.strip(),
        "decided_on": decided_on,
        "activity": draft.activity,
        "deciding_role": draft.deciding_role,
        "initiative_keys": list(draft.initiative_keys),
    }
    same = Decision.objects.filter(round=round_, **{k: v for k, v in fields.items() if k != "initiative_keys"})
    for existing in same:
        if existing.initiative_keys == fields["initiative_keys"]:
            return existing
    decision = Decision.objects.create(organisation=round_.organisation, round=round_, recorded_by=user, **fields)
    audit.record(
        organisation=round_.organisation,
        round=round_,
        kind="decision",
        verb=audit.CREATED,
        target=decision.title,
        changes=[
            audit.change("decided_on", "", decision.decided_on),
            audit.change("activity", "", labels.activity(decision.activity)),
            audit.change("deciding_role", "", labels.role(decision.deciding_role)),
        ],
    )
    return decision
