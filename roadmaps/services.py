"""Writes on targets, the organisation's RACI roles, the to-be RACI and the roadmap of a round.

Editing rules (PRODUCT.md "A round and its lifecycle"): the roadmap and the to-be RACI need the
results, so they are edited while the round is **closed** only; publishing freezes everything
(draft, open and published rounds refuse every edit with :class:`RoadmapError` ``"frozen"``).
Roles belong to the organisation and stay editable at any time.

Owners follow the to-be RACI: an item's ``owner_role`` is the visible role holding the single A
of its activity (``None``, "unassigned", otherwise), refreshed after every RACI or role change
and every generation, except on items whose owner was set by hand (``owner_overridden``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from assessments.domain.snapshot import DimensionResult, Results
from assessments.models import Participant, RaciActivity, RaciAnswer, Round
from assessments.selectors import default_framework as shipped_default
from audit import recording as audit
from organisations.models import chief_executive_title_fr

from . import target_defaults
from .domain.prioritisation import DEFAULT_CAPACITY, default_start_date, generate_roadmap, round_half_up
from .domain.raci import LETTERS, MANUAL, as_is, propose_to_be, validate
from .domain.types import AsIsRow, DimensionState, PlacedItem, Violation
from .library.loader import CUSTOM_PREFIX, conditions_for, library_for
from .models import ItemStatus, OrgActivity, OrgRole, RaciCell, Roadmap, RoadmapItem, SelectedBy, Target
from .rules.loader import raci_rules

#: Round statuses in which the roadmap and the RACI may be edited, and initiative statuses updated.
EDITABLE = ("closed",)
# Delivery is tracked after the board report too: statuses stay editable once published.
STATUS_EDITABLE = ("closed", "published")

ROLE_KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
RESERVED_ROLE_KEYS = ("nobody", "dont_know")
#: The RACI column whose French title follows the organisation's chief-executive setting.
CEO_ROLE = "ceo"
MAX_START_MONTH = 60
MAX_DURATION = 36


class RoadmapError(Exception):
    """A refused edit; ``code`` says why (``frozen``, ``no_results``, ``unknown_activity`` …)."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


def _check_editable(round_, statuses=EDITABLE) -> None:
    if round_.status not in statuses:
        raise RoadmapError("frozen", f"round {round_.pk} is {round_.status}")


def _stored_results(round_) -> Results:
    snapshot = getattr(round_, "snapshot", None) if round_.status in ("closed", "published") else None
    if snapshot is None:
        raise RoadmapError("no_results", f"round {round_.pk} has no results yet")
    return snapshot.results


# --------------------------------------------------------------------------- targets


def default_target(stage: int) -> int:
    return min(5, stage + 1)


def _template_defaults(round_) -> dict[str, dict[str, int | None]]:
    """The default targets of the round's engagement template (see target_defaults), keeping only well-formed values."""
    raw = target_defaults.proposed(round_=round_)
    defaults: dict[str, dict[str, int | None]] = {}
    for key, entry in (raw or {}).items() if isinstance(raw, dict) else ():
        if not isinstance(entry, dict):
            continue
        target, importance = entry.get("target"), entry.get("importance")
        defaults[key] = {
            "target": target if type(target) is int and 1 <= target <= 5 else None,
            "importance": importance if type(importance) is int and 1 <= importance <= 3 else None,
        }
    return defaults


def targets_starting(*, round_, dimension_scores: Sequence[DimensionResult]) -> dict[str, Target]:
    """Reads only: each scored dimension's target by key, the stored one, else its starting value, unsaved (no pk).

    Starting value: min(5, stage + 1) and importance 2; for a round started from an engagement
    template, the template's default target and importance of the dimension where it has one; for a
    round started from a previous one, that round's targets (they take precedence over both). Pages
    read it through selectors.targets_for; it lives here, beside the template defaults it needs.
    """
    existing = {t.dimension.key: t for t in Target.objects.filter(round=round_).select_related("dimension")}
    dimensions = {d.key: d for d in round_.framework.dimensions.all()}
    missing = [row for row in dimension_scores if not row.unscored and row.key not in existing and row.key in dimensions]
    if not missing:
        return existing
    previous = {}
    if round_.previous_id:
        previous = {t.dimension.key: t for t in Target.objects.filter(round_id=round_.previous_id).select_related("dimension")}
    template = _template_defaults(round_)
    for row in missing:
        key = row.key
        if key in previous:
            target, importance = max(previous[key].target, 1), previous[key].importance
        else:
            entry = template.get(key, {})
            assert row.stage is not None  # a scored dimension always has a stage
            target, importance = entry.get("target") or default_target(row.stage), entry.get("importance") or 2
        existing[key] = Target(round=round_, dimension=dimensions[key], target=target, importance=importance)
    return existing


