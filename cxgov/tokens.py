"""Signed tokens for e-mailed and shared links; the database decides expiry, revocation and single use.

One shape for every such link (an invitation, a shared results page, a forwarded question): the
object's id and a nonce the database holds, signed with a salt that names the kind of link. Each
app keeps its own salt beside the model it protects, so a token of one kind never reads as
another. This module is part of the kernel: it imports Django but nothing from the apps.
"""

import secrets

from django.core import signing


def new_nonce() -> str:
    return secrets.token_hex(16)


def make_token(*, salt: str, object_id: int, nonce: str) -> str:
    # No timestamp in the token: expiry lives in the database, and the same link always reads the same.
    return signing.Signer(salt=salt).sign_object({"i": object_id, "n": nonce}, compress=True)


def read_token(*, salt: str, token: str) -> tuple[int, str] | None:
    """(object id, nonce) for a token signed by us, else None (tampered or foreign)."""
    try:
        data = signing.Signer(salt=salt).unsign_object(token)
        return int(data["i"]), str(data["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
