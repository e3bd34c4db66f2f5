"""Access matrix for every round URL: anonymous → login, outsider → 404, each role → the rights table."""

import pytest
from django.urls import reverse

from assessments import urls

pytestmark = pytest.mark.django_db

OK, FOUND, FORBIDDEN = 200, 302, 403
F, S, R, V = "facilitator", "sponsor", "respondent", "viewer"


def allow(status, *roles):
    return {role: (status if role in roles else FORBIDDEN) for role in (F, S, R, V)}


# (url name, method, extra kwargs, POST data, expected per role) on an open attributed round.
MATRIX = [
    ("round", "get", {}, None, allow(OK, F, S, R)),
    ("round_edit", "get", {}, None, allow(OK, F)),
    ("round_transition", "post", {}, {"to": "closed", "override": "1"}, allow(FOUND, F)),  # override: the round has no answers
    ("round_remind", "post", {}, {}, allow(FOUND, F)),
    ("round_context", "post", {}, {"cxo_exists": "yes", "cxo_reports_to": "ceo"}, allow(FOUND, F)),
    ("round_print", "get", {}, None, allow(OK, F, S, R)),
    ("participant_add", "post", {}, {"email": "new@acme.test", "function": "cio"}, allow(FOUND, F, S)),
    ("participant_resend", "post", {"participant_id": "respondent"}, {}, allow(FOUND, F, S)),
    ("participant_withdraw", "post", {"participant_id": "respondent"}, {}, allow(OK, F)),  # asks first (issue #13)
    ("participant_withdraw", "post", {"participant_id": "respondent"}, {"confirm": "1"}, allow(FOUND, F)),
    ("round_transition", "post", {}, {"to": "draft"}, allow(OK, F)),  # asks first (issue #13)
    ("participant_answers", "get", {"participant_id": "respondent"}, None, allow(OK, F)),
    # The executive mirror (issue #18): before closing, its participant reads when it comes; anyone else finds nothing.
    ("mirror", "get", {}, None, {F: OK, S: OK, R: OK, V: 404}),
    ("mirror_participant", "get", {"participant_id": "respondent"}, None, {F: OK, S: 404, R: OK, V: 404}),
    ("reports:mirror_pdf", "get", {}, None, dict.fromkeys((F, S, R, V), 404)),  # no PDF before closing
    ("answer_start", "get", {}, None, allow(FOUND, F, S, R)),
    ("answer_welcome", "get", {}, None, allow(OK, F, S, R)),
    ("answer_question", "get", {"question_key": "D1.1"}, None, allow(OK, F, S, R)),
    ("answer_question", "post", {"question_key": "D1.1"}, {"q-D1.1-level": "3"}, allow(FOUND, F, S, R)),
    ("answer_mode", "post", {}, {"mode": "page", "at": "D1"}, allow(FOUND, F, S, R)),
    ("answer_review", "get", {}, None, allow(OK, F, S, R)),
    ("answer_done", "get", {}, None, allow(FOUND, F, S, R)),  # not submitted yet: to the review
    ("answer_page", "get", {"page": "D1"}, None, allow(OK, F, S, R)),
    ("answer_save", "post", {"question_key": "D1.1"}, {"q-D1.1-level": "3"}, allow(OK, F, S, R)),
    ("answer_choice_save", "post", {"kind": "raci", "key": "cx_strategy"}, {"raci-cx_strategy": "cxo"}, allow(OK, F, S, R)),
    # A 1.0 round asks no importance: nothing to save for those who answer (2.0: tests/views/test_answer_importance_autosave.py).
    ("answer_importance", "post", {"key": "D1"}, {"importance-D1": "2"}, {**allow(404, F, S, R), V: FORBIDDEN}),
    # Nor one activity per screen for the RACI (2.0: tests/views/test_answer_raci_v2.py).
    ("answer_raci", "get", {"key": "cx_strategy"}, None, {**allow(404, F, S, R), V: FORBIDDEN}),
    ("answer_submit", "post", {}, {}, allow(FOUND, F, S, R)),
    ("results", "get", {}, None, allow(OK, F, S)),
    ("results_alignment", "get", {}, None, allow(OK, F, S)),
    # The ownership map is a 2.0 page: 404 on this 1.0 round once the right is checked (2.0: tests/integration/test_ownership_map.py).
    ("results_ownership", "get", {}, None, allow(404, F, S)),
    ("results_dimension", "get", {"key": "D1"}, None, allow(OK, F, S)),
    ("results_consensus", "post", {"question_key": "D1.1"}, {"level": "3"}, allow(FOUND, F)),
    ("export_scores", "get", {"fmt": "csv"}, None, allow(OK, F, S)),
    ("export_answers", "get", {"fmt": "xlsx"}, None, allow(OK, F)),
    ("reports:export_json", "get", {}, None, allow(OK, F, S)),  # the round export composes roadmaps and KPIs
    ("workshop", "get", {}, None, allow(OK, F)),
    ("workshop_dimension", "get", {"key": "D2"}, None, allow(OK, F)),
    ("workshop_raci", "get", {}, None, allow(404, F)),  # 2.0 rounds only, as results_ownership
    ("workshop_live", "get", {"key": "D2"}, None, allow(OK, F)),
    ("workshop_consensus", "post", {"key": "D1"}, {"question": "D1.1", "level": "3"}, allow(FOUND, F)),  # refused while open
    ("delegation_create", "get", {"question_key": "D1.1"}, None, allow(OK, F, S, R)),
    (
        "delegation_create",
        "post",
        {"question_key": "D1.1"},
        {"delegate_name": "Ann Other", "delegate_email": "ann@partner.test"},
        allow(FOUND, F, S, R),
    ),
    ("delegation_revoke", "post", {"question_key": "D1.1"}, {}, allow(FOUND, F, S, R)),
]
# Reached by e-mailed links: sign_in and new_link are tested in test_rounds.py, delegation_answer in test_delegation.py.
PUBLIC = {"sign_in", "new_link", "delegation_answer"}


