"""Ask before an action that destroys work: one mechanism for every such button.

A destructive view is a POST. Without ``confirm=1`` it does nothing and answers with a page that names
what will change, with counts (computed by a selector of the app that owns the data); that page posts
the same fields again with ``confirm=1``, and only then does the view call its service. Works without
JavaScript (a plain form), with the keyboard (the confirm button is the first control after the text),
and on a phone (the buttons stack).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONFIRM_FIELD = "confirm"
# Fields the confirmation page must not carry over: Django adds its own token, and `confirm` is ours.
NOT_CARRIED = ("csrfmiddlewaretoken", CONFIRM_FIELD)


@dataclass(frozen=True)
class Confirmation:
    """What the person is about to do: a question, what changes (with counts), what is kept."""

    title: str
    changes: Sequence[str]
    button: str
    cancel_url: str
    kept: Sequence[str] = field(default_factory=tuple)
    undoable: bool = False


def confirmed(request: HttpRequest) -> bool:
    return request.POST.get(CONFIRM_FIELD) == "1"


def ask(request: HttpRequest, confirmation: Confirmation, *, context: dict | None = None) -> HttpResponse:
    """The confirmation page of the POST being answered: the same URL and fields, plus ``confirm=1``."""
    carried = [(name, value) for name, values in request.POST.lists() if name not in NOT_CARRIED for value in values]
    return render(
        request,
        "confirm.html",
        {
            **(context or {}),
            "confirmation": confirmation,
            "action": request.get_full_path(),
            "carried": carried,
            "confirm_field": CONFIRM_FIELD,
        },
    )
