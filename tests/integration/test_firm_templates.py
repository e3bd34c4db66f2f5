"""Engagement templates start rounds: pre-filled framework and anonymity, the introduction, default targets."""

import pytest
from django.urls import reverse
from django.utils import translation

from assessments import services as assessment_services
from assessments.domain.snapshot import DimensionResult
from assessments.models import Round, RoundStatus
from organisations.models import Firm
from roadmaps.models import Target
from roadmaps.services import targets_ensure
from workspace.models import EngagementTemplate, RoundOrigin
from workspace.selectors import round_template
from workspace.services import engagement_template_delete, round_create_from_template

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultant(org):
    return org.members_by_role["facilitator"]


@pytest.fixture
def template(consultant, framework):
    firm = Firm.objects.create(name="Conseil & Associés")
    firm.members.add(consultant)
    return EngagementTemplate.objects.create(
        firm=firm,
        name="Comex 360",
        framework=framework,
        anonymous=True,
        introduction_fr="Bienvenue dans notre démarche Comex 360.",
        introduction_en="Welcome to our Comex 360 engagement.",
        default_targets={"D1": {"target": 4, "importance": 3}, "D2": {"importance": 1}, "D3": {"target": 2}},
    )


def _started_from(round_, template):
    """Links a round to a template as starting it from the template does."""
    RoundOrigin.objects.create(round=round_, template=template)


def _row(key, stage=2, *, unscored=False):
    """A dimension row of the stored results (what targets are started from): scored at ``stage`` unless unscored."""
    return DimensionResult(
        key=key,
        weight=1,
        score=None if unscored else float(stage),
        index=None,
        stage=None if unscored else stage,
        answered=0,
        dont_know=0,
        dont_know_rate=None,
        low_evidence=False,
        agreement=None,
        unscored=unscored,
    )


def _scores(**stages):
    """Dimension rows as the results snapshot gives them: D1…D10, stage 2 unless told."""
    return [_row(f"D{i}", stages.get(f"D{i}", 2)) for i in range(1, 11)]


# --------------------------------------------------------------------------- the round form


def test_picking_a_template_prefills_framework_and_anonymity(org, consultant, template, client_for):
    client = client_for(consultant)
    plain = client.get(reverse("workspace:round_create", args=[org.slug]))
    assert "Comex 360" in plain.content.decode()  # the picker lists the firm's templates
    assert plain.context["form"]["anonymous"].value() in (False, None)
    page = client.get(reverse("workspace:round_create", args=[org.slug]), {"template": template.pk})
    form = page.context["form"]
    assert form.chosen_template == template
    assert form["anonymous"].value() is True
    assert str(form["framework"].value()) == str(template.framework_id)
    assert f'name="template" value="{template.pk}"' in page.content.decode()


def test_creating_a_round_from_a_template_links_it(org, consultant, template, framework, client_for):
    response = client_for(consultant).post(
        reverse("workspace:round_create", args=[org.slug]),
        {"title": "Comex 2027", "framework": framework.pk, "anonymous": "on", "template": template.pk},
    )
    assert response.status_code == 302
    round_ = Round.objects.get(title="Comex 2027")
    assert round_template(round_) == template and round_.anonymous and round_.created_by == consultant


def test_the_prefill_can_be_overridden(org, consultant, template, framework, client_for):
    client_for(consultant).post(
        reverse("workspace:round_create", args=[org.slug]),
        {"title": "Attributed", "framework": framework.pk, "template": template.pk},
    )
    round_ = Round.objects.get(title="Attributed")
    assert round_template(round_) == template and not round_.anonymous


