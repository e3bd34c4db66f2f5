"""A round's anonymity is frozen once it has been opened, even after going back to draft."""

import pytest
from django.urls import reverse
from django.utils import translation

from assessments import services
from assessments.models import Round

pytestmark = pytest.mark.django_db


def reason() -> str:
    # Pages are French by default; compared through gettext so the test holds before and after the catalogue update.
    with translation.override("fr"):
        return translation.gettext("Fixed: the round has been opened and people answered under this promise.")


@pytest.fixture
def anonymous_round_back_to_draft(org, framework):
    round_ = services.round_create(
        organisation=org, user=org.members_by_role["facilitator"], framework=framework, title="Pulse", anonymous=True
    )
    services.round_transition(round_=round_, to="open")
    services.round_transition(round_=round_, to="draft")
    return Round.objects.get(pk=round_.pk)


def edit_data(round_, **changes) -> dict:
    """The edit form as shown (every field but the anonymity box), with `changes`."""
    from assessments.forms import RoundEditForm

    form = RoundEditForm(instance=round_)
    data = {name: form[name].value() for name in form.fields if name != "anonymous"}
    return {k: "" if v is None else v for k, v in {**data, **changes}.items()}


def edit_url(round_):
    return reverse("assessments:round_edit", args=[round_.organisation.slug, round_.pk])


def test_form_shows_anonymity_read_only_with_its_reason(org, anonymous_round_back_to_draft, client_for):
    page = client_for(org.members_by_role["facilitator"]).get(edit_url(anonymous_round_back_to_draft)).content.decode()
    checkbox = next(tag for tag in page.split("<input") if 'name="anonymous"' in tag)
    assert "disabled" in checkbox and "checked" in checkbox
    assert reason() in page


def test_a_never_opened_draft_still_lets_anonymity_change(org, framework, client_for):
    round_ = services.round_create(
        organisation=org, user=org.members_by_role["facilitator"], framework=framework, title="Pulse", anonymous=True
    )
    client = client_for(org.members_by_role["facilitator"])
    checkbox = next(tag for tag in client.get(edit_url(round_)).content.decode().split("<input") if 'name="anonymous"' in tag)
    assert "disabled" not in checkbox
    assert client.post(edit_url(round_), edit_data(round_, title="Pulse")).status_code == 302
    assert Round.objects.get(pk=round_.pk).anonymous is False


def test_forged_post_cannot_lift_anonymity(org, anonymous_round_back_to_draft, client_for):
    round_ = anonymous_round_back_to_draft
    # Unticking the box is sending no "anonymous" field; a forged "off" value changes nothing either.
    for forged in ({}, {"anonymous": ""}, {"anonymous": "off"}):
        response = client_for(org.members_by_role["facilitator"]).post(
            edit_url(round_), edit_data(round_, title="Renamed", **forged)
        )
        assert response.status_code == 302
        stored = Round.objects.get(pk=round_.pk)
        assert (stored.title, stored.anonymous) == ("Renamed", True)


def test_service_refuses_a_change_of_anonymity_after_opening(anonymous_round_back_to_draft):
    round_ = anonymous_round_back_to_draft
    with pytest.raises(services.AnonymityFrozenError):
        services.round_update(round_=round_, title="Renamed", due_date=None, anonymous=False)
    stored = Round.objects.get(pk=round_.pk)
    assert (stored.title, stored.anonymous) == ("Pulse", True)
