"""The agenda of one steering meeting, built from facts the app holds (issue #17). Reads only.

Four parts, each from a fact, never from a typed note:

1. **Initiatives due or overdue**, grouped by the person holding their owner role — the role
   accountable (A) for their activity in the to-be RACI, or the owner set by hand
   (governance/domain/agenda.py has the rules: due day, window, grouping).
2. **What is still contested**: questions the results mark contested for which the committee
   recorded no consensus level, and RACI activities the ownership map marks contested (rounds
   on a 2.0 framework; a 1.0 snapshot has no map), with the accountable role the to-be RACI
   settled on.
3. **KPI moves beyond noise**: per metric, the latest value when its change from the previous
   period of the same kind is larger than the sampling error (measurement's noise rule; a value
   whose error is unknown is not called a move).
4. **RACI findings**: the errors and warnings of the to-be RACI (roadmaps' validation).

Texts are in the active language: build the agenda inside ``translation.override`` of its reader.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from accounts.models import User
from assessments.models import Question
from assessments.raci_catalogue import catalogue_for
from measurement import selectors as measurement
from measurement.presentation import metric_label, value_text
from roadmaps.domain.prioritisation import month_start
from roadmaps.models import ItemStatus, Roadmap, RoadmapItem
from roadmaps.presentation import pick
from roadmaps.raci_messages import labels_of, violation_message
from roadmaps.services import raci_accountable, raci_context, raci_violations

from . import selectors
from .domain import agenda as rules
from .models import SteeringRhythm


@dataclass(frozen=True)
class Line:
    key: str
    title: str
    due_on: date
    overdue: bool
    status: str


@dataclass(frozen=True)
class Group:
    """The lines of one person (``holder``), or of roles nobody holds, or of initiatives without an owner."""

    holder: User | None
    roles: tuple[str, ...]  # role titles
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class Contested:
    key: str
    title: str
    detail: str


@dataclass(frozen=True)
class KpiMove:
    metric: str
    label: str
    period: str
    value: str
    previous_period: str
    previous_value: str
    up: bool


@dataclass(frozen=True)
class Agenda:
    meeting: date
    following: date
    groups: tuple[Group, ...]
    contested_questions: tuple[Contested, ...]
    contested_activities: tuple[Contested, ...]
    kpi_moves: tuple[KpiMove, ...]
    raci_errors: tuple[str, ...]
    raci_warnings: tuple[str, ...]

    @property
    def due_count(self) -> int:
        return sum(len(g.lines) for g in self.groups)

    @property
    def overdue_count(self) -> int:
        return sum(1 for g in self.groups for line in g.lines if line.overdue)


def due_on(start: date, item: RoadmapItem) -> date:
    """The last day an initiative is planned for (the roadmap export's ``end_date``, exclusive, minus a day)."""
    return month_start(start, item.start_month + item.duration_months) - timedelta(days=1)


def _initiatives(round_) -> list[rules.Initiative]:
    roadmap = Roadmap.objects.filter(round=round_).first()
    if roadmap is None:
        return []
    items = RoadmapItem.objects.filter(round=round_, status__in=rules.OPEN_STATUSES).order_by("position", "id")
    return [
        rules.Initiative(
            item.key, pick(item.title_fr, item.title_en), item.owner_role, item.status, due_on(roadmap.start_date, item)
        )
        for item in items
    ]


def _groups(round_, meeting: date, following: date, context) -> tuple[Group, ...]:
    lines = rules.due_lines(_initiatives(round_), meeting, following)
    held = selectors.holders(organisation=round_.organisation)
    titles = {role.key: role.tr("title") for role in context.roles}
    role_order = [role.key for role in context.roles]
    groups = rules.group_by_holder(lines, role_order=role_order, holders={role: str(user.pk) for role, user in held.items()})
    users = {str(user.pk): user for user in held.values()}
    statuses = dict(ItemStatus.choices)
    return tuple(
        Group(
            holder=users.get(group.holder) if group.holder else None,
            roles=tuple(titles.get(role, role) for role in group.roles),
            lines=tuple(
                Line(
                    key=line.initiative.key,
                    title=line.initiative.title,
                    due_on=line.initiative.due_on,
                    overdue=line.overdue,
                    status=str(statuses.get(line.initiative.status, line.initiative.status)),
                )
                for line in group.lines
            ),
        )
        for group in groups
    )


def _contested_questions(round_, results) -> tuple[Contested, ...]:
    open_questions = [q for q in results.contested() if q.consensus_level is None]
    keys = [result.key for result in open_questions]
    texts = {question.key: question.tr("text") for question in Question.objects.filter(framework=round_.framework, key__in=keys)}
    return tuple(Contested(result.key, texts.get(result.key, result.key), "") for result in open_questions)


def _contested_activities(round_, results, context) -> tuple[Contested, ...]:
    ownership = getattr(results, "ownership", None)
    if ownership is None:
        return ()
    catalogue = catalogue_for(round_)
    titles = {a.key: a.tr() for a in catalogue.activities}
    role_titles = {role.key: role.tr("title") for role in context.roles}
    settled = raci_accountable(round_, context)
    rows = []
    for activity in ownership.contested():
        named = len(activity.accountable) + (1 if activity.nobody else 0)
        detail = _("%(count)s different answers about who is accountable") % {"count": named}
        chosen = settled.get(activity.activity)
        if chosen:
            detail += " · " + _("accountable in the to-be RACI: %(role)s") % {"role": role_titles.get(chosen, chosen)}
        rows.append(Contested(activity.activity, titles.get(activity.activity, activity.activity), detail))
    return tuple(rows)


def _kpi_moves(organisation) -> tuple[KpiMove, ...]:
    moves = []
    for metric, rows in measurement.register(organisation=organisation).items():
        row = measurement.latest(rows)
        if row is None or row.noise is not False or row.previous is None:
            continue
        scale = row.measurement.ces_scale
        moves.append(
            KpiMove(
                metric=metric,
                label=metric_label(metric),
                period=str(row.period),
                value=value_text(metric, row.value, ces_scale=scale),
                previous_period=str(row.previous.period),
                previous_value=value_text(metric, row.previous.value, ces_scale=row.previous.measurement.ces_scale),
                up=row.value > row.previous.value,
            )
        )
    return tuple(moves)


def _raci_findings(round_, context) -> tuple[tuple[str, ...], tuple[str, ...]]:
    labels = labels_of(context.activities, context.roles)
    violations = raci_violations(round_, context)
    errors = tuple(violation_message(v, labels) for v in violations if v.severity == "error")
    warnings = tuple(violation_message(v, labels) for v in violations if v.severity != "error")
    return errors, warnings


def agenda_build(rhythm: SteeringRhythm, meeting: date) -> Agenda:
    """The agenda of the meeting of ``meeting`` (a day of the series)."""
    round_ = rhythm.round
    context = raci_context(round_)
    following = selectors.following_meeting(rhythm, meeting)
    snapshot = getattr(round_, "snapshot", None)
    results = snapshot.results if snapshot is not None else None
    errors, warnings = _raci_findings(round_, context)
    return Agenda(
        meeting=meeting,
        following=following,
        groups=_groups(round_, meeting, following, context),
        contested_questions=_contested_questions(round_, results) if results is not None else (),
        contested_activities=_contested_activities(round_, results, context) if results is not None else (),
        kpi_moves=_kpi_moves(round_.organisation),
        raci_errors=errors,
        raci_warnings=warnings,
    )
