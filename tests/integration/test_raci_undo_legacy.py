"""An undo of the RACI proposal taken before roadmaps 0003 (cells with reason texts) still restores.

The payload keeps the cells serialised as they were; one taken just before the deploy that moved the
reasons to codes holds ``reason_fr``/``reason_en``, which the model no longer has. Restoring it
gives the cells the code the migration gives (roadmaps/legacy_reasons.py).
"""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from assessments.models import Round
from roadmaps import services, undo
from roadmaps.demo import seed_demo_roadmap
from roadmaps.legacy_reasons import RULES, texts_of
from roadmaps.models import RaciCell

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(framework):
    """The demo organisation's closed round with its proposed RACI, one letter set by hand."""
    call_command("seed_demo", stdout=StringIO())
    round_ = Round.objects.get(organisation__slug="demo-retail")
    seed_demo_roadmap(round_)
    # Only what a RACI stored before 0003 could hold: cells of 1.0's activities, with the codes of then
    # (the demo round runs on 2.0, whose new activities and "named_responsible" reason came later).
    RaciCell.objects.filter(round=round_).exclude(activity__in={activity for _table, activity in RULES}).delete()
    RaciCell.objects.filter(round=round_, reason_code="named_responsible").delete()
    services.raci_set_cell(round_=round_, activity="cx_budget", role="cio", letter="C")
    return round_


def reasons(round_) -> dict:
    return {(c.activity, c.role): (c.reason_code, c.reason_params) for c in RaciCell.objects.filter(round=round_)}


def test_an_undo_taken_before_the_reason_codes_restores_them(demo):
    before = reasons(demo)
    payload = undo.raci_payload(demo)
    rows = json.loads(payload["rows"])
    for row in rows:
        fields = row["fields"]
        fields["reason_fr"], fields["reason_en"] = texts_of(fields.pop("reason_code"), fields.pop("reason_params"))
    payload["rows"] = json.dumps(rows)
    services.raci_set_cells(round_=demo, changes={("cx_budget", "ceo"): "I", ("cx_strategy", "cio"): "C"})
    assert reasons(demo) != before

    undo.raci_restore(organisation=demo.organisation, payload=payload)

    assert reasons(demo) == before
