"""Simultaneous submissions on PostgreSQL: two threads released together by a barrier, repeated so a
race the old code lost shows up. Identical submissions give one row and no 500; two facilitators
demoting each other at once never leave the organisation without a facilitator."""

import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from accounts.models import User
from assessments.models import Round
from organisations.models import Membership, Organisation, Role
from roadmaps.models import RoadmapItem
from tests.conftest import require_service
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

REPEAT = 8


@pytest.fixture(autouse=True)
def _postgresql():
    require_service("PostgreSQL (DATABASE_URL)", connection.vendor == "postgresql")


def at_once(*calls):
    """Runs each call in its own thread, released together; returns their results in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # noqa: BLE001  (reported to the test, not swallowed)
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def logged_in(user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def test_the_same_organisation_sent_twice_at_once_is_created_once():
    user = UserFactory(email="double@click.test")
    url = reverse("organisations:create")
    clients = [logged_in(user), logged_in(user)]
    for n in range(REPEAT):
        data = {"name": f"Maison Dupont {n}", "sector": "other", "size_band": "250-999", "country": "FR"}
        responses = at_once(*(lambda c=c, d=data: c.post(url, d) for c in clients))
        assert [r.status_code for r in responses] == [302, 302], responses
        assert Organisation.objects.filter(name=data["name"]).count() == 1
        assert Membership.objects.filter(organisation__name=data["name"], user=user, role=Role.FACILITATOR).count() == 1


def test_two_people_choosing_the_same_name_at_once_get_two_slugs():
    url = reverse("organisations:create")
    for n in range(REPEAT):
        clients = [logged_in(UserFactory(email=f"p{n}-{i}@same.test")) for i in range(2)]
        data = {"name": f"Même Nom {n}", "sector": "other", "size_band": "250-999", "country": "FR"}
        responses = at_once(*(lambda c=c, d=data: c.post(url, d) for c in clients))
        assert [r.status_code for r in responses] == [302, 302], responses
        slugs = set(Organisation.objects.filter(name=data["name"]).values_list("slug", flat=True))
        assert len(slugs) == 2


def test_the_same_custom_initiative_sent_twice_at_once_is_added_once(framework):
    call_command("seed_demo", stdout=StringIO())
    round_ = Round.objects.get(organisation__slug="demo-retail")
    consultant = User.objects.get(email="consultant@demo.test")
    clients = [logged_in(consultant), logged_in(consultant)]
    clients[0].get(reverse("roadmaps:roadmap", args=["demo-retail", round_.pk]))  # generates the roadmap
    url = reverse("roadmaps:item_add", args=["demo-retail", round_.pk])
    for n in range(REPEAT):
        data = {"title_fr": f"Cartographier les parcours {n}", "title_en": "", "start_month": "2", "duration_months": "3"}
        responses = at_once(*(lambda c=c, d=data: c.post(url, d) for c in clients))
        assert [r.status_code for r in responses] == [302, 302], responses
        assert RoadmapItem.objects.filter(round=round_, title_fr=data["title_fr"]).count() == 1
    keys = list(RoadmapItem.objects.filter(round=round_, custom=True).values_list("key", flat=True))
    assert len(keys) == len(set(keys)) == REPEAT


def test_two_facilitators_demoting_each_other_at_once_leave_one_facilitator():
    organisation = OrganisationFactory(name="Duel", slug="duel")
    a = MembershipFactory(organisation=organisation, role=Role.FACILITATOR, user=UserFactory(email="a@duel.test"))
    b = MembershipFactory(organisation=organisation, role=Role.FACILITATOR, user=UserFactory(email="b@duel.test"))
    client_a, client_b = logged_in(a.user), logged_in(b.user)
    for _ in range(REPEAT):
        Membership.objects.filter(pk__in=[a.pk, b.pk]).update(role=Role.FACILITATOR)
        responses = at_once(
            lambda: client_a.post(reverse("organisations:member_role", args=["duel", b.pk]), {"role": Role.VIEWER}),
            lambda: client_b.post(reverse("organisations:member_role", args=["duel", a.pk]), {"role": Role.VIEWER}),
        )
        assert all(not isinstance(r, Exception) and r.status_code < 500 for r in responses), responses
        assert Membership.objects.filter(organisation=organisation, role=Role.FACILITATOR).count() == 1


def test_two_facilitators_removing_each_other_at_once_leave_one_facilitator():
    organisation = OrganisationFactory(name="Duel 2", slug="duel-2")
    for n in range(REPEAT):
        a = MembershipFactory(organisation=organisation, role=Role.FACILITATOR, user=UserFactory(email=f"a{n}@duel.test"))
        b = MembershipFactory(organisation=organisation, role=Role.FACILITATOR, user=UserFactory(email=f"b{n}@duel.test"))
        Membership.objects.filter(organisation=organisation).exclude(pk__in=[a.pk, b.pk]).delete()
        client_a, client_b = logged_in(a.user), logged_in(b.user)
        data = {"confirm": "1"}
        responses = at_once(
            lambda: client_a.post(reverse("organisations:member_remove", args=["duel-2", b.pk]), data),  # noqa: B023
            lambda: client_b.post(reverse("organisations:member_remove", args=["duel-2", a.pk]), data),  # noqa: B023
        )
        assert all(not isinstance(r, Exception) and r.status_code < 500 for r in responses), responses
        assert Membership.objects.filter(organisation=organisation, role=Role.FACILITATOR).count() == 1
