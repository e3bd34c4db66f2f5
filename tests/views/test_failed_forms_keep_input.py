"""Issue #13: a form that fails comes back next to itself with what was typed (status 400), never a redirect that loses it."""

import re

import pytest
from django.urls import reverse

from assessments import services as round_services
from assessments.models import Answer
from roadmaps import services
from roadmaps.models import OrgRole, RoadmapItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def facilitator(org, client_for):
    user = org.members_by_role["facilitator"]
    user.language = "en"
    user.save(update_fields=["language"])
    return client_for(user)


@pytest.fixture
def closed_round(open_round, framework):
    Answer.objects.bulk_create(
        Answer(participant=p, question=q, level=2) for p in open_round.participants.all() for q in framework.questions.all()
    )
    round_services.round_transition(round_=open_round, to="closed")
    open_round.refresh_from_db()
    services.roadmap_ensure(round_=open_round)
    return open_round


def _input(html, name, form_action):
    """The <input name=…> inside the form posting to ``form_action``."""
    form = re.search(r'<form[^>]*action="' + re.escape(form_action) + r'".*?</form>', html, re.S)
    assert form, f"no form posting to {form_action}"
    tag = re.search(r'<input[^>]*name="' + name + r'"[^>]*>', form.group(0))
    assert tag, f"no input {name}"
    return tag.group(0), form.group(0)


def test_custom_initiative_without_title_keeps_what_was_typed(org, closed_round, facilitator):
    url = reverse("roadmaps:item_add", args=[org.slug, closed_round.pk])
    count = RoadmapItem.objects.filter(round=closed_round).count()
    response = facilitator.post(
        url,
        {
            "title_fr": "  ",
            "title_en": "",
            "dimension": "D3",
            "activity": "cx_budget",
            "start_month": "7",
            "duration_months": "5",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    start, form = _input(html, "start_month", url)
    assert 'value="7"' in start
    assert 'value="5"' in _input(html, "duration_months", url)[0]
    assert re.search(r'<option value="D3"[^>]*selected', form)
    assert re.search(r'<option value="cx_budget"[^>]*selected', form)
    assert "Give a title in French, in English or both." in form  # next to the form, not in a banner elsewhere
    assert RoadmapItem.objects.filter(round=closed_round).count() == count


def test_custom_initiative_with_a_month_out_of_range_keeps_the_title(org, closed_round, facilitator):
    url = reverse("roadmaps:item_add", args=[org.slug, closed_round.pk])
    response = facilitator.post(url, {"title_fr": "Former les managers <b>", "start_month": "99", "duration_months": "2"})
    assert response.status_code == 400
    title, form = _input(response.content.decode(), "title_fr", url)
    assert 'value="Former les managers &lt;b&gt;"' in title  # kept, and escaped
    assert 'value="99"' in _input(response.content.decode(), "start_month", url)[0]
    assert "is-invalid" in form


def test_roadmap_settings_out_of_range_keep_what_was_typed(org, closed_round, facilitator):
    url = reverse("roadmaps:roadmap_settings", args=[org.slug, closed_round.pk])
    response = facilitator.post(url, {"start_date": "2027-03-01", "capacity": "99"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="99"' in _input(html, "capacity", url)[0]
    assert 'value="2027-03-01"' in _input(html, "start_date", url)[0]
    assert '<details class="cx-roadmap-settings" open>' in html


def test_move_out_of_range_keeps_the_month_next_to_its_initiative(org, closed_round, facilitator):
    item = RoadmapItem.objects.filter(round=closed_round).order_by("position").first()
    url = reverse("roadmaps:item_move", args=[org.slug, closed_round.pk, item.pk])
    response = facilitator.post(url, {"start_month": "75"})
    assert response.status_code == 400
    tag, form = _input(response.content.decode(), "start_month", url)
    assert 'value="75"' in tag and 'aria-invalid="true"' in tag
    assert "Choose a start month from 0 to 60." in form
    item.refresh_from_db()
    assert item.start_month != 75 and not item.locked


def test_role_rename_refused_keeps_what_was_typed(org, closed_round, facilitator):
    role = OrgRole.objects.filter(organisation=org).first()
    url = reverse("roadmaps:role_edit", args=[org.slug, role.pk])
    response = facilitator.post(url, {"title_fr": "x" * 101, "title_en": "Legal and compliance", "hidden": "on"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Legal and compliance"' in _input(html, "title_en", url)[0]
    assert "x" * 101 in _input(html, "title_fr", url)[0]
    form = _input(html, "hidden", url)[0]
    assert "checked" in form
    role.refresh_from_db()
    assert role.title_en != "Legal and compliance" and not role.hidden


def test_round_context_refused_keeps_the_choice(org, open_round, facilitator):
    url = reverse("assessments:round_context", args=[org.slug, open_round.pk])
    response = facilitator.post(url, {"cxo_exists": "yes", "cxo_reports_to": "the-moon"})
    assert response.status_code == 400
    form = re.search(r'<form[^>]*action="' + re.escape(url) + r'".*?</form>', response.content.decode(), re.S).group(0)
    assert re.search(r'<option value="yes"[^>]*selected', form)
    assert "the-moon is not one of the available choices" in form
    open_round.refresh_from_db()
    assert open_round.cxo_exists is None


def test_consensus_refused_keeps_the_level_and_the_rationale(org, closed_round, facilitator):
    from assessments.models import Consensus

    url = reverse("assessments:results_consensus", args=[org.slug, closed_round.pk, "D1.2"])
    rationale = "Le comité s'accorde " + "x" * 2000  # over the 2,000 characters allowed
    response = facilitator.post(url, {"level": "4", "rationale": rationale})
    assert response.status_code == 400
    html = response.content.decode()
    tag, form = _input(html, "rationale", url)
    assert rationale.replace("'", "&#x27;") in tag and 'aria-invalid="true"' in tag
    assert re.search(r'<option value="4"[^>]*selected', form)
    assert "with a rationale of up to 2,000 characters" in form
    assert not Consensus.objects.filter(round=closed_round).exists()


@pytest.mark.parametrize("htmx", [False, True])
def test_workshop_consensus_refused_keeps_the_level_and_the_rationale(org, closed_round, facilitator, htmx):
    from assessments.models import Consensus

    url = reverse("assessments:workshop_consensus", args=[org.slug, closed_round.pk, "D1"])
    rationale = "Le comité " + "y" * 2000
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = facilitator.post(url, {"question": "D1.2", "level": "4", "rationale": rationale}, **headers)
    assert response.status_code == 400
    html = response.content.decode()
    section = re.search(r'<section[^>]*id="wq-D1-2".*?</section>', html, re.S).group(0)
    assert re.search(r'<input[^>]*name="rationale"[^>]*value="' + rationale + '"', section)
    assert re.search(r'<input[^>]*name="level" value="4"[^>]*checked', section)
    assert "with a rationale of up to 2,000 characters" in section
    assert not Consensus.objects.filter(round=closed_round).exists()
