"""The time a questionnaire takes, read from its framework's length (the formula: assessments/domain/estimate.py).

One figure everywhere it is shown: the invitation and reminder e-mails, the respondent's home card
and the welcome screen all call :func:`questionnaire_minutes`; "time left" is
:func:`minutes_left`, the same formula on what a participant has not answered yet.

Words are counted in the longer of the two languages of each text, so the figure is the same in
French and in English (and never undersells the longer one). A framework version never changes
once imported, so its lengths are cached under its id and import time.
"""

from collections.abc import Iterable

from django.core.cache import cache

from .domain.estimate import QuestionLength, estimate_minutes, word_count
from .models import Framework, Participant

_CACHE_SECONDS = 24 * 3600


def _longest(texts: dict | None) -> int:
    return max((word_count(text) for text in (texts or {}).values() if isinstance(text, str)), default=0)


def _measure(framework: Framework) -> tuple[dict[int, QuestionLength], int]:
    lengths = {}
    for pk, text_fr, text_en, level_texts in framework.questions.values_list("pk", "text_fr", "text_en", "level_texts"):
        level_words = sum(_longest(entry.get("text")) for entry in level_texts or [])
        lengths[pk] = QuestionLength(question_words=max(word_count(text_fr), word_count(text_en)), level_words=level_words)
    choices = framework.raci_activities.count() + framework.context_questions.count()
    return lengths, choices


def framework_lengths(framework: Framework) -> tuple[dict[int, QuestionLength], int]:
    """({question id: what is read for it}, number of governance choices) of a framework."""
    key = f"assessments:estimate:{framework.pk}:{framework.imported_at.timestamp() if framework.imported_at else 0}"
    cached = cache.get(key)
    if cached is None:
        lengths, choices = _measure(framework)
        cached = ({pk: (q.question_words, q.level_words) for pk, q in lengths.items()}, choices)
        cache.set(key, cached, _CACHE_SECONDS)
    raw, choices = cached
    return {pk: QuestionLength(*words) for pk, words in raw.items()}, choices


def questionnaire_minutes(framework: Framework) -> int:
    """Minutes the whole questionnaire takes: the figure announced before anything is answered."""
    lengths, choices = framework_lengths(framework)
    return estimate_minutes(lengths.values(), choices)


def minutes_left(framework: Framework, *, answered_question_ids: Iterable[int], choices_answered: int) -> int:
    """Minutes for what is not answered yet (0 when everything is)."""
    lengths, choices = framework_lengths(framework)
    answered = set(answered_question_ids)
    left = [length for pk, length in lengths.items() if pk not in answered]
    return estimate_minutes(left, max(0, choices - choices_answered))


def participant_minutes_left(participant: Participant) -> int:
    """Time left for one participant (three small queries; lists pass what they already counted to minutes_left)."""
    return minutes_left(
        participant.round.framework,
        answered_question_ids=participant.answers.values_list("question_id", flat=True),
        choices_answered=participant.raci_answers.count() + participant.context_answers.count(),
    )
