"""Sign-in hardening (issue #21): lockout on the normalised address, throttled e-mail requests,
personal links that keep working until submission and stop once their round is closed (issue #15)."""

import re
import time
from unittest import mock

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from assessments import services, tasks
from assessments.models import RoundStatus
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "accounts:login"


@pytest.fixture(autouse=True)
def _english(settings):
    # New messages are checked in English: their French arrives with the lead's translation merge.
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _link(body):
    return re.search(r"http://[^\s]+/r/[^\s]+/", body).group(0).replace("http://127.0.0.1:8000", "")


@pytest.mark.parametrize("variant", ["RESPONDENT5@demo.test", "  Respondent5@Demo.Test  ", "respondent5@DEMO.TEST "])
def test_locked_account_stays_locked_whatever_the_case_or_spaces(settings, variant):
    UserFactory(email="respondent5@demo.test")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse(LOGIN), {"username": "respondent5@demo.test", "password": "wrong"})
    attempt = client.post(reverse(LOGIN), {"username": variant, "password": "pass-1234-word"})
    assert attempt.status_code == 429
    assert "_auth_user_id" not in client.session


def test_case_variants_share_one_failure_count(settings):
    UserFactory(email="respondent5@demo.test")
    client = Client()
    variants = [
        "respondent5@demo.test",
        "RESPONDENT5@demo.test",
        " respondent5@demo.test",
        "Respondent5@Demo.test",
        "rEspondent5@demo.test",
    ]
    assert len(variants) == settings.AXES_FAILURE_LIMIT
    codes = [client.post(reverse(LOGIN), {"username": variant, "password": "wrong"}).status_code for variant in variants]
    assert codes == [200, 200, 200, 200, 429]  # the fifth failure, whatever its spelling, locks
    locked = client.post(reverse(LOGIN), {"username": "respondent5@demo.test", "password": "pass-1234-word"})
    assert locked.status_code == 429


def test_new_link_requests_are_throttled_per_address(org, open_round, django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        answers = [client.post(reverse("assessments:new_link"), {"email": "Respondent@acme.test"}) for _ in range(5)]
    assert [a.status_code for a in answers] == [302, 302, 302, 429, 429]
    assert len(mail.outbox) == 1  # and per participant: one link every 5 minutes at most
    assert "Too many requests" in answers[-1].content.decode()
    assert 'value="Respondent@acme.test"' in answers[-1].content.decode()  # what was typed stays


def test_new_link_throttle_says_the_same_for_unknown_addresses(org, open_round):
    known, unknown = Client(REMOTE_ADDR="10.0.0.1"), Client(REMOTE_ADDR="10.0.0.2")
    for _ in range(3):
        known.post(reverse("assessments:new_link"), {"email": "respondent@acme.test"})
        unknown.post(reverse("assessments:new_link"), {"email": "nobody@acme.test"})
    refused_known = known.post(reverse("assessments:new_link"), {"email": "respondent@acme.test"})
    refused_unknown = unknown.post(reverse("assessments:new_link"), {"email": "nobody@acme.test"})
    assert refused_known.status_code == refused_unknown.status_code == 429

    def strip(response):
        page = response.content.decode().replace("respondent@acme.test", "X").replace("nobody@acme.test", "X")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)

    assert strip(refused_known) == strip(refused_unknown)


def test_new_link_requests_are_throttled_per_ip(settings, org, open_round):
    settings.CXGOV_THROTTLE_PER_IP = 4
    client = Client(REMOTE_ADDR="10.1.1.1")
    codes = [client.post(reverse("assessments:new_link"), {"email": f"someone{n}@acme.test"}).status_code for n in range(6)]
    assert codes == [302, 302, 302, 302, 429, 429]
    other_client = Client(REMOTE_ADDR="10.1.1.2")
    assert other_client.post(reverse("assessments:new_link"), {"email": "someone9@acme.test"}).status_code == 302


def test_password_reset_is_throttled_per_address_without_revealing_accounts(org):  # sent in the request
    client = Client()
    codes = [client.post(reverse("accounts:password_reset"), {"email": "respondent@acme.test"}).status_code for _ in range(5)]
    assert codes == [302, 302, 302, 429, 429]
    assert len(mail.outbox) == 3
    stranger = Client(REMOTE_ADDR="10.9.9.9")
    for _ in range(3):
        stranger.post(reverse("accounts:password_reset"), {"email": "nobody@acme.test"})
    refused = stranger.post(reverse("accounts:password_reset"), {"email": "nobody@acme.test"})
    assert refused.status_code == 429 and "Too many requests" in refused.content.decode()


def test_password_reset_is_throttled_per_ip(settings, org):
    settings.CXGOV_THROTTLE_PER_IP = 2
    client = Client(REMOTE_ADDR="10.2.2.2")
    codes = [client.post(reverse("accounts:password_reset"), {"email": f"x{n}@acme.test"}).status_code for n in range(3)]
    assert codes == [302, 302, 429]


def test_a_new_link_does_not_kill_the_one_in_the_inbox(org, open_round):
    participant = open_round.participants.get(user=org.members_by_role["respondent"])
    tasks.send_participant_link(participant.pk)
    tasks.send_participant_link(participant.pk)
    assert len(mail.outbox) == 2
    first, second = _link(mail.outbox[0].body), _link(mail.outbox[1].body)
    visitor = Client()
    assert visitor.get(second).status_code == 200
    assert visitor.get(first).status_code == 200
    assert visitor.post(first).status_code == 302
    assert Client().post(first).status_code == 302  # not single use: any device, as often as needed
    assert Client().post(second).status_code == 302


def test_links_do_not_expire_with_time(settings, org, open_round):
    participant = open_round.participants.get(user=org.members_by_role["respondent"])
    day = 24 * 3600
    start = time.time()
    with mock.patch("django.core.signing.time.time", return_value=start):
        token = services.participant_new_link(participant)
    with mock.patch("django.core.signing.time.time", return_value=start + (settings.CXGOV_INVITATION_DAYS + 60) * day):
        # The round closing and the submission end a link, not the calendar.
        assert Client().get(reverse("assessments:sign_in", args=[token])).status_code == 200


@pytest.mark.parametrize("status", [RoundStatus.CLOSED, RoundStatus.PUBLISHED])
def test_links_stop_signing_in_once_the_round_is_closed(org, open_round, status):
    participant = open_round.participants.get(user=org.members_by_role["respondent"])
    token = services.participant_new_link(participant)
    open_round.status = status
    open_round.save()
    visitor = Client()
    page = visitor.get(reverse("assessments:sign_in", args=[token]))
    assert page.status_code == 410 and "This round is closed" in page.content.decode()
    assert visitor.post(reverse("assessments:sign_in", args=[token])).status_code == 410
    assert "_auth_user_id" not in visitor.session and "cxgov_link" not in visitor.session
