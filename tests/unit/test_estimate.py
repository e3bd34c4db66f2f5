"""The questionnaire's time estimate (assessments/domain/estimate.py): pure, with hypothesis for its invariants."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.domain.estimate import (
    CHOICE_SECONDS,
    DECISION_SECONDS,
    FLOOR_MINUTES,
    STEP_MINUTES,
    QuestionLength,
    estimate_minutes,
    question_seconds,
    questionnaire_seconds,
    word_count,
)

lengths = st.builds(QuestionLength, st.integers(min_value=0, max_value=200), st.integers(min_value=0, max_value=2000))
questionnaires = st.lists(lengths, max_size=80)
choices = st.integers(min_value=0, max_value=40)


def test_the_shipped_framework_is_about_forty_minutes_not_twenty_five():
    # 50 questions of 16 words, each with 5 levels of about 30 words (7,630 words in all), 16 governance choices.
    questions = [QuestionLength(16, 153)] * 50
    assert estimate_minutes(questions, choices=16) == 40


def test_one_question_reads_scans_and_decides():
    # 43 words read at 215 wpm = 12 s; 400 words scanned at 400 wpm = 60 s; then the decision.
    assert question_seconds(QuestionLength(43, 400)) == 12 + 60 + DECISION_SECONDS


def test_nothing_left_is_zero_and_anything_left_is_at_least_the_floor():
    assert estimate_minutes([]) == 0
    assert estimate_minutes([], choices=1) == FLOOR_MINUTES
    assert estimate_minutes([QuestionLength(0, 0)]) == FLOOR_MINUTES


def test_word_count_counts_words_not_characters():
    assert word_count("Comment l'ambition CX est-elle définie ?") == 7  # l' and -elle count, as a reader's eye stops on them
    assert word_count("") == 0
    assert word_count(None) == 0


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        QuestionLength(-1, 0)
    with pytest.raises(ValueError):
        questionnaire_seconds([], choices=-1)


@given(questionnaires, choices)
def test_always_a_multiple_of_the_step_and_never_below_the_floor(questions, n):
    minutes = estimate_minutes(questions, n)
    assert minutes % STEP_MINUTES == 0
    if questions or n:
        assert minutes >= FLOOR_MINUTES
    else:
        assert minutes == 0


@given(questionnaires, choices)
def test_rounded_up_never_promises_less_than_it_takes(questions, n):
    minutes = estimate_minutes(questions, n)
    exact = questionnaire_seconds(questions, n) / 60
    assert minutes >= exact
    if questions or n:
        assert minutes - exact < max(STEP_MINUTES, FLOOR_MINUTES)


@given(questionnaires, choices, lengths)
def test_one_more_question_never_shortens_the_estimate(questions, n, extra):
    assert estimate_minutes([*questions, extra], n) >= estimate_minutes(questions, n)


@given(questionnaires, choices)
def test_one_more_choice_never_shortens_the_estimate(questions, n):
    assert estimate_minutes(questions, n + 1) >= estimate_minutes(questions, n)


@given(st.lists(lengths, min_size=1, max_size=40), choices, st.data())
def test_more_words_never_shorten_the_estimate(questions, n, data):
    index = data.draw(st.integers(min_value=0, max_value=len(questions) - 1))
    more_question = data.draw(st.integers(min_value=0, max_value=300))
    more_levels = data.draw(st.integers(min_value=0, max_value=3000))
    longer = list(questions)
    longer[index] = QuestionLength(questions[index].question_words + more_question, questions[index].level_words + more_levels)
    assert estimate_minutes(longer, n) >= estimate_minutes(questions, n)


@given(questionnaires, choices, st.data())
def test_time_left_never_exceeds_the_whole(questions, n, data):
    # Time left is the same formula on what is unanswered: a subset of the questions and choices.
    left = [q for q in questions if data.draw(st.booleans())]
    left_choices = data.draw(st.integers(min_value=0, max_value=n))
    assert estimate_minutes(left, left_choices) <= estimate_minutes(questions, n)


@given(st.integers(min_value=0, max_value=100))
def test_choices_alone_cost_their_seconds(n):
    assert questionnaire_seconds([], n) == n * CHOICE_SECONDS
    assert estimate_minutes([], n) == (0 if n == 0 else max(FLOOR_MINUTES, math.ceil(n * CHOICE_SECONDS / 60 / 5) * 5))
