"""Issue #13: destructive actions ask first (naming what changes, with counts) and the main ones can be undone.

For each action: without ``confirm=1`` nothing changes and the page names the right counts; with it,
the action happens; where an undo is offered, it restores exactly what was there, and another
organisation's member cannot use it (404).
"""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import services as round_services
from assessments.models import Answer, Participant, RaciAnswer
from measurement.models import Measurement
from organisations import undo
from organisations.models import Membership
from roadmaps import services
from roadmaps.models import RaciCell, Roadmap, RoadmapItem

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="token" value="([^"]+)"')


@pytest.fixture
def en(org, outsider):
    """Everyone reads English: assertions do not depend on the French catalogue being merged."""
    for user in [*org.members_by_role.values(), outsider]:
        user.language = "en"
        user.save(update_fields=["language"])
    return org


def _answer(round_, framework, role, org, count):
    participant = round_.participants.get(user=org.members_by_role[role])
    Answer.objects.bulk_create(Answer(participant=participant, question=q, level=3) for q in framework.questions.all()[:count])
    return participant


@pytest.fixture
def closed_round(open_round, framework, org):
    for role in ("facilitator", "sponsor", "respondent"):
        _answer(open_round, framework, role, org, 50)
    round_services.round_transition(round_=open_round, to="closed")
    open_round.refresh_from_db()
    services.roadmap_ensure(round_=open_round)
    return open_round


def _text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def _items(round_):
    return sorted(RoadmapItem.objects.filter(round=round_).values_list())


def _undo_token(client, response):
    """Follows the action's redirect and reads the Undo button of its success message."""
    page = client.get(response["Location"])
    match = TOKEN.search(page.content.decode())
    assert match, "the success message carries an Undo button"
    assert reverse("organisations:undo", args=["acme"]) in page.content.decode()
    return match.group(1)


# --------------------------------------------------------------------------- roadmap and RACI


def test_regenerate_asks_with_counts_and_changes_nothing(en, closed_round, client_for):
    generated = list(RoadmapItem.objects.filter(round=closed_round).order_by("position"))
    services.roadmap_item_lock(item=generated[0], locked=True)
    services.roadmap_item_set_status(item=generated[1], status="in_progress")
    services.roadmap_item_add(round_=closed_round, title_fr="Former les managers", start_month=2, duration_months=2)
    before, generated_at = _items(closed_round), Roadmap.objects.get(round=closed_round).generated_at
    replaced = RoadmapItem.objects.filter(round=closed_round, locked=False, custom=False).count()
    client = client_for(en.members_by_role["facilitator"])
    response = client.post(reverse("roadmaps:roadmap_regenerate", args=[en.slug, closed_round.pk]))
    assert response.status_code == 200
    text = _text(response)
    assert f"Regenerating the roadmap replaces {replaced} generated initiatives." in text
    assert "1 locked initiative, in its place." in text and "1 custom initiative, in its place." in text
    assert "1 of them has a status other than “Planned”: it is kept only if it is generated again." in text
    assert 'name="confirm" value="1"' in response.content.decode()
    assert _items(closed_round) == before
    assert Roadmap.objects.get(round=closed_round).generated_at == generated_at


def test_regenerate_confirmed_then_undone_restores_every_initiative(en, closed_round, client_for):
    Roadmap.objects.filter(round=closed_round).update(capacity=2)  # the next regeneration plans differently
    item = RoadmapItem.objects.filter(round=closed_round).order_by("position").first()
    services.roadmap_item_set_status(item=item, status="in_progress")
    before = _items(closed_round)
    generated_at = Roadmap.objects.get(round=closed_round).generated_at
    client = client_for(en.members_by_role["facilitator"])
    response = client.post(reverse("roadmaps:roadmap_regenerate", args=[en.slug, closed_round.pk]), {"confirm": "1"})
    assert response.status_code == 302
    assert _items(closed_round) != before
    token = _undo_token(client, response)
    response = client.post(reverse("organisations:undo", args=[en.slug]), {"token": token})
    assert response.status_code == 302
    assert _items(closed_round) == before  # same ids, places, statuses, owners, timestamps
    assert Roadmap.objects.get(round=closed_round).generated_at == generated_at
    assert "The roadmap is back as it was before the regeneration." in _text(client.get(response["Location"]))


