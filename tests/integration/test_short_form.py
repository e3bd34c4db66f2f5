"""Question bank 2.0's short form as a round option (issue #16).

A short-form round asks only the framework's 14 short-form questions, on the same scale and the
same dimensions: the questionnaire, the counts and time estimates, the accepted answers and the
scores all follow that one choice (Round.asked_questions), which can only be made on a framework
that has a short form and cannot change once people have answered.
"""

import pytest
from django.urls import reverse
from django.utils import translation

from assessments import estimates, selectors, services
from assessments.models import Answer, Framework, Round

pytestmark = pytest.mark.django_db

ROLES = (("facilitator", "cxo"), ("sponsor", "ceo"), ("respondent", "cfo"))


@pytest.fixture
def v2():
    return Framework.objects.get(key="cx-governance", version="2.0")


@pytest.fixture
def v1():
    return Framework.objects.get(key="cx-governance", version="1.0")


@pytest.fixture
def short_round(org, v2):
    round_ = services.round_create(
        organisation=org, user=org.members_by_role["facilitator"], framework=v2, title="Pulse", short_form=True
    )
    for role, function in ROLES:
        services.participant_invite(round_=round_, email=org.members_by_role[role].email, function=function)
    return round_


def _open(round_):
    services.round_transition(round_=round_, to="open")
    round_.refresh_from_db()
    return round_


def test_the_short_form_asks_its_questions_only(short_round, v2):
    keys = v2.short_form["questions"]
    assert 12 <= len(keys) <= 15
    assert short_round.question_keys == frozenset(keys)
    assert sorted(short_round.asked_questions().values_list("key", flat=True)) == sorted(keys)
    dimensions = selectors.round_dimensions(short_round)
    asked = [q.key for d in dimensions for q in d.question_list]
    assert sorted(asked) == sorted(keys)
    # Mapped to the full dimensions: every dimension of the framework keeps at least one question.
    assert [d.key for d in dimensions] == list(v2.dimensions.order_by("position").values_list("key", flat=True))


def test_a_full_round_asks_every_question(org, v2):
    round_ = services.round_create(organisation=org, user=org.members_by_role["facilitator"], framework=v2, title="Full")
    assert round_.question_keys is None
    assert round_.asked_questions().count() == v2.questions.count()


def test_the_time_estimate_is_the_short_forms(short_round, v2):
    full = estimates.questionnaire_minutes(v2)
    short = estimates.questionnaire_minutes(v2, short_round.question_keys)
    assert 0 < short < full


def test_a_question_outside_the_short_form_is_refused(short_round, org, client_for, v2):
    _open(short_round)
    outside = v2.questions.exclude(key__in=short_round.question_keys).order_by("position").first()
    inside = v2.questions.get(key=v2.short_form["questions"][0])
    client = client_for(org.members_by_role["respondent"])
    url = reverse("assessments:answer_save", args=[org.slug, short_round.pk, outside.key])
    assert client.post(url, {f"q-{outside.key}-level": "3"}).status_code == 404
    assert not Answer.objects.filter(question=outside).exists()
    ok = client.post(
        reverse("assessments:answer_save", args=[org.slug, short_round.pk, inside.key]), {f"q-{inside.key}-level": "3"}
    )
    assert ok.status_code == 200
    assert Answer.objects.get(question=inside).level == 3


def test_scores_rest_on_the_short_form_and_cover_every_dimension(short_round, org, v2):
    _open(short_round)
    keys = v2.short_form["questions"]
    levels = {"facilitator": 2, "sponsor": 3, "respondent": 4}
    questions = {q.key: q for q in v2.questions.filter(key__in=keys)}
    for role, level in levels.items():
        participant = short_round.participants.get(user=org.members_by_role[role])
        Answer.objects.bulk_create(Answer(participant=participant, question=q, level=level) for q in questions.values())
    services.round_transition(round_=short_round, to="closed")
    short_round.refresh_from_db()
    scores = short_round.snapshot.data["scores"]
    assert sorted(q["key"] for q in scores["questions"]) == sorted(keys)
    dimension_keys = set(v2.dimensions.values_list("key", flat=True))
    assert {d["key"] for d in scores["dimensions"]} == dimension_keys
    # Each dimension scored on the same 1–5 scale: the mean of 2, 3 and 4.
    assert all(d["score"] == 3 for d in scores["dimensions"]), scores["dimensions"]
    # The minimum response rule counts respondents over the questions asked: every dimension has its 3.
    sample = short_round.snapshot.data["sample"]
    assert not sample["low"]
    assert {d["key"]: d["respondents"] for d in sample["dimensions"]} == dict.fromkeys(dimension_keys, 3)


