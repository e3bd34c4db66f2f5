"""The organisation's choices for its RACI: which activities appear (roles page), the catalogue a round
asks about, and the names of its committee and chief executive (settings page)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from assessments.models import Framework, RaciAnswer, Round
from assessments.raci_catalogue import catalogue_for, framework_catalogue
from audit.models import AuditEvent
from organisations.forms import OrganisationForm
from organisations.models import ChiefExecutive, Committee, Organisation
from roadmaps import services
from roadmaps.demo import seed_demo_roadmap
from roadmaps.exports import raci_errors, raci_export
from roadmaps.models import OrgActivity, OrgRole, RaciCell, RoadmapItem
from roadmaps.org_choices import organisation_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(framework):
    call_command("seed_demo", stdout=StringIO())
    round_ = Round.objects.get(organisation__slug="demo-retail")
    seed_demo_roadmap(round_)
    return round_


@pytest.fixture
def facilitator(demo, client_for):
    from accounts.models import User

    return client_for(User.objects.get(email="consultant@demo.test"))


def english():
    """Pages in English for every user (a page's language is its reader's, not the test's)."""
    from accounts.models import User

    User.objects.update(language="en")


def roles_url(organisation):
    return reverse("roadmaps:roles", args=[organisation.slug])


def settings_url(organisation):
    return reverse("organisations:settings", args=[organisation.slug])


def hide(client, organisation, key, *, confirm=False, hidden="1"):
    data = {"do": "activity", "activity": key, "hidden": hidden}
    if confirm:
        data["confirm"] = "1"
    return client.post(roles_url(organisation), data)


def owned_activity(round_):
    """An activity that gives an initiative of the round its owner."""
    item = RoadmapItem.objects.filter(round=round_, owner_overridden=False, owner_role__isnull=False).exclude(activity="")
    return item.first().activity


# --------------------------------------------------------------------------- activities on the roles page


def test_roles_page_lists_every_activity_with_hide_and_show(org, client_for, framework_v2):
    english()
    client = client_for(org.members_by_role["facilitator"])
    with translation.override("en"):
        body = client.get(roles_url(org)).content.decode()
    activities = list(framework_v2.raci_activities.order_by("position"))
    assert "RACI roles and activities" in body
    for activity in activities:
        assert f'id="activity-{activity.key}"' in body
        assert activity.title_en in body
    assert body.count('name="do" value="activity"') == len(activities)
    # Hidden: the row says so and offers Show instead of Hide.
    with translation.override("en"):
        assert hide(client, org, activities[0].key).status_code == 302  # unused: no confirmation
        body = client.get(roles_url(org)).content.decode()
    row = body.split(f'id="activity-{activities[0].key}"')[1].split("</tr>")[0]
    assert "hidden</span>" in row and ">Show<" in row and ">Hide<" not in row


def test_hiding_and_showing_an_activity_is_audited(org, client_for, framework_v2):
    english()
    client = client_for(org.members_by_role["facilitator"])
    key = framework_v2.raci_activities.order_by("position").first().key
    response = hide(client, org, key)
    assert response.status_code == 302 and response["Location"].endswith(f"#activity-{key}")
    assert OrgActivity.objects.get(organisation=org, key=key).hidden
    hide(client, org, key, hidden="0")
    assert not OrgActivity.objects.get(organisation=org, key=key).hidden
    events = list(AuditEvent.objects.filter(organisation=org, kind="activity").order_by("pk"))
    assert [e.changes[0]["before"] for e in events] == [False, True]
    assert [e.changes[0]["after"] for e in events] == [True, False]
    assert all(e.actor == org.members_by_role["facilitator"] for e in events)
    with translation.override("en"):
        log = client.get(reverse("organisations:audit_log", args=[org.slug])).content.decode()
    assert "RACI activity" in log


def test_the_last_shown_activity_cannot_be_hidden(org, client_for, framework_v2):
    english()
    client = client_for(org.members_by_role["facilitator"])
    keys = list(framework_v2.raci_activities.order_by("position").values_list("key", flat=True))
    OrgActivity.objects.bulk_create(OrgActivity(organisation=org, key=k, hidden=True) for k in keys[1:])
    with translation.override("en"):
        response = client.post(roles_url(org), {"do": "activity", "activity": keys[0], "hidden": "1"}, follow=True)
    assert "At least one RACI activity stays shown" in response.content.decode()
    assert not OrgActivity.objects.filter(organisation=org, key=keys[0]).exists()


def test_an_unknown_activity_is_refused_with_a_message(org, client_for, framework_v2):
    english()
    client = client_for(org.members_by_role["facilitator"])
    with translation.override("en"):
        response = client.post(roles_url(org), {"do": "activity", "activity": "no-such", "hidden": "1"}, follow=True)
    assert response.status_code == 200
    assert "Unknown RACI activity." in response.content.decode()
    assert not OrgActivity.objects.filter(organisation=org).exists()


def test_activity_visibility_access(org, client_for, outsider, framework_v2):
    key = framework_v2.raci_activities.order_by("position").first().key
    data = {"do": "activity", "activity": key, "hidden": "1"}
    anonymous = client_for(None).post(roles_url(org), data)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    stranger = client_for(outsider).post(roles_url(org), data)
    assert stranger.status_code == 404 and org.name not in stranger.content.decode()
    for role in ("sponsor", "respondent", "viewer"):
        assert client_for(org.members_by_role[role]).post(roles_url(org), data).status_code == 403
        assert client_for(org.members_by_role[role]).get(roles_url(org)).status_code == 403
    assert not OrgActivity.objects.filter(organisation=org).exists()


def test_hiding_an_activity_in_use_is_confirmed_and_owners_follow(demo, facilitator):
    english()
    org = demo.organisation
    key = owned_activity(demo)
    items = list(RoadmapItem.objects.filter(round=demo, activity=key, owner_overridden=False, owner_role__isnull=False))
    letters = RaciCell.objects.filter(round=demo, activity=key).count()
    assert items and letters
    with translation.override("en"):
        asked = hide(facilitator, org, key)
    body = asked.content.decode()
    assert asked.status_code == 200 and 'name="confirm"' in body
    assert f"Its {letters} letters in the to-be RACI stop counting" in body
    assert f"{len(items)} initiative" in body
    assert not OrgActivity.objects.filter(organisation=org, key=key).exists()  # nothing yet
    assert hide(facilitator, org, key, confirm=True).status_code == 302
    assert OrgActivity.objects.get(organisation=org, key=key).hidden
    for item in items:
        item.refresh_from_db()
        assert item.owner_role is None
    # Letters are kept, not counted: not in the grid, the export's cells, nor the validation.
    assert RaciCell.objects.filter(round=demo, activity=key).count() == letters
    grid = facilitator.get(reverse("roadmaps:raci", args=[org.slug, demo.pk])).content.decode()
    assert f'name="cell-{key}-' not in grid
    export = raci_export(demo)
    assert export["to_be"]["cells"] and all(c["activity"] != key for c in export["to_be"]["cells"])
    assert all(row["activity"] != key for row in export["as_is"])
    assert all(e["activity"] != key for e in raci_errors(demo))
    # Shown again: the letters count again and the owners come back.
    hide(facilitator, org, key, hidden="0")
    for item in items:
        item.refresh_from_db()
        assert item.owner_role is not None
    assert any(c["activity"] == key for c in raci_export(demo)["to_be"]["cells"])


def test_the_proposal_leaves_hidden_activities_out(demo):
    org = demo.organisation
    key = owned_activity(demo)
    OrgActivity.objects.create(organisation=org, key=key, hidden=True)
    services.raci_propose(round_=demo)
    assert RaciCell.objects.filter(round=demo).exists()
    assert not RaciCell.objects.filter(round=demo, activity=key).exists()
    assert raci_errors(demo) == []  # a hidden activity without an A is no error
    with pytest.raises(services.RoadmapError) as refused:
        services.raci_set_cell(round_=demo, activity=key, role="cxo", letter="A")
    assert refused.value.code == "unknown_activity"


def test_a_custom_initiative_cannot_pick_a_hidden_activity(demo, facilitator):
    org = demo.organisation
    key = owned_activity(demo)
    OrgActivity.objects.create(organisation=org, key=key, hidden=True)
    page = facilitator.get(reverse("roadmaps:roadmap", args=[org.slug, demo.pk])).content.decode()
    assert 'name="activity"' in page and f'<option value="{key}"' not in page


# --------------------------------------------------------------------------- the catalogue a round asks about


def test_catalogue_is_the_framework_s_until_the_organisation_chooses(open_round):
    assert organisation_catalogue(open_round) is None
    assert catalogue_for(open_round) == framework_catalogue(open_round.framework)


def test_catalogue_leaves_out_hidden_activities_and_roles_and_uses_renamed_titles(open_round):
    org = open_round.organisation
    services.org_roles_ensure(organisation=org, framework=open_round.framework)
    OrgRole.objects.filter(organisation=org, key="cmo").update(hidden=True)
    OrgRole.objects.filter(organisation=org, key="cfo").update(title_fr="Finance groupe", title_en="Group finance")
    services.org_role_add(organisation=org, key="legal", title_fr="Direction juridique", title_en="Legal")
    activities = list(open_round.framework.raci_activities.order_by("position").values_list("key", flat=True))
    OrgActivity.objects.create(organisation=org, key=activities[1], hidden=True)
    OrgActivity.objects.create(organisation=org, key=activities[2], hidden=False)  # shown again: a row, not hidden
    catalogue = catalogue_for(open_round)
    assert [a.key for a in catalogue.activities] == [k for k in activities if k != activities[1]]
    roles = {r.key: r for r in catalogue.roles}
    assert "cmo" not in roles and "legal" in roles
    assert list(roles)[-1] == "legal"  # the organisation's order
    assert (roles["cfo"].title_fr, roles["cfo"].title_en) == ("Finance groupe", "Group finance")
    with translation.override("en"):
        assert roles["cfo"].tr() == "Group finance"


def test_catalogue_follows_hidden_activities_before_any_role_is_stored(open_round):
    org = open_round.organisation
    key = open_round.framework.raci_activities.order_by("position").first().key
    OrgActivity.objects.create(organisation=org, key=key, hidden=True)
    assert not OrgRole.objects.filter(organisation=org).exists()
    catalogue = catalogue_for(open_round)
    assert key not in [a.key for a in catalogue.activities]
    assert [r.key for r in catalogue.roles] == [r.key for r in framework_catalogue(open_round.framework).roles]


def test_a_hidden_activity_keeps_its_answers(open_round):
    """Hiding stops asking; what was answered stays (showing the activity again brings it back)."""
    participant = open_round.participants.first()
    activity = open_round.framework.raci_activities.order_by("position").first()
    RaciAnswer.objects.create(participant=participant, activity=activity, choice="cxo")
    OrgActivity.objects.create(organisation=open_round.organisation, key=activity.key, hidden=True)
    assert activity.key not in [a.key for a in catalogue_for(open_round).activities]
    assert RaciAnswer.objects.filter(participant=participant, activity=activity).exists()


# --------------------------------------------------------------------------- committee and chief executive


def settings_data(org, **changes):
    data = {
        "name": org.name,
        "sector": org.sector,
        "size_band": org.size_band,
        "country": org.country,
        "brand_colour": org.brand_colour,
        "committee": org.committee,
        "committee_other": org.committee_other,
        "chief_executive": org.chief_executive,
        "chief_executive_other": org.chief_executive_other,
    }
    data.update(changes)
    return data


def test_defaults_keep_today_s_words(org):
    assert (org.committee, org.chief_executive) == (Committee.COMITE_DIRECTION, ChiefExecutive.DG)
    assert org.chief_executive_title_fr() is None  # the framework's « Direction générale »
    with translation.override("en"):
        assert (org.committee_name(), org.chief_executive_name()) == ("executive committee", "CEO")


def test_settings_page_saves_the_committee_and_chief_executive(org, client_for):
    english()
    client = client_for(org.members_by_role["facilitator"])
    with translation.override("en"):
        page = client.get(settings_url(org)).content.decode()
    assert "How your organisation names its leaders" in page and 'name="committee_other"' in page
    response = client.post(settings_url(org), settings_data(org, committee="comex", chief_executive="pdg"))
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.committee, org.chief_executive) == ("comex", "pdg")
    response = client.post(
        settings_url(org), settings_data(org, committee="other", committee_other="  Directoire  ", chief_executive_other="x")
    )
    org.refresh_from_db()
    assert (org.committee, org.committee_other) == ("other", "Directoire")
    assert org.chief_executive_other == ""  # typed beside a choice: the choice wins
    assert org.committee_name() == "Directoire"
    event = AuditEvent.objects.filter(organisation=org, kind="organisation").order_by("pk").last()
    assert {c["field"] for c in event.changes} >= {"committee", "committee_other"}
    # A post that does not know these settings (an older page, a script) keeps them.
    old_page = {
        k: v
        for k, v in settings_data(org, name="Acme Retail Group").items()
        if k in ("name", "sector", "size_band", "country", "brand_colour")
    }
    assert client.post(settings_url(org), old_page).status_code == 302
    org.refresh_from_db()
    assert (org.name, org.committee, org.committee_other, org.chief_executive) == (
        "Acme Retail Group",
        "other",
        "Directoire",
        "pdg",
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("committee_other", "x" * 41, "Ensure this value has at most 40 characters (it has 41)."),
        ("chief_executive_other", "x" * 100_000, "Ensure this value has at most 40 characters"),
        ("committee_other", "", "Type the committee's name, or choose one above."),
        ("chief_executive_other", "   ", "Type the chief executive's title, or choose one above."),
    ],
)
def test_settings_form_refuses_with_a_message(org, client_for, field, value, message):
    english()
    client = client_for(org.members_by_role["facilitator"])
    choice = field.removesuffix("_other")
    with translation.override("en"):
        response = client.post(settings_url(org), settings_data(org, **{choice: "other", field: value}))
    assert response.status_code == 200
    assert escape(message) in response.content.decode()
    org.refresh_from_db()
    assert getattr(org, choice) != "other"


