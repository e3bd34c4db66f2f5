"""Round flows on the real database: lifecycle, invitations and sign-in links, autosave, closing, reminders."""

import re
import threading
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from assessments import answer_flow, services, tasks
from assessments.models import Answer, Participant, Round, RoundStatus
from organisations.models import Membership
from tests.questionnaire import page_url, save_url

pytestmark = pytest.mark.django_db


def my_answer(org, round_, key, role="respondent"):
    return Answer.objects.filter(
        participant__round=round_, participant__user=org.members_by_role[role], question__key=key
    ).first()


# ------------------------------------------------------------------------ lifecycle


def test_lifecycle_and_reopen_unpublishes(org, open_round):
    from roadmaps.models import RaciCell
    from tests.conftest import publish

    services.round_transition(round_=open_round, to="closed")
    RaciCell.objects.filter(round=open_round).delete()  # closing proposed a valid to-be RACI: empty it
    with pytest.raises(services.PublishBlocked) as blocked:  # a registered check (roadmaps') refuses
        services.round_transition(round_=open_round, to="published")
    assert len(blocked.value.messages) == 1 and "RACI" in blocked.value.messages[0]
    publish(open_round)
    open_round.refresh_from_db()
    assert open_round.published_at is not None
    services.round_transition(round_=open_round, to="open")
    open_round.refresh_from_db()
    assert open_round.status == "open" and open_round.published_at is None
    with pytest.raises(services.TransitionError):
        services.round_transition(round_=open_round, to="published")


def test_new_round_from_previous_keeps_participants_and_functions(org, open_round, framework):
    withdrawn = open_round.participants.get(user=org.members_by_role["sponsor"])
    services.participant_withdraw(participant=withdrawn)
    new = services.round_create(
        organisation=org, user=org.members_by_role["facilitator"], framework=framework, title="Round 2", previous=open_round
    )
    assert sorted(new.participants.values_list("user__email", "function")) == [
        ("facilitator@acme.test", "cxo"),
        ("respondent@acme.test", "cfo"),
    ]


# -------------------------------------------------------------- invitations and links


def _link(body):
    return re.search(r"http://[^\s]+/r/[^\s]+/", body).group(0).replace("http://127.0.0.1:8000", "")


def test_invited_person_answers_from_the_link_on_any_device(org, framework, client_for, django_capture_on_commit_callbacks):
    facilitator = client_for(org.members_by_role["facilitator"])
    round_ = services.round_create(organisation=org, user=org.members_by_role["facilitator"], framework=framework, title="Pulse")
    # Enrolled by the trusted service (seed, import): the page invites non-members instead (test_enrolment_consent.py).
    services.participant_invite(round_=round_, email="New.Exec@Acme.test", function="cmo")
    user = User.objects.get(email="new.exec@acme.test")
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user, organisation=org).role == "respondent"
    assert mail.outbox == []  # a draft sends nothing
    with django_capture_on_commit_callbacks(execute=True):
        facilitator.post(reverse("assessments:round_transition", args=[org.slug, round_.pk]), {"to": "open"})
    assert [m.to for m in mail.outbox] == [["new.exec@acme.test"]]
    link = _link(mail.outbox[0].body)
    questionnaire = reverse("assessments:answer_start", args=[org.slug, round_.pk])
    visitor = Client()
    landing = visitor.get(link)
    assert landing.status_code == 200 and "Avis de confidentialité".encode() in landing.content
    opened = visitor.post(link)
    # Straight to the questionnaire: no password to choose first, and no login either.
    assert opened.status_code == 302 and opened.url == questionnaire
    assert "_auth_user_id" not in visitor.session
    again = Client().post(link)  # the same link on another device
    assert again.status_code == 302 and again.url == questionnaire


