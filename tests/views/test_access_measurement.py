"""Access matrix for every KPI register URL: anonymous → login, outsider → 404, each role → the rights table."""

import pytest
from django.urls import reverse

from measurement import urls
from measurement.demo import seed_demo_measurements
from measurement.models import Measurement

pytestmark = pytest.mark.django_db

OK, FOUND, FORBIDDEN = 200, 302, 403
F, S, R, V = "facilitator", "sponsor", "respondent", "viewer"


def allow(status, *roles):
    return {role: (status if role in roles else FORBIDDEN) for role in (F, S, R, V)}


EVERYONE = (F, S, R, V)
MANAGERS = (F, S)

# (url name, method, extra kwargs, POST data, expected per role); "measurement" stands for acme's NPS 2026-Q3.
MATRIX = [
    ("register", "get", {}, None, allow(OK, *EVERYONE)),
    ("tree", "get", {}, None, allow(OK, *EVERYONE)),
    ("trend", "get", {"metric": "nps"}, None, allow(OK, *EVERYONE)),
    ("import", "get", {}, None, allow(OK, *MANAGERS)),
    ("create", "get", {}, None, allow(OK, *MANAGERS)),
    ("edit", "get", {"measurement_id": "measurement"}, None, allow(OK, *MANAGERS)),
    ("delete", "post", {"measurement_id": "measurement"}, {}, allow(OK, *MANAGERS)),  # asks first (issue #13)
    ("delete", "post", {"measurement_id": "measurement"}, {"confirm": "1"}, allow(FOUND, *MANAGERS)),
]


@pytest.fixture
def measurement(org):
    seed_demo_measurements(org)
    return Measurement.objects.get(organisation=org, metric="nps", period="2026-Q3")


def _url(name, extra, measurement, org):
    kwargs = {"slug": org.slug}
    for key, value in extra.items():
        kwargs[key] = measurement.pk if value == "measurement" else value
    return reverse(f"measurement:{name}", kwargs=kwargs)


@pytest.mark.parametrize(("name", "method", "extra", "data", "expected"), MATRIX, ids=[m[0] for m in MATRIX])
@pytest.mark.parametrize("who", ["anonymous", "outsider", F, S, R, V])
def test_access(name, method, extra, data, expected, who, org, outsider, measurement, client_for):
    user = {"anonymous": None, "outsider": outsider}.get(who) or org.members_by_role.get(who)
    response = getattr(client_for(user), method)(_url(name, extra, measurement, org), data)
    if who == "anonymous":
        assert response.status_code == FOUND and response.url.startswith(reverse("accounts:login"))
    elif who == "outsider":
        assert response.status_code == 404
        assert b"Acme" not in response.content and b"Enqu" not in response.content
    else:
        assert response.status_code == expected[who]


def test_every_measurement_url_is_in_the_matrix():
    assert {p.name for p in urls.urlpatterns} == {m[0] for m in MATRIX}


def test_every_measurement_url_is_scoped_to_an_organisation():
    assert all("<slug:slug>" in str(p.pattern) for p in urls.urlpatterns)


@pytest.mark.parametrize(("name", "method"), [("edit", "get"), ("delete", "post")])
def test_a_value_of_another_organisation_is_404_through_my_own(name, method, org, outsider, measurement, client_for):
    """The outsider is facilitator of other-corp: acme's value id under their own slug does not exist for them."""
    url = reverse(f"measurement:{name}", kwargs={"slug": "other-corp", "measurement_id": measurement.pk})
    assert getattr(client_for(outsider), method)(url).status_code == 404
    assert Measurement.objects.filter(pk=measurement.pk).exists()


def test_unknown_metric_trend_is_404(org, client_for):
    url = reverse("measurement:trend", kwargs={"slug": org.slug, "metric": "happiness"})
    assert client_for(org.members_by_role[V]).get(url).status_code == 404


def test_delete_needs_post(org, measurement, client_for):
    url = reverse("measurement:delete", kwargs={"slug": org.slug, "measurement_id": measurement.pk})
    assert client_for(org.members_by_role[F]).get(url).status_code == 405


def _controls(client, org, measurement):
    register = client.get(reverse("measurement:register", args=[org.slug])).content.decode()
    trend = client.get(reverse("measurement:trend", args=[org.slug, "nps"])).content.decode()
    return (
        reverse("measurement:import", args=[org.slug]) in register,
        reverse("measurement:create", args=[org.slug]) in register + trend,
        reverse("measurement:edit", args=[org.slug, measurement.pk]) in trend,
        reverse("measurement:delete", args=[org.slug, measurement.pk]) in trend,
    )


@pytest.mark.parametrize("who", [R, V])
def test_readers_see_no_editing_controls(who, org, measurement, client_for):
    assert _controls(client_for(org.members_by_role[who]), org, measurement) == (False, False, False, False)


@pytest.mark.parametrize("who", [F, S])
def test_managers_see_editing_controls(who, org, measurement, client_for):
    assert _controls(client_for(org.members_by_role[who]), org, measurement) == (True, True, True, True)


def test_nav_links_to_the_register_for_every_member(org, client_for):
    for who in (F, S, R, V):
        content = client_for(org.members_by_role[who]).get(reverse("workspace:detail", args=[org.slug])).content.decode()
        assert reverse("measurement:register", args=[org.slug]) in content