@transaction.atomic
def targets_ensure(*, round_, dimension_scores: Sequence[DimensionResult]) -> dict[str, Target]:
    """Stores the starting target of each scored dimension that has none (see targets_starting).

    Called when the results are stored (roadmaps/handlers.py) and before targets are saved or the
    roadmap generated; pages only read (selectors.targets_for shows the starting values unsaved).
    """
    targets = targets_starting(round_=round_, dimension_scores=dimension_scores)
    missing = [t for t in targets.values() if t.pk is None]
    if not missing:
        return targets
    Target.objects.bulk_create(missing, ignore_conflicts=True)  # stored twice at once: the first one wins
    return {t.dimension.key: t for t in Target.objects.filter(round=round_).select_related("dimension")}


@transaction.atomic
def targets_save(*, round_, values: Mapping[str, tuple[int, int]], user) -> dict[str, Target]:
    """Sets the target and importance of each dimension in ``values`` ({key: (target, importance)})."""
    targets = targets_ensure(round_=round_, dimension_scores=_stored_results(round_).dimensions)
    for key, (value, importance) in values.items():
        target = targets.get(key)
        if target is not None:
            target_set(target=target, value=value, importance=importance, user=user)
    if round_.status in EDITABLE and roadmap_untouched(round_):
        # The plan proposed at closing has not been worked on yet, so it follows the targets just
        # set (as it did when it was generated on first view) instead of showing "out of date".
        roadmap_generate(round_=round_)
    return targets


def roadmap_untouched(round_) -> bool:
    """A generated roadmap nobody has worked on: no initiative locked, added, re-owned or moved on from "planned"."""
    if not Roadmap.objects.filter(round=round_, generated_at__isnull=False).exists():
        return False
    worked_on = Q(locked=True) | Q(custom=True) | Q(owner_overridden=True) | ~Q(status=ItemStatus.PLANNED)
    return not RoadmapItem.objects.filter(round=round_).filter(worked_on).exists()


@transaction.atomic
def results_prepare(*, round_, snapshot) -> None:
    """What a round's results need stored once they exist: the organisation's RACI roles and the starting targets.

    Sent with every results snapshot (closing, consensus, a withdrawal), so a dimension that becomes
    scored gets its starting target; stored targets and roles are never changed here.
    """
    org_roles_ensure(organisation=round_.organisation, framework=round_.framework)
    targets_ensure(round_=round_, dimension_scores=snapshot.results.dimensions)


def target_set(*, target: Target, value: int, importance: int, user) -> Target:
    before = audit.snapshot(target, ("target", "importance"))
    target.target, target.importance, target.updated_by = value, importance, user
    target.full_clean(exclude=["round", "dimension", "updated_by"])
    target.save(update_fields=["target", "importance", "updated_by", "updated_at"])
    round_ = target.round
    audit.record(
        organisation=round_.organisation,
        round=round_,
        kind="target",
        target=target.dimension.tr("title"),
        changes=audit.diff(before, audit.snapshot(target, ("target", "importance"))),
    )
    return target


# --------------------------------------------------------------------------- organisation roles


def default_framework(organisation):
    """The framework whose RACI roles an organisation starts from: its latest round's, else the default one."""
    latest_round = organisation.rounds.select_related("framework").order_by("-created_at").first()
    if latest_round is not None:
        return latest_round.framework
    return shipped_default()


def org_roles_starting(*, organisation, framework=None) -> list[OrgRole]:
    """Reads only: the organisation's RACI roles in order; before any is stored, the framework's defaults, unsaved."""
    roles = list(OrgRole.objects.filter(organisation=organisation).order_by("position", "key"))
    if roles:
        return roles
    framework = framework or default_framework(organisation)
    if framework is None:
        return []
    ceo_title = organisation.chief_executive_title_fr()  # the organisation's word for its chief executive
    return [
        OrgRole(
            organisation=organisation,
            key=r.key,
            title_fr=(ceo_title or r.title_fr) if r.key == CEO_ROLE else r.title_fr,
            title_en=r.title_en,
            position=r.position,
        )
        for r in framework.raci_roles.order_by("position")
    ]


def org_roles_ensure(*, organisation, framework=None) -> list[OrgRole]:
    """The organisation's RACI roles in order, the framework's defaults stored first when it has none."""
    roles = org_roles_starting(organisation=organisation, framework=framework)
    if all(role.pk is not None for role in roles):
        return roles
    OrgRole.objects.bulk_create(roles, ignore_conflicts=True)  # two first uses at once
    return list(OrgRole.objects.filter(organisation=organisation).order_by("position", "key"))


def _titles(title_fr: str, title_en: str) -> tuple[str, str]:
    """Both titles; one language given is used for both. Neither → ``RoadmapError``."""
    title_fr, title_en = (title_fr or "").strip(), (title_en or "").strip()
    if not title_fr and not title_en:
        raise RoadmapError("missing_title")
    return title_fr or title_en, title_en or title_fr