def test_remove_initiative_asks_then_undo_restores_it_exactly(en, closed_round, client_for):
    item = RoadmapItem.objects.filter(round=closed_round).order_by("position").first()
    services.roadmap_item_set_status(item=item, status="in_progress")
    row = RoadmapItem.objects.filter(pk=item.pk).values().get()
    url = reverse("roadmaps:item_remove", args=[en.slug, closed_round.pk, item.pk])
    client = client_for(en.members_by_role["facilitator"])
    response = client.post(url)
    assert response.status_code == 200
    text = _text(response)
    assert f"“{item.title_en}” leaves the roadmap, with its dates, its owner and its status (In progress)." in text
    assert RoadmapItem.objects.filter(pk=item.pk).exists()
    response = client.post(url, {"confirm": "1"})
    assert response.status_code == 302 and not RoadmapItem.objects.filter(pk=item.pk).exists()
    token = _undo_token(client, response)
    assert client.post(reverse("organisations:undo", args=[en.slug]), {"token": token}).status_code == 302
    assert RoadmapItem.objects.filter(pk=item.pk).values().get() == row
    # Used once: a second undo with the same token finds nothing.
    assert client.post(reverse("organisations:undo", args=[en.slug]), {"token": token}).status_code == 404
    # The audit log says it in words, not with the page's URL name.
    log = _text(client.get(reverse("organisations:audit_log", args=[en.slug])))
    assert "Action undone" in log and "organisations:undo" not in log


def test_undo_of_another_organisation_is_404(en, closed_round, outsider, client_for):
    item = RoadmapItem.objects.filter(round=closed_round).order_by("position").first()
    client = client_for(en.members_by_role["facilitator"])
    response = client.post(reverse("roadmaps:item_remove", args=[en.slug, closed_round.pk, item.pk]), {"confirm": "1"})
    token = _undo_token(client, response)
    stranger = client_for(outsider)
    assert stranger.post(reverse("organisations:undo", args=[en.slug]), {"token": token}).status_code == 404
    assert stranger.post(reverse("organisations:undo", args=["other-corp"]), {"token": token}).status_code == 404
    # Another member of the same organisation has another session: the offer is not theirs either.
    sponsor = client_for(en.members_by_role["sponsor"])
    assert sponsor.post(reverse("organisations:undo", args=[en.slug]), {"token": token}).status_code == 404
    assert not RoadmapItem.objects.filter(pk=item.pk).exists()


def test_undo_after_the_delay_restores_nothing(en, closed_round, client_for, monkeypatch):
    item = RoadmapItem.objects.filter(round=closed_round).order_by("position").first()
    client = client_for(en.members_by_role["facilitator"])
    response = client.post(reverse("roadmaps:item_remove", args=[en.slug, closed_round.pk, item.pk]), {"confirm": "1"})
    token = _undo_token(client, response)
    later = undo.time.time() + undo.LIFETIME + 1
    monkeypatch.setattr(undo.time, "time", lambda: later)
    response = client.post(reverse("organisations:undo", args=[en.slug]), {"token": token})
    assert response.status_code == 302
    assert "Too late to undo" in _text(client.get(response["Location"]))
    assert not RoadmapItem.objects.filter(pk=item.pk).exists()


def test_undo_of_a_removed_initiative_generated_again_is_refused(en, closed_round, client_for):
    item = RoadmapItem.objects.filter(round=closed_round, custom=False).order_by("position").first()
    client = client_for(en.members_by_role["facilitator"])
    response = client.post(reverse("roadmaps:item_remove", args=[en.slug, closed_round.pk, item.pk]), {"confirm": "1"})
    token = _undo_token(client, response)
    services.roadmap_generate(round_=closed_round)  # the same key comes back with a new id
    response = client.post(reverse("organisations:undo", args=[en.slug]), {"token": token})
    assert "This can no longer be undone" in _text(client.get(response["Location"]))
    assert RoadmapItem.objects.filter(round=closed_round, key=item.key).count() == 1


def _cells(round_):
    return sorted(RaciCell.objects.filter(round=round_).values_list())