def _url(name, extra, round_, org):
    kwargs = {"slug": org.slug, "round_id": round_.pk}
    for key, value in extra.items():
        if key == "participant_id":
            value = round_.participants.get(user=org.members_by_role[value]).pk
        kwargs[key] = value
    return reverse(name if ":" in name else f"assessments:{name}", kwargs=kwargs)


@pytest.mark.parametrize(("name", "method", "extra", "data", "expected"), MATRIX, ids=[m[0] for m in MATRIX])
@pytest.mark.parametrize("who", ["anonymous", "outsider", F, S, R, V])
def test_access(name, method, extra, data, expected, who, org, outsider, open_round, client_for):
    user = {"anonymous": None, "outsider": outsider}.get(who) or org.members_by_role.get(who)
    response = getattr(client_for(user), method)(_url(name, extra, open_round, org), data)
    if who == "anonymous":
        assert response.status_code == FOUND and response.url.startswith(reverse("accounts:login"))
    elif who == "outsider":
        assert response.status_code == 404
        assert b"Round 1" not in response.content and b"Acme" not in response.content
    else:
        assert response.status_code == expected[who]


def test_every_round_url_is_in_the_matrix():
    names = {p.name for p in urls.urlpatterns}
    assert names == {m[0] for m in MATRIX if ":" not in m[0]} | PUBLIC


@pytest.mark.parametrize("who", [S, R])
def test_individual_answers_stay_hidden_from_sponsor_and_respondent(who, org, open_round, client_for):
    participant = open_round.participants.get(user=org.members_by_role[F])
    url = reverse("assessments:participant_answers", args=[org.slug, open_round.pk, participant.pk])
    assert client_for(org.members_by_role[who]).get(url).status_code == 403


def test_individual_answers_are_404_in_anonymous_rounds(org, open_round, client_for):
    open_round.anonymous = True
    open_round.save()
    participant = open_round.participants.get(user=org.members_by_role[R])
    url = reverse("assessments:participant_answers", args=[org.slug, open_round.pk, participant.pk])
    assert client_for(org.members_by_role[F]).get(url).status_code == 404


def test_viewer_sees_a_round_only_once_published(org, open_round, client_for):
    viewer = client_for(org.members_by_role[V])
    url = reverse("assessments:round", args=[org.slug, open_round.pk])
    assert viewer.get(url).status_code == 403
    assert b"Round 1" not in viewer.get(reverse("workspace:detail", args=[org.slug])).content
    open_round.status = "published"
    open_round.save()
    assert viewer.get(url).status_code == 200


# After publication, results and exports open to every member (individual answers stay with facilitators).
PUBLISHED = [
    ("results", {}, allow(OK, F, S, R, V)),
    ("results_alignment", {}, allow(OK, F, S, R, V)),
    ("results_dimension", {"key": "D3"}, allow(OK, F, S, R, V)),
    ("export_scores", {"fmt": "xlsx"}, allow(OK, F, S, R, V)),
    ("reports:export_json", {}, allow(OK, F, S, R, V)),
    ("export_answers", {"fmt": "csv"}, allow(OK, F)),
    ("mirror", {}, {F: OK, S: OK, R: OK, V: 404}),  # a participant's own (the viewer takes no part)
    ("mirror_participant", {"participant_id": "respondent"}, {F: OK, S: 404, R: OK, V: 404}),
]


@pytest.mark.parametrize(("name", "extra", "expected"), PUBLISHED, ids=[m[0] for m in PUBLISHED])
@pytest.mark.parametrize("who", ["outsider", F, S, R, V])
def test_access_after_publication(name, extra, expected, who, org, outsider, open_round, client_for):
    from tests.conftest import publish

    publish(open_round)
    user = outsider if who == "outsider" else org.members_by_role[who]
    response = client_for(user).get(_url(name, extra, open_round, org))
    assert response.status_code == (404 if who == "outsider" else expected[who])