@transaction.atomic
def org_role_add(*, organisation, key: str, title_fr: str, title_en: str) -> OrgRole:
    org_roles_ensure(organisation=organisation)
    key = (key or "").strip()
    if not ROLE_KEY_RE.match(key) or key in RESERVED_ROLE_KEYS:
        raise RoadmapError("bad_key", key)
    if OrgRole.objects.filter(organisation=organisation, key=key).exists():
        raise RoadmapError("duplicate_key", key)
    title_fr, title_en = _titles(title_fr, title_en)
    position = (OrgRole.objects.filter(organisation=organisation).aggregate(m=Max("position"))["m"] or 0) + 1
    role = OrgRole.objects.create(organisation=organisation, key=key, title_fr=title_fr, title_en=title_en, position=position)
    audit.record(organisation=organisation, kind="role", verb=audit.CREATED, target=role.tr("title"))
    return role


@transaction.atomic
def org_role_update(*, role: OrgRole, title_fr: str, title_en: str, hidden: bool) -> OrgRole:
    """Renames and hides (or shows) a role. Owners of the organisation's editable rounds follow."""
    fields = ("title_fr", "title_en", "hidden")
    before = audit.snapshot(role, fields)
    role.title_fr, role.title_en = _titles(title_fr, title_en)
    visibility_changed = role.hidden != hidden
    role.hidden = hidden
    role.save(update_fields=["title_fr", "title_en", "hidden"])
    audit.record(
        organisation=role.organisation,
        kind="role",
        target=role.tr("title"),
        changes=audit.diff(before, audit.snapshot(role, fields)),
    )
    if visibility_changed:
        for round_ in Round.objects.filter(organisation_id=role.organisation_id, status__in=EDITABLE):
            roadmap_owners_refresh(round_=round_)
    return role


def org_role_usage(role: OrgRole) -> list[str]:
    """Why the role cannot be removed: ``letter``, ``owner``, ``function`` (empty when unused)."""
    rounds = {"round__organisation_id": role.organisation_id}
    usage = []
    if RaciCell.objects.filter(role=role.key, **rounds).exists():
        usage.append("letter")
    if RoadmapItem.objects.filter(owner_role=role.key, **rounds).exists():
        usage.append("owner")
    if Participant.objects.filter(function=role.key, **rounds).exists():
        usage.append("function")
    return usage


@transaction.atomic
def org_role_remove(*, role: OrgRole) -> None:
    """Removes an unused role; a role that holds a letter, an owner or a function is refused."""
    usage = org_role_usage(role)
    if usage:
        raise RoadmapError("role_in_use", ", ".join(usage))
    audit.record(organisation=role.organisation, kind="role", verb=audit.REMOVED, target=role.tr("title"))
    role.delete()


def org_roles_follow_chief_executive(*, organisation, before: Mapping) -> OrgRole | None:
    """After the organisation's chief-executive setting changed: the ``ceo`` column takes the new title,
    unless someone renamed it (its French title is no longer the one the old setting gave). Returns the
    role renamed, if any. Roles never stored take the setting when they are (org_roles_starting)."""
    old_title = chief_executive_title_fr(
        before.get("chief_executive", organisation.chief_executive),
        before.get("chief_executive_other", organisation.chief_executive_other),
    )
    new_title = organisation.chief_executive_title_fr()
    if old_title == new_title:
        return None
    role = OrgRole.objects.select_for_update().filter(organisation=organisation, key=CEO_ROLE).first()
    if role is None:
        return None
    framework = default_framework(organisation)
    framework_title = framework.raci_roles.filter(key=CEO_ROLE).values_list("title_fr", flat=True).first() if framework else None
    if role.title_fr != (old_title or framework_title):
        return None  # renamed by hand: the organisation's own word stays
    title = new_title or framework_title
    if not title:
        return None
    before_role = audit.snapshot(role, ("title_fr",))
    role.title_fr = title
    role.save(update_fields=["title_fr"])
    audit.record(
        organisation=organisation,
        kind="role",
        target=role.tr("title"),
        changes=audit.diff(before_role, audit.snapshot(role, ("title_fr",))),
    )
    return role


# --------------------------------------------------------------------------- organisation activities


@dataclass(frozen=True)
class OrgActivityRow:
    """One RACI activity of the framework, as the organisation chose to show it."""

    activity: RaciActivity
    hidden: bool

    @property
    def key(self) -> str:
        return self.activity.key


@dataclass(frozen=True)
class ActivityUsage:
    """What hiding an activity changes: to-be letters that stop counting, initiatives that lose their owner."""

    letters: int  # to-be RACI letters of the activity, in every round of the organisation
    rounds: int  # rounds holding those letters
    owners: int  # initiatives of editable rounds whose owner follows the activity's A


def org_activities_hidden(organisation_id: int) -> set[str]:
    """The keys of the RACI activities the organisation hid."""
    return set(OrgActivity.objects.filter(organisation_id=organisation_id, hidden=True).values_list("key", flat=True))


def org_activities_starting(*, organisation, framework=None) -> list[OrgActivityRow]:
    """Reads only: the framework's RACI activities in order, each with whether the organisation hid it."""
    framework = framework or default_framework(organisation)
    if framework is None:
        return []
    hidden = org_activities_hidden(organisation.pk)
    return [OrgActivityRow(activity=a, hidden=a.key in hidden) for a in framework.raci_activities.order_by("position")]