def test_replaced_link_and_new_link_request(org, open_round, client_for):
    cache.clear()  # the new-link throttles count in the cache
    participant = open_round.participants.get(user=org.members_by_role["respondent"])
    token = services.participant_new_link(participant)
    Participant.objects.filter(pk=participant.pk).update(nonce="0" * 32)  # its links revoked
    replaced = Client().get(reverse("assessments:sign_in", args=[token]))
    assert replaced.status_code == 410 and reverse("assessments:new_link").encode() in replaced.content
    anonymous = Client()
    response = anonymous.post(reverse("assessments:new_link"), {"email": "respondent@acme.test"})
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["respondent@acme.test"]
    unknown = anonymous.post(reverse("assessments:new_link"), {"email": "nobody@acme.test"}, follow=True)
    assert len(mail.outbox) == 1  # nothing sent, and the page says the same thing
    assert unknown.status_code == 200


def test_tampered_link_is_refused(org, open_round):
    participant = open_round.participants.get(user=org.members_by_role["respondent"])
    token = services.participant_new_link(participant)
    assert Client().get(reverse("assessments:sign_in", args=[token[:-3] + "abc"])).status_code == 400


# ---------------------------------------------------------------------------- answers


def test_autosave_accepts_levels_and_dont_know_only(org, open_round, respondent):
    for value, expected in (("4", 4), ("dk", None), ("1", 1)):
        assert respondent.post(save_url(open_round, "D1.1"), {"q-D1.1-level": value}).status_code == 200
        assert my_answer(org, open_round, "D1.1").level == expected
    for bad in ("0", "6", "3.5", "abc", "-1"):
        response = respondent.post(save_url(open_round, "D1.1"), {"q-D1.1-level": bad})
        assert response.status_code == 422
    assert my_answer(org, open_round, "D1.1").level == 1
    assert Answer.objects.filter(participant__round=open_round).count() == 1


def test_autosave_writes_only_the_field_sent(org, open_round, respondent):
    respondent.post(save_url(open_round, "D1.2"), {"q-D1.2-level": "2"})
    respondent.post(save_url(open_round, "D1.2"), {"q-D1.2-comment": "Typed in tab A"})
    respondent.post(save_url(open_round, "D1.2"), {"q-D1.2-level": "3"})  # a stale tab B saves its level
    answer = my_answer(org, open_round, "D1.2")
    assert (answer.level, answer.comment) == (3, "Typed in tab A")


def test_comment_and_link_validation(org, open_round, respondent):
    # A comment before any level is kept (as a note, counted nowhere), not refused: see test_answer_notes.py.
    assert respondent.post(save_url(open_round, "D1.3"), {"q-D1.3-comment": "before any level"}).status_code == 200
    respondent.post(save_url(open_round, "D1.3"), {"q-D1.3-level": "2"})
    too_long = respondent.post(save_url(open_round, "D1.3"), {"q-D1.3-comment": "x" * 2001})
    assert too_long.status_code == 422 and b"2001" in too_long.content
    for url in ("javascript:alert(1)", "file:///etc/passwd", "ftp://host/x", "not a url"):
        assert respondent.post(save_url(open_round, "D1.3"), {"q-D1.3-evidence": url}).status_code == 422
    assert respondent.post(save_url(open_round, "D1.3"), {"q-D1.3-evidence": "https://intranet.acme.test/nps"}).status_code == 200
    assert my_answer(org, open_round, "D1.3").evidence_url == "https://intranet.acme.test/nps"


def test_plain_submit_saves_the_page_and_keeps_typed_values_on_error(org, open_round, respondent):
    data = {f"q-D2.{i}-level": str(i) for i in range(1, 6)}
    data["q-D2.1-comment"] = "Un comentaire <b>gras</b>"
    data["q-D2.2-evidence"] = "javascript:alert(1)"
    response = respondent.post(page_url(open_round, "D2"), data)
    assert response.status_code == 400
    content = response.content.decode()
    assert "javascript:alert(1)" in content  # what was typed is shown back, not lost
    assert "&lt;b&gt;gras&lt;/b&gt;" in content
    assert my_answer(org, open_round, "D2.2") is None
    assert my_answer(org, open_round, "D2.1").level == 1  # valid questions of the page were saved
    data["q-D2.2-evidence"] = "https://ok.example/doc"
    ok = respondent.post(page_url(open_round, "D2"), data)
    assert ok.status_code == 302 and ok.url == page_url(open_round, "D3")


