"""Tenant isolation, proven by walking every URL pattern with organisation A's real ids, as every role of
organisation B and as an anonymous visitor: nothing of A may show, and nothing of A may change."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import URLResolver, get_resolver

from accounts.models import User
from assessments.models import Answer, Consensus, Participant, Round
from cxgov.tokens import new_nonce
from measurement.models import Measurement
from organisations.models import Invitation, Membership, Organisation
from reports.models import Report
from roadmaps.models import OrgRole, RaciCell, RoadmapItem, Target
from sharing.services import share_token
from tests.factories import MembershipFactory, UserFactory
from tests.views.contents import body_text

pytestmark = pytest.mark.django_db

# What would betray organisation A on a page of B: its name, its round, its people, its words.
A_MARKERS = [
    "Demo Retail",
    "Diagnostic CX 2026",
    "Marc Lefèvre",
    "Nadia Benali",
    "respondent1@demo.test",
    "personne ne sait où s'arrête",
]
ALLOWED_FOR_MEMBERS_OF_B = {404, 405, 400, 410}


def all_routes():
    routes = []

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            else:
                routes.append(prefix + str(p.pattern))

    walk(get_resolver().url_patterns)
    return routes


@pytest.fixture
def world(framework):
    call_command("seed_demo", stdout=StringIO())
    a = Organisation.objects.get(slug="demo-retail")
    b = Organisation.objects.get(slug="other-bank")
    round_ = Round.objects.get(organisation=a)
    # A real PDF of A (rendered inline), so a leaked download would be read as text, comments included.
    from reports.builders import build_report_data
    from reports.services import content_hash, report_render

    report = Report.objects.create(round=round_, language="fr", content_hash=content_hash(build_report_data(round_, "fr")))
    report_render(report.pk)
    report.refresh_from_db()
    assert report.status == "done"
    from sharing.models import ShareLink

    link = ShareLink.objects.create(round=round_, nonce=new_nonce(), expires_at="2099-01-01T00:00:00Z")
    from organisations.models import Firm
    from workspace.models import EngagementTemplate

    firm = Firm.objects.get(name="Conseil & Associés")  # the consultant's firm: another tenant boundary
    template = EngagementTemplate.objects.create(firm=firm, name="Diagnostic CX 2026 template", framework=round_.framework)
    invitation = Invitation.objects.create(
        organisation=a, email="new@demo.test", role="viewer", nonce=new_nonce(), expires_at="2099-01-01T00:00:00Z"
    )
    users_b = {"facilitator": User.objects.get(email="outsider@demo.test")}
    for role in ("sponsor", "respondent", "viewer"):
        users_b[role] = MembershipFactory(organisation=b, role=role, user=UserFactory(email=f"{role}@other-bank.test")).user
    values = {
        "slug": a.slug,
        "round_id": round_.pk,
        "participant_id": Participant.objects.filter(round=round_).first().pk,
        "report_id": report.pk,
        "item_id": RoadmapItem.objects.filter(round=round_).first().pk,
        "measurement_id": Measurement.objects.filter(organisation=a).first().pk,
        "membership_id": Membership.objects.filter(organisation=a).first().pk,
        "invitation_id": invitation.pk,
        "role_id": OrgRole.objects.filter(organisation=a).first().pk,
        "link_id": link.pk,
        "firm_id": firm.pk,
        "template_id": template.pk,
        "key": "D1",
        "question_key": "D1.1",
        "kind": "raci",
        "page": "D1",
        "fmt": "csv",
        "metric": "nps",
        "token": "not-a-real-token",
        "uidb64": "MQ",
        # Django admin: B's members are not staff, so every admin page must send them to the admin login.
        "app_label": "organisations",
        "object_id": str(a.pk),
        "content_type_id": "1",
        "id": str(a.pk),
        "url": "x",
    }
    return {"a": a, "b": b, "round": round_, "users_b": users_b, "values": values, "share_token": share_token(link)}


def a_markers(a) -> list[str]:
    """A_MARKERS plus A's people (names and e-mail addresses) and the words of their answers (comments, evidence links)."""
    people = Participant.objects.filter(round__organisation=a).values_list("user__full_name", "user__email")
    notes = (
        Answer.objects.filter(participant__round__organisation=a)
        .exclude(comment="", evidence_url="")
        .values_list("comment", "evidence_url")
    )
    markers = set(A_MARKERS) | {value for pair in people for value in pair if value}
    # A stretch of each comment: long enough to be A's own words, short enough to survive line wrapping in a PDF.
    markers |= {text[:24] for pair in notes for text in pair if len(text) >= 24}
    assert len(markers) > len(A_MARKERS) + 10
    return sorted(markers)


def fill(route, values):
    def replace(match):
        name = match.group(1)
        if name not in values:
            raise AssertionError(f"teach the isolation walker the URL parameter <{name}> (route {route})")
        return str(values[name])

    path = re.sub(r"<(?:\w+:)?(\w+)>", replace, route)
    return "/" + path.replace("^", "").replace("$", "").replace("\\Z", "")