def org_activity_usage(*, organisation, key: str) -> ActivityUsage:
    rounds = {"round__organisation_id": organisation.pk}
    cells = RaciCell.objects.filter(activity=key, **rounds)
    owners = RoadmapItem.objects.filter(
        activity=key, owner_overridden=False, owner_role__isnull=False, round__status__in=EDITABLE, **rounds
    )
    return ActivityUsage(letters=cells.count(), rounds=cells.values("round_id").distinct().count(), owners=owners.count())


@transaction.atomic
def org_activity_set(*, organisation, key: str, hidden: bool) -> OrgActivity:
    """Hides (or shows) a RACI activity in every round of the organisation; its letters are kept, not counted.

    At least one activity stays shown (a RACI of nothing asks nothing). Owners of editable rounds follow.
    """
    activity = RaciActivity.objects.filter(key=key).order_by("-framework__version", "position").first()
    if activity is None:
        raise RoadmapError("unknown_activity", key)
    row = OrgActivity.objects.select_for_update().filter(organisation=organisation, key=key).first()
    was_hidden = row is not None and row.hidden
    if was_hidden == hidden:
        return row or OrgActivity(organisation=organisation, key=key, hidden=hidden)
    if hidden:
        shown = [r.key for r in org_activities_starting(organisation=organisation) if not r.hidden]
        if shown == [key]:
            raise RoadmapError("last_activity", key)
    if row is None:
        row = OrgActivity.objects.create(organisation=organisation, key=key, hidden=hidden)
    else:
        row.hidden = hidden
        row.save(update_fields=["hidden"])
    audit.record(
        organisation=organisation,
        kind="activity",
        target=activity.tr("title"),
        changes=[audit.change("hidden", was_hidden, hidden)],
    )
    for round_ in Round.objects.filter(organisation_id=organisation.pk, status__in=EDITABLE):
        roadmap_owners_refresh(round_=round_)
    return row


# --------------------------------------------------------------------------- RACI


@dataclass(frozen=True)
class RaciContext:
    """What the to-be RACI of a round is made of."""

    activities: tuple  # RaciActivity rows the organisation shows, framework order
    roles: tuple  # all OrgRole rows of the organisation, in order
    cxo_exists: bool

    @property
    def visible(self) -> tuple:
        return tuple(r for r in self.roles if not r.hidden)

    @property
    def activity_keys(self) -> list[str]:
        return [a.key for a in self.activities]

    @property
    def visible_keys(self) -> list[str]:
        return [r.key for r in self.visible]


def raci_context(round_) -> RaciContext:
    """Reads only: roles never stored yet are the framework's defaults (the edits below store them first)."""
    roles = org_roles_starting(organisation=round_.organisation, framework=round_.framework)
    hidden = org_activities_hidden(round_.organisation_id)  # hidden activities are neither proposed nor validated
    return RaciContext(
        activities=tuple(a for a in round_.framework.raci_activities.order_by("position") if a.key not in hidden),
        roles=tuple(roles),
        cxo_exists=bool(round_.cxo_exists),
    )


def raci_as_is(round_, activity_keys: list[str] | None = None) -> tuple[AsIsRow, ...]:
    """The as-is rows from the votes of participants who have not been withdrawn."""
    if activity_keys is None:
        activity_keys = list(round_.framework.raci_activities.order_by("position").values_list("key", flat=True))
    votes = RaciAnswer.objects.filter(participant__round=round_, participant__withdrawn_at__isnull=True).values_list(
        "activity__key", "choice"
    )
    return as_is(list(votes), activity_keys)


def raci_as_is_letters(round_) -> tuple[list[tuple[int, str, str, str]], list[tuple[int, str]]]:
    """The as-is letters ``(participant, activity, role, letter)`` of participants who have not been
    withdrawn, and who answered which activity's A ``(participant, activity)``; 1.0 rounds have no letters."""
    present = Participant.objects.filter(round=round_, withdrawn_at__isnull=True)
    letters = present.filter(raci_letters__isnull=False).values_list(
        "pk", "raci_letters__activity__key", "raci_letters__role", "raci_letters__letter"
    )
    answered = RaciAnswer.objects.filter(participant__in=present).values_list("participant_id", "activity__key")
    return list(letters), list(answered)


def raci_letters(round_) -> dict[tuple[str, str], str]:
    return {(a, r): letter for a, r, letter in RaciCell.objects.filter(round=round_).values_list("activity", "role", "letter")}


def raci_violations(round_, context: RaciContext | None = None, letters=None) -> tuple[Violation, ...]:
    """Every violation of the round's to-be RACI (hidden roles do not count)."""
    context = context or raci_context(round_)
    letters = raci_letters(round_) if letters is None else letters
    return validate(letters, context.activity_keys, context.visible_keys, context.cxo_exists)


def dimension_stages(round_) -> dict[str, int | None]:
    """Each dimension's maturity stage in the round's stored results (none before results are stored)."""
    snapshot = getattr(round_, "snapshot", None)
    if snapshot is None:
        return {}
    return {d.key: d.stage for d in snapshot.results.dimensions}


