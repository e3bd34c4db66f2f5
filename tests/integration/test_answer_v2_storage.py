"""Framework 2.0's answers stored: "not applicable" where the question's rule holds, a confidence, an importance.

The questionnaire does not offer them yet (issue #16's next step); the form, the services and the
columns do, and a 1.0 answer is cleaned and stored exactly as before.
"""

import json
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from assessments import services
from assessments.forms_answers import AnswerForm, DelegatedAnswerForm
from assessments.frameworks.loader import import_document
from assessments.models import Answer, AnswerNote, ContextAnswer, DimensionImportance, Question, RoundStatus
from assessments.selectors import answer_context
from assessments.views import conflict_notices

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "framework-2-sample.json"


@pytest.fixture
def bank():
    return import_document(json.loads(SAMPLE.read_text(encoding="utf-8")))


@pytest.fixture
def round_2(org, bank):
    round_ = services.round_create(organisation=org, user=org.members_by_role["facilitator"], framework=bank, title="Round 2.0")
    services.participant_invite(round_=round_, email=org.members_by_role["respondent"].email, function="cfo")
    round_.status = RoundStatus.OPEN
    round_.save()
    return round_


@pytest.fixture
def me(round_2, org):
    return round_2.participants.get(user=org.members_by_role["respondent"])


def say(participant, key, choice):
    question = participant.round.framework.context_questions.get(key=key)
    ContextAnswer.objects.create(participant=participant, question=question, choice=choice)


def form(question, data, context=None):
    return AnswerForm({f"q-{question.key}-{name}": value for name, value in data.items()}, question=question, context=context)


# --------------------------------------------------------------------------- "not applicable"


def test_not_applicable_is_accepted_only_where_the_rule_holds_in_the_context(me):
    question = me.round.framework.questions.get(key="D1.2")  # N/A when the company is not listed
    assert answer_context(participant=me) == {}
    assert not form(question, {"level": "na"}, answer_context(participant=me)).is_valid()
    say(me, "listed", "yes")
    refused = form(question, {"level": "na"}, answer_context(participant=me))
    with translation.override("en"):  # the message is checked in English, whatever the catalogue says
        assert not refused.is_valid() and "applies to your organisation" in refused.answer_errors().level
    me.context_answers.all().delete()
    say(me, "listed", "no")
    accepted = form(question, {"level": "na"}, answer_context(participant=me))
    assert accepted.is_valid() and accepted.values == {"level": "na"}
    assert not form(question, {"level": "na"}).is_valid()  # no context given: never


def test_a_question_without_a_rule_never_takes_not_applicable(me):
    say(me, "listed", "no")
    question = me.round.framework.questions.get(key="D1.1")
    assert not form(question, {"level": "na"}, answer_context(participant=me)).is_valid()


def test_the_round_settings_win_over_the_respondent_s_own_context_answer(me):
    say(me, "cxo_exists", "no")
    assert answer_context(participant=me) == {"cxo_exists": "no"}
    me.round.cxo_exists = True
    me.round.save()
    me.refresh_from_db()
    assert answer_context(participant=me) == {"cxo_exists": "yes"}


def test_a_not_applicable_answer_is_stored_as_such_and_a_level_replaces_it(me):
    question = me.round.framework.questions.get(key="D1.2")
    services.answer_save(participant=me, question=question, values={"level": "na"})
    answer = Answer.objects.get(participant=me, question=question)
    assert (answer.level, answer.not_applicable, answer.confidence) == (None, True, None)
    services.answer_save(participant=me, question=question, values={"level": 3, "confidence": "high"})
    answer.refresh_from_db()
    assert (answer.level, answer.not_applicable, answer.confidence) == (3, False, "high")
    services.answer_save(participant=me, question=question, values={"level": None})
    answer.refresh_from_db()
    assert (answer.level, answer.not_applicable, answer.confidence) == (None, False, None)  # don't know: no confidence


