"""Shared fixtures: an organisation with one member per role, an outsider, and service detection."""

import os

import pytest
from django.conf import settings
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from organisations.models import Role

from .factories import MembershipFactory, OrganisationFactory, UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

# Property tests must not fail because a 2-core CI machine is busy with a browser next door.
hypothesis_settings.register_profile("cxgov", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("cxgov")

ROLES = [Role.FACILITATOR, Role.SPONSOR, Role.RESPONDENT, Role.VIEWER]


def require_service(name: str, available: bool) -> None:
    """Skip without a real service, except in CI (CXGOV_REQUIRE_SERVICES=1) where that is a failure."""
    if available:
        return
    if settings.CXGOV_REQUIRE_SERVICES:
        pytest.fail(f"{name} is required (CXGOV_REQUIRE_SERVICES=1) but not configured")
    pytest.skip(f"needs {name}")


@pytest.fixture
def org(db):
    organisation = OrganisationFactory(name="Acme Retail", slug="acme")
    members = {}
    for role in ROLES:
        members[role] = MembershipFactory(organisation=organisation, role=role, user=UserFactory(email=f"{role}@acme.test")).user
    organisation.members_by_role = members
    return organisation


@pytest.fixture
def outsider(db):
    other = OrganisationFactory(name="Other Corp", slug="other-corp")
    return MembershipFactory(organisation=other, role=Role.FACILITATOR, user=UserFactory(email="outsider@other.test")).user


@pytest.fixture
def client_for(client):
    """Returns a logged-in test client for a user (a fresh client each call)."""
    from django.test import Client

    def make(user):
        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    return make


@pytest.fixture
def respondent(org, open_round, client_for):
    """A test client signed in as the respondent of the open round."""
    return client_for(org.members_by_role["respondent"])


@pytest.fixture
def framework(db):
    """The shipped framework (loaded by `migrate`)."""
    from assessments.models import Framework

    return Framework.objects.get(key="cx-governance", version="1.0")


@pytest.fixture
def open_round(org, framework):
    """An open attributed round of "acme" in which the facilitator, the sponsor and the respondent take part."""
    from assessments.models import RoundStatus
    from assessments.services import participant_invite, round_create

    round_ = round_create(organisation=org, user=org.members_by_role["facilitator"], framework=framework, title="Round 1")
    for role, function in (("facilitator", "cxo"), ("sponsor", "ceo"), ("respondent", "cfo")):
        participant_invite(round_=round_, email=org.members_by_role[role].email, function=function)
    round_.status = RoundStatus.OPEN
    round_.save()
    return round_


def publish(round_):
    """Closes (when open) and publishes a round, with the proposed to-be RACI that publication requires."""
    from assessments import services
    from roadmaps.services import raci_propose

    round_.refresh_from_db()
    if round_.status == "open":
        services.round_transition(round_=round_, to="closed")
        round_.refresh_from_db()
    raci_propose(round_=round_)
    return services.round_transition(round_=round_, to="published")


@pytest.fixture(autouse=True)
def _outbox_breaker_closed():
    """Each test starts with the outbox's broker breaker closed: a refused publish in one test must
    not keep the next one's messages from being sent (in a process it lasts a few seconds)."""
    from outbox import services as outbox

    outbox._breaker["down_until"] = 0.0
