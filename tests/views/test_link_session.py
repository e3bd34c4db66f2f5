"""The personal link (issue #15): reusable until submission or closing, opening one questionnaire only.

A link session answers the questionnaire of the participant its link names and nothing else: the
account's other pages ask for a normal login, another round's questionnaire is not found, and once
the participant has submitted (or the round is closed) the link and its session open nothing.
"""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.models import User
from assessments import estimates, links, services, tasks
from assessments.models import Answer, Participant, RoundStatus
from organisations.models import Role
from tests.factories import MembershipFactory, OrganisationFactory
from tests.questionnaire import save_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english(org):
    # New words are checked in English: their French arrives with the lead's translation merge.
    for user in org.members_by_role.values():
        user.language = "en"
        user.save(update_fields=["language"])


def _browser(**kwargs):
    """A new browser whose language is English (the link's page is read before any session says whose it is)."""
    client = Client(**kwargs)
    client.cookies["django_language"] = "en"
    return client


def _participant(round_, user):
    return round_.participants.get(user=user)


def _open_link(participant, client=None):
    """Opens the participant's personal link in `client` (a new browser by default) and presses Start."""
    client = client or _browser()
    token = services.participant_new_link(participant)
    response = client.post(reverse("assessments:sign_in", args=[token]))
    assert response.status_code == 302
    return client, token


def _round(org, title, *emails, status=RoundStatus.OPEN, creator=None):
    creator = creator or org.members_by_role["facilitator"]
    round_ = services.round_create(organisation=org, user=creator, framework=_framework(), title=title)
    for email in emails:
        services.participant_invite(round_=round_, email=email, function="cfo")
    round_.status = status
    round_.save()
    return round_


def _framework():
    from assessments.models import Framework

    return Framework.objects.get(key="cx-governance", version="1.0")


def _answer_start(round_):
    return reverse("assessments:answer_start", args=[round_.organisation.slug, round_.pk])


# ------------------------------------------------------------------------ what the link opens


def test_the_link_answers_the_questionnaire_without_a_login(org, open_round):
    participant = _participant(open_round, org.members_by_role["respondent"])
    visitor, _token = _open_link(participant)
    assert "_auth_user_id" not in visitor.session
    start = visitor.get(_answer_start(open_round))
    assert start.status_code == 302 and start.url.startswith(_answer_start(open_round))
    assert visitor.post(save_url(open_round, "D1.1"), {"q-D1.1-level": "4"}).status_code == 200
    assert Answer.objects.get(participant=participant, question__key="D1.1").level == 4


def test_the_links_page_is_the_welcome_so_start_goes_to_the_first_question(org, open_round):
    visitor, _token = _open_link(_participant(open_round, org.members_by_role["respondent"]))
    start = visitor.get(_answer_start(open_round))
    assert start.status_code == 302
    assert start.url != reverse("assessments:answer_welcome", args=[org.slug, open_round.pk])  # shown once, not twice


def test_the_same_link_resumes_on_another_device(org, open_round):
    participant = _participant(open_round, org.members_by_role["respondent"])
    phone, token = _open_link(participant)
    phone.post(save_url(open_round, "D1.1"), {"q-D1.1-level": "2"})
    laptop = _browser()
    card = laptop.get(reverse("assessments:sign_in", args=[token])).content.decode()
    assert "Resume" in card and "1 of 50 questions answered" in card
    assert laptop.post(reverse("assessments:sign_in", args=[token])).url == _answer_start(open_round)
    assert laptop.post(save_url(open_round, "D1.2"), {"q-D1.2-level": "3"}).status_code == 200
    assert phone.post(save_url(open_round, "D1.3"), {"q-D1.3-level": "5"}).status_code == 200  # both stay open
    assert Answer.objects.filter(participant=participant).count() == 3


