"""An open framework 2.0 round of the "acme" organisation, as the 2.0 questionnaire tests build it
(tests/views/test_answer_v2_screens.py), for the tests that need one without its fixtures."""

from django.urls import reverse

from assessments import services
from assessments.models import Framework, RoundStatus


def framework_v2():
    # Both 1.0 and 2.0 are loaded: always by version.
    return Framework.objects.get(key="cx-governance", version="2.0")


def open_round_v2(org):
    """Open, with the facilitator, the sponsor and the respondent taking part."""
    round_ = services.round_create(
        organisation=org, user=org.members_by_role["facilitator"], framework=framework_v2(), title="Round 2.0"
    )
    for role, function in (("facilitator", "cxo"), ("sponsor", "ceo"), ("respondent", "cfo")):
        services.participant_invite(round_=round_, email=org.members_by_role[role].email, function=function)
    round_.status = RoundStatus.OPEN
    round_.save(update_fields=["status"])
    return round_


def welcomed_client(client_for, user, round_):
    """``user``'s client, past the round's welcome screen."""
    client = client_for(user)
    assert client.get(reverse("assessments:answer_welcome", args=[round_.organisation.slug, round_.pk])).status_code == 200
    return client
