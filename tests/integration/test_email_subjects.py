"""E-mails (issue #21): subjects are one plain-text line, bodies are not HTML-escaped, and a send
that fails is reported as failed, for every e-mail the app sends."""

from datetime import date, timedelta
from smtplib import SMTPException

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from assessments import services, tasks
from assessments.models import Participant, Question, RoundStatus
from cxgov.mail import subject_line
from organisations.models import Invitation, Role
from organisations.tasks import send_member_invitation

pytestmark = pytest.mark.django_db

ORG_NAME = "L'Oréal & Co\nParis"
ROUND_TITLE = 'Bilan "2026"\r\n<b>exécutif</b>'
ORG_SHOWN = "L'Oréal & Co Paris"
ROUND_SHOWN = 'Bilan "2026" <b>exécutif</b>'


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise SMTPException("relay refused")


@pytest.fixture
def hostile_round(org, open_round):
    org.name = ORG_NAME
    org.save()
    open_round.title = ROUND_TITLE
    open_round.due_date = date.today() + timedelta(days=2)
    open_round.save()
    return open_round


def _participant(org, round_, role="respondent"):
    return round_.participants.get(user=org.members_by_role[role])


def _send_each(org, round_, client, capture):
    """Triggers every e-mail the app sends; returns {name: the messages it sent}."""
    sent = {}

    def collect(name, action):
        before = len(mail.outbox)
        with capture(execute=True):
            action()
        sent[name] = mail.outbox[before:]

    participant = _participant(org, round_)
    collect("invitation", lambda: tasks.send_participant_link(participant.pk))
    collect("reminder", lambda: tasks.send_participant_link(participant.pk, True))
    collect("everyone submitted", lambda: tasks.notify_everyone_submitted(round_.pk))
    question = Question.objects.filter(dimension__framework=round_.framework).first()
    collect(
        "delegation",
        lambda: services.delegation_create(
            participant=participant, question=question, delegate_name="Zoé\nMartin", delegate_email="zoe@acme.test"
        ),
    )
    invitation = Invitation.objects.create(
        organisation=org,
        email="guest@acme.test",
        role=Role.RESPONDENT,
        nonce="n" * 32,
        expires_at=timezone.now() + timedelta(days=3),
    )
    collect("member invitation", lambda: send_member_invitation(invitation.pk))
    collect("password reset", lambda: client.post(reverse("accounts:password_reset"), {"email": "respondent@acme.test"}))
    round_.status = RoundStatus.PUBLISHED
    round_.save()
    collect("published", lambda: tasks.notify_results_published(round_.pk))
    return sent


def test_every_email_has_a_one_line_plain_subject_and_an_unescaped_body(org, hostile_round, django_capture_on_commit_callbacks):
    sent = _send_each(org, hostile_round, Client(), django_capture_on_commit_callbacks)
    assert all(sent.values()), {name: len(messages) for name, messages in sent.items()}
    for name, messages in sent.items():
        for message in messages:
            assert "\n" not in message.subject and "\r" not in message.subject, name
            assert "&amp;" not in message.subject and "&#x27;" not in message.subject and "&quot;" not in message.subject, name
            assert "&amp;" not in message.body and "&#x27;" not in message.body and "&lt;" not in message.body, name
            assert message.message()["Subject"]  # the headers build: no BadHeaderError
    mentions_org = [m.subject for name in ("invitation", "member invitation") for m in sent[name]]
    assert all(ORG_SHOWN in subject for subject in mentions_org), mentions_org
    mentions_round = [m.subject for name in ("reminder", "everyone submitted", "published") for m in sent[name]]
    assert all(ROUND_SHOWN in subject for subject in mentions_round), mentions_round
    assert ROUND_TITLE.replace("\r\n", "\n") in sent["delegation"][0].body.replace(
        "\r\n", "\n"
    )  # the body keeps the text as typed


def test_a_failed_send_is_reported_as_failed_not_sent(
    settings, org, hostile_round, client_for, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.integration.test_email_subjects.FailingBackend"
    participant = _participant(org, hostile_round)
    Participant.objects.filter(pk=participant.pk).update(invited_at=None)
    facilitator = client_for(org.members_by_role["facilitator"])
    url = reverse("assessments:participant_resend", args=[org.slug, hostile_round.pk, participant.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = facilitator.post(url, follow=True)
    page = response.content.decode()
    assert response.status_code == 200
    assert "respondent@acme.test" in page and ("could not be sent" in page or "n’a pas pu être envoyé" in page)
    assert "has been sent" not in page and "a été envoyé" not in page
    participant.refresh_from_db()
    assert participant.invited_at is None  # the round page does not say "invited"


def test_a_failed_send_in_a_worker_raises_so_celery_retries(settings, org, hostile_round):
    settings.EMAIL_BACKEND = "tests.integration.test_email_subjects.FailingBackend"
    with pytest.raises(SMTPException):
        tasks.send_participant_link(_participant(org, hostile_round).pk)


@given(st.text())
def test_subject_line_is_always_one_trimmed_line(text):
    line = subject_line(text)
    assert "\n" not in line and "\r" not in line and line == line.strip()
    assert "  " not in line
    assert line.split() == text.split()


@pytest.fixture
def commit_inline(monkeypatch):
    """On-commit work runs where a real request runs it, inside the view (the test's own
    transaction never commits): what the page then says is what a user would read."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


@pytest.mark.parametrize("renewed", [False, True])
def test_a_failed_member_invitation_is_not_reported_as_sent(settings, org, client_for, renewed, commit_inline):
    facilitator = client_for(org.members_by_role["facilitator"])
    url = reverse("organisations:members", args=[org.slug])
    if renewed:
        facilitator.post(url, {"email": "guest@acme.test", "role": "viewer"}, follow=True)  # its "sent" is read here
    settings.EMAIL_BACKEND = "tests.integration.test_email_subjects.FailingBackend"
    page = facilitator.post(url, {"email": "guest@acme.test", "role": "viewer"}, follow=True).content.decode()
    assert "guest@acme.test" in page and ("could not be sent" in page or "n’a pas pu être envoyé" in page)
    assert "has been sent" not in page and "a été envoyé" not in page


def test_a_failed_round_invitation_is_not_reported_as_sent(settings, org, hostile_round, client_for, commit_inline):
    settings.EMAIL_BACKEND = "tests.integration.test_email_subjects.FailingBackend"
    url = reverse("assessments:participant_add", args=[org.slug, hostile_round.pk])
    page = (
        client_for(org.members_by_role["sponsor"])
        .post(url, {"email": "new@acme.test", "function": "cfo"}, follow=True)
        .content.decode()
    )
    assert "new@acme.test" in page and ("could not be sent" in page or "n’a pas pu être envoyé" in page)
    assert "has been sent" not in page and "a été envoyée" not in page