def test_settings_form_nul_and_emoji(org, client_for):
    english()
    # A NUL never reaches the form (the middleware drops it); the form refuses one anyway.
    with translation.override("en"):
        form = OrganisationForm(settings_data(org, committee="other", committee_other="a\x00b"), instance=org)
        assert not form.is_valid() and "Null characters are not allowed." in str(form.errors["committee_other"])
    client = client_for(org.members_by_role["facilitator"])
    response = client.post(settings_url(org), settings_data(org, committee="other", committee_other="Co\x00mex"))
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.committee_other == "Comex"
    emoji = "🎯🚀👩🏽‍💼 comité"
    response = client.post(settings_url(org), settings_data(org, chief_executive="other", chief_executive_other=emoji))
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.chief_executive_name() == emoji
    assert emoji in client.get(settings_url(org)).content.decode()
    # Not a choice: refused by the form, and by the database.
    with translation.override("en"):
        response = client.post(settings_url(org), settings_data(org, committee="politburo"))
    assert response.status_code == 200 and "Select a valid choice." in response.content.decode()


def test_the_ceo_column_takes_the_chief_executive_title(org, client_for, framework_v2):
    framework_title = framework_v2.raci_roles.get(key="ceo").title_fr
    client = client_for(org.members_by_role["facilitator"])
    # Before any role is stored: the defaults shown already carry the setting.
    client.post(settings_url(org), settings_data(org, chief_executive="pdg"))
    org.refresh_from_db()
    assert next(r for r in services.org_roles_starting(organisation=org) if r.key == "ceo").title_fr == "PDG"
    ceo = next(r for r in services.org_roles_ensure(organisation=org) if r.key == "ceo")
    assert (ceo.title_fr, ceo.title_en) == ("PDG", framework_v2.raci_roles.get(key="ceo").title_en)
    # The setting changes: an unrenamed column follows, back to the framework's title for DG.
    client.post(settings_url(org), settings_data(org, chief_executive="other", chief_executive_other="Gérant"))
    assert OrgRole.objects.get(organisation=org, key="ceo").title_fr == "Gérant"
    org.refresh_from_db()
    client.post(settings_url(org), settings_data(org, chief_executive="dg"))
    assert OrgRole.objects.get(organisation=org, key="ceo").title_fr == framework_title
    assert AuditEvent.objects.filter(organisation=org, kind="role", changes__0__field="title_fr").count() == 2
    # Renamed by hand: the organisation's own word stays.
    OrgRole.objects.filter(organisation=org, key="ceo").update(title_fr="Présidence du directoire")
    org.refresh_from_db()
    client.post(settings_url(org), settings_data(org, chief_executive="president"))
    assert OrgRole.objects.get(organisation=org, key="ceo").title_fr == "Présidence du directoire"