@transaction.atomic
def raci_propose(*, round_) -> tuple[Violation, ...]:
    """Replaces the to-be RACI with the documented proposal (reasons included); owners follow."""
    _check_editable(round_)
    org_roles_ensure(organisation=round_.organisation, framework=round_.framework)  # the letters name stored roles
    context = raci_context(round_)
    letters, answered = raci_as_is_letters(round_)  # RACI 2.0: the R participants name today are kept
    proposal = propose_to_be(
        context.activity_keys,
        context.visible_keys,
        context.cxo_exists,
        round_.cxo_reports_to or None,
        raci_as_is(round_, context.activity_keys),
        dimension_stages(round_),
        raci_rules(),
        letters=letters,
        answered=answered,
    )
    RaciCell.objects.filter(round=round_).delete()
    RaciCell.objects.bulk_create(
        RaciCell(
            round=round_,
            activity=cell.activity,
            role=cell.role,
            letter=cell.letter,
            reason_code=cell.reason.code,
            reason_params=dict(cell.reason.params),
            proposed=True,
        )
        for cell in proposal
    )
    roadmap = roadmap_settings(round_)
    roadmap.raci_proposed_at = timezone.now()
    roadmap.save(update_fields=["raci_proposed_at"])
    roadmap_owners_refresh(round_=round_)
    return raci_violations(round_, context)


def _letter(value) -> str:
    letter = (value or "").strip().upper()
    if letter in ("", "-", "—"):
        return ""
    if letter not in LETTERS:
        raise RoadmapError("bad_letter", str(value))
    return letter


@transaction.atomic
def raci_set_cells(*, round_, changes: Mapping[tuple[str, str], str]) -> tuple[Violation, ...]:
    """Sets several cells (``""`` empties one); a draft with errors saves. Returns every violation."""
    _check_editable(round_)
    org_roles_ensure(organisation=round_.organisation, framework=round_.framework)  # the letters name stored roles
    context = raci_context(round_)
    activities, roles = set(context.activity_keys), set(context.visible_keys)
    wanted: dict[tuple[str, str], str] = {}
    for (activity, role), value in changes.items():
        if activity not in activities:
            raise RoadmapError("unknown_activity", activity)
        if role not in roles:
            raise RoadmapError("unknown_role", role)
        wanted[(activity, role)] = _letter(value)
    existing = {(c.activity, c.role): c for c in RaciCell.objects.filter(round=round_)}
    letters_before = {key: cell.letter for key, cell in existing.items()}
    to_delete, to_update, to_create = [], [], []
    for (activity, role), letter in wanted.items():
        cell = existing.get((activity, role))
        if cell is None:
            if letter:
                to_create.append(
                    RaciCell(
                        round=round_,
                        activity=activity,
                        role=role,
                        letter=letter,
                        reason_code=MANUAL.code,
                    )
                )
        elif not letter:
            to_delete.append(cell.pk)
        elif cell.letter != letter:
            cell.letter, cell.proposed = letter, False
            cell.reason_code, cell.reason_params = MANUAL.code, {}
            to_update.append(cell)
    if to_delete:
        RaciCell.objects.filter(pk__in=to_delete).delete()
    if to_update:
        RaciCell.objects.bulk_update(to_update, ["letter", "proposed", "reason_code", "reason_params", "updated_at"])
    if to_create:
        RaciCell.objects.bulk_create(to_create)
    if to_delete or to_update or to_create:
        roadmap_owners_refresh(round_=round_, context=context)
        _audit_raci(round_, context, letters_before, wanted)
    return raci_violations(round_, context)


def _audit_raci(round_, context: RaciContext, letters_before: dict, wanted: dict) -> None:
    """One audit line per activity whose letters changed: "Define the CX strategy · CXO: R → A"."""
    titles = {role.key: role.tr("title") for role in context.roles}
    for activity in context.activities:
        changes = []
        for role in context.visible_keys:
            if (activity.key, role) not in wanted:
                continue
            before, after = letters_before.get((activity.key, role), ""), wanted[(activity.key, role)]
            if before != after:
                changes.append(audit.change(role, before, after, label=titles.get(role, role)))
        if changes:
            audit.record(
                organisation=round_.organisation, round=round_, kind="raci", target=activity.tr("title"), changes=changes
            )


def raci_set_cell(*, round_, activity: str, role: str, letter: str) -> tuple[Violation, ...]:
    """Sets one cell (``""`` empties it) and returns every violation of the to-be RACI."""
    return raci_set_cells(round_=round_, changes={(activity, role): letter})


# --------------------------------------------------------------------------- roadmap


def roadmap_settings(round_) -> Roadmap:
    """The round's roadmap settings row, created with the defaults on first use."""
    roadmap = Roadmap.objects.filter(round=round_).first()
    if roadmap is not None:
        return roadmap
    closed_on = timezone.localdate(round_.closed_at) if round_.closed_at else timezone.localdate()
    roadmap, _created = Roadmap.objects.get_or_create(
        round=round_, defaults={"start_date": default_start_date(closed_on), "capacity": DEFAULT_CAPACITY}
    )
    return roadmap


