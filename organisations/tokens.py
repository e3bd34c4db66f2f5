"""Signed tokens for e-mailed links; the database decides expiry and single use."""

import secrets

from django.core import signing


def new_nonce() -> str:
    return secrets.token_hex(16)


def make_token(*, salt: str, object_id: int, nonce: str) -> str:
    return signing.dumps({"i": object_id, "n": nonce}, salt=salt, compress=True)


def read_token(*, salt: str, token: str) -> tuple[int, str] | None:
    """(object id, nonce) for a token signed by us, else None (tampered or foreign)."""
    try:
        data = signing.loads(token, salt=salt)
        return int(data["i"]), str(data["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
