"""Reads of the steering rhythm: role holders, the series of a round, who it invites. Never writes.

Who is invited (issue #17): the holders of the roles that hold an A in the round's to-be RACI,
the holder of the CXO role, and the organisation's sponsors — each person once, and only people
the app can write to (a current member with an active account and an e-mail address). A role
with nobody holding it is reported, so the page can say "no holder yet".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import User
from organisations.models import Membership, Organisation, Role
from roadmaps.exports import raci_errors
from roadmaps.models import OrgRole
from roadmaps.services import org_roles_starting, raci_context, raci_letters

from .domain import rhythm as rules
from .models import Cadence, RoleHolder, SteeringRhythm

#: The RACI role whose holder every steering meeting invites, accountable or not.
CXO_ROLE = "cxo"
#: The meetings' time zone: their dates and times, and "tomorrow" for the agenda, are Paris's.
PARIS = ZoneInfo("Europe/Paris")


def visible_roles(*, organisation: Organisation, framework=None) -> list[OrgRole]:
    """The organisation's visible RACI roles in order (the framework's defaults, unsaved, before any is stored)."""
    return [role for role in org_roles_starting(organisation=organisation, framework=framework) if not role.hidden]


def members(*, organisation: Organisation) -> list[User]:
    """The people a role may be given to: the organisation's members with an active account, by name."""
    users = [m.user for m in Membership.objects.filter(organisation=organisation, user__is_active=True).select_related("user")]
    return sorted(users, key=lambda u: (u.display_name.casefold(), u.email))


def holders(*, organisation: Organisation) -> dict[str, User]:
    """Role key → the member holding it. A holder who has left the organisation holds nothing."""
    member_ids = Membership.objects.filter(organisation=organisation).values("user_id")
    rows = RoleHolder.objects.filter(
        organisation=organisation, user__isnull=False, user__is_active=True, user_id__in=member_ids
    ).select_related("user")
    return {row.role: row.user for row in rows if row.user is not None}


@dataclass(frozen=True)
class HolderRow:
    role: OrgRole
    holder: User | None


def holder_rows(*, organisation: Organisation) -> list[HolderRow]:
    """One row per visible role, with who holds it."""
    held = holders(organisation=organisation)
    return [HolderRow(role, held.get(role.key)) for role in visible_roles(organisation=organisation)]


# --------------------------------------------------------------------------- the series


def rhythm_of(*, round_) -> SteeringRhythm | None:
    return SteeringRhythm.objects.filter(round=round_).select_related("created_by").first()


def raci_validated(round_) -> bool:
    """Whether the round's to-be RACI has no error: what a steering rhythm is proposed from."""
    return getattr(round_, "snapshot", None) is not None and round_.status in ("closed", "published") and not raci_errors(round_)


def rhythm_proposal(*, round_, today: date) -> SteeringRhythm:
    """The series the page proposes before one is saved (unsaved: a page reads, it does not store)."""
    return SteeringRhythm(
        round=round_,
        cadence=Cadence.MONTHLY,
        first_meeting=rules.default_first_meeting(today),
        start_time=time(9, 0),
        duration_minutes=90,
    )


def start_time_of(rhythm: SteeringRhythm) -> time:
    value = rhythm.start_time
    # An unsaved row keeps the field's default as typed ("09:00").
    return value if isinstance(value, time) else time.fromisoformat(str(value))


def next_meeting(rhythm: SteeringRhythm, *, on_or_after: date) -> date:
    return rules.next_meeting(rhythm.cadence, rhythm.first_meeting, on_or_after)


def following_meeting(rhythm: SteeringRhythm, meeting: date) -> date:
    """The meeting after the one of ``meeting``."""
    return rules.next_meeting(rhythm.cadence, rhythm.first_meeting, meeting + timedelta(days=1))


def upcoming(rhythm: SteeringRhythm, *, today: date, count: int = 4) -> list[date]:
    """The next ``count`` meetings from ``today`` (included)."""
    found: list[date] = []
    day = today
    while len(found) < count:
        meeting = rules.next_meeting(rhythm.cadence, rhythm.first_meeting, day)
        found.append(meeting)
        day = meeting + timedelta(days=1)
    return found


def paris_today() -> date:
    """Today in Paris, whatever the server's TIME_ZONE."""
    return timezone.localdate(timezone=PARIS)


def meeting_start(rhythm: SteeringRhythm, day: date) -> datetime:
    return datetime.combine(day, start_time_of(rhythm))


# --------------------------------------------------------------------------- who is invited


@dataclass(frozen=True)
class Attendee:
    user: User
    roles: tuple[OrgRole, ...]  # the roles they are invited for (accountable ones, the CXO)
    sponsor: bool


@dataclass(frozen=True)
class AttendeeList:
    people: tuple[Attendee, ...]
    accountable: tuple[OrgRole, ...]  # the visible roles holding an A, in RACI order
    cxo: OrgRole | None  # the CXO role, when the organisation shows one
    unheld: tuple[OrgRole, ...]  # roles the meeting needs that nobody holds yet

    @property
    def emails(self) -> list[str]:
        return [a.user.email for a in self.people]


def attendees(*, round_) -> AttendeeList:
    """The people a round's steering meetings invite (see the module's docstring)."""
    organisation = round_.organisation
    context = raci_context(round_)
    visible = {role.key: role for role in context.visible}
    activities = set(context.activity_keys)
    a_roles = {role for (activity, role), letter in raci_letters(round_).items() if letter == "A" and activity in activities}
    accountable = tuple(role for key, role in visible.items() if key in a_roles)
    cxo = visible.get(CXO_ROLE)
    wanted = [*accountable, *([cxo] if cxo is not None and cxo not in accountable else [])]
    held = holders(organisation=organisation)
    people: dict[int, dict] = {}
    unheld = []
    for role in wanted:
        user = held.get(role.key)
        if user is None or not user.email:
            unheld.append(role)
            continue
        people.setdefault(user.pk, {"user": user, "roles": [], "sponsor": False})["roles"].append(role)
    sponsors = Membership.objects.filter(organisation=organisation, role=Role.SPONSOR, user__is_active=True).select_related(
        "user"
    )
    for membership in sponsors.order_by("user__email"):
        if membership.user.email:
            people.setdefault(membership.user.pk, {"user": membership.user, "roles": [], "sponsor": False})["sponsor"] = True
    return AttendeeList(
        people=tuple(Attendee(p["user"], tuple(p["roles"]), p["sponsor"]) for p in people.values()),
        accountable=accountable,
        cxo=cxo,
        unheld=tuple(unheld),
    )


def rhythms_meeting_on(day: date) -> list[SteeringRhythm]:
    """The series with a meeting on ``day`` whose invitations went out (a series never sent has no agenda)."""
    candidates = SteeringRhythm.objects.filter(first_meeting__lte=day, invited_sequence__isnull=False).select_related(
        "round__organisation", "created_by"
    )
    return [r for r in candidates.order_by("pk") if rules.is_meeting_day(r.cadence, r.first_meeting, day)]