def test_a_template_of_another_firm_is_refused(org, template, framework, client_for):
    other = Firm.objects.create(name="Rival Partners")
    theirs = EngagementTemplate.objects.create(firm=other, name="Rival", framework=framework)
    response = client_for(org.members_by_role["facilitator"]).post(
        reverse("workspace:round_create", args=[org.slug]),
        {"title": "Sneaky", "framework": framework.pk, "template": theirs.pk},
    )
    assert not Round.objects.filter(title="Sneaky").exists()
    assert response.status_code == 200 and response.context["form"].errors["template"]
    assert "ne fait pas partie des modèles de votre cabinet" in response.content.decode().replace("&#x27;", "'")


def test_a_posted_template_is_ignored_for_a_facilitator_without_a_firm(org, framework, client_for):
    theirs = EngagementTemplate.objects.create(firm=Firm.objects.create(name="Rival Partners"), name="Rival", framework=framework)
    client_for(org.members_by_role["facilitator"]).post(
        reverse("workspace:round_create", args=[org.slug]), {"title": "Plain", "framework": framework.pk, "template": theirs.pk}
    )
    assert round_template(Round.objects.get(title="Plain")) is None


def test_a_facilitator_without_a_firm_sees_no_picker(org, client_for):
    page = client_for(org.members_by_role["facilitator"]).get(reverse("workspace:round_create", args=[org.slug]))
    assert "template" not in page.context["form"].fields
    assert 'id="cx-round-template"' not in page.content.decode()


def test_the_service_refuses_a_template_of_a_firm_the_user_is_not_in(org, framework):
    from django.core.exceptions import PermissionDenied

    theirs = EngagementTemplate.objects.create(firm=Firm.objects.create(name="Rival"), name="Rival", framework=framework)
    with pytest.raises(PermissionDenied):
        round_create_from_template(
            organisation=org, user=org.members_by_role["facilitator"], template=theirs, framework=framework, title="No"
        )
    assert not Round.objects.filter(title="No").exists()


# --------------------------------------------------------------------------- the introduction