def test_replace_raci_asks_with_counts_then_undo_restores_the_grid(en, closed_round, client_for):
    services.raci_set_cells(round_=closed_round, changes={("cx_budget", "ceo"): "I", ("cx_budget", "cio"): "C"})
    cells, owners = _cells(closed_round), sorted(RoadmapItem.objects.filter(round=closed_round).values_list("pk", "owner_role"))
    hand = RaciCell.objects.filter(round=closed_round, proposed=False).count()
    following = RoadmapItem.objects.filter(round=closed_round, owner_overridden=False).exclude(activity="").count()
    url = reverse("roadmaps:raci_propose", args=[en.slug, closed_round.pk])
    client = client_for(en.members_by_role["facilitator"])
    response = client.post(url)
    assert response.status_code == 200
    text = _text(response)
    assert f"changes 2 of its cells ({len(cells)} filled today)" in text
    assert f"{hand} letters set by hand are overwritten." in text and hand == 2
    assert f"The owners of {following} initiatives follow the new RACI" in text
    assert _cells(closed_round) == cells
    response = client.post(url, {"confirm": "1"})
    assert response.status_code == 302 and _cells(closed_round) != cells
    token = _undo_token(client, response)
    client.post(reverse("organisations:undo", args=[en.slug]), {"token": token})
    assert _cells(closed_round) == cells
    assert sorted(RoadmapItem.objects.filter(round=closed_round).values_list("pk", "owner_role")) == owners


# --------------------------------------------------------------------------- rounds and participants


def test_back_to_draft_asks_with_counts(en, open_round, framework, client_for):
    _answer(open_round, framework, "respondent", en, 7)
    _answer(open_round, framework, "sponsor", en, 5)
    url = reverse("assessments:round_transition", args=[en.slug, open_round.pk])
    client = client_for(en.members_by_role["facilitator"])
    response = client.post(url, {"to": "draft"})
    assert response.status_code == 200
    text = _text(response)
    assert "The questionnaire closes for 3 participants until the round is opened again." in text
    assert "The 12 answers already saved." in text
    assert 'name="to" value="draft"' in response.content.decode()  # carried to the confirmation's form
    open_round.refresh_from_db()
    assert open_round.status == "open"
    assert client.post(url, {"to": "draft", "confirm": "1"}).status_code == 302
    open_round.refresh_from_db()
    assert open_round.status == "draft"


def test_closing_asks_with_counts_and_the_low_sample_override_is_not_asked_twice(en, open_round, framework, client_for):
    _answer(open_round, framework, "respondent", en, 50)
    _answer(open_round, framework, "sponsor", en, 50)
    _answer(open_round, framework, "facilitator", en, 50)
    url = reverse("assessments:round_transition", args=[en.slug, open_round.pk])
    client = client_for(en.members_by_role["facilitator"])
    response = client.post(url, {"to": "closed"})
    text = _text(response)
    assert response.status_code == 200 and "Close the round?" in text
    assert "The 150 answers saved are frozen and the results are computed from them." in text
    assert "3 participants have not submitted" in text
    open_round.refresh_from_db()
    assert open_round.status == "open"
    assert client.post(url, {"to": "closed", "confirm": "1"}).status_code == 302
    open_round.refresh_from_db()
    assert open_round.status == "closed"
    # Below the rule, the low-sample page is the confirmation: its override closes at once.
    round_services.round_transition(round_=open_round, to="open")
    open_round.min_respondents = 9
    open_round.save(update_fields=["min_respondents"])
    assert "too few answers" in _text(client.post(url, {"to": "closed"}))
    assert client.post(url, {"to": "closed", "low_sample_step": "1", "override": "1"}).status_code == 302
    open_round.refresh_from_db()
    assert open_round.status == "closed"


def test_reopen_a_published_round_names_who_loses_the_results(en, closed_round, client_for):
    services.raci_propose(round_=closed_round)
    round_services.round_transition(round_=closed_round, to="published")
    url = reverse("assessments:round_transition", args=[en.slug, closed_round.pk])
    client = client_for(en.members_by_role["facilitator"])
    response = client.post(url, {"to": "open"})
    text = _text(response)
    assert response.status_code == 200
    assert "The results are unpublished: 2 respondents and viewers no longer see them." in text
    assert "3 participants can change their answers again" in text
    assert "The 150 answers saved." in text and "The 0 consensus levels recorded." in text
    closed_round.refresh_from_db()
    assert closed_round.status == "published"
    client.post(url, {"to": "open", "confirm": "1"})
    closed_round.refresh_from_db()
    assert closed_round.status == "open"


