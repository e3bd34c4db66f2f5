"""Writes on organisations, memberships and invitations."""

from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from audit import recording as audit
from cxgov.tokens import make_token, new_nonce, read_token
from outbox import services as outbox

from .logos import logo_check_dimensions, logo_replace
from .models import Firm, Invitation, Membership, Organisation, Role
from .signals import invitation_accepted, member_removed, organisation_updated

INVITATION_SALT = "cxgov.organisations.invitation"
LOGO_MAX_BYTES = 2 * 1024 * 1024
LOGO_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "organisation"
    slug, n = base, 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def logo_reencode(upload) -> ContentFile:
    """Checks an uploaded logo and re-encodes it as PNG, so no original bytes (or SVG) are ever stored."""
    if upload.size > LOGO_MAX_BYTES:
        raise ValidationError(_("The logo must be smaller than 2 MB."))
    logo_check_dimensions(upload)  # from the header, before any pixel is decoded
    try:
        image = Image.open(upload)
        image.verify()
        upload.seek(0)
        image = Image.open(upload)
        if image.format not in LOGO_FORMATS:
            raise ValidationError(_("The logo must be a PNG, JPEG, WebP or GIF image."))
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationError(_("This file is not an image we can read.")) from None
    image.thumbnail((800, 400))
    png = image if image.mode in ("RGB", "RGBA") else image.convert("RGBA")
    out = BytesIO()
    png.save(out, format="PNG", optimize=True)
    return ContentFile(out.getvalue(), name="logo.png")


@transaction.atomic
def organisation_create(
    *, user, name: str, sector: str, size_band: str, country: str, brand_colour: str = "#1f4e79"
) -> Organisation:
    """Creates the organisation with ``user`` as its facilitator.

    The same form sent twice at once (a double click) gives one organisation: creations by one user
    are serialised on their row, and an organisation of the same name they already facilitate is
    returned instead of a copy. Two people choosing the same name at once get two slugs.
    """
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    existing = Organisation.objects.filter(
        name=name,
        memberships__user=user,
        memberships__role=Role.FACILITATOR,
        created_at__gte=timezone.now() - DOUBLE_SUBMIT_WINDOW,
    ).first()
    if existing is not None:
        return existing
    for _attempt in range(5):
        try:
            with transaction.atomic():
                organisation = Organisation.objects.create(
                    name=name,
                    slug=_unique_slug(name),
                    sector=sector,
                    size_band=size_band,
                    country=country,
                    brand_colour=brand_colour,
                )
            break
        except IntegrityError:
            continue  # another organisation took that slug between the check and the insert
    else:
        raise IntegrityError("no free slug for this name")
    Membership.objects.create(user=user, organisation=organisation, role=Role.FACILITATOR)
    return organisation


#: How long an organisation of the same name, created by the same person, counts as a double submission.
DOUBLE_SUBMIT_WINDOW = timedelta(minutes=10)


def organisation_update(*, organisation: Organisation, logo_upload=None, remove_logo=False, **fields) -> Organisation:
    # Compared with the stored row: a bound ModelForm has already set the new values on `organisation`.
    logo = logo_reencode(logo_upload) if logo_upload is not None else None  # a refused image changes nothing
    with transaction.atomic():
        stored = Organisation.objects.filter(pk=organisation.pk).values(*fields, "logo").first() or {}
        for name, value in fields.items():
            setattr(organisation, name, value)
        logo_replace(organisation, content=logo, filename=f"{organisation.slug}.png", remove=remove_logo)
        changes = audit.diff({k: v for k, v in stored.items() if k != "logo"}, fields)
        if remove_logo or logo_upload is not None:
            changes.append(audit.change("logo", bool(stored.get("logo")), bool(organisation.logo)))
        audit.record(organisation=organisation, kind="organisation", target=organisation.name, changes=changes)
        organisation_updated.send(
            sender=Organisation, organisation=organisation, before={k: v for k, v in stored.items() if k != "logo"}
        )
    return organisation


@dataclass(frozen=True)
class InviteOutcome:
    invitation: Invitation | None
    already_member: bool = False
    resent: bool = False


def invitation_token(invitation: Invitation) -> str:
    return make_token(salt=INVITATION_SALT, object_id=invitation.pk, nonce=invitation.nonce)


@transaction.atomic
def member_invite(*, organisation: Organisation, invited_by, email: str, role: str) -> InviteOutcome:
    """Invites `email`; an existing member is not invited again, a pending invitation is renewed."""
    email = email.strip().lower()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        return InviteOutcome(invitation=None, already_member=True)
    expires_at = timezone.now() + timedelta(days=settings.CXGOV_INVITATION_DAYS)
    pending = Invitation.objects.filter(organisation=organisation, email__iexact=email, accepted_at__isnull=True).first()
    if pending:
        # A renewed link invalidates the previous one (new nonce).
        pending.role, pending.nonce, pending.expires_at, pending.invited_by = role, new_nonce(), expires_at, invited_by
        pending.save(update_fields=["role", "nonce", "expires_at", "invited_by"])
        invitation, resent = pending, True
    else:
        invitation = Invitation.objects.create(
            organisation=organisation, email=email, role=role, invited_by=invited_by, nonce=new_nonce(), expires_at=expires_at
        )
        resent = False
    # Written with the invitation, sent after commit, or by the outbox relay if the broker is down.
    outbox.enqueue("organisations.tasks.send_member_invitation", invitation.pk)
    audit.record(
        organisation=organisation,
        kind="invitation",
        verb=audit.CHANGED if resent else audit.CREATED,
        target=email,
        changes=[audit.change("role", "", role)] if resent else [],
    )
    return InviteOutcome(invitation=invitation, resent=resent)