def test_resume_goes_to_the_first_incomplete_page(org, open_round, respondent):
    # A respondent who chose to answer a dimension per page, past the welcome (tests/views/test_answer_flow.py).
    respondent.cookies[answer_flow.MODE_COOKIE] = answer_flow.PAGE_MODE
    respondent.get(reverse("assessments:answer_welcome", args=[org.slug, open_round.pk]))
    start = reverse("assessments:answer_start", args=[org.slug, open_round.pk])
    assert respondent.get(start).url == page_url(open_round, "D1")
    keys = open_round.framework.questions.filter(dimension__key__in=["D1", "D2"]).values_list("key", flat=True)
    for key in keys:
        respondent.post(save_url(open_round, key), {f"q-{key}-level": "3"})
    assert respondent.get(start).url == page_url(open_round, "D3")
    page = respondent.get(page_url(open_round, "D1")).content.decode()
    assert page.count(" checked") == len([k for k in keys if k.startswith("D1.")])
    assert 'aria-valuenow="10"' in page


def test_closed_round_refuses_writes_and_shows_what_was_typed(org, open_round, respondent):
    respondent.post(save_url(open_round, "D1.1"), {"q-D1.1-level": "2"})
    services.round_transition(round_=open_round, to="closed")
    refused = respondent.post(save_url(open_round, "D1.1"), {"q-D1.1-level": "5", "q-D1.1-comment": "Mon avis tardif"})
    assert refused.status_code == 409
    assert "clôturée".encode() in refused.content
    page = respondent.post(page_url(open_round, "D1"), {"q-D1.1-level": "5", "q-D1.1-comment": "Mon avis tardif"})
    assert page.status_code == 409
    assert "Mon avis tardif" in page.content.decode()
    assert my_answer(org, open_round, "D1.1").level == 2
    submit = respondent.post(reverse("assessments:answer_submit", args=[org.slug, open_round.pk]))
    assert submit.status_code == 302
    assert open_round.participants.get(user=org.members_by_role["respondent"]).submitted_at is None


def test_withdrawn_participant_cannot_answer(org, open_round, respondent):
    services.participant_withdraw(participant=open_round.participants.get(user=org.members_by_role["respondent"]))
    assert respondent.post(save_url(open_round, "D1.1"), {"q-D1.1-level": "2"}).status_code == 404


def test_governance_page_saves_raci_and_context(org, open_round, respondent):
    url = page_url(open_round, "governance")
    response = respondent.post(
        url, {"raci-cx_strategy": "ceo", "raci-cx_budget": "nobody", "raci-cx_metrics": "hacker", "ctx-cxo_exists": "no"}
    )
    # The refused choice comes back next to its field, as sent; the valid ones are saved, as on a dimension page.
    assert response.status_code == 400
    status = response.content.decode().split('id="raci-cx_metrics-status"')[1].split("</p>")[0]
    assert "des options proposées" in status or "Choose one of the options" in status
    assert '<option value="hacker" selected>hacker</option>' in response.content.decode()
    participant = open_round.participants.get(user=org.members_by_role["respondent"])
    assert dict(participant.raci_answers.values_list("activity__key", "choice")) == {"cx_strategy": "ceo", "cx_budget": "nobody"}
    assert dict(participant.context_answers.values_list("question__key", "choice")) == {"cxo_exists": "no"}
    # Left empty, a choice is no answer: the page is saved and goes on.
    response = respondent.post(url, {"raci-cx_strategy": "cmo", "raci-cx_metrics": "", "ctx-cxo_exists": "yes"})
    assert response.status_code == 302
    assert dict(participant.raci_answers.values_list("activity__key", "choice")) == {"cx_strategy": "cmo", "cx_budget": "nobody"}
    assert dict(participant.context_answers.values_list("question__key", "choice")) == {"cxo_exists": "yes"}


