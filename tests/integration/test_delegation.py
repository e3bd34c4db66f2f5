"""Delegation: a participant forwards one question to a colleague, whose answer is recorded as theirs, marked as delegated."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from assessments import services, tasks
from assessments.models import Answer, Delegation, Participant, Question
from tests.questionnaire import page_url, save_url

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
COLLEAGUE = {"delegate_name": "Alice Martin", "delegate_email": "alice@partner.test"}


def forward_url(round_, key):
    return reverse("assessments:delegation_create", args=[round_.organisation.slug, round_.pk, key])


def question(round_, key):
    return Question.objects.get(framework=round_.framework, key=key)


def link_from(message) -> str:
    return re.search(r"http://[^\s]+(/d/[^\s]+/)", message.body).group(1)


def my_answer(org, round_, key, role="respondent"):
    return Answer.objects.filter(
        participant__round=round_, participant__user=org.members_by_role[role], question__key=key
    ).first()


@pytest.fixture
def forward(open_round, respondent, django_capture_on_commit_callbacks):
    """Forwards a question as the respondent (the e-mail goes out on commit) and returns the link."""

    def send(key="D1.2", **colleague):
        before = len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True):
            response = respondent.post(forward_url(open_round, key), {**COLLEAGUE, **colleague})
        assert response.status_code == 302, response.content.decode()[:500]
        assert len(mail.outbox) == before + 1
        return link_from(mail.outbox[-1])

    return send


# ------------------------------------------------------------------------------ full flow


def test_full_flow(org, open_round, respondent, forward):
    link = forward("D1.2")
    delegation = Delegation.objects.get()
    assert (delegation.delegate_name, delegation.delegate_email, delegation.question.key) == (
        "Alice Martin",
        "alice@partner.test",
        "D1.2",
    )
    assert delegation.sent_at is not None and delegation.expires_at > timezone.now() + timedelta(days=13)
    assert mail.outbox[-1].to == ["alice@partner.test"]

    colleague = Client()  # no account, no login
    page = colleague.get(link)
    assert page.status_code == 200
    html = page.content.decode()
    assert escape(question(open_round, "D1.2").text_fr) in html
    assert "Avis de confidentialité" in html  # the privacy notice
    for other in ("D1.1", "D1.3", "D2.1"):
        assert escape(question(open_round, other).text_fr) not in html

    # Autosave (htmx) of the level, then a comment, then a plain submit.
    assert colleague.post(link, {"q-D1.2-level": "4"}, **HTMX).status_code == 200
    assert colleague.post(link, {"q-D1.2-comment": "From finance"}, **HTMX).status_code == 200
    answer = my_answer(org, open_round, "D1.2")
    assert (answer.level, answer.comment, answer.delegated_by_name, answer.delegate_email) == (
        4,
        "From finance",
        "Alice Martin",
        "alice@partner.test",
    )
    plain = colleague.post(link, {"q-D1.2-level": "dk", "q-D1.2-comment": "Not sure after all"})
    assert plain.status_code == 302
    answer.refresh_from_db()
    assert (answer.level, answer.delegated_level, answer.comment) == (None, None, "Not sure after all")
    assert Delegation.objects.get().answered_at is not None
    again = colleague.get(link).content.decode()  # the colleague sees their own answer and may change it
    assert 'value="dk" checked' in again and "Not sure after all" in again

    # The participant sees who answered, and may overwrite: the answer is then theirs, the link is done.
    questionnaire = respondent.get(page_url(open_round, "D1")).content.decode()
    assert 'id="q-D1-2-delegated"' in questionnaire and "Alice Martin" in questionnaire
    assert respondent.post(save_url(open_round, "D1.2"), {"q-D1.2-level": "2"}).status_code == 200
    assert 'id="q-D1-2-delegated"' not in respondent.get(page_url(open_round, "D1")).content.decode()
    answer.refresh_from_db()
    assert (answer.level, answer.comment) == (2, "Not sure after all")
    used = colleague.get(link)
    assert used.status_code == 410
    assert colleague.post(link, {"q-D1.2-level": "5"}, **HTMX).status_code == 409
    answer.refresh_from_db()
    assert answer.level == 2


def test_submitting_the_page_keeps_the_delegated_mark(org, open_round, respondent, forward):
    """ "Save and continue" re-posts every level of the page: an unchanged delegated level stays the colleague's."""
    colleague = Client()
    colleague.post(forward("D1.2"), {"q-D1.2-level": "3"}, **HTMX)
    data = {f"q-D1.{i}-level": "3" for i in range(1, 6)}
    assert respondent.post(page_url(open_round, "D1"), data).status_code == 302
    assert 'id="q-D1-2-delegated"' in respondent.get(page_url(open_round, "D1")).content.decode()