@transaction.atomic
def roadmap_ensure(*, round_) -> Roadmap | None:
    """A closed round's first plan: propose the to-be RACI, then generate the roadmap (on closing: roadmaps/handlers.py).

    Does nothing on rounds that are not closed (nothing is created once published) or already done.
    """
    roadmap = Roadmap.objects.filter(round=round_).first()
    if round_.status not in EDITABLE or getattr(round_, "snapshot", None) is None:
        return roadmap
    if roadmap is not None and roadmap.generated_at is not None and roadmap.raci_proposed_at is not None:
        return roadmap  # the usual case: nothing to do
    roadmap = roadmap or roadmap_settings(round_)
    roadmap = Roadmap.objects.select_for_update().get(pk=roadmap.pk)  # two callers at once: one proposes
    if roadmap.raci_proposed_at is None and not RaciCell.objects.filter(round=round_).exists():
        raci_propose(round_=round_)
    if roadmap.generated_at is None:
        roadmap_generate(round_=round_)
    roadmap.refresh_from_db()
    return roadmap


def priority_importance(target: Target, row: DimensionResult) -> int:
    """The importance a dimension's initiatives are ranked with: the target's, or else the committee's.

    Rule (question bank 2.0, issue #16): while nobody has saved the round's target of the dimension
    (``Target.updated_by`` is None: its importance is still the starting value, 2 or the one an
    engagement template or the previous round proposed), the committee's own importance stored
    with the results (``DimensionResult.importance``, the mean of the 1–3 values the respondents
    gave) is used, rounded half-up to a whole number (2.5 → 3). Once someone has saved the target,
    or when no respondent gave an importance (a 1.0 round), the target's importance is used.
    The stored 2-decimal mean is the one read, so an exported priority can be recomputed from the
    exported figures.
    """
    committee = row.importance
    if target.updated_by_id is not None or committee is None:
        return target.importance
    whole = int(round_half_up(Fraction(Decimal(str(committee))), places=0))
    return min(max(whole, 1), 3)


def roadmap_dimension_states(round_, results: Results | None = None) -> list[DimensionState]:
    """The scored state, target and importance of each dimension, framework order, from the snapshot.

    Scores are the stored (rounded) snapshot scores taken as exact fractions, so exported
    priorities can be recomputed from exported figures; the importance is priority_importance's.
    """
    rows = (results if results is not None else _stored_results(round_)).dimensions
    targets = targets_ensure(round_=round_, dimension_scores=rows)
    states = []
    for row in rows:
        target = targets.get(row.key)
        if row.unscored or row.score is None or target is None:
            states.append(DimensionState(row.key, None, None, None))
        else:
            score = Fraction(Decimal(str(row.score)))
            states.append(DimensionState(row.key, row.stage, score, target.target, priority_importance(target, row)))
    return states


def _priority(value: Fraction | None) -> Decimal | None:
    if value is None:
        return None
    rounded = round_half_up(value, 2)
    return Decimal(rounded.numerator) / Decimal(rounded.denominator)


@transaction.atomic
def roadmap_generate(*, round_) -> list[RoadmapItem]:
    """(Re)generates the roadmap: locked and custom items keep their place, the rest is replaced.

    Deterministic for the same results, targets, context, capacity and kept items. An
    initiative generated again keeps its row (id), its status and an owner set by hand.
    """
    _check_editable(round_)
    results = _stored_results(round_)
    roadmap = Roadmap.objects.select_for_update().get(pk=roadmap_settings(round_).pk)
    library = library_for(round_.framework.version)  # 2.0 rounds also get D11 and 2.0's new practices
    states = roadmap_dimension_states(round_, results)
    conditions = conditions_for(round_.cxo_exists, round_.cxo_reports_to)
    existing = {item.key: item for item in RoadmapItem.objects.filter(round=round_)}
    kept = {key: item for key, item in existing.items() if item.locked or item.custom}
    placed = [
        PlacedItem(
            key=item.key,
            start_month=item.start_month,
            duration_months=item.duration_months,
            dimension=item.dimension,
            from_level=item.from_level,
            locked=item.locked,
            custom=item.custom,
            selected_by=None if item.custom else item.selected_by,
        )
        for item in kept.values()
    ]
    planned = generate_roadmap(library.initiatives, states, conditions, placed, roadmap.capacity)

    inapplicable = {
        i.key for i in library.initiatives if i.context_condition is not None and i.context_condition not in conditions
    }
    planned_keys = {plan.key for plan in planned}
    RoadmapItem.objects.filter(round=round_).exclude(key__in=planned_keys).exclude(pk__in=[i.pk for i in kept.values()]).delete()
    to_update: list[RoadmapItem] = []
    changed_fields: set[str] = set()
    to_create = []

    def assign(item: RoadmapItem, fields: dict) -> None:
        """Only what differs is written: a regeneration that changes nothing writes nothing."""
        changed = {name for name, value in fields.items() if getattr(item, name) != value}
        if changed:
            for name in changed:
                setattr(item, name, fields[name])
            changed_fields.update(changed)
            to_update.append(item)

    for position, plan in enumerate(planned):
        item = kept.get(plan.key)
        if item is not None:  # placed by hand: keeps its months
            assign(item, {"position": position, "priority": _priority(plan.priority), "selected_by": plan.selected_by})
            continue
        title, description = library.title(plan.key), library.description(plan.key)
        fields = {
            "title_fr": title["fr"],
            "title_en": title["en"],
            "description_fr": description["fr"],
            "description_en": description["en"],
            "dimension": plan.dimension,
            "from_level": plan.from_level,
            "start_month": plan.start_month,
            "duration_months": plan.duration_months,
            "priority": _priority(plan.priority),
            "effort": plan.effort,
            "impact": plan.impact,
            "quick_win": plan.quick_win,
            "activity": plan.activity or "",
            "kpis": [{"metric": k.metric, "drives": k.drives} for k in plan.kpis],
            # A context initiative whose condition does not hold is not applicable: not listed.
            "prerequisites": [p for p in plan.prerequisites if p not in inapplicable],
            "selected_by": plan.selected_by,
            "position": position,
        }
        item = existing.get(plan.key)
        if item is None:
            to_create.append(RoadmapItem(round=round_, key=plan.key, status=ItemStatus.PLANNED, **fields))
        else:  # generated again: same row (its id, status and any owner set by hand stay)
            assign(item, fields)
    if to_update:
        RoadmapItem.objects.bulk_update(to_update, sorted(changed_fields))
    if to_create:
        RoadmapItem.objects.bulk_create(to_create)
    roadmap.generated_at = timezone.now()
    roadmap.save(update_fields=["generated_at"])
    roadmap_owners_refresh(round_=round_)
    return list(RoadmapItem.objects.filter(round=round_).order_by("position", "id"))