def test_opening_a_draft_needs_no_confirmation(en, org, framework, client_for):
    round_ = round_services.round_create(
        organisation=org, user=org.members_by_role["facilitator"], framework=framework, title="R"
    )
    response = client_for(en.members_by_role["facilitator"]).post(
        reverse("assessments:round_transition", args=[en.slug, round_.pk]), {"to": "open"}
    )
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.status == "open"


def test_withdraw_asks_then_undo_puts_the_answers_back_in_the_results(en, closed_round, framework, client_for):
    respondent = closed_round.participants.get(user=en.members_by_role["respondent"])
    respondent.user.full_name = "Claire Martin"
    respondent.user.save(update_fields=["full_name"])
    activity = framework.raci_activities.first()
    RaciAnswer.objects.create(participant=respondent, activity=activity, choice="ceo")
    url = reverse("assessments:participant_withdraw", args=[en.slug, closed_round.pk, respondent.pk])
    client = client_for(en.members_by_role["facilitator"])
    response = client.post(url)
    assert response.status_code == 200
    text = _text(response)
    assert "Withdrawing Claire Martin removes their 50 answers from the results." in text
    assert "Their 1 as-is RACI answer no longer counts either." in text
    respondent.refresh_from_db()
    assert respondent.withdrawn_at is None
    response = client.post(url, {"confirm": "1"})
    respondent.refresh_from_db()
    closed_round.snapshot.refresh_from_db()
    assert respondent.withdrawn_at is not None
    assert closed_round.snapshot.data["participants"]["counted"] == 2
    token = _undo_token(client, response)
    client.post(reverse("organisations:undo", args=[en.slug]), {"token": token})
    respondent.refresh_from_db()
    closed_round.snapshot.refresh_from_db()
    assert respondent.withdrawn_at is None
    assert closed_round.snapshot.data["participants"]["counted"] == 3
    assert sum(closed_round.snapshot.data["distributions"][q.key]["3"] for q in framework.questions.all()) == 150


def test_withdraw_undo_by_another_organisation_is_404(en, open_round, outsider, client_for):
    respondent = open_round.participants.get(user=en.members_by_role["respondent"])
    client = client_for(en.members_by_role["facilitator"])
    response = client.post(
        reverse("assessments:participant_withdraw", args=[en.slug, open_round.pk, respondent.pk]), {"confirm": "1"}
    )
    token = _undo_token(client, response)
    assert client_for(outsider).post(reverse("organisations:undo", args=[en.slug]), {"token": token}).status_code == 404
    assert Participant.objects.get(pk=respondent.pk).withdrawn_at is not None


def test_remove_member_names_access_and_answers(en, open_round, framework, client_for):
    _answer(open_round, framework, "respondent", en, 9)
    target = Membership.objects.get(organisation=en, role="respondent")
    url = reverse("organisations:member_remove", args=[en.slug, target.pk])
    client = client_for(en.members_by_role["facilitator"])
    response = client.post(url)
    assert response.status_code == 200
    text = _text(response)
    assert "(Respondent) loses access to Acme Retail" in text
    assert "Their participation in 1 round is withdrawn: their 9 answers leave its results." in text
    assert Membership.objects.filter(pk=target.pk).exists()
    assert client.post(url, {"confirm": "1"}).status_code == 302
    assert not Membership.objects.filter(pk=target.pk).exists()


# --------------------------------------------------------------------------- KPI values


@pytest.fixture
def nps_value(en):
    from measurement.forms import MeasurementForm
    from measurement.services import measurement_save

    form = MeasurementForm(
        {"metric": "nps", "period": "2026-Q1", "promoters": "200", "passives": "100", "detractors": "112", "source": "Survey"}
    )
    assert form.is_valid(), form.errors
    return measurement_save(organisation=en, user=en.members_by_role["facilitator"], data=form.to_input())


def test_delete_kpi_value_asks_then_undo_restores_it_exactly(en, nps_value, client_for):
    row = Measurement.objects.filter(pk=nps_value.pk).values().get()
    url = reverse("measurement:delete", args=[en.slug, nps_value.pk])
    client = client_for(en.members_by_role["facilitator"])
    response = client.post(url)
    assert response.status_code == 200
    text = _text(response)
    assert "for 2026-Q1:" in text and "(sample of 412)" in text
    assert Measurement.objects.filter(pk=nps_value.pk).exists()
    response = client.post(url, {"confirm": "1"})
    assert not Measurement.objects.filter(pk=nps_value.pk).exists()
    token = _undo_token(client, response)
    client.post(reverse("organisations:undo", args=[en.slug]), {"token": token})
    assert Measurement.objects.filter(pk=nps_value.pk).values().get() == row


