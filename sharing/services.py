"""Writes on share links: create (published rounds only), revoke; and reading a token back."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from assessments.models import Round, RoundStatus
from audit import recording as audit
from cxgov.tokens import make_token, new_nonce, read_token

from .models import ShareLink

SHARE_SALT = "cxgov.sharing.link"
DAY_CHOICES = (7, 30, 90, 365)
DEFAULT_DAYS = 30


class ShareError(Exception):
    """Why a link cannot be created or used: code is 'not_published', 'invalid', 'expired', 'revoked' or 'unavailable'."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def share_token(link: ShareLink) -> str:
    return make_token(salt=SHARE_SALT, object_id=link.pk, nonce=link.nonce)


@transaction.atomic
def share_link_create(*, round_: Round, user, label: str = "", days: int = DEFAULT_DAYS) -> ShareLink:
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.status != RoundStatus.PUBLISHED:
        raise ShareError("not_published")
    if days not in DAY_CHOICES:
        raise ValueError(f"days must be one of {DAY_CHOICES}")
    link = ShareLink.objects.create(
        round=round_,
        nonce=new_nonce(),
        label=label.strip()[:100],
        created_by=user,
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit.record(organisation=round_.organisation, round=round_, kind="share_link", verb=audit.CREATED, target=link.label)
    return link


def share_link_revoke(*, link: ShareLink) -> bool:
    """Revokes once; True when this call revoked it (a second revocation changes nothing)."""
    now = timezone.now()
    revoked = ShareLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=now)
    if revoked:
        link.revoked_at = now
        round_ = link.round
        audit.record(organisation=round_.organisation, round=round_, kind="share_link", verb=audit.REMOVED, target=link.label)
    return bool(revoked)


def share_link_from_token(token: str) -> ShareLink:
    """The link a public visitor holds, checked in this order: signature (invalid), revoked, expired, round published (unavailable)."""
    parsed = read_token(salt=SHARE_SALT, token=token)
    if parsed is None:
        raise ShareError("invalid")
    link_id, nonce = parsed
    link = (
        ShareLink.objects.select_related("round__organisation", "round__framework", "round__snapshot").filter(pk=link_id).first()
    )
    if link is None or link.nonce != nonce:
        raise ShareError("invalid")
    if link.is_revoked:
        raise ShareError("revoked")
    if link.is_expired:
        raise ShareError("expired")
    if link.round.status != RoundStatus.PUBLISHED or not hasattr(link.round, "snapshot"):
        raise ShareError("unavailable")  # reopened: the link works again once the round is republished
    return link
