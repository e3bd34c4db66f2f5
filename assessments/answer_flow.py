"""What the respondent's screens share: how they answer (one question per screen or a dimension per page),
where they resume, the level choices with short titles and the error summary's links.

Kept apart from the views so that the dimension pages (views.py), the one-question screens
(views_answer_flow.py) and the templates' tags draw the same links and words.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

# How the respondent answers, remembered on their device (a preference they choose, not tracking):
# phones and desktops alike start one question per screen, the whole dimension is one click away.
MODE_COOKIE = "cxgov_answer_mode"
QUESTION_MODE, PAGE_MODE = "question", "page"
MODES = (QUESTION_MODE, PAGE_MODE)
MODE_COOKIE_AGE = 365 * 24 * 3600

# Rounds whose welcome screen this session has shown (the sign-in page is one too).
WELCOMED_KEY = "cxgov_welcomed_rounds"

# A short title shows the first clause of a level's description, cut at a word under this length.
SHORT_MAX = 110


def answer_mode(request) -> str:
    mode = request.COOKIES.get(MODE_COOKIE)
    return mode if mode in MODES else QUESTION_MODE


def remember_mode(response, mode: str) -> None:
    response.set_cookie(
        MODE_COOKIE,
        mode,
        max_age=MODE_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=getattr(settings, "SESSION_COOKIE_SECURE", False),
    )


def mark_welcomed(request, round_id: int) -> None:
    """This session has shown the round's welcome (its introduction and the privacy notice)."""
    welcomed = request.session.get(WELCOMED_KEY, [])
    if round_id not in welcomed:
        request.session[WELCOMED_KEY] = [*welcomed, round_id]


def welcomed(request, round_id: int) -> bool:
    return round_id in request.session.get(WELCOMED_KEY, [])


def question_url(round_, key: str) -> str:
    return reverse("assessments:answer_question", args=[round_.organisation.slug, round_.pk, key])


def page_url(round_, page: str) -> str:
    return reverse("assessments:answer_page", args=[round_.organisation.slug, round_.pk, page])


def question_anchor(key: str) -> str:
    """The id of a question's title on a dimension page."""
    return f"q-{key.replace('.', '-')}-title"


def resume_url(*, round_, dimensions, answered_ids: set[int], mode: str, governance_answered: bool) -> str:
    """Where to pick up: the first question without an answer (or its dimension), else governance, else the review."""
    for dimension in dimensions:
        for question in dimension.question_list:
            if question.pk not in answered_ids:
                return question_url(round_, question.key) if mode == QUESTION_MODE else page_url(round_, dimension.key)
    return page_url(round_, "review" if governance_answered else "governance")


def short_text(text: str, limit: int = SHORT_MAX) -> str:
    """The first clause of a level's description, cut at a word boundary when longer than `limit`."""
    text = " ".join(text.split())
    first = re.split(r"(?<=[.;:!?])\s", text, maxsplit=1)[0]
    if first == text and len(text) <= limit:
        return text
    if len(first) > limit:
        first = first[:limit].rsplit(" ", 1)[0]
    return first.rstrip(" ,;:.") + "…"


@dataclass(frozen=True)
class LevelChoice:
    value: str
    label: str  # "3 · Defined": the framework's name of the level
    short: str  # the first clause of the description
    text: str  # the whole description
    cut: bool  # the short title leaves something out: the whole text expands on tap


def level_choices(framework, question) -> list[LevelChoice]:
    choices = []
    for entry in framework.levels:
        level = entry["level"]
        text = question.level_text(level)
        short = short_text(text)
        choices.append(
            LevelChoice(
                value=str(level), label=f"{level} · {framework.level_label(level)}", short=short, text=text, cut=short != text
            )
        )
    return choices


@dataclass(frozen=True)
class ErrorLink:
    """One line of an error summary: what is wrong, linked to the field to fix."""

    href: str
    label: str
    message: str


ANSWER_FIELD_IDS = (("level", "l1"), ("comment", "comment"), ("evidence_url", "evidence"))


def answer_error_links(question, errors, *, level_value: str = "") -> list[ErrorLink]:
    """The error summary's lines for one question, linked to the ids the question's fields carry."""
    if not errors:
        return []
    domid = question.key.replace(".", "-")
    names = {"level": _("Level"), "comment": _("Comment"), "evidence_url": _("Evidence link")}
    links = []
    for attr, suffix in ANSWER_FIELD_IDS:
        message = getattr(errors, attr)
        if not message:
            continue
        if attr == "level":
            # The chosen radio (or the first) of the group: a link to a fieldset would not move the focus.
            suffix = f"l{level_value}" if level_value in {"1", "2", "3", "4", "5"} else "l1"
        links.append(ErrorLink(href=f"#q-{domid}-{suffix}", label=f"{question.key} — {names[attr]}", message=message))
    return links
