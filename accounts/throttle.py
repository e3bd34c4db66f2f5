"""Cache-based request throttles for the pages that send e-mail to an address typed by anyone.

Each request counts against the normalised address and against the client's IP address; the answer
is the same whether an account exists or not, so the throttle reveals nothing either.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from .identity import normalise_email

# Per window: a person rarely needs more than a few links; an office behind one address may need more.
DEFAULT_PER_ADDRESS = 3
DEFAULT_PER_IP = 20
DEFAULT_WINDOW_SECONDS = 15 * 60


def _limits() -> tuple[int, int, int]:
    return (
        getattr(settings, "CXGOV_THROTTLE_PER_ADDRESS", DEFAULT_PER_ADDRESS),
        getattr(settings, "CXGOV_THROTTLE_PER_IP", DEFAULT_PER_IP),
        getattr(settings, "CXGOV_THROTTLE_WINDOW_SECONDS", DEFAULT_WINDOW_SECONDS),
    )


def _count(key: str, window: int) -> int:
    """Increments the counter of `key` (created with the window as its lifetime) and returns it."""
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1


def _key(scope: str, kind: str, value: str) -> str:
    # Hashed: cache keys must not hold e-mail addresses (and must stay short and ASCII).
    return f"throttle:{scope}:{kind}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"


def allow(request, *, scope: str, email: str) -> bool:
    """Counts one request for `email` from this client; False once either counter is over its limit."""
    per_address, per_ip, window = _limits()
    address_count = _count(_key(scope, "address", normalise_email(email)), window)
    ip_count = _count(_key(scope, "ip", request.META.get("REMOTE_ADDR", "")), window)
    return address_count <= per_address and ip_count <= per_ip


def refusal_message() -> str:
    # Says nothing about the address: the same words whether an account exists or not.
    return _("Too many requests for now: please wait a quarter of an hour before asking again.")
