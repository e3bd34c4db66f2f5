"""Writes on rounds, participants and answers: validate, then save in one transaction."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import connection, transaction
from django.db.models import Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import recording as audit
from cxgov.tokens import make_token, new_nonce, read_token
from organisations.models import Membership, Role
from outbox import services as outbox

from . import publish_checks
from .domain.answers import CONFIDENCE_LEVELS, IMPORTANCE_MAX, IMPORTANCE_MIN, NOT_APPLICABLE
from .models import (
    Answer,
    AnswerNote,
    Consensus,
    ContextAnswer,
    Delegation,
    DimensionImportance,
    Participant,
    Question,
    RaciAnswer,
    RaciLetter,
    ResultSnapshot,
    Round,
    RoundStatus,
)
from .results import compute_results
from .signals import results_stored, round_closed, round_published

SIGN_IN_SALT = "cxgov.assessments.sign-in"
COMMENT_MAX = 2000
DONT_KNOW = "dk"

# Allowed status moves: draft → open → closed → published, and back (PRODUCT.md).
TRANSITIONS = {
    ("draft", "open"),
    ("open", "draft"),
    ("open", "closed"),
    ("closed", "published"),
    ("closed", "open"),  # reopen
    ("published", "open"),  # reopen (unpublishes)
}


class RoundClosedError(Exception):
    """The round does not accept answers now (draft, closed or published)."""


class TransitionError(Exception):
    pass


class PublishBlocked(TransitionError):
    """A registered publish check refused (assessments/publish_checks.py); ``messages`` says why, one line each."""

    def __init__(self, messages: list[str]):
        super().__init__("publish", messages)
        self.messages = messages


@transaction.atomic
def round_create(
    *, organisation, user, framework, title, due_date=None, anonymous=False, previous=None, short_form=False
) -> Round:
    if short_form and not framework.short_form:
        raise ValueError(f"framework {framework} has no short form")
    round_ = Round.objects.create(
        organisation=organisation,
        framework=framework,
        short_form=short_form,
        title=title,
        due_date=due_date,
        anonymous=anonymous,
        previous=previous,
        created_by=user,
    )
    if previous is not None:
        # Same participants and functions as the previous round (withdrawn ones stay out).
        Participant.objects.bulk_create(
            Participant(round=round_, user_id=p.user_id, function=p.function, nonce=new_nonce())
            for p in previous.participants.filter(withdrawn_at__isnull=True, user__memberships__organisation=organisation)
        )
    audit.record(organisation=organisation, round=round_, kind="round", verb=audit.CREATED, target=title)
    return round_


class AnonymityFrozenError(Exception):
    """The round has been opened once: its anonymity cannot change any more."""


@transaction.atomic
def round_update(*, round_: Round, title, due_date, anonymous, short_form=None) -> Round:
    # Anonymity cannot change once the round has been opened, even after going back to draft:
    # people answered under a promise (opened_at stays set for good). Compared with the stored
    # row, not with `round_`, which a bound ModelForm has already modified.
    stored = Round.objects.select_for_update().get(pk=round_.pk)
    if stored.anonymity_frozen and bool(anonymous) != stored.anonymous:
        raise AnonymityFrozenError
    # The short form, likewise: once opened, answers were given to the questions it asks. None: unchanged.
    short_form = stored.short_form if short_form is None else bool(short_form)
    if short_form != stored.short_form and (stored.anonymity_frozen or not round_.framework.short_form):
        raise AnonymityFrozenError
    fields = ("title", "due_date", "anonymous", "short_form")
    before = audit.snapshot(stored, fields)
    round_.title, round_.due_date, round_.anonymous, round_.short_form = title, due_date, anonymous, short_form
    round_.save(update_fields=["title", "due_date", "anonymous", "short_form"])
    changes = audit.diff(before, audit.snapshot(round_, fields))
    audit.record(organisation=round_.organisation, round=round_, kind="round", target=stored.title, changes=changes)
    return round_


@transaction.atomic
def round_transition(*, round_: Round, to: str) -> Round:
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if (round_.status, to) not in TRANSITIONS:
        raise TransitionError(round_.status, to)
    if to == RoundStatus.PUBLISHED:
        problems = publish_checks.problems(round_=round_)
        if problems:
            raise PublishBlocked(problems)
    now = timezone.now()
    audit.record(
        organisation=round_.organisation,
        round=round_,
        kind="round",
        target=round_.title,
        changes=[audit.change("status", round_.status, to)],
    )
    round_.status = to
    if to == RoundStatus.OPEN:
        round_.opened_at = round_.opened_at or now
        round_.published_at = None
        round_.everyone_submitted_notified_at = None
    elif to == RoundStatus.CLOSED:
        round_.closed_at = now
        round_.save()
        results_store(round_=round_)
    elif to == RoundStatus.PUBLISHED:
        round_.published_at = now
    round_.save()
    # The apps above follow inside this transaction (assessments/signals.py): roadmaps plans a closed round.
    if to == RoundStatus.CLOSED:
        round_closed.send(sender=Round, round_=round_)
    elif to == RoundStatus.PUBLISHED:
        round_published.send(sender=Round, round_=round_)
    # Recorded with the change itself, sent after commit (and later if the broker is down).
    if to == RoundStatus.OPEN:
        outbox.enqueue("assessments.tasks.send_round_invitations", round_.pk)
    elif to == RoundStatus.PUBLISHED:
        outbox.enqueue("assessments.tasks.notify_results_published", round_.pk)
    return round_


@dataclass(frozen=True)
class ParticipantOutcome:
    participant: Participant
    created: bool
    reinstated: bool = False


@transaction.atomic
def participant_invite(*, round_: Round, email: str, function: str, full_name: str = "") -> ParticipantOutcome:
    """Adds a person to the round (creating the account and a respondent membership when needed).

    For trusted callers only (seed_demo, imports, tests): it enrols without asking. The round page
    goes through assessments.enrolment.participant_add, which invites anyone who is not a member.

    The invitation e-mail goes out now if the round is open, else when it opens.
    """
    User = get_user_model()
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None, full_name=full_name)
    Membership.objects.get_or_create(user=user, organisation=round_.organisation, defaults={"role": Role.RESPONDENT})
    participant = Participant.objects.filter(round=round_, user=user).first()
    created = reinstated = False
    if participant is None:
        participant = Participant.objects.create(round=round_, user=user, function=function, nonce=new_nonce())
        created = True
    else:
        reinstated = participant.withdrawn_at is not None
        participant.function, participant.withdrawn_at = function, None
        participant.save(update_fields=["function", "withdrawn_at"])
    if round_.status == RoundStatus.OPEN:
        participant_send_link(participant_id=participant.pk)
    return ParticipantOutcome(participant=participant, created=created, reinstated=reinstated)


def participant_send_link(*, participant_id: int, reminder: bool = False) -> None:
    """Records the e-mail in the outbox: sent after the current transaction commits, or by the relay later."""
    outbox.enqueue("assessments.tasks.send_participant_link", participant_id, reminder)


def participant_new_link(participant: Participant) -> str:
    """A personal link (assessments/links.py): it answers until the participant submits or the round closes.

    Every link of a participant carries their nonce, so a new one never kills the one already in the
    inbox; the token's issue time is not an expiry (assessments.links.read ignores it).
    """
    if participant.invited_at is None:
        participant.invited_at = timezone.now()
        participant.save(update_fields=["invited_at"])
    return signing.dumps({"i": participant.pk, "n": participant.nonce}, salt=SIGN_IN_SALT, compress=True)


class LinkError(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@transaction.atomic
def participant_withdraw(*, participant: Participant) -> None:
    """Withdraws a participant: their answers stop counting, in the snapshot too when the round is closed."""
    round_ = Round.objects.select_for_update().get(pk=participant.round_id)
    participant.withdrawn_at = timezone.now()
    participant.save(update_fields=["withdrawn_at"])
    audit.record(
        organisation=round_.organisation,
        round=round_,
        kind="participant",
        verb=audit.REMOVED,
        target=participant.user.display_name,
        person=participant.user,
    )
    if round_.status in (RoundStatus.CLOSED, RoundStatus.PUBLISHED):
        # The snapshot must stay equal to a recomputation from the answers that count.
        results_store(round_=round_)


def member_participations_withdraw(*, organisation, user) -> int:
    """A member removed from the organisation no longer takes part in its rounds (organisations' member_removed)."""
    participations = Participant.objects.filter(round__organisation=organisation, user=user, withdrawn_at__isnull=True)
    count = 0
    for participant in participations:
        participant_withdraw(participant=participant)
        count += 1
    return count


# ---------------------------------------------------------------------------- answers

_url_validator = URLValidator(schemes=["http", "https"])


@dataclass
class AnswerInput:
    """What a request says about one question; fields left as None were not sent and stay as they are."""

    level: str | None = None
    comment: str | None = None
    evidence_url: str | None = None
    confidence: str | None = None


@dataclass
class AnswerErrors:
    level: str = ""
    comment: str = ""
    evidence_url: str = ""
    confidence: str = ""

    def __bool__(self):
        return bool(self.level or self.comment or self.evidence_url or self.confidence)


def clean_answer(data: AnswerInput, *, not_applicable_allowed: bool = False) -> tuple[dict, AnswerErrors]:
    """Validates the sent fields of one answer: the level is 1–5 or don't-know; links are http(s) only.

    "Not applicable" ("na", kept as the level NOT_APPLICABLE until it is written) is accepted only
    when the caller says the question's rule holds for this respondent (Question.not_applicable_allowed).
    The confidence is "low", "high" or "" (not said, stored as null).
    """
    values: dict = {}
    errors = AnswerErrors()
    if data.level is not None:
        _clean_level(data.level, not_applicable_allowed, values, errors)
    if data.confidence is not None:
        if data.confidence in CONFIDENCE_LEVELS:
            values["confidence"] = data.confidence
        elif data.confidence == "":
            values["confidence"] = None
        else:
            errors.confidence = _("Choose how sure you are of this level: low or high confidence.")
    if data.comment is not None:
        comment = data.comment.strip()
        if len(comment) > COMMENT_MAX:
            errors.comment = _("The comment is limited to %(max)d characters (%(count)d typed).") % {
                "max": COMMENT_MAX,
                "count": len(comment),
            }
        else:
            values["comment"] = comment
    if data.evidence_url is not None:
        url = data.evidence_url.strip()
        if url:
            try:
                _url_validator(url)
            except ValidationError:
                errors.evidence_url = _("Enter a full web address starting with http:// or https://.")
            else:
                values["evidence_url"] = url
        else:
            values["evidence_url"] = ""
    return values, errors


def _clean_level(level: str, not_applicable_allowed: bool, values: dict, errors: AnswerErrors) -> None:
    """The level sent ("" is no answer yet, and is not written) into ``values``, or the problem into ``errors``."""
    if level == DONT_KNOW:
        values["level"] = None
    elif level in {"1", "2", "3", "4", "5"}:
        values["level"] = int(level)
    elif level == NOT_APPLICABLE and not_applicable_allowed:
        values["level"] = NOT_APPLICABLE
    elif level == NOT_APPLICABLE:
        errors.level = _("This question applies to your organisation: choose a level from 1 to 5, or “Don't know”.")
    elif level != "":
        errors.level = _("Choose a level from 1 to 5, or “Don't know”.")


def lock_open_round(round_id: int) -> Round:
    """Locks the round row for the rest of the transaction and checks that it accepts answers.

    Every write of an answer takes this lock, and closing takes it too (round_transition), so a
    save in flight either commits before the closing snapshot is computed or waits and is then
    refused: the snapshot always holds every answer that was accepted.
    """
    round_ = Round.objects.select_for_update().get(pk=round_id)
    if round_.status != RoundStatus.OPEN:
        raise RoundClosedError
    return round_


NOTE_FIELDS = ("comment", "evidence_url")


def answer_save(*, participant: Participant, question: Question, values: dict) -> bool:
    """Saves the fields of one answer present in `values` (from clean_answer), under the round lock.

    Only the fields sent are written, so a tab that saves its level does not overwrite a comment
    typed in another tab. A comment or link sent before any level is kept as an AnswerNote (a
    null level would mean "don't know"); the level, when it comes, takes the note along.
    Returns True when what was sent is kept as a note (the question still needs a level).
    Raises RoundClosedError when the round does not accept answers (checked under the lock).
    """
    # No savepoint (autosave stays at a handful of queries); so that a caller's transaction is not
    # spoilt by it, RoundClosedError is raised once the block has ended without error.
    with transaction.atomic(savepoint=False):
        noted = _answer_write(participant=participant, question=question, values=values)
    if noted is None:
        raise RoundClosedError
    return noted


def _answer_write(*, participant: Participant, question: Question, values: dict) -> bool | None:
    keys = {"participant_id": participant.pk, "question_id": question.pk}
    # The round lock and the question's pending note in one query.
    note = AnswerNote.objects.filter(**keys)
    round_ = (
        Round.objects.select_for_update()
        .annotate(
            note_id=Subquery(note.values("pk")[:1]),
            note_comment=Subquery(note.values("comment")[:1]),
            note_evidence_url=Subquery(note.values("evidence_url")[:1]),
        )
        .only("status")
        .get(pk=participant.round_id)
    )
    if round_.status != RoundStatus.OPEN:
        return None
    if not values:
        return not Answer.objects.filter(**keys).exists()
    if "level" in values:
        if round_.note_id is not None:
            carried = {f: getattr(round_, f"note_{f}") for f in NOTE_FIELDS if f not in values and getattr(round_, f"note_{f}")}
            AnswerNote.objects.filter(pk=round_.note_id).delete()
            # Never over an answer's own comment: a note only exists while there is no answer.
            if not Answer.objects.filter(**keys).exists():
                values = {**carried, **values}
        _upsert(Answer, keys, _level_columns(values))
        noted = False
    else:
        noted = not Answer.objects.filter(**keys).update(**values, updated_at=timezone.now())
        # A confidence qualifies a level: without an answer there is nothing to keep it with.
        note_values = {f: v for f, v in values.items() if f in NOTE_FIELDS}
        if noted and note_values:
            _upsert(AnswerNote, keys, note_values)
    _touch(participant)
    return noted


def _level_columns(values: dict) -> dict:
    """The cleaned level as its columns: "not applicable" is a null level flagged as such.

    The flag is written with every level, so that a level replaces an earlier "not applicable";
    a confidence goes with a level only, so don't know and "not applicable" clear it.
    """
    level = values["level"]
    columns = {**values, "level": None if level == NOT_APPLICABLE else level, "not_applicable": level == NOT_APPLICABLE}
    if not isinstance(level, int):
        columns["confidence"] = None
    return columns


@dataclass(frozen=True)
class AnswerConflict:
    """A field that both this page and another tab changed since the page was loaded."""

    field: str  # "level", "comment" or "evidence_url"
    replaced: str  # the other tab's value, now replaced ("dk" for don't know)


def as_sent(field: str, value) -> str:
    """A cleaned value of an answer field as a page sends it (don't know is "dk", not applicable "na", no confidence "")."""
    if field == "level":
        return DONT_KNOW if value is None else str(value)
    if field == "confidence":
        return value or ""
    return value


def _stored(answer, note) -> dict[str, str]:
    """The stored values of one question in the form a page sends them ("" for no level)."""
    if answer is not None:
        return {
            "level": NOT_APPLICABLE if answer.not_applicable else as_sent("level", answer.level),
            "comment": answer.comment,
            "evidence_url": answer.evidence_url,
            "confidence": as_sent("confidence", answer.confidence),
        }
    return {
        "level": "",
        "comment": note.comment if note else "",
        "evidence_url": note.evidence_url if note else "",
        "confidence": "",
    }


@transaction.atomic
def answer_save_from_page(
    *, participant: Participant, question: Question, values: dict, loaded: dict[str, str | None]
) -> list[AnswerConflict]:
    """Saves a page submitted without JavaScript, which may have been open for hours in a stale tab.

    `loaded` holds the values the page showed when it was loaded (None: the page did not say).
    Only the fields this page changed are written, so a comment autosaved meanwhile from another
    tab survives an unchanged stale page. When both changed the same field, the page's value is
    the newer one and is kept; the other value is returned so that the person is told what it
    replaced.
    """
    lock_open_round(participant.round_id)
    answer = Answer.objects.filter(participant=participant, question=question).first()
    note = None if answer else AnswerNote.objects.filter(participant=participant, question=question).first()
    stored = _stored(answer, note)
    changed: dict = {}
    conflicts: list[AnswerConflict] = []
    for field, value in values.items():
        sent = as_sent(field, value)
        before = loaded.get(field)
        if before is not None:
            before = before.strip()
            if sent == before or sent == stored[field]:
                continue  # not changed on this page, or already stored as sent
            if stored[field] != before:
                conflicts.append(AnswerConflict(field=field, replaced=stored[field]))
        changed[field] = value
    answer_save(participant=participant, question=question, values=changed)
    return conflicts


ANSWER_DEFAULTS = {"comment": "", "evidence_url": ""}


def _upsert(model, keys: dict, values: dict) -> None:
    """One INSERT … ON CONFLICT DO UPDATE statement (same syntax on PostgreSQL and SQLite).

    A single statement is atomic on its own, so concurrent saves of the same answer can neither
    duplicate the row nor fail; only the columns in `values` are overwritten on conflict.
    Column names come from the model, never from the request.
    """
    now = timezone.now()
    insert = {**keys, **{k: v for k, v in ANSWER_DEFAULTS.items() if model in (Answer, AnswerNote)}, **values, "updated_at": now}
    columns = [model._meta.get_field(name.removesuffix("_id") if name.endswith("_id") else name).column for name in insert]
    updates = [model._meta.get_field(name).column for name in [*values, "updated_at"]]
    conflict = [model._meta.get_field(name.removesuffix("_id")).column for name in keys]
    q = connection.ops.quote_name
    field_objects = [model._meta.get_field(name.removesuffix("_id") if name.endswith("_id") else name) for name in insert]
    params = [f.get_db_prep_save(v, connection) for f, v in zip(field_objects, insert.values(), strict=True)]
    sql = (
        f"INSERT INTO {q(model._meta.db_table)} ({', '.join(q(c) for c in columns)}) "  # noqa: S608 — identifiers from the model, values bound
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({', '.join(q(c) for c in conflict)}) DO UPDATE SET "
        + ", ".join(f"{q(c)} = EXCLUDED.{q(c)}" for c in updates)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


class MissingLevelError(Exception):
    """A comment or link was sent for a question that has no answer yet."""


def _touch(participant: Participant) -> None:
    now = timezone.now()
    # At most one write a minute keeps autosave cheap.
    if participant.last_activity_at is None or now - participant.last_activity_at > timedelta(minutes=1):
        Participant.objects.filter(pk=participant.pk).update(last_activity_at=now)
        participant.last_activity_at = now


def importance_save(*, participant: Participant, dimension, importance: int | None) -> None:
    """Saves how important the participant holds a dimension of the round's framework (1–3, or None: not said).

    Raises ValueError for another value or a dimension of another framework, RoundClosedError when
    the round does not accept answers (checked under the round lock, as every answer write).
    """
    if importance is not None and (
        isinstance(importance, bool) or not isinstance(importance, int) or not IMPORTANCE_MIN <= importance <= IMPORTANCE_MAX
    ):
        raise ValueError(f"an importance is 1–3 or None, got {importance!r}")
    # No savepoint (it is autosaved: a handful of queries, as answer_save); so that a caller's
    # transaction is not spoilt, the refusals are raised once the block has ended without error.
    with transaction.atomic(savepoint=False):
        round_ = Round.objects.select_for_update().only("status", "framework_id").get(pk=participant.round_id)
        is_open, same_framework = round_.status == RoundStatus.OPEN, dimension.framework_id == round_.framework_id
        if is_open and same_framework:
            keys = {"participant_id": participant.pk, "dimension_id": dimension.pk}
            _upsert(DimensionImportance, keys, {"importance": importance})
            _touch(participant)
    if not is_open:
        raise RoundClosedError
    if not same_framework:
        raise ValueError(f"dimension {dimension.key} is not in the round's framework")


@transaction.atomic
def raci_answer_save(*, participant: Participant, activity, choice: str) -> None:
    lock_open_round(participant.round_id)
    _upsert(RaciAnswer, {"participant_id": participant.pk, "activity_id": activity.pk}, {"choice": choice})
    _touch(participant)


# The A of an as-is RACI answer that names no role.
RACI_NOT_A_ROLE = ("nobody", "dont_know")
RACI_LETTERS = tuple(RaciLetter.Letter.values)  # R, C, I: the A is the RaciAnswer


class RaciLetterClashError(Exception):
    """The role a participant names accountable (A) was also given C or I for the same activity.

    The A may do the work too (R), but consulting or informing the one who decides means nothing.
    ``roles`` are the clashing role keys; nothing was written.
    """

    def __init__(self, roles: list[str]):
        super().__init__(", ".join(roles))
        self.roles = roles


def raci_letters_save(*, participant: Participant, activity, letters: dict[str, str], choice: str | None = None) -> None:
    """Replaces the participant's R, C and I for one activity of a 2.0 round (``letters``: role key → letter),
    and sets their A (``choice``: a role key, "nobody" or "dont_know") when one is given, in one transaction.

    The roles and the choice are the form's to check against the round's catalogue; this keeps the
    RACI's rule: the A (the one given, else the one stored) holds no C or I (RaciLetterClashError).
    Raises RoundClosedError when the round does not accept answers (checked under the round lock),
    ValueError for a letter other than R, C or I or an activity of another framework.
    """
    if any(letter not in RACI_LETTERS for letter in letters.values()):
        raise ValueError(f"RACI letters are R, C or I, got {sorted(set(letters.values()))!r}")
    with transaction.atomic():
        round_ = lock_open_round(participant.round_id)
        if activity.framework_id != round_.framework_id:
            raise ValueError(f"activity {activity.key} is not in the round's framework")
        keys = {"participant_id": participant.pk, "activity_id": activity.pk}
        accountable = choice
        if accountable is None:
            accountable = RaciAnswer.objects.filter(**keys).values_list("choice", flat=True).first()
        clashing = sorted(role for role, letter in letters.items() if role == accountable and letter != "R")
        if clashing:
            raise RaciLetterClashError(clashing)
        if choice is not None:
            _upsert(RaciAnswer, keys, {"choice": choice})
        RaciLetter.objects.filter(**keys).delete()
        RaciLetter.objects.bulk_create([RaciLetter(**keys, role=role, letter=letter) for role, letter in letters.items()])
        _touch(participant)


@transaction.atomic
def context_answer_save(*, participant: Participant, question, choice: str) -> None:
    lock_open_round(participant.round_id)
    _upsert(ContextAnswer, {"participant_id": participant.pk, "question_id": question.pk}, {"choice": choice})
    _touch(participant)


@transaction.atomic
def participant_submit(*, participant: Participant) -> None:
    round_ = Round.objects.select_for_update().get(pk=participant.round_id)
    if round_.status != RoundStatus.OPEN:
        raise RoundClosedError
    Participant.objects.filter(pk=participant.pk).update(submitted_at=timezone.now(), last_activity_at=timezone.now())
    remaining = round_.participants.filter(withdrawn_at__isnull=True, submitted_at__isnull=True).exists()
    if not remaining and round_.everyone_submitted_notified_at is None:
        Round.objects.filter(pk=round_.pk).update(everyone_submitted_notified_at=timezone.now())
        outbox.enqueue("assessments.tasks.notify_everyone_submitted", round_.pk)


def round_set_context(*, round_: Round, cxo_exists: bool | None, cxo_reports_to: str) -> Round:
    round_.cxo_exists = cxo_exists
    round_.cxo_reports_to = cxo_reports_to if cxo_exists else ""
    round_.save(update_fields=["cxo_exists", "cxo_reports_to"])
    return round_


def participants_due_for_reminder(*, today, days_before: int = 3):
    """Open rounds due within `days_before` days: participants who have not submitted nor been reminded today."""
    start_of_day = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    return (
        Participant.objects.filter(
            round__status=RoundStatus.OPEN,
            round__due_date__gte=today,
            round__due_date__lte=today + timedelta(days=days_before),
            withdrawn_at__isnull=True,
            submitted_at__isnull=True,
        )
        .exclude(last_reminder_at__gte=start_of_day)
        .select_related("round")
    )


def reminder_mark_sent(participant: Participant) -> None:
    Participant.objects.filter(pk=participant.pk).update(last_reminder_at=timezone.now())


# ---------------------------------------------------------------------------- results


def results_store(*, round_: Round):
    """Computes the results and stores them as the round's snapshot (on closing, and after consensus)."""

    data = compute_results(round_)
    snapshot, _created = ResultSnapshot.objects.update_or_create(
        round=round_, defaults={"data": data, "computed_at": timezone.now()}
    )
    # Benchmarks writes its rows (issue 8); roadmaps stores the starting targets.
    results_stored.send(sender=Round, round_=round_, snapshot=snapshot)
    return snapshot


class ConsensusError(Exception):
    pass


@transaction.atomic
def consensus_record(*, round_: Round, question: Question, level: int | None, rationale: str, user) -> None:
    """Records (or clears, with level None) the agreed level of a question; only while the round is closed."""

    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.status != RoundStatus.CLOSED:
        raise ConsensusError
    previous = Consensus.objects.filter(round=round_, question=question).values_list("level", flat=True).first()
    audit.record(
        organisation=round_.organisation,
        round=round_,
        kind="consensus",
        target=question.key,
        changes=audit.diff({"level": previous}, {"level": level}),
    )
    if level is None:
        Consensus.objects.filter(round=round_, question=question).delete()
    else:
        Consensus.objects.update_or_create(
            round=round_, question=question, defaults={"level": level, "rationale": rationale.strip(), "recorded_by": user}
        )
    results_store(round_=round_)


# ---------------------------------------------------------------------------- delegation
#
# A participant forwards one question to a named colleague, who has no account: the e-mailed,
# signed link opens that question only, and the colleague's answer is saved through the same
# validation (clean_answer) and the same upsert (answer_save) as the participant's own, marked
# with the colleague's name on the Answer row (delegated_by_name, delegate_email,
# delegated_level, delegated_at). The answer stays marked while its level is still the one the
# colleague gave; when the participant picks another level it is theirs again and the link stops.

DELEGATION_SALT = "cxgov.assessments.delegation"
DELEGATE_NAME_MAX = 150
DELEGATIONS_PER_DAY = 30  # per participant: the form must not become a way to send e-mail at will


class DelegationError(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def clean_delegation(*, name: str, email: str) -> tuple[dict, dict[str, str]]:
    """The colleague's name (whitespace collapsed, so no line breaks reach an e-mail) and e-mail address."""

    errors: dict[str, str] = {}
    name = " ".join((name or "").split())
    email = (email or "").strip()
    if not name:
        errors["name"] = _("Enter your colleague's name.")
    elif len(name) > DELEGATE_NAME_MAX:
        errors["name"] = _("The name is limited to %(max)d characters.") % {"max": DELEGATE_NAME_MAX}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = _("Enter a valid e-mail address.")
    return {"delegate_name": name, "delegate_email": email}, errors


@transaction.atomic
def delegation_create(*, participant: Participant, question: Question, delegate_name: str, delegate_email: str):
    """Forwards one question: revokes the participant's earlier links for it, creates the new one and e-mails it on commit."""

    round_ = Round.objects.select_for_update().get(pk=participant.round_id)
    if round_.status != RoundStatus.OPEN:
        raise RoundClosedError
    now = timezone.now()
    if Delegation.objects.filter(participant=participant, created_at__gte=now - timedelta(days=1)).count() >= DELEGATIONS_PER_DAY:
        raise DelegationError("too_many")
    Delegation.objects.filter(participant=participant, question=question, revoked_at__isnull=True).update(revoked_at=now)
    delegation = Delegation.objects.create(
        participant=participant,
        question=question,
        delegate_name=delegate_name,
        delegate_email=delegate_email,
        nonce=new_nonce(),
        expires_at=now + timedelta(days=settings.CXGOV_INVITATION_DAYS),
    )
    outbox.enqueue("assessments.tasks.send_delegation", delegation.pk)
    return delegation


def delegation_revoke(*, participant: Participant, question: Question) -> int:
    """Withdraws the participant's links for this question; an answer already given stays (and can be changed)."""

    return Delegation.objects.filter(participant=participant, question=question, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def delegation_token(delegation) -> str:
    return make_token(salt=DELEGATION_SALT, object_id=delegation.pk, nonce=delegation.nonce)


def delegation_from_token(token: str):
    """The delegation a link belongs to; raises LinkError('invalid') for a tampered, foreign or unknown token."""

    parsed = read_token(salt=DELEGATION_SALT, token=token)
    if parsed is None:
        raise LinkError("invalid")
    delegation_id, nonce = parsed
    delegation = (
        Delegation.objects.select_related(
            "participant__round__organisation", "participant__round__framework", "participant__user", "question"
        )
        .filter(pk=delegation_id)
        .first()
    )
    if delegation is None or delegation.nonce != nonce:
        raise LinkError("invalid")
    return delegation


def delegation_answer_is_theirs(delegation, answer) -> bool:
    """Whether the saved answer is still the one this colleague gave (the participant has not changed its level).

    A colleague cannot answer "not applicable" (the delegated form does not offer it): a delegated
    don't-know the participant turned into "not applicable" is theirs again.
    """
    return (
        answer is not None
        and answer.delegated_at is not None
        and answer.delegate_email == delegation.delegate_email
        and answer.level == answer.delegated_level
        and not answer.not_applicable
    )


def delegation_check(delegation, answer) -> None:
    """Raises LinkError('revoked'|'closed'|'expired'|'used') when the link may not be used now."""
    if delegation.revoked_at is not None or delegation.participant.withdrawn_at is not None:
        raise LinkError("revoked")
    if delegation.participant.round.status != RoundStatus.OPEN:
        raise LinkError("closed")
    if delegation.expires_at <= timezone.now():
        raise LinkError("expired")
    if delegation.answered_at is not None and not delegation_answer_is_theirs(delegation, answer):
        raise LinkError("used")


@transaction.atomic
def delegation_answer_save(*, delegation, values: dict) -> None:
    """Saves the colleague's answer as the participant's, marked as delegated (values come from clean_answer).

    Raises LinkError when the link may not be used, MissingLevelError for a comment on an answer
    that is not (yet) theirs.
    """

    # The round first, as every answer write and closing do (one lock order, no deadlock with
    # delegation_create); its status is then read fresh with the delegation below.
    Round.objects.select_for_update().only("pk").get(pk=delegation.participant.round_id)
    delegation = (
        Delegation.objects.select_for_update(of=("self",)).select_related("participant__round", "question").get(pk=delegation.pk)
    )
    answer = Answer.objects.filter(participant_id=delegation.participant_id, question_id=delegation.question_id).first()
    delegation_check(delegation, answer)
    if not values:
        return
    now = timezone.now()
    if "level" in values:
        values = {
            **values,
            "delegated_by_name": delegation.delegate_name,
            "delegate_email": delegation.delegate_email,
            "delegated_level": values["level"],
            "delegated_at": now,
        }
    elif delegation_answer_is_theirs(delegation, answer):
        values = {**values, "delegated_at": now}
    else:
        # A comment alone must not mark the participant's own level as the colleague's.
        raise MissingLevelError
    answer_save(participant=delegation.participant, question=delegation.question, values=values)
    Delegation.objects.filter(pk=delegation.pk).update(answered_at=now)


@transaction.atomic
def round_sample_rule_set(*, round_: Round, min_respondents: int, min_response_percent: int) -> Round:
    """The round's minimum response rule (assessments/domain/sample.py); fixed once the results are stored."""
    stored = Round.objects.select_for_update().get(pk=round_.pk)
    if stored.status in (RoundStatus.CLOSED, RoundStatus.PUBLISHED):
        # The snapshot holds the verdict of the rule it was closed under: changing the rule now
        # would let a consensus refresh quietly drop the low-sample caveat of a delivered report.
        raise TransitionError(stored.status, "sample rule")
    round_.min_respondents, round_.min_response_percent = min_respondents, min_response_percent
    round_.save(update_fields=["min_respondents", "min_response_percent"])
    return round_
