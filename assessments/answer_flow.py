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
from django.utils.translation import pgettext

from cxgov.language import active_language

from . import selectors, services
from .domain.answers import IMPORTANCE_MAX, IMPORTANCE_MIN
from .frameworks.loader import SCHEMA_V2
from .models import Confidence, DimensionImportance

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
    """The five levels of a question; the short title is the level's own title where the framework has
    one (2.0), else the first clause of its description."""
    choices = []
    for entry in framework.levels:
        level = entry["level"]
        text = question.level_text(level)
        short = question.level_title(level) or short_text(text)
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


ANSWER_FIELD_IDS = (("level", "l1"), ("comment", "comment"), ("evidence_url", "evidence"), ("confidence", "confidence"))


def answer_error_links(question, errors, *, level_value: str = "") -> list[ErrorLink]:
    """The error summary's lines for one question, linked to the ids the question's fields carry."""
    if not errors:
        return []
    domid = question.key.replace(".", "-")
    names = {"level": _("Level"), "comment": _("Comment"), "evidence_url": _("Evidence link"), "confidence": _("Confidence")}
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


def answers_v2(framework) -> bool:
    """Whether the round's framework offers "not applicable", a confidence and an importance (schema 2)."""
    return framework.schema == SCHEMA_V2


def answer_context(participant) -> dict[str, str] | None:
    """What is known of the round and the respondent (selectors.answer_context) for a 2.0 round; None for 1.0,
    whose questions have neither wording variants nor "not applicable" (and whose pages keep their queries)."""
    if not answers_v2(participant.round.framework):
        return None
    return selectors.answer_context(participant=participant)


def importance_refused(data, dimension, v2: bool) -> str:
    """The message for an importance sent that is not one of the choices ("" when none or a valid one was sent)."""
    if v2 and not importance_sent(data, dimension)[2]:
        return _("Choose an importance from the list.")
    return ""


def not_applicable_reason(question) -> str:
    """Why "not applicable" may be answered to this question, in the active language ("" without a rule)."""
    reason = (question.not_applicable or {}).get("reason") or {}
    return reason.get(active_language()) or reason.get("fr", "")


@dataclass(frozen=True)
class AnswerOptions:
    """What a 2.0 question offers beyond a level, for one respondent: its wording, "not applicable", a confidence."""

    text: str
    not_applicable: bool
    not_applicable_reason: str
    confidence: bool


def answer_options(question, context) -> AnswerOptions:
    """``context`` is selectors.answer_context (None for a 1.0 round: the question's own text, nothing more)."""
    if context is None:
        return AnswerOptions(text=question.tr("text"), not_applicable=False, not_applicable_reason="", confidence=False)
    allowed = question.not_applicable_allowed(context)
    return AnswerOptions(
        text=question.text_in(context),
        not_applicable=allowed,
        not_applicable_reason=not_applicable_reason(question) if allowed else "",
        confidence=True,
    )


def confidence_label(answer) -> str:
    """An answer's confidence in words for the review ("High confidence"), or that none was given."""
    if answer.confidence:
        return str(Confidence(answer.confidence).label)
    return _("Confidence not said")


def stored_level(answer) -> str:
    """The stored level of an answer as the page sends it: "" none yet, "dk", "na" or "1"–"5"."""
    if answer is None:
        return ""
    if answer.not_applicable:
        return "na"
    return "dk" if answer.level is None else str(answer.level)


IMPORTANCE_VALUES = {str(n): n for n in range(IMPORTANCE_MIN, IMPORTANCE_MAX + 1)}


def importance_field(dimension) -> str:
    """The name of a dimension's importance field, on its first question screen and on its page."""
    return f"importance-{dimension.key}"


def importance_sent(data, dimension) -> tuple[bool, int | None, bool]:
    """(sent, value, valid) of a dimension's importance in a POST: "" clears it, "1"–"3" set it."""
    raw = data.get(importance_field(dimension))
    if raw is None:
        return False, None, True
    if raw == "":
        return True, None, True
    return True, IMPORTANCE_VALUES.get(raw), raw in IMPORTANCE_VALUES