def raci_accountable(round_, context: RaciContext | None = None) -> dict[str, str | None]:
    """Per activity, the visible role holding its single A (``None`` with no A or several)."""
    context = context or raci_context(round_)
    visible = set(context.visible_keys)
    holders: dict[str, list[str]] = {a: [] for a in context.activity_keys}
    for activity, role in RaciCell.objects.filter(round=round_, letter="A").values_list("activity", "role"):
        if role in visible and activity in holders:
            holders[activity].append(role)
    return {activity: roles[0] if len(roles) == 1 else None for activity, roles in holders.items()}


def roadmap_owners_refresh(*, round_, context: RaciContext | None = None) -> int:
    """Sets the owner of every item not set by hand from the to-be RACI; returns how many changed."""
    accountable = raci_accountable(round_, context)
    changed = []
    for item in RoadmapItem.objects.filter(round=round_, owner_overridden=False):
        owner = accountable.get(item.activity) if item.activity else None
        if item.owner_role != owner:
            item.owner_role = owner
            changed.append(item)
    if changed:
        RoadmapItem.objects.bulk_update(changed, ["owner_role", "updated_at"])
    return len(changed)


@transaction.atomic
def roadmap_settings_set(*, round_, start_date, capacity: int) -> Roadmap:
    """Month 0 and the capacity; a new capacity regenerates the roadmap (locked and custom items stay)."""
    _check_editable(round_)
    if not 1 <= capacity <= 30:
        raise RoadmapError("bad_capacity", str(capacity))
    roadmap = roadmap_settings(round_)
    regenerate = roadmap.capacity != capacity
    before = audit.snapshot(roadmap, ("start_date", "capacity"))
    roadmap.start_date, roadmap.capacity = start_date, capacity
    roadmap.save(update_fields=["start_date", "capacity"])
    changes = audit.diff(before, audit.snapshot(roadmap, ("start_date", "capacity")))
    audit.record(organisation=round_.organisation, round=round_, kind="roadmap", target=round_.title, changes=changes)
    if regenerate and getattr(round_, "snapshot", None) is not None:
        roadmap_generate(round_=round_)
    return roadmap


def _check_months(start_month: int, duration_months: int | None = None) -> None:
    if not 0 <= start_month <= MAX_START_MONTH:
        raise RoadmapError("bad_month", str(start_month))
    if duration_months is not None and not 1 <= duration_months <= MAX_DURATION:
        raise RoadmapError("bad_duration", str(duration_months))


