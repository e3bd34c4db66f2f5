"""How long a questionnaire takes: an honest figure measured from the framework's length.

"About 25 minutes" was written once and never measured: the shipped framework asks 50 questions
whose five level descriptions add up to some 8,000 words. The figure announced in the invitation,
on the respondent's home card and on the welcome screen is computed here instead, from what a
respondent actually reads, and "time left" is the same formula on what is still unanswered.

Per maturity question:

* the question itself is **read** in full, at ``READING_WPM`` (adult silent reading of business
  prose is about 200–230 words a minute);
* its five level descriptions are **scanned** for the one closest to the organisation, at
  ``SCANNING_WPM`` (skimming: faster than reading, slower than a glance);
* then a fixed ``DECISION_SECONDS`` to choose (and hesitate between two levels).

Each governance choice (who owns an activity today, a context question) is a short label and a
list: ``CHOICE_SECONDS`` each.

The total is rounded **up** to ``STEP_MINUTES`` (an estimate that runs over is the dishonest one)
and is never below ``FLOOR_MINUTES`` while anything is left; with nothing left it is 0.

Pure Python, exact arithmetic (``Fraction``): no Django, no clock, no I/O.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

READING_WPM = 215
SCANNING_WPM = 400
DECISION_SECONDS = 15
CHOICE_SECONDS = 8
FLOOR_MINUTES = 5
STEP_MINUTES = 5

_WORD = re.compile(r"\w+")


def word_count(text: str) -> int:
    """Words as a reader counts them: runs of letters or digits ("l'ambition" is two, "CX-to-finance" three)."""
    return len(_WORD.findall(text or ""))


@dataclass(frozen=True)
class QuestionLength:
    """What a respondent reads for one maturity question: the question and its level descriptions, in words."""

    question_words: int
    level_words: int

    def __post_init__(self) -> None:
        if self.question_words < 0 or self.level_words < 0:
            raise ValueError("a word count cannot be negative")


def question_seconds(question: QuestionLength) -> Fraction:
    """Reading the question, scanning its levels, deciding: exact seconds."""
    return (
        Fraction(question.question_words * 60, READING_WPM) + Fraction(question.level_words * 60, SCANNING_WPM) + DECISION_SECONDS
    )


def questionnaire_seconds(questions: Iterable[QuestionLength], choices: int = 0) -> Fraction:
    """Exact seconds for these maturity questions and ``choices`` governance choices."""
    if choices < 0:
        raise ValueError("a number of choices cannot be negative")
    return sum((question_seconds(q) for q in questions), Fraction(0)) + choices * CHOICE_SECONDS


def estimate_minutes(questions: Iterable[QuestionLength], choices: int = 0) -> int:
    """Minutes to announce: rounded up to ``STEP_MINUTES``, at least ``FLOOR_MINUTES``; 0 when nothing is left."""
    questions = list(questions)
    if not questions and not choices:
        return 0
    minutes = questionnaire_seconds(questions, choices) / 60
    rounded = math.ceil(minutes / STEP_MINUTES) * STEP_MINUTES
    return max(FLOOR_MINUTES, rounded)