def test_kpi_undo_needs_the_right_and_the_organisation(en, nps_value, outsider, client_for):
    client = client_for(en.members_by_role["facilitator"])
    response = client.post(reverse("measurement:delete", args=[en.slug, nps_value.pk]), {"confirm": "1"})
    token = _undo_token(client, response)
    assert client_for(outsider).post(reverse("organisations:undo", args=[en.slug]), {"token": token}).status_code == 404
    assert not Measurement.objects.filter(pk=nps_value.pk).exists()


def test_confirmation_page_is_plain_html_with_a_cancel_link(en, closed_round, client_for):
    """No JavaScript needed: a form posting back with confirm=1, and a link back; no inline code (CSP)."""
    from tests.views.test_csp import inline_problems

    item = RoadmapItem.objects.filter(round=closed_round).order_by("position").first()
    response = client_for(en.members_by_role["facilitator"]).post(
        reverse("roadmaps:item_remove", args=[en.slug, closed_round.pk, item.pk])
    )
    html = response.content.decode()
    assert inline_problems(html) == []
    assert f'action="{reverse("roadmaps:item_remove", args=[en.slug, closed_round.pk, item.pk])}"' in html
    assert f'href="{reverse("roadmaps:roadmap", args=[en.slug, closed_round.pk])}#item-{item.pk}"' in html
    assert timezone.now()  # the page rendered inside the request cycle, nothing deferred


def test_a_new_capacity_asks_like_a_regeneration_and_undo_restores_settings_and_initiatives(en, closed_round, client_for):
    url = reverse("roadmaps:roadmap_settings", args=[en.slug, closed_round.pk])
    roadmap = Roadmap.objects.get(round=closed_round)
    before, settings_before = _items(closed_round), (roadmap.start_date, roadmap.capacity)
    client = client_for(en.members_by_role["facilitator"])
    response = client.post(url, {"start_date": "2027-01-01", "capacity": "2"})
    assert response.status_code == 200
    text = _text(response)
    assert f"At most 2 initiatives start in each horizon instead of {roadmap.capacity}." in text
    assert "Regenerating the roadmap replaces" in text
    assert 'name="capacity" value="2"' in response.content.decode()  # carried to the confirmation's form
    roadmap.refresh_from_db()
    assert (roadmap.start_date, roadmap.capacity) == settings_before and _items(closed_round) == before
    response = client.post(url, {"start_date": "2027-01-01", "capacity": "2", "confirm": "1"})
    roadmap.refresh_from_db()
    assert roadmap.capacity == 2 and _items(closed_round) != before
    client.post(reverse("organisations:undo", args=[en.slug]), {"token": _undo_token(client, response)})
    roadmap.refresh_from_db()
    assert (roadmap.start_date, roadmap.capacity) == settings_before
    assert _items(closed_round) == before


def test_a_new_start_date_alone_saves_without_asking(en, closed_round, client_for):
    roadmap = Roadmap.objects.get(round=closed_round)
    url = reverse("roadmaps:roadmap_settings", args=[en.slug, closed_round.pk])
    response = client_for(en.members_by_role["facilitator"]).post(
        url, {"start_date": "2027-05-01", "capacity": str(roadmap.capacity)}
    )
    assert response.status_code == 302
    roadmap.refresh_from_db()
    assert roadmap.start_date.isoformat() == "2027-05-01"


def test_an_offer_of_an_unknown_kind_is_404_not_500(en, client_for):
    """An offer left in a session by an earlier version (its kind no longer registered) finds nothing."""
    client = client_for(en.members_by_role["facilitator"])
    session = client.session
    session[undo.SESSION_KEY] = {
        "t": {
            "kind": "gone.kind",
            "organisation": en.pk,
            "user": en.members_by_role["facilitator"].pk,
            "payload": {},
            "expires": undo.time.time() + 60,
            "url": "/",
            "back": "/",
        }
    }
    session.save()
    assert client.post(reverse("organisations:undo", args=[en.slug]), {"token": "t"}).status_code == 404