def _sign_in_page(client, round_, user, language):
    participant = round_.participants.get(user=user)
    token = assessment_services.participant_new_link(participant)
    client.cookies["django_language"] = language
    with translation.override(language):
        return client.get(reverse("assessments:sign_in", args=[token]), HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_participants_read_the_introduction_on_the_sign_in_page(org, consultant, template, framework, client):
    round_ = round_create_from_template(
        organisation=org, user=consultant, template=template, framework=framework, title="Comex 2027"
    )
    respondent = org.members_by_role["respondent"]
    assessment_services.participant_invite(round_=round_, email=respondent.email, function="cfo")
    Round.objects.filter(pk=round_.pk).update(status=RoundStatus.OPEN)
    round_.refresh_from_db()
    assert "Bienvenue dans notre démarche Comex 360." in _sign_in_page(client, round_, respondent, "fr")
    assert "Welcome to our Comex 360 engagement." in _sign_in_page(client, round_, respondent, "en")
    template.introduction_en = ""
    template.save()
    assert "Bienvenue dans notre démarche" in _sign_in_page(client, round_, respondent, "en")  # falls back to French


def test_introduction_property_falls_back_between_languages(template):
    template.introduction_fr = ""
    with translation.override("fr"):
        assert template.introduction == "Welcome to our Comex 360 engagement."


# --------------------------------------------------------------------------- default targets


def test_template_targets_become_the_rounds_starting_targets(org, consultant, template, framework):
    round_ = assessment_services.round_create(organisation=org, user=consultant, framework=framework, title="T")
    _started_from(round_, template)
    targets = targets_ensure(round_=round_, dimension_scores=_scores(D4=4))
    assert (targets["D1"].target, targets["D1"].importance) == (4, 3)
    assert (targets["D2"].target, targets["D2"].importance) == (3, 1)  # importance only: target by default (stage + 1)
    assert (targets["D3"].target, targets["D3"].importance) == (2, 2)
    assert (targets["D4"].target, targets["D4"].importance) == (5, 2)  # no template value: min(5, stage + 1)


def test_previous_round_targets_take_precedence_over_the_template(org, consultant, template, framework):
    first = assessment_services.round_create(organisation=org, user=consultant, framework=framework, title="2026")
    targets_ensure(round_=first, dimension_scores=_scores())
    Target.objects.filter(round=first, dimension__key="D1").update(target=5, importance=1)
    second = assessment_services.round_create(
        organisation=org, user=consultant, framework=framework, title="2027", previous=first
    )
    _started_from(second, template)
    targets = targets_ensure(round_=second, dimension_scores=_scores())
    assert (targets["D1"].target, targets["D1"].importance) == (5, 1)  # the previous round wins
    assert (targets["D3"].target, targets["D3"].importance) == (3, 2)  # the previous round's default, not the template's 2


def test_stored_targets_do_not_change_when_the_template_does(org, consultant, template, framework):
    round_ = assessment_services.round_create(organisation=org, user=consultant, framework=framework, title="T")
    _started_from(round_, template)
    targets_ensure(round_=round_, dimension_scores=_scores())
    template.default_targets = {"D1": {"target": 1}}
    template.save()
    assert targets_ensure(round_=round_, dimension_scores=_scores())["D1"].target == 4


def test_unscored_dimensions_get_no_target_even_from_a_template(org, consultant, template, framework):
    round_ = assessment_services.round_create(organisation=org, user=consultant, framework=framework, title="T")
    _started_from(round_, template)
    rows = _scores()
    rows[0] = _row("D1", unscored=True)
    assert "D1" not in targets_ensure(round_=round_, dimension_scores=rows)


def test_malformed_template_values_fall_back_to_the_defaults(org, consultant, template, framework):
    EngagementTemplate.objects.filter(pk=template.pk).update(default_targets={"D1": {"target": 9, "importance": "3"}, "D2": "x"})
    round_ = assessment_services.round_create(organisation=org, user=consultant, framework=framework, title="T")
    _started_from(round_, template)
    targets = targets_ensure(round_=round_, dimension_scores=_scores())
    assert (targets["D1"].target, targets["D1"].importance) == (3, 2)
    assert targets["D2"].target == 3


def test_results_page_stores_the_templates_targets(template, framework, client_for):
    from accounts.models import User
    from bench.fixtures import build_round
    from organisations.models import Membership

    round_, _user = build_round(respondents=3, slug="tpl-org")
    _started_from(round_, template)
    assessment_services.round_transition(round_=round_, to="closed")
    facilitator = User.objects.create_user(email="f@tpl.test", password="x-pass-12345")
    Membership.objects.create(user=facilitator, organisation=round_.organisation, role="facilitator")
    assert client_for(facilitator).get(reverse("assessments:results", args=["tpl-org", round_.pk])).status_code == 200
    d1 = Target.objects.get(round=round_, dimension__key="D1")
    assert (d1.target, d1.importance) == (4, 3)


def test_deleting_a_template_keeps_its_rounds(org, consultant, template, framework):
    round_ = round_create_from_template(
        organisation=org, user=consultant, template=template, framework=framework, title="Kept", anonymous=True
    )
    engagement_template_delete(template=template)
    round_.refresh_from_db()
    assert round_template(round_) is None and round_.anonymous
    assert RoundOrigin.objects.get(round=round_).template is None


def test_the_welcome_screen_shows_the_template_s_introduction(org, consultant, template, framework, client_for):
    """workspace fills the questionnaire's introduction slot (assessments/panels.py): the welcome shows it."""
    round_ = round_create_from_template(
        organisation=org, user=consultant, template=template, framework=framework, title="Comex 2027"
    )
    respondent = org.members_by_role["respondent"]
    assessment_services.participant_invite(round_=round_, email=respondent.email, function="cfo")
    Round.objects.filter(pk=round_.pk).update(status=RoundStatus.OPEN)
    welcome = client_for(respondent).get(reverse("assessments:answer_welcome", args=[org.slug, round_.pk]))
    assert welcome.status_code == 200
    assert "Bienvenue dans notre démarche Comex 360." in welcome.content.decode()
