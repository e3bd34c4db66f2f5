"""The to-be proposal of a RACI 2.0 round keeps as R the roles most participants name R today (roadmaps.services.raci_propose).

The demo round runs on cx-governance 2.0, closed, with every participant's A for every activity. Its letters are
replaced by a known set: the proposal must follow the strict majority of the participants who answered, leave
withdrawn participants out, never move an A, and say why in both languages.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from assessments.models import RaciActivity, RaciLetter, Round
from roadmaps import services
from roadmaps.exports import raci_errors, raci_export
from roadmaps.models import RaciCell

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(framework):
    call_command("seed_demo", stdout=StringIO())
    round_ = Round.objects.get(organisation__slug="demo-retail")
    assert round_.framework.version == "2.0" and round_.status == "closed"
    RaciLetter.objects.filter(participant__round=round_).delete()
    return round_


def name_r(round_, activity_key: str, role: str, participants) -> None:
    activity = RaciActivity.objects.get(framework=round_.framework, key=activity_key)
    RaciLetter.objects.bulk_create(RaciLetter(participant=p, activity=activity, role=role, letter="R") for p in participants)


def cell(round_, activity: str, role: str) -> RaciCell | None:
    return RaciCell.objects.filter(round=round_, activity=activity, role=role).first()


def letter(round_, activity: str, role: str) -> str:
    found = cell(round_, activity, role)
    return found.letter if found else ""


def test_a_role_most_participants_name_r_is_proposed_r_with_its_reason(demo):
    people = list(demo.participants.order_by("pk"))
    assert len(people) == 8
    services.raci_propose(round_=demo)
    assert letter(demo, "cx_budget", "cio") == ""  # the rule alone does not name the CIO
    assert letter(demo, "cx_promise", "quality") == "I"  # the promise is shared with everyone

    name_r(demo, "cx_budget", "cio", people[:5])  # 5 of 8
    name_r(demo, "cx_promise", "quality", people[:4])  # 4 of 8: no majority
    name_r(demo, "cx_budget", "cfo", people)  # the A, named R by all: stays the A
    services.raci_propose(round_=demo)

    budget = cell(demo, "cx_budget", "cio")
    assert (budget.letter, budget.reason_code) == ("R", "named_responsible")
    assert budget.reason_params == {"role": "cio", "count": 5, "respondents": 8}
    assert cell(demo, "cx_budget", "cfo").letter == "A"
    assert letter(demo, "cx_promise", "quality") == "I"
    assert raci_errors(demo) == []
    exported = next(c for c in raci_export(demo)["to_be"]["cells"] if (c["activity"], c["role"]) == ("cx_budget", "cio"))
    assert exported["value"] == "R"
    assert exported["reason"]["en"] == "Most respondents who answered name cio as responsible (R) today: it keeps doing the work."
    assert exported["reason"]["fr"]


def test_withdrawn_participants_do_not_count(demo):
    people = list(demo.participants.order_by("pk"))
    name_r(demo, "incident_communication", "cdo", people[:4])  # 4 of 8
    services.raci_propose(round_=demo)
    assert letter(demo, "incident_communication", "cdo") == "I"
    people[-1].withdrawn_at = timezone.now()
    people[-1].save(update_fields=["withdrawn_at"])
    services.raci_propose(round_=demo)  # 4 of the 7 left
    named = cell(demo, "incident_communication", "cdo")
    assert named.letter == "R" and named.reason_params == {"role": "cdo", "count": 4, "respondents": 7}