def test_the_form_refuses_a_short_form_on_a_framework_without_one(org, client_for, v1, v2):
    client = client_for(org.members_by_role["facilitator"])
    url = reverse("workspace:round_create", args=[org.slug])
    with translation.override("en"):
        response = client.post(url, {"title": "Pulse 1.0", "framework": v1.pk, "short_form": "on"})
    assert response.status_code == 200
    assert not Round.objects.filter(title="Pulse 1.0").exists()
    errors = response.context["form"].errors
    assert "short_form" in errors and "1.0" in errors["short_form"][0]
    # What was typed is kept.
    assert 'value="Pulse 1.0"' in response.content.decode()
    response = client.post(url, {"title": "Pulse 2.0", "framework": v2.pk, "short_form": "on"})
    assert response.status_code == 302
    assert Round.objects.get(title="Pulse 2.0").short_form is True


def test_the_short_form_can_change_in_draft_and_is_fixed_once_opened(short_round, org, client_for):
    client = client_for(org.members_by_role["facilitator"])
    url = reverse("assessments:round_edit", args=[org.slug, short_round.pk])
    data = {"title": "Pulse", "min_respondents": 3, "min_response_percent": 50}
    assert client.post(url, data).status_code == 302  # unticked: the full questionnaire
    short_round.refresh_from_db()
    assert short_round.short_form is False
    client.post(url, {**data, "short_form": "on"})
    short_round.refresh_from_db()
    assert short_round.short_form is True
    _open(short_round)
    client.post(url, data)
    short_round.refresh_from_db()
    assert short_round.short_form is True
    with pytest.raises(services.AnonymityFrozenError):
        services.round_update(round_=short_round, title="Pulse", due_date=None, anonymous=short_round.anonymous, short_form=False)


def test_a_1_0_round_offers_no_short_form(open_round, org, client_for):
    client = client_for(org.members_by_role["facilitator"])
    response = client.get(reverse("assessments:round_edit", args=[org.slug, open_round.pk]))
    assert "short_form" not in response.context["form"].fields


def test_the_home_card_counts_the_short_forms_questions(short_round, org, client_for, v2):
    _open(short_round)
    client = client_for(org.members_by_role["respondent"])
    participant = short_round.participants.get(user=org.members_by_role["respondent"])
    first = short_round.asked_questions().order_by("position").first()
    Answer.objects.create(participant=participant, question=first, level=2)
    page = client.get(reverse("workspace:home")).content.decode()
    count = len(v2.short_form["questions"])
    assert f'aria-valuemax="{count}" aria-valuenow="1"' in page


def test_results_and_report_say_it_was_the_short_form(short_round, org, client_for, v2):
    from reports.builders import build_report_data

    _open(short_round)
    participant = short_round.participants.get(user=org.members_by_role["facilitator"])
    Answer.objects.bulk_create(Answer(participant=participant, question=q, level=3) for q in short_round.asked_questions())
    services.round_transition(round_=short_round, to="closed")
    short_round.refresh_from_db()
    client = client_for(org.members_by_role["facilitator"])
    count = len(v2.short_form["questions"])
    # The page speaks the user's language (French by default).
    page = client.get(reverse("assessments:results", args=[org.slug, short_round.pk])).content.decode()
    assert f"Cette campagne a posé le questionnaire court ({count} questions)" in page
    with translation.override("en"):
        data = build_report_data(short_round, "en")
    assert data["round"]["short_form"] == count
    shown = {q["key"] for d in data["dimensions"] for q in d.get("questions", [])}
    assert shown <= short_round.question_keys


def test_the_round_export_names_the_short_forms_questions(short_round, org, v2):
    from reports.exports import build_export

    _open(short_round)
    participant = short_round.participants.get(user=org.members_by_role["sponsor"])
    Answer.objects.bulk_create(Answer(participant=participant, question=q, level=2) for q in short_round.asked_questions())
    services.round_transition(round_=short_round, to="closed")
    short_round.refresh_from_db()
    exported = build_export(short_round)
    assert exported["round"]["short_form"] == sorted(v2.short_form["questions"])
    assert {a["question"] for a in exported["answers"]} == set(v2.short_form["questions"])


def test_a_full_rounds_export_has_no_short_form_key(org, v2):
    from reports.exports import build_export

    round_ = services.round_create(organisation=org, user=org.members_by_role["facilitator"], framework=v2, title="Full")
    assert "short_form" not in build_export(round_)["round"]


def test_the_questionnaire_walks_the_short_form_only(short_round, org, client_for, v2):
    _open(short_round)
    client = client_for(org.members_by_role["respondent"])
    keys = v2.short_form["questions"]
    outside = v2.questions.exclude(key__in=keys).order_by("position").first()
    assert client.get(reverse("assessments:answer_question", args=[org.slug, short_round.pk, outside.key])).status_code == 404
    response = client.get(reverse("assessments:answer_question", args=[org.slug, short_round.pk, keys[0]]))
    assert response.status_code == 200
    assert response.context["progress"]["total"] == len(keys)
    review = client.get(reverse("assessments:answer_review", args=[org.slug, short_round.pk]))
    listed = [q.key for d in review.context["dimensions"] for q in d.question_list]
    assert sorted(listed) == sorted(keys)
    printable = client_for(org.members_by_role["facilitator"]).get(
        reverse("assessments:round_print", args=[org.slug, short_round.pk])
    )
    assert sorted(q.key for d in printable.context["dimensions"] for q in d.question_list) == sorted(keys)