def test_the_link_session_cannot_open_the_rest_of_the_account(org, open_round):
    facilitator = org.members_by_role["facilitator"]
    other = OrganisationFactory(name="Other Corp", slug="other-corp")
    MembershipFactory(organisation=other, user=facilitator, role=Role.FACILITATOR)
    visitor, _token = _open_link(_participant(open_round, facilitator))
    participant_id = _participant(open_round, org.members_by_role["respondent"]).pk
    account_pages = [
        reverse("accounts:profile"),
        reverse("accounts:password_change"),
        reverse("accounts:password_set"),
        reverse("workspace:home"),
        reverse("workspace:detail", args=[other.slug]),
        reverse("workspace:detail", args=[org.slug]),
        reverse("organisations:members", args=[org.slug]),
        reverse("assessments:round", args=[org.slug, open_round.pk]),
        reverse("assessments:round_edit", args=[org.slug, open_round.pk]),
        reverse("assessments:participant_answers", args=[org.slug, open_round.pk, participant_id]),
        reverse("assessments:results", args=[org.slug, open_round.pk]),
    ]
    for url in account_pages:
        response = visitor.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login")), url
        page = visitor.get(url, follow=True).content.decode()
        assert "Other Corp" not in page and "Round 1" not in page and facilitator.email not in page, url
    # Facilitator actions are refused too: nothing is changed.
    refused = visitor.post(reverse("assessments:round_transition", args=[org.slug, open_round.pk]), {"to": "closed"})
    assert refused.status_code == 302 and refused.url.startswith(reverse("accounts:login"))
    open_round.refresh_from_db()
    assert open_round.status == RoundStatus.OPEN
    # The questionnaire's own pages name no other organisation of the account (no organisation menu).
    page = visitor.get(_answer_start(open_round), follow=True)
    assert page.status_code == 200
    assert "Other Corp" not in page.content.decode()


def test_another_rounds_questionnaire_is_not_found_with_the_link_session(org, open_round):
    respondent = org.members_by_role["respondent"]
    round_b = _round(org, "Round B", respondent.email)
    visitor, _token = _open_link(_participant(open_round, respondent))
    assert visitor.get(_answer_start(round_b)).status_code == 404  # their own, but not this link's
    assert visitor.post(save_url(round_b, "D1.1"), {"q-D1.1-level": "3"}).status_code == 404
    assert not Answer.objects.filter(participant__round=round_b).exists()
    assert visitor.get(_answer_start(open_round)).status_code == 302  # this link's still answers


def test_the_link_of_round_b_opens_nothing_of_round_a(org, open_round):
    respondent = org.members_by_role["respondent"]
    round_b = _round(org, "Round B", respondent.email)
    visitor, _token = _open_link(_participant(round_b, respondent))
    for url in (_answer_start(open_round), reverse("assessments:answer_page", args=[org.slug, open_round.pk, "D1"])):
        assert visitor.get(url).status_code == 404
    assert visitor.post(save_url(open_round, "D1.1"), {"q-D1.1-level": "3"}).status_code == 404
    assert not Answer.objects.filter(participant__round=open_round).exists()


def test_another_participants_questionnaire_is_not_found_with_the_link_session(org, open_round, outsider):
    other_round = _round(outsider.memberships.get().organisation, "Other round", outsider.email, creator=outsider)
    visitor, _token = _open_link(_participant(open_round, org.members_by_role["respondent"]))
    assert visitor.get(_answer_start(other_round)).status_code == 404
    assert visitor.post(save_url(other_round, "D1.1"), {"q-D1.1-level": "3"}).status_code == 404
    assert not Answer.objects.filter(participant__round=other_round).exists()


def test_a_password_login_in_the_same_browser_wins(org, open_round):
    respondent = org.members_by_role["respondent"]
    visitor, _token = _open_link(_participant(open_round, respondent))
    visitor.post(reverse("accounts:login"), {"username": respondent.email, "password": "pass-1234-word"})
    assert visitor.get(reverse("accounts:profile")).status_code == 200
    assert links.SESSION_KEY not in visitor.session


def test_a_link_replaces_someone_elses_session_in_that_browser(org, open_round, client_for):
    browser = client_for(org.members_by_role["sponsor"])
    _open_link(_participant(open_round, org.members_by_role["respondent"]), browser)
    assert "_auth_user_id" not in browser.session
    assert browser.get(reverse("accounts:profile")).status_code == 302


def test_revoking_the_links_ends_their_sessions(org, open_round):
    participant = _participant(open_round, org.members_by_role["respondent"])
    visitor, token = _open_link(participant)
    Participant.objects.filter(pk=participant.pk).update(nonce="f" * 32)
    assert visitor.get(_answer_start(open_round)).url.startswith(reverse("accounts:login"))
    assert _browser().get(reverse("assessments:sign_in", args=[token])).status_code == 410


def test_a_withdrawn_participants_link_opens_nothing(org, open_round):
    participant = _participant(open_round, org.members_by_role["respondent"])
    visitor, token = _open_link(participant)
    services.participant_withdraw(participant=participant)
    assert visitor.get(_answer_start(open_round)).url.startswith(reverse("accounts:login"))
    assert _browser().get(reverse("assessments:sign_in", args=[token])).status_code == 400