def test_submit_notifies_the_facilitator_once_when_everyone_has_submitted(
    org, open_round, client_for, django_capture_on_commit_callbacks
):
    for role in ("facilitator", "sponsor", "respondent"):
        with django_capture_on_commit_callbacks(execute=True):
            client_for(org.members_by_role[role]).post(reverse("assessments:answer_submit", args=[org.slug, open_round.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        client_for(org.members_by_role["respondent"]).post(reverse("assessments:answer_submit", args=[org.slug, open_round.pk]))
    notices = [m for m in mail.outbox if "Tout le monde" in m.subject or "Everyone" in m.subject]
    assert len(notices) == 1 and notices[0].to == ["facilitator@acme.test"]


def test_comments_are_escaped_on_the_facilitator_page(org, open_round, respondent, client_for):
    respondent.post(save_url(open_round, "D1.1"), {"q-D1.1-level": "2"})
    respondent.post(save_url(open_round, "D1.1"), {"q-D1.1-comment": "<script>alert('x')</script>"})
    participant = open_round.participants.get(user=org.members_by_role["respondent"])
    page = client_for(org.members_by_role["facilitator"]).get(
        reverse("assessments:participant_answers", args=[org.slug, open_round.pk, participant.pk])
    )
    assert b"<script>alert" not in page.content and b"&lt;script&gt;" in page.content


# -------------------------------------------------------------------------- reminders


def test_reminders_before_the_due_date_in_each_language(org, open_round):
    org.members_by_role["respondent"].language = "en"
    org.members_by_role["respondent"].save()
    Round.objects.filter(pk=open_round.pk).update(due_date=timezone.localdate() + timedelta(days=2))
    Participant.objects.filter(round=open_round, user=org.members_by_role["sponsor"]).update(submitted_at=timezone.now())
    assert tasks.send_due_reminders() == 2
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert set(subjects) == {"facilitator@acme.test", "respondent@acme.test"}
    assert subjects["respondent@acme.test"].startswith("Reminder")
    assert subjects["facilitator@acme.test"].startswith("Rappel")
    assert tasks.send_due_reminders() == 0  # not twice the same day


def test_no_reminder_far_from_the_due_date(org, open_round):
    Round.objects.filter(pk=open_round.pk).update(due_date=date.today() + timedelta(days=20))
    assert tasks.send_due_reminders() == 0


# ------------------------------------------------------------------------ concurrency


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_from_two_tabs_never_duplicate(org, open_round, framework):
    """Many simultaneous autosaves of the same question: one row, holding one of the values sent."""
    if connection.vendor != "postgresql":
        from tests.conftest import require_service

        require_service("PostgreSQL (DATABASE_URL)", False)
    user = org.members_by_role["respondent"]
    clients = []
    for _ in range(8):
        c = Client()
        c.force_login(user)
        clients.append(c)
    barrier = threading.Barrier(len(clients))
    statuses = []

    def save(c, level):
        barrier.wait()
        statuses.append(c.post(save_url(open_round, "D5.1"), {"q-D5.1-level": str(level)}).status_code)
        connection.close()

    threads = [threading.Thread(target=save, args=(c, 1 + i % 5)) for i, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [200] * len(clients)
    rows = Answer.objects.filter(participant__round=open_round, participant__user=user, question__key="D5.1")
    assert rows.count() == 1 and rows.get().level in {1, 2, 3, 4, 5}
    assert Round.objects.get(pk=open_round.pk).status == RoundStatus.OPEN