def test_the_database_refuses_a_level_marked_not_applicable_and_an_unknown_confidence(me):
    question = me.round.framework.questions.get(key="D1.2")
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(participant=me, question=question, level=3, not_applicable=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.create(participant=me, question=question, level=3, confidence="sure")


def test_a_stale_page_compares_not_applicable_as_the_page_sends_it(me):
    question = me.round.framework.questions.get(key="D1.2")
    services.answer_save(participant=me, question=question, values={"level": "na"})
    # The page was loaded showing "na" and sends it back unchanged with a comment: no conflict.
    conflicts = services.answer_save_from_page(
        participant=me,
        question=question,
        values={"level": "na", "comment": "Not listed"},
        loaded={"level": "na", "comment": ""},
    )
    assert conflicts == []
    # Another tab then gave level 2; a page loaded on "na" that sends 4 replaces it and says so.
    services.answer_save(participant=me, question=question, values={"level": 2})
    conflicts = services.answer_save_from_page(participant=me, question=question, values={"level": 4}, loaded={"level": "na"})
    assert [(c.field, c.replaced) for c in conflicts] == [("level", "2")]


# --------------------------------------------------------------------------- confidence


def test_confidence_is_cleaned_and_stored(me):
    question = me.round.framework.questions.get(key="D1.1")
    sent = form(question, {"level": "4", "confidence": "low"})
    assert sent.is_valid() and sent.values == {"level": 4, "confidence": "low"}
    bad = form(question, {"level": "4", "confidence": "medium"})
    assert not bad.is_valid() and set(bad.errors) == {"confidence"} and bad.answer_errors().confidence
    services.answer_save(participant=me, question=question, values=sent.values)
    assert Answer.objects.get(participant=me, question=question).confidence == "low"
    cleared = form(question, {"confidence": ""})
    assert cleared.is_valid() and cleared.values == {"confidence": None}
    services.answer_save(participant=me, question=question, values=cleared.values)
    assert Answer.objects.get(participant=me, question=question).confidence is None


def test_a_confidence_alone_before_any_level_leaves_no_note(me):
    question = me.round.framework.questions.get(key="D1.1")
    assert services.answer_save(participant=me, question=question, values={"confidence": "high"}) is True
    assert not Answer.objects.filter(participant=me).exists()
    assert not AnswerNote.objects.filter(participant=me).exists()


def test_a_stale_page_names_a_replaced_confidence(me):
    question = me.round.framework.questions.get(key="D1.1")
    services.answer_save(participant=me, question=question, values={"level": 3, "confidence": "high"})
    conflicts = services.answer_save_from_page(
        participant=me, question=question, values={"confidence": "low"}, loaded={"confidence": ""}
    )
    assert [(c.field, c.replaced) for c in conflicts] == [("confidence", "high")]
    assert Answer.objects.get(participant=me, question=question).confidence == "low"


def test_a_colleague_answering_by_delegation_gives_neither_confidence_nor_not_applicable(me):
    question = me.round.framework.questions.get(key="D1.2")
    data = {"q-D1.2-level": "na", "q-D1.2-confidence": "high"}
    assert not DelegatedAnswerForm(data, question=question, context={"listed": "no"}).is_valid()
    data["q-D1.2-level"] = "2"
    delegated = DelegatedAnswerForm(data, question=question)
    assert delegated.is_valid() and delegated.values == {"level": 2}


# --------------------------------------------------------------------------- importance


def test_an_importance_is_stored_per_participant_and_dimension(me):
    dimension = me.round.framework.dimensions.get(key="D2")
    services.importance_save(participant=me, dimension=dimension, importance=3)
    services.importance_save(participant=me, dimension=dimension, importance=2)
    assert list(DimensionImportance.objects.filter(participant=me).values_list("dimension__key", "importance")) == [("D2", 2)]
    services.importance_save(participant=me, dimension=dimension, importance=None)
    assert DimensionImportance.objects.get(participant=me).importance is None


@pytest.mark.parametrize("bad", [0, 4, True, "2"])
def test_an_importance_outside_one_to_three_is_refused(me, bad):
    dimension = me.round.framework.dimensions.get(key="D1")
    with pytest.raises(ValueError):
        services.importance_save(participant=me, dimension=dimension, importance=bad)
    assert not DimensionImportance.objects.exists()


def test_an_importance_needs_an_open_round_and_a_dimension_of_its_framework(me, framework):
    with pytest.raises(ValueError):
        services.importance_save(participant=me, dimension=framework.dimensions.get(key="D1"), importance=2)
    me.round.status = RoundStatus.CLOSED
    me.round.save()
    with pytest.raises(services.RoundClosedError):
        services.importance_save(participant=me, dimension=me.round.framework.dimensions.get(key="D1"), importance=2)
    assert not DimensionImportance.objects.exists()


def test_the_database_refuses_an_importance_outside_one_to_three(me):
    with pytest.raises(IntegrityError), transaction.atomic():
        DimensionImportance.objects.create(participant=me, dimension=me.round.framework.dimensions.first(), importance=5)


# --------------------------------------------------------------------------- 1.0 as before


def test_a_1_0_answer_is_cleaned_as_before(framework):
    question = Question.objects.get(framework=framework, key="D1.1")
    for sent, values in (
        ({"level": "3"}, {"level": 3}),
        ({"level": "dk"}, {"level": None}),
        ({"comment": "x"}, {"comment": "x"}),
    ):
        cleaned = form(question, sent, context={"listed": "no", "cxo_exists": "no"})
        assert cleaned.is_valid() and cleaned.values == values
    assert not form(question, {"level": "na"}, context={"listed": "no"}).is_valid()


def test_an_organisation_file_carries_not_applicable_confidence_and_importance(me, org):
    from privacy.portability import export_organisation, import_organisation

    services.answer_save(participant=me, question=me.round.framework.questions.get(key="D1.2"), values={"level": "na"})
    services.answer_save(
        participant=me, question=me.round.framework.questions.get(key="D1.1"), values={"level": 4, "confidence": "high"}
    )
    services.importance_save(participant=me, dimension=me.round.framework.dimensions.get(key="D1"), importance=3)
    doc = export_organisation(org)
    copy = import_organisation(doc, slug="acme-copy")
    answers = Answer.objects.filter(participant__round__organisation=copy)
    assert sorted(answers.values_list("question__key", "level", "not_applicable", "confidence")) == [
        ("D1.1", 4, False, "high"),
        ("D1.2", None, True, None),
    ]
    importance = DimensionImportance.objects.get(participant__round__organisation=copy)
    assert (importance.dimension.key, importance.importance) == ("D1", 3)


def test_a_replaced_not_applicable_or_confidence_is_named_in_the_conflict_notice(framework):
    with translation.override("en"):
        notices = conflict_notices(
            [
                services.AnswerConflict(field="level", replaced="na"),
                services.AnswerConflict(field="confidence", replaced="high"),
                services.AnswerConflict(field="confidence", replaced=""),
            ],
            framework,
        )
        assert [(str(n["field"]), n["replaced"]) for n in notices] == [
            ("level", "Not applicable"),
            ("confidence", "High confidence"),
            ("confidence", "—"),
        ]