# ------------------------------------------------------------------------ once it is over


def test_after_submission_the_link_and_its_session_open_nothing(org, open_round):
    participant = _participant(open_round, org.members_by_role["respondent"])
    visitor, token = _open_link(participant)
    visitor.post(save_url(open_round, "D1.1"), {"q-D1.1-level": "3"})
    submitted = visitor.post(reverse("assessments:answer_submit", args=[org.slug, open_round.pk]), follow=True)
    page = submitted.content.decode()
    assert submitted.status_code == 200 and "Your answers are submitted. Thank you!" in page
    assert "You can still change them" not in page  # meant for a password session, not this one
    assert links.SESSION_KEY not in visitor.session
    assert visitor.get(_answer_start(open_round)).url.startswith(reverse("accounts:login"))
    for browser in (visitor, _browser()):
        for method in ("get", "post"):
            response = getattr(browser, method)(reverse("assessments:sign_in", args=[token]))
            content = response.content.decode()
            assert response.status_code == 200 and "Your answers are submitted. Thank you!" in content
            assert _answer_start(open_round) not in content and "Resume" not in content and "Start" not in content
    assert links.SESSION_KEY not in visitor.session
    assert Answer.objects.get(participant=participant, question__key="D1.1").level == 3


@pytest.mark.parametrize("status", [RoundStatus.CLOSED, RoundStatus.PUBLISHED])
def test_after_closing_the_link_and_its_session_open_nothing(org, open_round, status):
    participant = _participant(open_round, org.members_by_role["respondent"])
    visitor, token = _open_link(participant)
    open_round.status = status
    open_round.save()
    closed = visitor.get(reverse("assessments:answer_page", args=[org.slug, open_round.pk, "D1"]))
    assert closed.status_code == 410 and "This round is closed" in closed.content.decode()
    assert visitor.post(save_url(open_round, "D1.1"), {"q-D1.1-level": "3"}).url.startswith(reverse("accounts:login"))
    assert not Answer.objects.filter(participant=participant).exists()
    link = _browser().post(reverse("assessments:sign_in", args=[token]))
    assert link.status_code == 410 and "This round is closed" in link.content.decode()
    assert _answer_start(open_round) not in link.content.decode()


# ------------------------------------------------------------------------ asking for a new link


def test_a_new_link_is_throttled_per_participant(settings, org, open_round, django_capture_on_commit_callbacks):
    settings.CXGOV_THROTTLE_PER_ADDRESS = settings.CXGOV_THROTTLE_PER_IP = 1000
    participant = _participant(open_round, org.members_by_role["respondent"])

    def ask(address="respondent@acme.test", ip="10.3.3.3"):
        with django_capture_on_commit_callbacks(execute=True):
            response = _browser(REMOTE_ADDR=ip).post(reverse("assessments:new_link"), {"email": address}, follow=True)
        assert response.status_code == 200
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())

    first = ask()
    assert len(mail.outbox) == 1
    again = ask(address="RESPONDENT@acme.test", ip="10.4.4.4")  # within 5 minutes, from anywhere
    assert len(mail.outbox) == 1 and again == first  # refused without a word
    for _ in range(10):
        cache.delete(f"new-link:gap:{participant.pk}")  # five minutes later…
        ask()
    assert len(mail.outbox) == links.NEW_LINKS_PER_DAY  # … but never more than five a day
    assert ask(address="nobody@acme.test") == first  # an unknown address reads the same


def test_a_submitted_participant_gets_no_new_link(org, open_round, django_capture_on_commit_callbacks):
    Participant.objects.filter(round=open_round, user=org.members_by_role["respondent"]).update(
        submitted_at=open_round.created_at
    )
    with django_capture_on_commit_callbacks(execute=True):
        _browser().post(reverse("assessments:new_link"), {"email": "respondent@acme.test"})
    assert mail.outbox == []


# ------------------------------------------------------------------------ the respondent's home and the figure


def _cards(response):
    """The questionnaire cards of the home page (the organisations table below lists rounds too)."""
    assert response.status_code == 200
    found = re.search(r'<section class="cx-questionnaires.*?</section>', response.content.decode(), re.S)
    return found.group(0) if found else ""