def test_the_colleague_does_not_see_the_participants_own_answer(org, open_round, respondent, forward):
    respondent.post(save_url(open_round, "D1.2"), {"q-D1.2-level": "1"})
    respondent.post(save_url(open_round, "D1.2"), {"q-D1.2-comment": "My private doubts"})
    colleague = Client()
    link = forward("D1.2")
    html = colleague.get(link).content.decode()
    assert "My private doubts" not in html and " checked" not in html
    # A comment alone cannot turn the participant's own level into the colleague's.
    assert colleague.post(link, {"q-D1.2-comment": "Mine"}, **HTMX).status_code == 422
    answer = my_answer(org, open_round, "D1.2")
    assert (answer.level, answer.comment, answer.delegated_at) == (1, "My private doubts", None)
    # A level replaces it, as the participant asked.
    assert colleague.post(link, {"q-D1.2-level": "4"}, **HTMX).status_code == 200
    answer.refresh_from_db()
    assert (answer.level, answer.delegated_by_name) == (4, "Alice Martin")


def test_answers_are_validated_like_the_participants_own(org, open_round, forward):
    link = forward("D1.2")
    colleague = Client()
    for bad in ("0", "6", "abc"):
        assert colleague.post(link, {"q-D1.2-level": bad}, **HTMX).status_code == 422
    assert colleague.post(link, {"q-D1.2-comment": "x"}, **HTMX).status_code == 422  # no level yet
    assert colleague.post(link, {"q-D1.2-level": "3", "q-D1.2-comment": "y" * 2001}).status_code == 400
    assert not Answer.objects.exists()


# --------------------------------------------------------------------------------- scope


def test_the_link_opens_that_question_only(org, open_round, forward):
    link = forward("D1.2")
    colleague = Client()
    assert colleague.post(link, {"q-D1.1-level": "3"}, **HTMX).status_code == 404
    assert colleague.post(link, {"q-D1.2-level": "3", "q-D2.1-level": "3"}).status_code == 404
    assert not Answer.objects.exists()
    assert colleague.get(link + "D1.1/").status_code == 404
    token = link.split("/")[2]
    assert colleague.get(reverse("assessments:sign_in", args=[token])).status_code == 400  # not a sign-in link
    assert colleague.get(page_url(open_round, "D1")).status_code == 302  # the questionnaire still needs a login
    tampered = link[:-4] + "xyz/"
    assert colleague.get(tampered).status_code == 404
    participant = open_round.participants.get(user=org.members_by_role["respondent"])
    sign_in_token = services.participant_new_link(participant)
    assert colleague.get(reverse("assessments:delegation_answer", args=[sign_in_token])).status_code == 404


def test_expired_link(open_round, forward):
    link = forward()
    Delegation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    colleague = Client()
    response = colleague.get(link)
    assert response.status_code == 410 and "Ce lien a expiré" in response.content.decode()
    assert colleague.post(link, {"q-D1.2-level": "3"}).status_code == 410
    assert not Answer.objects.exists()


def test_revoked_link_and_forwarding_again(org, open_round, respondent, forward):
    first = forward(delegate_name="Bob", delegate_email="bob@partner.test")
    second = forward()
    colleague = Client()
    assert colleague.get(first).status_code == 410  # replaced by the newer link
    assert colleague.get(second).status_code == 200
    response = respondent.post(reverse("assessments:delegation_revoke", args=[org.slug, open_round.pk, "D1.2"]))
    assert response.status_code == 302
    assert colleague.get(second).status_code == 410
    assert colleague.post(second, {"q-D1.2-level": "3"}, **HTMX).status_code == 409
    assert not Answer.objects.exists()
    listing = respondent.get(forward_url(open_round, "D1.2")).content.decode()
    assert "bob@partner.test" in listing and "alice@partner.test" in listing


def test_closed_round_refuses_the_link(open_round, forward):
    link = forward()
    colleague = Client()
    colleague.get(link)
    services.round_transition(round_=open_round, to="closed")
    page = colleague.get(link)
    assert page.status_code == 410 and b'name="q-D1.2-level"' not in page.content
    assert colleague.post(link, {"q-D1.2-level": "3"}, **HTMX).status_code == 409
    assert colleague.post(link, {"q-D1.2-level": "3"}).status_code == 410
    assert not Answer.objects.exists()


def test_withdrawn_participant_link_stops(org, open_round, forward):
    link = forward()
    services.participant_withdraw(participant=open_round.participants.get(user=org.members_by_role["respondent"]))
    assert Client().get(link).status_code == 410


def test_closed_round_cannot_forward(org, open_round, respondent):
    services.round_transition(round_=open_round, to="closed")
    assert respondent.post(forward_url(open_round, "D1.2"), COLLEAGUE).status_code == 409
    assert not Delegation.objects.exists()
    assert 'name="delegate_email"' not in respondent.get(page_url(open_round, "D1")).content.decode()


def test_forward_form_is_validated(open_round, respondent):
    response = respondent.post(forward_url(open_round, "D1.2"), {"delegate_name": " ", "delegate_email": "not-an-address"})
    assert response.status_code == 400
    assert not Delegation.objects.exists() and mail.outbox == []
    assert respondent.post(forward_url(open_round, "D9.9"), COLLEAGUE).status_code == 404