def a_footprint(a):
    return (
        Answer.objects.filter(participant__round__organisation=a).count(),
        Membership.objects.filter(organisation=a).count(),
        Invitation.objects.filter(organisation=a).count(),
        RaciCell.objects.filter(round__organisation=a).order_by("pk").values_list("activity", "role", "letter").count(),
        list(
            RoadmapItem.objects.filter(round__organisation=a)
            .order_by("pk")
            .values_list("start_month", "status", "locked", "owner_role")
        ),
        Measurement.objects.filter(organisation=a).count(),
        Consensus.objects.filter(round__organisation=a).count(),
        list(Target.objects.filter(round__organisation=a).order_by("pk").values_list("target", "importance")),
        list(Round.objects.filter(organisation=a).values_list("status", "title")),
        Organisation.objects.filter(pk=a.pk).values_list("name", "brand_colour").get(),
    )


def test_nothing_of_a_reaches_b_or_anonymous(world, client_for):
    a, values = world["a"], world["values"]
    routes = [
        r for r in all_routes() if "<slug" in r or "<token>" in r or "round_id" in r or "firm_id" in r or r.startswith("admin/")
    ]
    assert len(routes) > 40
    before = a_footprint(a)
    markers = a_markers(a)
    leaks = []
    for who, user in [("anonymous", None), *world["users_b"].items()]:
        client = client_for(user)
        for route in routes:
            url = fill(route, values)
            # A route that names one of A's objects must not even admit it exists to B, nor serve anything anonymously.
            scoped = "<slug" in route or re.search(r"<(?:int:)?\w+_id>", route) is not None
            scoped = scoped and not route.startswith("admin/")
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                status = response.status_code
                if status == 302:
                    location = response["Location"]
                    if scoped and not location.startswith("/accounts/login/"):
                        leaks.append(f"{who} {method.upper()} {url}: redirect to {location}")
                    continue
                if scoped and status not in ALLOWED_FOR_MEMBERS_OF_B:
                    leaks.append(f"{who} {method.upper()} {url}: {status}")
                text = body_text(response)
                leaks += [f"{who} {method.upper()} {url}: shows {marker!r}" for marker in markers if marker in text]
    assert not leaks, "\n".join(leaks)
    assert a_footprint(a) == before


def test_b_members_own_pages_show_nothing_of_a(world, client_for):
    """B's own home, organisation page, measurement and members pages never mention A (no cross-tenant autocomplete)."""
    for user in world["users_b"].values():
        client = client_for(user)
        for url in ("/", "/o/other-bank/", "/o/other-bank/members/", "/o/other-bank/measurement/", "/organisations/new/"):
            response = client.get(url)
            if response.status_code == 200:
                text = response.content.decode()
                assert not [m for m in A_MARKERS if m in text], (user.email, url)


def test_every_page_of_a_member_carries_the_strict_policy(world, client_for):
    """Every GET route, filled with A's ids and opened by A's facilitator: the CSP header and no inline code."""
    from tests.views.test_csp import inline_problems

    values = world["values"]
    consultant = client_for(User.objects.get(email="consultant@demo.test"))
    checked = 0
    for route in all_routes():
        if route.startswith("admin/") or "<token>" in route or "<uidb64>" in route:
            continue
        response = consultant.get(fill(route, values))
        assert "script-src 'self'" in response.get("Content-Security-Policy", ""), route
        assert "unsafe-inline" not in response["Content-Security-Policy"], route
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            assert inline_problems(response.content.decode()) == [], route
            checked += 1
    assert checked > 30


def test_b_slug_with_a_ids_reaches_nothing_of_a(world, client_for):
    """The attacker's own slug with A's real ids (round, participant, report, item, share token...): as each role of B
    and anonymously, every URL, read as a page, as an htmx partial and posted to, shows nothing of A, downloads
    included (XLSX cells and PDF text are read), and changes nothing of A."""
    a, b = world["a"], world["b"]
    values = {**world["values"], "slug": b.slug, "token": world["share_token"]}
    routes = [r for r in all_routes() if ("<slug" in r and re.search(r"<(?:int:)?\w+_id>", r)) or "<token>" in r]
    assert len(routes) > 40
    before = a_footprint(a)
    markers = a_markers(a)
    leaks = []
    for who, user in [("anonymous", None), *world["users_b"].items()]:
        client = client_for(user)
        for route in routes:
            url = fill(route, values)
            for method, headers in (("get", {}), ("get", {"HTTP_HX_REQUEST": "true"}), ("post", {})):
                response = getattr(client, method)(url, **headers)
                label = f"{who} {method.upper()}{' (htmx)' if headers else ''} {url}"
                status = response.status_code
                if "<token>" not in route and status not in {*ALLOWED_FOR_MEMBERS_OF_B, 403, 302}:
                    leaks.append(f"{label}: {status}")
                if status == 302 and not response["Location"].startswith(("/accounts/login/", f"/o/{b.slug}/")):
                    leaks.append(f"{label}: redirect to {response['Location']}")
                text = body_text(response)
                leaks += [f"{label}: shows {marker!r}" for marker in markers if marker in text]
    assert not leaks, "\n".join(leaks)
    assert a_footprint(a) == before