def invitation_withdraw(*, invitation: Invitation) -> None:
    audit.record(organisation=invitation.organisation, kind="invitation", verb=audit.REMOVED, target=invitation.email)
    invitation.delete()


class InvitationError(Exception):
    """Why an invitation link cannot be used: code is 'invalid', 'expired' or 'used'."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def invitation_from_token(token: str) -> Invitation:
    parsed = read_token(salt=INVITATION_SALT, token=token)
    if parsed is None:
        raise InvitationError("invalid")
    invitation_id, nonce = parsed
    invitation = Invitation.objects.select_related("organisation").filter(pk=invitation_id).first()
    if invitation is None or invitation.nonce != nonce:
        raise InvitationError("invalid")
    if invitation.accepted_at is not None:
        raise InvitationError("used")
    if invitation.expires_at <= timezone.now():
        raise InvitationError("expired")
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, full_name: str = "", password: str | None = None):
    """Accepts the invitation once: creates the account when needed, then the membership."""
    claimed = Invitation.objects.filter(pk=invitation.pk, nonce=invitation.nonce, accepted_at__isnull=True).update(
        accepted_at=timezone.now()
    )
    if not claimed:
        raise InvitationError("used")
    User = get_user_model()
    user = User.objects.filter(email__iexact=invitation.email).first()
    if user is None:
        user = User.objects.create_user(email=invitation.email, password=password, full_name=full_name)
    else:
        changed = []
        if password and not user.has_usable_password():
            user.set_password(password)
            changed.append("password")
        if full_name and not user.full_name:
            user.full_name = full_name
            changed.append("full_name")
        if changed:
            user.save(update_fields=changed)
    try:
        with transaction.atomic():
            Membership.objects.create(user=user, organisation=invitation.organisation, role=invitation.role)
    except IntegrityError:
        pass  # already a member (joined meanwhile): the invitation is simply used up
    # What else the invitation stood for (a round to answer) is the business of the apps above.
    invitation_accepted.send(sender=Invitation, invitation=invitation, user=user)
    return user


class LastFacilitatorError(Exception):
    pass


def is_last_facilitator(membership: Membership) -> bool:
    return (
        membership.role == Role.FACILITATOR
        and not Membership.objects.filter(organisation_id=membership.organisation_id, role=Role.FACILITATOR)
        .exclude(pk=membership.pk)
        .exists()
    )


def _locked(membership: Membership) -> Membership:
    """The membership re-read with every membership of its organisation locked (in pk order).

    Locking the one row changed is not enough: two facilitators demoting each other at once would
    each see the other still facilitator and both succeed. With all the organisation's rows locked,
    the second change waits, then sees the first and the "at least one facilitator" check holds.
    """
    rows = list(Membership.objects.select_for_update().filter(organisation_id=membership.organisation_id).order_by("pk"))
    for row in rows:
        if row.pk == membership.pk:
            return row
    raise Membership.DoesNotExist


def _member_label(membership: Membership) -> str:
    return membership.user.display_name


@transaction.atomic
def member_change_role(*, membership: Membership, role: str) -> Membership:
    membership = _locked(membership)
    if role != Role.FACILITATOR and is_last_facilitator(membership):
        raise LastFacilitatorError
    before = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    audit.record(
        organisation=membership.organisation,
        kind="member",
        target=_member_label(membership),
        person=membership.user,
        changes=[audit.change("role", before, role)],
    )
    return membership


@transaction.atomic
def member_remove(*, membership: Membership) -> None:
    membership = _locked(membership)
    if is_last_facilitator(membership):
        raise LastFacilitatorError
    audit.record(
        organisation=membership.organisation,
        kind="member",
        verb=audit.REMOVED,
        target=_member_label(membership),
        person=membership.user,
    )
    membership.delete()
    # Rounds (a higher app) withdraw the person's participations and refresh closed results.
    member_removed.send(sender=Membership, organisation=membership.organisation, user=membership.user)


# --------------------------------------------------------------------------- firms


def firm_update(*, firm: Firm, logo_upload=None, remove_logo=False, **fields) -> Firm:
    """Saves the firm's name and colour; a new logo is re-encoded as PNG (never stored as uploaded)."""
    logo = logo_reencode(logo_upload) if logo_upload is not None else None  # a bad file changes nothing
    with transaction.atomic():
        for name, value in fields.items():
            setattr(firm, name, value)
        logo_replace(firm, content=logo, filename=f"firm-{firm.pk}.png", remove=remove_logo)
    return firm