def test_forwarding_is_rate_limited(open_round, respondent, monkeypatch):
    monkeypatch.setattr(services, "DELEGATIONS_PER_DAY", 2)
    for key in ("D1.1", "D1.2"):
        assert respondent.post(forward_url(open_round, key), COLLEAGUE).status_code == 302
    assert respondent.post(forward_url(open_round, "D1.3"), COLLEAGUE).status_code == 429
    assert Delegation.objects.count() == 2


def test_forward_inputs_sit_outside_the_questionnaire_form(open_round, respondent):
    html = respondent.get(page_url(open_round, "D1")).content.decode()
    main_form = html.split('class="cx-questionnaire"', 1)[1].split("</form>", 1)[0]
    assert 'name="delegate_email" form="fwd-D1-2"' in main_form and "<form" not in main_form
    assert f'<form id="fwd-D1-2" method="post" action="{forward_url(open_round, "D1.2")}">' in html


# ------------------------------------------------------------------------------ escaping


def test_the_delegate_name_is_escaped(org, open_round, respondent, forward):
    link = forward(delegate_name="<script>alert('x')</script> Eve")
    Client().post(link, {"q-D1.2-level": "3"}, **HTMX)
    for html in (respondent.get(page_url(open_round, "D1")).content, respondent.get(forward_url(open_round, "D1.2")).content):
        assert b"<script>alert" not in html and b"&lt;script&gt;alert" in html


def test_names_with_line_breaks_cannot_reach_the_mail_headers(open_round, forward):
    forward(delegate_name="Eve\r\nBcc: victim@example.test")
    assert Delegation.objects.get().delegate_name == "Eve Bcc: victim@example.test"
    assert mail.outbox[-1].to == ["alice@partner.test"] and not mail.outbox[-1].bcc


# ---------------------------------------------------------------------- e-mail and language


@pytest.mark.parametrize(("language", "greeting"), [("en", "Hello,"), ("fr", "Bonjour,")])
def test_email_is_sent_in_the_participants_language(language, greeting, org, open_round, forward):
    user = org.members_by_role["respondent"]
    user.language = language
    user.save()
    link = forward("D1.2")
    message = mail.outbox[-1]
    text = getattr(question(open_round, "D1.2"), f"text_{language}")
    assert message.body.startswith(greeting) and text in message.body
    assert user.display_name in message.subject and "\n" not in message.subject
    assert "&#x27;" not in message.body and "&amp;" not in message.body  # plain text, not HTML-escaped
    # The colleague's page opens in the same language (they have no account to choose one).
    page = Client().get(link)
    assert page["Content-Language"] == language
    assert escape(text) in page.content.decode()


def test_sending_twice_sends_one_email(open_round, respondent):
    respondent.post(forward_url(open_round, "D1.2"), COLLEAGUE)  # on_commit not run: nothing sent yet
    delegation = Delegation.objects.get()
    tasks.send_delegation(delegation.pk)
    tasks.send_delegation(delegation.pk)
    assert len(mail.outbox) == 1


def test_revoked_before_sending_sends_nothing(org, open_round, respondent):
    respondent.post(forward_url(open_round, "D1.2"), COLLEAGUE)
    services.delegation_revoke(
        participant=Participant.objects.get(user=org.members_by_role["respondent"]), question=question(open_round, "D1.2")
    )
    tasks.send_delegation(Delegation.objects.get().pk)
    assert mail.outbox == []


# ------------------------------------------------------------------------------- anonymity


def test_anonymous_round_shows_the_name_to_the_participant_only(org, open_round, respondent, forward, client_for):
    open_round.anonymous = True
    open_round.save()
    Client().post(forward("D1.2"), {"q-D1.2-level": "4", "q-D1.2-comment": "Seen from finance"})
    assert "Alice Martin" in respondent.get(page_url(open_round, "D1")).content.decode()
    services.round_transition(round_=open_round, to="closed")
    facilitator = client_for(org.members_by_role["facilitator"])
    slug, pk = org.slug, open_round.pk
    pages = [
        reverse("assessments:results_dimension", args=[slug, pk, "D1"]),
        reverse("assessments:workshop_dimension", args=[slug, pk, "D1"]),
        reverse("assessments:export_answers", args=[slug, pk, "csv"]),
        reverse("reports:export_json", args=[slug, pk]),
        reverse("assessments:round", args=[slug, pk]),
    ]
    for url in pages:
        response = facilitator.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"Alice Martin" not in body and b"alice@partner.test" not in body, url


def test_the_colleague_s_form_reads_no_evidence_link(org, open_round, forward):
    """The delegated page offers a level and a comment: an evidence field posted by hand is not read."""
    link = forward("D1.2")
    response = Client().post(link, {"q-D1.2-level": "3", "q-D1.2-evidence": "https://example.com/x"})
    assert response.status_code == 302
    answer = my_answer(org, open_round, "D1.2")
    assert answer.level == 3 and answer.evidence_url == ""


def test_the_colleague_s_bad_level_is_refused_next_to_the_field(org, open_round, forward):
    link = forward("D1.2")
    response = Client().post(link, {"q-D1.2-level": "9" * 40, "q-D1.2-comment": "Typed 🙂"})
    assert response.status_code == 400
    assert "Typed 🙂" in response.content.decode()
    assert my_answer(org, open_round, "D1.2") is None
