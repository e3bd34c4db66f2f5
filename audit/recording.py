"""The audit API the services call: ``record(...)`` one change, described by what changed.

A service that changes an organisation's data calls :func:`record` inside its own transaction, with
the kind of object, its human name and the fields that changed (:func:`diff` builds them from two
snapshots), so the log reads "RACI · Define the CX strategy · CXO: R → A" instead of the form that
was posted. Who made the change is not a service argument: :class:`~audit.middleware.AuditMiddleware`
binds the signed-in actor of an organisation page for the duration of the request, and a change made
outside such a request (seeding, imports, Celery) is not recorded unless an actor is passed.

Nothing stored here comes straight from a request: values are those the service saved, and every
string is cleaned (NUL bytes removed, length capped) so a log row can always be written.

This module sits low: it imports Django and the audit model only, never another app.
"""

from __future__ import annotations

import contextvars
import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .models import AuditEvent

MAX_TEXT = 300

#: Verbs a change is described with; their labels live in :mod:`audit.labels`.
CREATED, CHANGED, REMOVED = "created", "changed", "removed"


@dataclass
class AuditContext:
    """What the middleware knows about the request being served."""

    actor: Any
    action: str
    organisation_slug: str
    recorded: int = 0
    rounds: set = field(default_factory=set)


_current: contextvars.ContextVar[AuditContext | None] = contextvars.ContextVar("cxgov_audit", default=None)


def bind(context: AuditContext | None) -> contextvars.Token:
    return _current.set(context)


def unbind(token: contextvars.Token) -> None:
    _current.reset(token)


def current() -> AuditContext | None:
    return _current.get()


def clean(value: Any) -> Any:
    """A value safe to store in a JSON or text column: no NUL byte, strings capped, dates as ISO."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    text = str(value).replace("\x00", "")
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def change(field_name: str, before: Any, after: Any, label: str = "") -> dict:
    """One changed field. ``label`` (already human, e.g. a role's title) overrides the field's name."""
    entry = {"field": clean(field_name)[:80], "before": clean(before), "after": clean(after)}
    if label:
        entry["label"] = clean(label)
    return entry


def snapshot(instance, fields: Iterable[str]) -> dict:
    """The current values of ``fields`` of a model instance (taken before and after an edit)."""
    return {name: getattr(instance, name) for name in fields}


def diff(before: Mapping[str, Any], after: Mapping[str, Any], labels: Mapping[str, str] | None = None) -> list[dict]:
    """The fields whose value differs between two snapshots, in the order of ``after``."""
    labels = labels or {}
    return [
        change(name, before.get(name), value, labels.get(name, "")) for name, value in after.items() if before.get(name) != value
    ]


def record(
    *,
    organisation,
    kind: str,
    verb: str = CHANGED,
    target: Any = "",
    changes: Iterable[dict] = (),
    round=None,  # noqa: A002  (the model's field name)
    person=None,
    actor=None,
):
    """Stores one change to ``organisation`` when an actor is known (the request's, or ``actor``).

    ``kind`` names the kind of object (a key of :data:`audit.labels.KINDS`), ``target`` its human
    name (a round's title, an initiative, a RACI activity), ``changes`` the fields from :func:`diff`
    or :func:`change`. A "changed" with no change is not worth a line and is skipped. ``person`` is
    the member the change is about: erasing that person clears ``target`` (their name or e-mail).
    """
    context = current()
    if actor is None and context is not None and context.organisation_slug == organisation.slug:
        actor = context.actor
    if actor is None:
        return None
    changes = list(changes)
    if verb == CHANGED and not changes:
        return None
    event = AuditEvent.objects.create(
        organisation=organisation,
        round=round,
        actor=actor,
        person=person,
        action=context.action if context is not None else "",
        kind=kind,
        verb=verb,
        target=clean(target),
        changes=changes,
    )
    if context is not None:
        context.recorded += 1
    return event