def test_the_home_shows_one_card_per_open_questionnaire(org, open_round, client_for):
    respondent = org.members_by_role["respondent"]
    _round(org, "Draft round", respondent.email, status=RoundStatus.DRAFT)
    _round(org, "Closed round", respondent.email, status=RoundStatus.CLOSED)
    client = client_for(respondent)
    minutes = estimates.questionnaire_minutes(open_round.framework)
    home = _cards(client.get(reverse("workspace:home")))
    assert home.count('class="card cx-questionnaire-card') == 1
    assert "Round 1" in home and "Acme Retail" in home and "Draft round" not in home and "Closed round" not in home
    assert f"About {minutes} minutes" in home and "0 of 50 questions answered" in home
    assert f'href="{_answer_start(open_round)}">Start' in home

    client.post(save_url(open_round, "D1.1"), {"q-D1.1-level": "3"})
    home = _cards(client.get(reverse("workspace:home")))
    left = estimates.participant_minutes_left(_participant(open_round, respondent))
    assert f'href="{_answer_start(open_round)}">Resume' in home
    assert f"About {left} minutes left" in home and "1 of 50 questions answered" in home

    Participant.objects.filter(round=open_round, user=respondent).update(submitted_at=open_round.created_at)
    home = _cards(client.get(reverse("workspace:home")))
    assert "Your answers are submitted. Thank you!" in home and _answer_start(open_round) not in home


def test_the_home_of_someone_with_nothing_to_answer_shows_no_card(org, open_round, client_for):
    home = client_for(org.members_by_role["viewer"]).get(reverse("workspace:home")).content.decode()
    assert "cx-questionnaire-card" not in home


def test_one_figure_in_the_invitation_the_reminder_the_card_and_the_welcome(org, open_round):
    participant = _participant(open_round, org.members_by_role["respondent"])
    minutes = estimates.questionnaire_minutes(open_round.framework)
    assert 30 <= minutes <= 60  # about 8,000 words of descriptions: not "25 minutes"
    tasks.send_participant_link(participant.pk)
    invitation = mail.outbox[-1].body
    assert f"about {minutes} minutes" in invitation and "25 minutes" not in invitation
    assert "until you submit your answers or the round closes" in invitation
    link = re.search(r"http://[^\s]+/r/[^\s]+/", invitation).group(0).replace("http://127.0.0.1:8000", "")
    assert f"About {minutes} minutes" in _browser().get(link).content.decode()
    Answer.objects.create(participant=participant, question=open_round.framework.questions.get(key="D1.1"), level=3)
    Answer.objects.bulk_create(
        Answer(participant=participant, question=q, level=2) for q in open_round.framework.questions.exclude(key="D1.1")[:30]
    )
    left = estimates.participant_minutes_left(participant)
    assert 0 < left < minutes
    tasks.send_participant_link(participant.pk, reminder=True)
    assert f"About {left} minutes are left, out of about {minutes}." in mail.outbox[-1].body
    assert f"About {left} minutes left" in _browser().get(link).content.decode()


def test_a_participant_without_a_password_chooses_one_by_e_mail(org, open_round):
    # The link never signs in: the rest of the account needs a password, which the reset e-mail sets.
    services.participant_invite(round_=open_round, email="new.exec@acme.test", function="cmo")
    user = User.objects.get(email="new.exec@acme.test")
    assert not user.has_usable_password()
    mail.outbox.clear()
    browser = _browser()
    browser.post(reverse("accounts:password_reset"), {"email": "New.Exec@acme.test"})
    assert [m.to for m in mail.outbox] == [["new.exec@acme.test"]]
    reset = re.search(r"http://[^\s]+/accounts/password/reset/[^\s]+/", mail.outbox[0].body).group(0)
    form = browser.get(reset.replace("http://testserver", "").replace("http://127.0.0.1:8000", ""), follow=True)
    browser.post(form.redirect_chain[-1][0], {"new_password1": "Tr3s-s3cret-pass", "new_password2": "Tr3s-s3cret-pass"})
    user.refresh_from_db()
    assert user.check_password("Tr3s-s3cret-pass")
    User.objects.filter(pk=user.pk).update(is_active=False)
    mail.outbox.clear()
    _browser().post(reverse("accounts:password_reset"), {"email": "new.exec@acme.test"})
    assert mail.outbox == []  # an inactive (erased) account gets nothing


def test_the_link_session_header_names_the_person_without_a_way_into_the_account(org, open_round):
    """The header shows who is answering, but no profile link: the link session could not open it."""
    respondent = org.members_by_role["respondent"]
    visitor, _token = _open_link(_participant(open_round, respondent))
    page = visitor.get(reverse("assessments:answer_question", args=[org.slug, open_round.pk, "D1.1"])).content.decode()
    assert respondent.display_name in page
    assert reverse("accounts:profile") not in page
