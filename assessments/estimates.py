"""The time a questionnaire takes, read from its framework's length (the formula: assessments/domain/estimate.py).

One figure everywhere it is shown: the invitation and reminder e-mails, the respondent's home card
and the welcome screen all call :func:`questionnaire_minutes`; "time left" is
:func:`minutes_left`, the same formula on what a participant has not answered yet.

Words are counted in the longer of the two languages of each text, so the figure is the same in
French and in English (and never undersells the longer one). A framework version never changes
once imported, so its lengths are cached under its id and import time.
"""

from collections.abc import Collection, Iterable

from django.core.cache import cache

from .domain.estimate import QuestionLength, estimate_minutes, word_count
from .models import Framework, Participant

_CACHE_SECONDS = 24 * 3600


def _longest(texts: dict | None) -> int:
    return max((word_count(text) for text in (texts or {}).values() if isinstance(text, str)), default=0)


def _measure(framework: Framework) -> tuple[dict[int, tuple[str, int, int]], int]:
    lengths = {}
    for pk, key, text_fr, text_en, level_texts in framework.questions.values_list(
        "pk", "key", "text_fr", "text_en", "level_texts"
    ):
        level_words = sum(_longest(entry.get("text")) for entry in level_texts or [])
        lengths[pk] = (key, max(word_count(text_fr), word_count(text_en)), level_words)
    choices = framework.raci_activities.count() + framework.context_questions.count()
    return lengths, choices


def framework_lengths(framework: Framework, keys: Collection[str] | None = None) -> tuple[dict[int, QuestionLength], int]:
    """({question id: what is read for it}, number of governance choices) of a framework.

    With `keys` (a short-form round: Round.question_keys), only the questions it asks.
    """
    cache_key = f"assessments:estimate:2:{framework.pk}:{framework.imported_at.timestamp() if framework.imported_at else 0}"
    cached = cache.get(cache_key)
    if cached is None:
        cached = _measure(framework)
        cache.set(cache_key, cached, _CACHE_SECONDS)
    raw, choices = cached
    return {pk: QuestionLength(qw, lw) for pk, (key, qw, lw) in raw.items() if keys is None or key in keys}, choices


def questionnaire_minutes(framework: Framework, keys: Collection[str] | None = None) -> int:
    """Minutes the whole questionnaire takes (the short form's when `keys` says so): the figure announced first."""
    lengths, choices = framework_lengths(framework, keys)
    return estimate_minutes(lengths.values(), choices)


def minutes_left(
    framework: Framework, *, answered_question_ids: Iterable[int], choices_answered: int, keys: Collection[str] | None = None
) -> int:
    """Minutes for what is not answered yet (0 when everything is)."""
    lengths, choices = framework_lengths(framework, keys)
    answered = set(answered_question_ids)
    left = [length for pk, length in lengths.items() if pk not in answered]
    return estimate_minutes(left, max(0, choices - choices_answered))


def participant_minutes_left(participant: Participant) -> int:
    """Time left for one participant (three small queries; lists pass what they already counted to minutes_left)."""
    return minutes_left(
        participant.round.framework,
        answered_question_ids=participant.answers.values_list("question_id", flat=True),
        choices_answered=participant.raci_answers.count() + participant.context_answers.count(),
        keys=participant.round.question_keys,
    )
