"""The firm workspace: settings and logo, header branding, engagement templates, and the consultant's home."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from assessments.models import Participant, Round, RoundStatus
from organisations import services
from organisations.models import Firm, Membership, Organisation
from workspace import services as workspace_services
from workspace.models import EngagementTemplate

from ..factories import UserFactory
from .test_csp import inline_problems
from .test_firm_access import png_bytes

pytestmark = pytest.mark.django_db

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'


@pytest.fixture
def consultant(org):
    return org.members_by_role["facilitator"]


@pytest.fixture
def firm(consultant):
    firm = Firm.objects.create(name="Conseil & Associés", brand_colour="#7a1f4e")
    firm.members.add(consultant)
    return firm


# --------------------------------------------------------------------------- settings and logo


def test_member_edits_name_colour_and_logo(firm, consultant, client_for):
    client = client_for(consultant)
    upload = SimpleUploadedFile("logo.jpg", png_bytes(size=(1600, 400)), content_type="image/png")
    response = client.post(
        reverse("workspace:firm_settings", args=[firm.pk]),
        {"name": "Conseil Associés", "brand_colour": "#0b6e4f", "logo_upload": upload},
    )
    assert response.status_code == 302
    firm.refresh_from_db()
    assert (firm.name, firm.brand_colour) == ("Conseil Associés", "#0b6e4f")
    with firm.logo.open("rb") as handle:
        image = Image.open(handle)
        assert image.format == "PNG" and image.size[0] <= 800  # re-encoded and bounded, never stored as uploaded
    logo = client.get(reverse("workspace:firm_logo", args=[firm.pk]))
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"


def test_svg_logo_is_refused(firm, consultant, client_for):
    upload = SimpleUploadedFile("logo.svg", SVG, content_type="image/svg+xml")
    response = client_for(consultant).post(
        reverse("workspace:firm_settings", args=[firm.pk]),
        {"name": firm.name, "brand_colour": "#7a1f4e", "logo_upload": upload},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["logo_upload"]
    firm.refresh_from_db()
    assert not firm.logo


def test_logo_reencode_refuses_svg_even_past_the_form(firm):
    with pytest.raises(ValidationError):
        services.firm_update(firm=firm, logo_upload=SimpleUploadedFile("x.png", SVG, content_type="image/png"))
    firm.refresh_from_db()
    assert not firm.logo


def test_bad_colour_is_refused(firm, consultant, client_for):
    response = client_for(consultant).post(
        reverse("workspace:firm_settings", args=[firm.pk]), {"name": "X", "brand_colour": "red;}"}
    )
    assert response.status_code == 200 and response.context["form"].errors["brand_colour"]


def test_remove_logo(firm, consultant, client_for):
    from django.core.files.base import ContentFile

    firm.logo.save("f.png", ContentFile(png_bytes()), save=True)
    client_for(consultant).post(
        reverse("workspace:firm_settings", args=[firm.pk]),
        {"name": firm.name, "brand_colour": "#7a1f4e", "remove_logo": "on"},
    )
    firm.refresh_from_db()
    assert not firm.logo


# --------------------------------------------------------------------------- header branding


def test_header_uses_the_firm_stylesheet_name_and_no_inline_style(org, firm, consultant, client_for):
    client = client_for(consultant)
    for url in (
        reverse("workspace:home"),
        reverse("workspace:detail", args=[org.slug]),
        reverse("workspace:firm_settings", args=[firm.pk]),
    ):
        html = client.get(url).content.decode()
        assert reverse("workspace:firm_brand_css", args=[firm.pk]) + "?v=" in html
        assert "cx-header-firm" in html and "Conseil &amp; Associés" in html
        assert inline_problems(html) == []
    css = client.get(reverse("workspace:firm_brand_css", args=[firm.pk]))
    assert css["Content-Type"].startswith("text/css")
    assert "--cx-firm: #7a1f4e;" in css.content.decode()
    assert "--cx-firm-text: #7a1f4e;" in css.content.decode()  # dark enough for text on white


def test_a_light_firm_colour_keeps_the_header_text_readable(firm, consultant, client_for):
    firm.brand_colour = "#ffe066"
    firm.save()
    css = client_for(consultant).get(reverse("workspace:firm_brand_css", args=[firm.pk])).content.decode()
    assert "--cx-firm: #ffe066;" in css and "--cx-firm-text: #212529;" in css


def test_header_shows_the_logo_when_there_is_one(firm, consultant, client_for):
    from django.core.files.base import ContentFile

    firm.logo.save("f.png", ContentFile(png_bytes()), save=True)
    html = client_for(consultant).get(reverse("workspace:home")).content.decode()
    assert reverse("workspace:firm_logo", args=[firm.pk]) in html


def test_no_firm_branding_without_a_firm(org, firm, client_for):
    html = client_for(org.members_by_role["sponsor"]).get(reverse("workspace:home")).content.decode()
    assert "cx-header-firm" not in html and "/firm/" not in html and "Conseil" not in html


def test_a_changed_colour_gets_a_new_stylesheet_address(firm, consultant, client_for):
    client = client_for(consultant)
    link = reverse("workspace:firm_brand_css", args=[firm.pk])

    def stylesheet_address():
        html = client.get(reverse("workspace:home")).content.decode()
        return link + html.split(link)[1].split('"')[0]

    before = stylesheet_address()
    Firm.objects.filter(pk=firm.pk).update(brand_colour="#123456", updated_at=timezone.now() + timedelta(seconds=5))
    assert stylesheet_address() != before  # the stylesheet is cached for 5 minutes: a new address skips the cache


# --------------------------------------------------------------------------- engagement templates


def _template_post(framework, **overrides):
    data = {
        "name": "Comex 360",
        "framework": framework.pk,
        "anonymous": "on",
        "introduction_fr": "Bonjour",
        "introduction_en": "Hello",
    }
    for dimension in framework.dimensions.all():
        data[f"target_{dimension.key}"] = ""
        data[f"importance_{dimension.key}"] = "2"
    data.update({"target_D1": "4", "importance_D1": "3", "importance_D7": "1"})
    data.update(overrides)
    return data


def test_member_creates_edits_and_deletes_a_template(firm, consultant, framework, client_for):
    client = client_for(consultant)
    page = client.get(reverse("workspace:firm_template_create", args=[firm.pk]))
    assert page.status_code == 200 and "target_D10" in page.content.decode()
    assert inline_problems(page.content.decode()) == []
    response = client.post(reverse("workspace:firm_template_create", args=[firm.pk]), _template_post(framework))
    assert response.status_code == 302
    template = EngagementTemplate.objects.get(firm=firm)
    assert template.anonymous and template.framework == framework
    assert template.default_targets == {"D1": {"target": 4, "importance": 3}, "D7": {"importance": 1}}

    edit = reverse("workspace:firm_template_edit", args=[firm.pk, template.pk])
    assert 'value="4" selected' in client.get(edit).content.decode()
    client.post(edit, _template_post(framework, name="Comex 360 v2", target_D1="", importance_D1="2", target_D3="5"))
    template.refresh_from_db()
    assert template.name == "Comex 360 v2"
    assert template.default_targets == {"D3": {"target": 5}, "D7": {"importance": 1}}

    listing = client.get(reverse("workspace:firm_templates", args=[firm.pk])).content.decode()
    assert "Comex 360 v2" in listing
    assert client.post(reverse("workspace:firm_template_delete", args=[firm.pk, template.pk])).status_code == 302
    assert not EngagementTemplate.objects.filter(pk=template.pk).exists()


def test_template_names_are_unique_within_a_firm(firm, consultant, framework, client_for):
    EngagementTemplate.objects.create(firm=firm, name="Comex 360", framework=framework)
    response = client_for(consultant).post(
        reverse("workspace:firm_template_create", args=[firm.pk]), _template_post(framework, name="comex 360")
    )
    assert response.status_code == 200 and response.context["form"].errors["name"]
    other = Firm.objects.create(name="Other")
    EngagementTemplate.objects.create(firm=other, name="Shared name", framework=framework)
    response = client_for(consultant).post(
        reverse("workspace:firm_template_create", args=[firm.pk]), _template_post(framework, name="Shared name")
    )
    assert response.status_code == 302


def test_tampered_targets_are_refused(firm, consultant, framework, client_for):
    response = client_for(consultant).post(
        reverse("workspace:firm_template_create", args=[firm.pk]), _template_post(framework, target_D2="9", importance_D2="0")
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"target_D2", "importance_D2"}


def test_default_targets_clean_reports_every_problem(framework):
    with pytest.raises(ValidationError) as caught:
        workspace_services.default_targets_clean(
            framework=framework,
            raw={
                "D99": {"target": 3},
                "D1": {"target": 0},
                "D2": {"importance": 4},
                "D3": {"target": True},
                "D4": {"colour": 1},
                "D5": 3,
            },
        )
    assert len(caught.value.messages) == 6
    assert workspace_services.default_targets_clean(framework=framework, raw={"D2": {"importance": 1}, "D1": {"target": 5}}) == {
        "D1": {"target": 5},
        "D2": {"importance": 1},
    }
    assert workspace_services.default_targets_clean(framework=framework, raw=None) == {}


# --------------------------------------------------------------------------- the consultant's home


def _client_org(consultant, n, framework, *, with_round=True, activity_minutes=None):
    organisation = Organisation.objects.create(name=f"Client {n:02d}", slug=f"client-{n:02d}")
    Membership.objects.create(user=consultant, organisation=organisation, role="facilitator")
    if not with_round:
        return organisation
    Round.objects.create(organisation=organisation, framework=framework, title=f"Old round {n}", status=RoundStatus.PUBLISHED)
    latest = Round.objects.create(organisation=organisation, framework=framework, title=f"Round {n}", status=RoundStatus.OPEN)
    now = timezone.now()
    for i in range(4):
        user = UserFactory(email=f"p{i}@client-{n}.test")
        Participant.objects.create(
            round=latest,
            user=user,
            function="ceo",
            nonce="x",
            submitted_at=now if i < 3 else None,
            last_activity_at=now - timedelta(minutes=activity_minutes if activity_minutes is not None else n + i),
            withdrawn_at=now if i == 2 else None,  # withdrawn: counts nowhere
        )
    return organisation


def test_home_shows_the_state_of_each_organisations_latest_round(consultant, framework, client_for):
    _client_org(consultant, 1, framework)
    _client_org(consultant, 2, framework, with_round=False)
    response = client_for(consultant).get(reverse("workspace:home"))
    html = response.content.decode()
    assert "Round 1" in html and "Old round 1" not in html
    assert "cx-status-open" in html
    assert "cx-w-67" in html and "67 %" in html  # 2 of 3 (not withdrawn) submitted, half-up like every figure
    rows = {m.organisation.name: m for m in response.context["memberships"]}
    assert rows["Client 01"].latest_round.completion == 67
    assert rows["Client 01"].latest_round.participant_count == 3
    assert rows["Client 01"].last_activity is not None
    assert rows["Client 02"].latest_round is None and rows["Client 02"].last_activity is None
    assert inline_problems(html) == []


def test_home_filters_by_name_and_sorts_by_last_activity(consultant, framework, client_for):
    _client_org(consultant, 1, framework, activity_minutes=300)
    _client_org(consultant, 2, framework, activity_minutes=5)
    _client_org(consultant, 3, framework, with_round=False)
    client = client_for(consultant)
    by_activity = [
        m.organisation.name for m in client.get(reverse("workspace:home"), {"sort": "activity"}).context["memberships"]
    ]
    assert by_activity == ["Client 02", "Client 01", "Acme Retail", "Client 03"]  # never active: last, by name
    by_name = [m.organisation.name for m in client.get(reverse("workspace:home")).context["memberships"]]
    assert by_name == ["Acme Retail", "Client 01", "Client 02", "Client 03"]
    filtered = client.get(reverse("workspace:home"), {"q": "ent 02"}).context["memberships"]
    assert [m.organisation.name for m in filtered] == ["Client 02"]
    nothing = client.get(reverse("workspace:home"), {"q": "zzz"})
    assert "zzz" in nothing.content.decode() and list(nothing.context["memberships"]) == []


def test_home_hides_rounds_a_member_may_not_see(org, framework, client_for):
    """A respondent does not learn about a draft round; a sponsor sees open rounds but not drafts."""
    Round.objects.create(organisation=org, framework=framework, title="Visible open", status=RoundStatus.OPEN)
    Round.objects.create(organisation=org, framework=framework, title="Secret draft", status=RoundStatus.DRAFT)
    facilitator = client_for(org.members_by_role["facilitator"]).get(reverse("workspace:home")).content.decode()
    sponsor = client_for(org.members_by_role["sponsor"]).get(reverse("workspace:home")).content.decode()
    respondent = client_for(org.members_by_role["respondent"]).get(reverse("workspace:home")).content.decode()
    assert "Secret draft" in facilitator
    assert "Visible open" in sponsor and "Secret draft" not in sponsor
    assert "Visible open" not in respondent and "Secret draft" not in respondent


def _home_queries(client) -> int:
    client.get(reverse("workspace:home"))  # warm the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("workspace:home"), {"sort": "activity"}).status_code == 200
    return len(queries)


def test_home_queries_do_not_grow_with_organisations(consultant, firm, framework, client_for, django_assert_max_num_queries):
    client = client_for(consultant)
    for n in range(3):
        _client_org(consultant, n, framework)
    few = _home_queries(client)
    for n in range(3, 30):
        _client_org(consultant, n, framework)
    with django_assert_max_num_queries(few):
        response = client.get(reverse("workspace:home"), {"sort": "activity"})
    assert len(response.context["memberships"]) == 31  # 30 clients and "acme"
    assert few <= 8