def importance_loaded_field(dimension) -> str:
    """The hidden field that carries the importance as the page loaded it (kept current by the autosave)."""
    return f"{importance_field(dimension)}-loaded"


def importance_stored(participant, dimension) -> int | None:
    row = DimensionImportance.objects.filter(participant=participant, dimension=dimension).first()
    return row.importance if row else None


def importance_dimension(round_, key: str):
    """The dimension whose importance the autosave of ``key`` writes: one of a 2.0 round's framework, else None
    (a 1.0 round asks no importance, so its dimensions have none to save)."""
    if not answers_v2(round_.framework):
        return None
    return round_.framework.dimensions.filter(key=key).first()


def importances_by_dimension(participant) -> dict[int, int | None]:
    """The participant's importance of each dimension they gave one for (None: cleared), in one query."""
    return dict(DimensionImportance.objects.filter(participant=participant).values_list("dimension_id", "importance"))


def importance_label(value: int | None) -> str:
    """The words the importance's select shows for a stored value ("Not said" for none)."""
    return dict(importance_choices())["" if value is None else str(value)]


def importance_choices():
    # Each word is its own gettext call outside the f-string: xgettext does not read inside f-strings.
    low, medium, high = pgettext("importance", "Low"), pgettext("importance", "Medium"), pgettext("importance", "High")
    return [("", _("Not said")), ("1", f"1 · {low}"), ("2", f"2 · {medium}"), ("3", f"3 · {high}")]


def importance_save_sent(data, participant, dimension) -> bool:
    """Saves the importance sent for ``dimension`` when it changed; False when the value is not one of the choices.

    "Changed" is against the value the page loaded when it sends one (the autosave keeps it current), so
    that a stale tab's plain submit does not undo an importance another tab saved since; without it,
    against the stored value.
    """
    sent, value, valid = importance_sent(data, dimension)
    if not sent:
        return True
    if not valid:
        return False
    loaded = data.get(importance_loaded_field(dimension))
    if loaded is not None:
        if loaded != data.get(importance_field(dimension)):
            services.importance_save(participant=participant, dimension=dimension, importance=value)
        return True
    if value != importance_stored(participant, dimension):
        services.importance_save(participant=participant, dimension=dimension, importance=value)
    return True


# ---------------------------------------------------------------- the as-is RACI of a 2.0 round, one activity per screen

RACI_LETTER_NAMES = ("A", "R", "C", "I")


def raci_activity_url(round_, key: str) -> str:
    """The screen of one activity of a 2.0 round's as-is RACI."""
    return reverse("assessments:answer_raci", args=[round_.organisation.slug, round_.pk, key])


def _default_raci_definitions() -> dict[str, str]:
    # One line each, where the letter is asked; each its own msgid so that xgettext reads them.
    return {
        "A": _("Accountable: answers for the result in the last resort and has the final say; one role per activity."),
        "R": _("Responsible: does the work or has it done; several roles may be R."),
        "C": _("Consulted: gives an opinion before the decision."),
        "I": _("Informed: is told of the decision without taking part in it."),
    }


def raci_definitions(framework) -> dict[str, str]:
    """The one-line definition of each RACI letter (A, R, C, I) in the active language, shown after the
    letter: the framework's own where it gives one (``raci_definitions``: letter → {fr, en}), else the product's words."""
    definitions = _default_raci_definitions()
    given = getattr(framework, "raci_definitions", None)
    if isinstance(given, dict):
        language = active_language()
        for letter in RACI_LETTER_NAMES:
            text = given.get(letter) or given.get(letter.lower())
            if isinstance(text, dict):
                text = text.get(language) or text.get("fr")
            if isinstance(text, str) and text.strip():
                definitions[letter] = text.strip()
    return definitions


def raci_choice_label(choice: str, roles) -> str:
    """The words of a stored A: the role's title, "Nobody" or "Don't know" ("" for none); a role the
    catalogue no longer shows keeps its key, so that nothing stored is hidden."""
    if not choice:
        return ""
    if choice == "nobody":
        return _("Nobody")
    if choice == "dont_know":
        return _("Don't know")
    return next((r.tr() for r in roles if r.key == choice), choice)