def test_the_questionnaire_catalogue_carries_the_chief_executive_title(open_round):
    org = open_round.organisation
    Organisation.objects.filter(pk=org.pk).update(chief_executive="directeur_general")
    round_ = Round.objects.select_related("organisation", "framework").get(pk=open_round.pk)
    roles = {r.key: r for r in catalogue_for(round_).roles}
    assert roles["ceo"].title_fr == "Directeur général"


# --------------------------------------------------------------------------- export and import


def test_choices_travel_with_the_organisation_export(demo, tmp_path):
    from accounts.models import User
    from privacy.portability import export_organisation

    org = demo.organisation
    key = demo.framework.raci_activities.order_by("position").first().key
    OrgActivity.objects.create(organisation=org, key=key, hidden=True)
    Organisation.objects.filter(pk=org.pk).update(
        committee="other", committee_other="Directoire", chief_executive="pdg", chief_executive_other=""
    )
    path = tmp_path / "demo.json"
    call_command("export_organisation", org.slug, "--output", str(path))
    emails = list(User.objects.filter(memberships__organisation=org).values_list("email", flat=True))
    Organisation.objects.filter(pk=org.pk).delete()
    User.objects.filter(email__in=emails).delete()
    call_command("import_organisation", str(path), stdout=StringIO())
    imported = Organisation.objects.get(slug="demo-retail")
    assert (imported.committee, imported.committee_other, imported.chief_executive) == ("other", "Directoire", "pdg")
    assert list(OrgActivity.objects.filter(organisation=imported).values_list("key", "hidden")) == [(key, True)]
    assert export_organisation(imported)["rows"]["roadmaps.OrgActivity"] == [
        {"organisation": {"ref": "organisation"}, "key": key, "hidden": "True"}
    ]


@pytest.fixture
def framework_v2(db):
    return Framework.objects.get(key="cx-governance", version="2.0")
