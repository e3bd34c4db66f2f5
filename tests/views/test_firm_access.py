"""Access matrix for the firm workspace: anonymous → login, a member of another firm (or of none) → 404, a member → the page."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from organisations.models import Firm
from workspace.models import EngagementTemplate

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

OK, REDIRECT, NOT_FOUND = 200, 302, 404

# (url name, method, status for a member of the firm); kwargs are filled from the fixtures below.
MATRIX = [
    ("workspace:firm_home", "get", REDIRECT),
    ("workspace:firm_settings", "get", OK),
    ("workspace:firm_settings", "post", REDIRECT),
    ("workspace:firm_brand_css", "get", OK),
    ("workspace:firm_logo", "get", OK),
    ("workspace:firm_templates", "get", OK),
    ("workspace:firm_template_create", "get", OK),
    ("workspace:firm_template_edit", "get", OK),
    ("workspace:firm_template_delete", "get", OK),
    ("workspace:firm_template_delete", "post", REDIRECT),
]


def png_bytes(colour="#7a1f4e", size=(40, 20)) -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def firm(org, framework):
    firm = Firm.objects.create(name="Conseil & Associés", brand_colour="#7a1f4e")
    firm.logo.save("firm.png", ContentFile(png_bytes()), save=True)
    firm.members.add(org.members_by_role["facilitator"])
    firm.template = EngagementTemplate.objects.create(firm=firm, name="Comex 360", framework=framework)
    return firm


@pytest.fixture
def other_firm_member(framework):
    other = Firm.objects.create(name="Rival Partners")
    member = UserFactory(email="consultant@rival.test")
    other.members.add(member)
    EngagementTemplate.objects.create(firm=other, name="Rival template", framework=framework)
    return member


def _kwargs(name, firm):
    if name.endswith("firm_home"):
        return {}
    kwargs = {"firm_id": firm.pk}
    if "firm_template_" in name and not name.endswith("_create"):
        kwargs["template_id"] = firm.template.pk
    return kwargs


def _data(name, method):
    if method != "post":
        return None
    return {"name": "Conseil & Associés", "brand_colour": "#7a1f4e"} if name.endswith("firm_settings") else {}


@pytest.mark.parametrize(("name", "method", "expected"), MATRIX, ids=[f"{m[0]}-{m[1]}" for m in MATRIX])
@pytest.mark.parametrize("who", ["anonymous", "other_firm", "no_firm", "member"])
def test_access(name, method, expected, who, org, firm, other_firm_member, client_for):
    user = {"anonymous": None, "other_firm": other_firm_member, "no_firm": org.members_by_role["sponsor"]}.get(who)
    if who == "member":
        user = org.members_by_role["facilitator"]
    url = reverse(name, kwargs=_kwargs(name, firm))
    response = getattr(client_for(user), method)(url, _data(name, method))
    if who == "anonymous":
        assert response.status_code == REDIRECT
        assert response.url.startswith(reverse("accounts:login"))
    elif who == "other_firm" and name.endswith("firm_home"):
        # /firm/ leads everyone to their own firm, never to this one.
        assert response.status_code == REDIRECT
        assert response.url != reverse("workspace:firm_settings", args=[firm.pk])
    elif who in ("other_firm", "no_firm"):
        assert response.status_code == NOT_FOUND
        assert b"Conseil" not in response.content
    else:
        assert response.status_code == expected


def test_every_firm_url_is_in_the_matrix():
    """A new firm URL must be added to the matrix above."""
    from workspace import urls

    firm_urls = {f"workspace:{p.name}" for p in urls.urlpatterns if str(p.pattern).startswith("firm/")}
    assert firm_urls == {m[0] for m in MATRIX}


def test_firm_home_redirects_to_my_firm(org, firm, client_for):
    response = client_for(org.members_by_role["facilitator"]).get(reverse("workspace:firm_home"))
    assert response.url == reverse("workspace:firm_settings", args=[firm.pk])


@pytest.mark.parametrize("name", ["workspace:firm_template_edit", "workspace:firm_template_delete"])
def test_another_firms_template_is_not_found_through_my_firm(name, org, firm, other_firm_member, client_for):
    theirs = EngagementTemplate.objects.get(name="Rival template")
    client = client_for(org.members_by_role["facilitator"])
    assert client.get(reverse(name, args=[firm.pk, theirs.pk])).status_code == NOT_FOUND
    assert client.post(reverse(name, args=[firm.pk, theirs.pk]), {}).status_code == NOT_FOUND
    assert EngagementTemplate.objects.filter(pk=theirs.pk).exists()
