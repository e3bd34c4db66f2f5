"""Reading a page writes nothing (issue #14): results, targets, roadmap, RACI, roles, downloads and the public
share page only read. What used to be stored on first view (starting targets, RACI roles, the proposed RACI
and the roadmap) is stored when the round closes, and a page shows the same thing before and after."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services as round_services
from assessments.models import Answer
from roadmaps import services as roadmap_services
from roadmaps.models import OrgRole, RaciCell, Roadmap, RoadmapItem, Target
from sharing import services as sharing_services
from tests.conftest import publish

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().split(" ", 1)[0].upper() in WRITES]


def _get_writing_nothing(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    assert _writes(captured.captured_queries) == [], url
    return response


def _answer(round_, framework):
    questions = list(framework.questions.all())
    Answer.objects.bulk_create(
        Answer(participant=p, question=q, level=1 + (i + j) % 4)
        for i, p in enumerate(round_.participants.all())
        for j, q in enumerate(questions)
    )


def _forget_first_use(round_):
    """A round closed before its first-use rows were stored on closing: none of them exists."""
    for model in (RoadmapItem, RaciCell, Roadmap, Target):
        model.objects.filter(round=round_).delete()
    OrgRole.objects.filter(organisation=round_.organisation).delete()


def _facilitator_pages(org, round_):
    args = [org.slug, round_.pk]
    return [
        reverse("assessments:results", args=args),
        reverse("assessments:results_alignment", args=args),
        reverse("assessments:results_dimension", args=[*args, "D3"]),
        reverse("roadmaps:targets", args=args),
        reverse("roadmaps:roadmap", args=args),
        reverse("roadmaps:raci", args=args),
        reverse("roadmaps:roles", args=[org.slug]),
        reverse("reports:export_json", args=args),
        reverse("roadmaps:export_roadmap", args=[*args, "csv"]),
        reverse("roadmaps:export_raci", args=[*args, "csv"]),
        reverse("assessments:export_scores", args=[*args, "csv"]),
    ]


def _text(response) -> str:
    """The page without what changes on every request (CSRF tokens, CSP nonces)."""
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'nonce="[^"]+"', "", html)


def test_closing_stores_what_the_pages_read(org, open_round, framework):
    _answer(open_round, framework)
    round_services.round_transition(round_=open_round, to="closed")
    assert Target.objects.filter(round=open_round).count() == framework.dimensions.count()
    assert OrgRole.objects.filter(organisation=org).exists()
    roadmap = Roadmap.objects.get(round=open_round)
    assert roadmap.generated_at and roadmap.raci_proposed_at
    assert RaciCell.objects.filter(round=open_round).exists() and RoadmapItem.objects.filter(round=open_round).exists()


@pytest.mark.parametrize("stored", [True, False], ids=["stored-on-close", "never-stored"])
def test_facilitator_pages_write_nothing(stored, org, open_round, framework, client_for):
    _answer(open_round, framework)
    round_services.round_transition(round_=open_round, to="closed")
    if not stored:
        _forget_first_use(open_round)
    facilitator = client_for(org.members_by_role["facilitator"])
    for url in _facilitator_pages(org, open_round):
        _get_writing_nothing(facilitator, url)


def test_pages_show_the_starting_values_before_they_are_stored(org, open_round, framework, client_for):
    _answer(open_round, framework)
    round_services.round_transition(round_=open_round, to="closed")
    _forget_first_use(open_round)
    facilitator = client_for(org.members_by_role["facilitator"])
    args = [org.slug, open_round.pk]
    urls = [reverse("assessments:results", args=args), reverse("roadmaps:targets", args=args)]
    before = [_text(facilitator.get(url)) for url in urls]
    assert not Target.objects.filter(round=open_round).exists()
    roadmap_services.results_prepare(round_=open_round, snapshot=open_round.snapshot)
    assert Target.objects.filter(round=open_round).exists()
    assert [_text(facilitator.get(url)) for url in urls] == before
    roles = reverse("roadmaps:roles", args=[org.slug])
    keys = [r.key for r in OrgRole.objects.filter(organisation=org).order_by("position", "key")]
    OrgRole.objects.filter(organisation=org).delete()
    page = _text(facilitator.get(roles))
    assert re.findall(r"<code>([^<]+)</code>", page) == keys


def test_a_role_shown_before_any_is_stored_can_be_renamed(org, open_round, framework, client_for):
    facilitator = client_for(org.members_by_role["facilitator"])
    url = reverse("roadmaps:roles", args=[org.slug])
    assert not OrgRole.objects.filter(organisation=org).exists()
    assert 'name="role" value="cfo"' in facilitator.get(url).content.decode()
    response = facilitator.post(url, {"do": "edit", "role": "cfo", "title_fr": "DAF", "title_en": "CFO", "hidden": "on"})
    assert response.status_code == 302
    cfo = OrgRole.objects.get(organisation=org, key="cfo")
    assert (cfo.title_fr, cfo.hidden) == ("DAF", True) and OrgRole.objects.filter(organisation=org).count() > 1
    assert response.url.endswith(f"#role-{cfo.pk}")


@pytest.mark.parametrize("stored", [True, False], ids=["stored", "never-stored"])
def test_the_public_share_page_writes_nothing(stored, org, open_round, framework):
    _answer(open_round, framework)
    publish(open_round)
    open_round.refresh_from_db()
    if not stored:
        Target.objects.filter(round=open_round).delete()
    link = sharing_services.share_link_create(round_=open_round, user=org.members_by_role["facilitator"], label="Board")
    page = _get_writing_nothing(Client(), reverse("sharing:public", args=[sharing_services.share_token(link)]))
    assert not stored or Target.objects.filter(round=open_round).exists()
    if not stored:
        assert not Target.objects.filter(round=open_round).exists()
        assert page.context["rows"][0].target is not None  # the starting value, shown unsaved


def test_publishing_stores_the_targets_it_freezes(org, open_round, framework):
    _answer(open_round, framework)
    round_services.round_transition(round_=open_round, to="closed")
    Target.objects.filter(round=open_round).delete()  # closed before closing stored them
    publish(open_round)
    assert Target.objects.filter(round=open_round).count() == framework.dimensions.count()
