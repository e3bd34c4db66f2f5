"""A closed round whose to-be RACI has no error, with role holders: what the steering rhythm tests start from.

The to-be RACI proposed for conftest's round (framework 1.0, every answer at level 2) makes ``ceo``,
``cfo``, ``chro``, ``cio`` and ``coo`` accountable. Holders: the sponsor holds ``ceo`` (so a
person invited twice over is invited once), one member holds ``cfo`` and ``coo``, the respondent
holds ``chro``, a member holds ``cxo``; ``cio`` has no holder. The roadmap starts on 1 January 2027.
"""

from datetime import date, time

from assessments import services as round_services
from assessments.models import Answer
from governance import services as governance
from governance.models import SteeringRhythm
from organisations.models import Role
from roadmaps import services as roadmaps
from roadmaps.models import Roadmap
from tests.factories import MembershipFactory, UserFactory

ROADMAP_START = date(2027, 1, 1)
FIRST_TUESDAY = date(2027, 1, 5)


def close_with_raci(round_, framework):
    questions = list(framework.questions.all())
    Answer.objects.bulk_create(Answer(participant=p, question=q, level=2) for p in round_.participants.all() for q in questions)
    round_services.round_transition(round_=round_, to="closed")
    round_.refresh_from_db()
    roadmaps.roadmap_ensure(round_=round_)
    Roadmap.objects.filter(round=round_).update(start_date=ROADMAP_START)
    return round_


def give_roles(org):
    """The holders described above; returns the people by what they hold."""
    finance = MembershipFactory(
        organisation=org, role=Role.VIEWER, user=UserFactory(email="finance@acme.test", full_name="Fanny Roux", language="en")
    ).user
    cxo = MembershipFactory(
        organisation=org, role=Role.VIEWER, user=UserFactory(email="cxo@acme.test", full_name="Xavier Colin")
    ).user
    sponsor, respondent = org.members_by_role[Role.SPONSOR], org.members_by_role[Role.RESPONDENT]
    governance.role_holders_set(
        organisation=org,
        chosen={"ceo": sponsor.pk, "cfo": finance.pk, "coo": finance.pk, "chro": respondent.pk, "cxo": cxo.pk},
    )
    return {"ceo": sponsor, "finance": finance, "chro": respondent, "cxo": cxo, "sponsor": sponsor}


def rhythm_for(round_, cadence="monthly", first=FIRST_TUESDAY, user=None, today=date(2026, 12, 1)) -> SteeringRhythm:
    return governance.rhythm_save(
        round_=round_,
        cadence=cadence,
        first_meeting=first,
        start_time=time(9, 0),
        duration_minutes=90,
        location="Salle du conseil",
        user=user,
        today=today,
    )