@transaction.atomic
def roadmap_item_add(
    *,
    round_,
    title_fr: str = "",
    title_en: str = "",
    dimension: str | None = None,
    activity: str = "",
    start_month: int = 0,
    duration_months: int = 1,
) -> RoadmapItem:
    """A custom initiative (title in one or both languages, optional dimension and activity).

    It keeps its place and counts toward capacity: the rest of the roadmap is regenerated around it.
    """
    _check_editable(round_)
    title_fr, title_en = (title_fr or "").strip(), (title_en or "").strip()
    if not title_fr and not title_en:
        raise RoadmapError("missing_title")
    if dimension and not round_.framework.dimensions.filter(key=dimension).exists():
        raise RoadmapError("unknown_dimension", dimension)
    if activity and not round_.framework.raci_activities.filter(key=activity).exists():
        raise RoadmapError("unknown_activity", activity)
    _check_months(start_month, duration_months)
    roadmap_settings(round_)
    # Two identical submissions at once (a double click, two tabs) must give one initiative, and two
    # different ones must not pick the same key: adding is serialised on the round's row, and the
    # same custom initiative posted again is the one already there.
    Round.objects.select_for_update().filter(pk=round_.pk).first()
    same = RoadmapItem.objects.filter(
        round=round_, custom=True, title_fr=title_fr, title_en=title_en, dimension=dimension or None, activity=activity or ""
    ).first()
    if same is not None:
        return same
    taken = set(RoadmapItem.objects.filter(round=round_, key__startswith=CUSTOM_PREFIX).values_list("key", flat=True))
    number = len(taken) + 1
    while f"{CUSTOM_PREFIX}{number}" in taken:
        number += 1
    item = RoadmapItem.objects.create(
        round=round_,
        key=f"{CUSTOM_PREFIX}{number}",
        title_fr=title_fr,
        title_en=title_en,
        dimension=dimension or None,
        activity=activity or "",
        start_month=start_month,
        duration_months=duration_months,
        selected_by=SelectedBy.CUSTOM,
        custom=True,
        position=RoadmapItem.objects.filter(round=round_).count(),
    )
    if getattr(round_, "snapshot", None) is not None:
        roadmap_generate(round_=round_)
    else:
        roadmap_owners_refresh(round_=round_)
    item.refresh_from_db()
    _audit_item(item, audit.CREATED)
    return item


@transaction.atomic
def roadmap_item_remove(*, item: RoadmapItem) -> None:
    """Removes an item. A generated one comes back on regeneration: mark it "dropped" to keep it out."""
    _check_editable(item.round)
    _audit_item(item, audit.REMOVED)
    item.delete()


@transaction.atomic
def roadmap_item_move(*, item: RoadmapItem, start_month: int) -> RoadmapItem:
    """Moves an item to ``start_month`` and locks it; the rest of the roadmap is regenerated around it."""
    _check_editable(item.round)
    _check_months(start_month)
    before = audit.snapshot(item, ITEM_AUDITED)
    item.start_month, item.locked = start_month, True
    item.save(update_fields=["start_month", "locked", "updated_at"])
    roadmap_generate(round_=item.round)
    item.refresh_from_db()
    _audit_item(item, audit.CHANGED, before)
    return item


@transaction.atomic
def roadmap_item_lock(*, item: RoadmapItem, locked: bool) -> RoadmapItem:
    """Locks (keeps its place on regeneration) or unlocks an item; nothing moves until regeneration."""
    _check_editable(item.round)
    before = audit.snapshot(item, ITEM_AUDITED)
    item.locked = locked
    item.save(update_fields=["locked", "updated_at"])
    _audit_item(item, audit.CHANGED, before)
    return item


@transaction.atomic
def roadmap_item_set_owner(*, item: RoadmapItem, role: str) -> RoadmapItem:
    """Sets the owner by hand (it no longer follows the RACI) to a visible role of the organisation."""
    _check_editable(item.round)
    org_roles_ensure(organisation=item.round.organisation, framework=item.round.framework)
    if not OrgRole.objects.filter(organisation_id=item.round.organisation_id, key=role, hidden=False).exists():
        raise RoadmapError("unknown_role", role)
    before = audit.snapshot(item, ITEM_AUDITED)
    item.owner_role, item.owner_overridden = role, True
    item.save(update_fields=["owner_role", "owner_overridden", "updated_at"])
    _audit_item(item, audit.CHANGED, before)
    return item


@transaction.atomic
def roadmap_item_clear_owner(*, item: RoadmapItem) -> RoadmapItem:
    """Clears an owner set by hand: the owner follows the to-be RACI again."""
    _check_editable(item.round)
    before = audit.snapshot(item, ITEM_AUDITED)
    item.owner_overridden = False
    item.save(update_fields=["owner_overridden", "updated_at"])
    roadmap_owners_refresh(round_=item.round)
    item.refresh_from_db()
    _audit_item(item, audit.CHANGED, before)
    return item


def roadmap_item_set_status(*, item: RoadmapItem, status: str) -> RoadmapItem:
    _check_editable(item.round, STATUS_EDITABLE)
    if status not in ItemStatus.values:
        raise RoadmapError("bad_status", status)
    before = audit.snapshot(item, ITEM_AUDITED)
    item.status = status
    item.save(update_fields=["status", "updated_at"])
    _audit_item(item, audit.CHANGED, before)
    return item


#: What the audit log shows of an initiative's edits.
ITEM_AUDITED = ("start_month", "duration_months", "locked", "owner_role", "status")


def _audit_item(item: RoadmapItem, verb: str, before: dict | None = None) -> None:
    round_ = item.round
    changes = audit.diff(before, audit.snapshot(item, ITEM_AUDITED)) if before is not None else []
    audit.record(
        organisation=round_.organisation, round=round_, kind="initiative", verb=verb, target=item.tr("title"), changes=changes
    )
