"""Undo for the actions that destroy work: the state before is kept in the session for a few minutes.

The view that destroys something saves what was there (a payload of plain JSON values: ids, serialised
rows) with :func:`offer`; the success message then carries an "Undo" button, a POST to
``organisations:undo`` with a random token. Only the same person, in the same session, within
:data:`LIFETIME`, in the same organisation, and with the right of the original action, can use it.

Apps register how to restore each kind of payload (:func:`register`, from their ``AppConfig.ready``),
so this module — the lowest layer — never imports the apps above it.
"""

from __future__ import annotations

import datetime
import decimal
import json
import secrets
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.contrib import messages
from django.core import serializers
from django.http import Http404, HttpRequest
from django.urls import reverse

SESSION_KEY = "cxgov_undo"
LIFETIME = 10 * 60  # seconds: long enough to notice a mistake, short enough that the world has not moved on
MAX_OFFERS = 10  # per session: a long editing session must not grow the session row forever
TAG_PREFIX = "cx-undo-"


class UndoUnavailable(Exception):
    """The state changed since (the same key exists again, the round moved on): restoring would not be exact."""


@dataclass(frozen=True)
class Handler:
    action: str  # organisations.permissions.Action needed, as for the original action
    restore: Callable[..., str]  # restore(organisation=, payload=) -> the success message


_HANDLERS: dict[str, Handler] = {}


def register(kind: str, *, action: str, restore: Callable[..., str]) -> None:
    _HANDLERS[kind] = Handler(action=action, restore=restore)


def handler(kind: str) -> Handler:
    """The handler of ``kind``; an offer of a kind no app registers any more (after a deploy) is a 404."""
    if kind not in _HANDLERS:
        raise Http404
    return _HANDLERS[kind]


def _offers(request: HttpRequest) -> dict:
    now = time.time()
    return {token: record for token, record in request.session.get(SESSION_KEY, {}).items() if record["expires"] > now}


def offer(request: HttpRequest, *, organisation, kind: str, payload: dict, message: str, back: str) -> str:
    """Keeps ``payload`` for an undo and adds ``message`` with its Undo button; returns the token."""
    if kind not in _HANDLERS:
        raise KeyError(f"no undo handler registered for {kind!r}")
    offers = _offers(request)
    token = secrets.token_urlsafe(16)
    offers[token] = {
        "kind": kind,
        "organisation": organisation.pk,
        "user": request.user.pk,
        "payload": payload,
        "expires": time.time() + LIFETIME,
        "url": reverse("organisations:undo", args=[organisation.slug]),
        "back": back,
    }
    newest = sorted(offers.items(), key=lambda item: item[1]["expires"])[-MAX_OFFERS:]
    request.session[SESSION_KEY] = dict(newest)
    messages.success(request, message, extra_tags=TAG_PREFIX + token)
    return token


def pending(request: HttpRequest, token: str) -> dict | None:
    """The still-valid offer of this token in this session (for the Undo button), else None."""
    return _offers(request).get(token)


def take(request: HttpRequest, *, organisation, token: str) -> dict:
    """Removes and returns this session's offer ``token`` for ``organisation``; anything else is a 404."""
    offers = request.session.get(SESSION_KEY, {})
    record = offers.get(token)
    if record is None or record["organisation"] != organisation.pk or record["user"] != request.user.pk:
        raise Http404
    del offers[token]
    request.session[SESSION_KEY] = offers
    return record


def expired(record: dict) -> bool:
    return record["expires"] <= time.time()


class _ExactEncoder(json.JSONEncoder):
    """Full precision: Django's JSON serialiser cuts microseconds, and an undo must give back the same values."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.date | datetime.time):
            return o.isoformat()
        if isinstance(o, decimal.Decimal):
            return str(o)
        return super().default(o)


def rows_dump(queryset) -> str:
    """The rows as JSON text (fits in the session), every field exact: ids, decimals, timestamps."""
    return json.dumps(serializers.serialize("python", queryset), cls=_ExactEncoder)


def rows_load(data: str) -> Iterator:
    """Deserialised rows; ``.save()`` on each writes it back raw (same id, auto_now fields untouched)."""
    return serializers.deserialize("python", json.loads(data))
