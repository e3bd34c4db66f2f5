"""A file the product wrote before roadmaps 0003 stays importable.

Until 0003 a RACI cell kept its reason as French and English text (``reason_fr``, ``reason_en``);
since then as a code and parameters. The legacy documents here are built from today's export, its
cells rewritten into the old shape with the texts the product stored then
(roadmaps/legacy_reasons.py): importing them must give every cell the code the migration gives,
and the RACI page must read the same as the original's.
"""

import copy
import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from accounts.models import User
from assessments.models import Round
from organisations.models import Organisation
from privacy.portability import PortabilityError, export_organisation, import_organisation, validate_organisation
from roadmaps import services
from roadmaps.demo import seed_demo_roadmap
from roadmaps.domain.types import Reason
from roadmaps.legacy_reasons import RULES, texts_of
from roadmaps.models import RaciCell
from roadmaps.raci_messages import reason_text

pytestmark = pytest.mark.django_db

CELL = "roadmaps.RaciCell"
PATH = "rows['roadmaps.RaciCell']"


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


def legacy(row: dict) -> dict:
    """A cell row as exported before 0003: the texts the product stored for its reason, no code."""
    row = dict(row)
    code, params = row.pop("reason_code"), row.pop("reason_params")
    row["reason_fr"], row["reason_en"] = texts_of(code, params)
    return row


def legacy_export(organisation) -> dict:
    doc = json.loads(json.dumps(export_organisation(organisation), default=str))
    doc["rows"][CELL] = [legacy(row) for row in doc["rows"][CELL]]
    return doc


def reasons(round_) -> dict:
    return {(c.activity, c.role): (c.reason_code, c.reason_params) for c in RaciCell.objects.filter(round=round_)}


def reasons_panel(client, round_) -> str:
    """The page's list of every cell's reason, in French (the facilitator's language is the page's)."""
    with translation.override("fr"):
        page = client.get(reverse("roadmaps:raci", args=[round_.organisation.slug, round_.pk])).content.decode()
    panel = re.search(r'<details class="mt-4 cx-raci-reasons">.*?</details>', page, re.S)
    assert panel is not None
    return panel.group(0)


def refused(doc) -> list[str]:
    counts = (Organisation.objects.count(), User.objects.count(), RaciCell.objects.count(), Round.objects.count())
    with pytest.raises(PortabilityError) as caught:
        import_organisation(doc, slug="demo-copy")
    assert (Organisation.objects.count(), User.objects.count(), RaciCell.objects.count(), Round.objects.count()) == counts
    return caught.value.problems


def test_an_export_made_before_the_reason_codes_imports_with_the_same_reasons(demo, client_for):
    before = reasons(demo)
    codes = {code for code, _params in before.values()}
    assert {"manual", "rule"} <= codes  # the hand-set letter and the rules' reasons, at least
    doc = legacy_export(demo.organisation)
    assert all("reason_en" in row and "reason_code" not in row for row in doc["rows"][CELL])
    sent = copy.deepcopy(doc)

    imported = import_organisation(doc, slug="demo-copy")

    assert doc == sent  # the caller's document is read, never rewritten
    copy_round = Round.objects.get(organisation=imported)
    assert reasons(copy_round) == before
    facilitator = client_for(User.objects.get(email="consultant@demo.test"))
    original = reasons_panel(facilitator, demo)
    with translation.override("fr"):  # the page's language; the words are the catalogue's
        assert escape(reason_text(Reason("manual", {}))) in original
    assert reasons_panel(facilitator, copy_round) == original


def test_the_round_in_the_document_says_which_table_a_shared_text_came_from(demo):
    """Both tables word shared objectives the same: as in the migration, the round's CXO decides."""
    fr, en = RULES[("with_cxo", "shared_objectives")]
    assert RULES[("without_cxo", "shared_objectives")] == (fr, en)
    doc = legacy_export(demo.organisation)
    index = next(i for i, row in enumerate(doc["rows"][CELL]) if row["activity"] == "shared_objectives")
    doc["rows"][CELL][index].update(reason_fr=fr, reason_en=en)
    round_index = int(doc["rows"][CELL][index]["round"]["ref"].split(":")[1])
    for value, table in (("True", "with_cxo"), ("False", "without_cxo"), (None, "without_cxo")):
        doc["rows"]["assessments.Round"][round_index]["cxo_exists"] = value
        problems, document = validate_organisation(doc, slug="demo-copy")
        assert problems == []
        row = document.doc["rows"][CELL][index]
        assert (row["reason_code"], row["reason_params"]) == ("rule", {"table": table, "activity": "shared_objectives"})


def test_a_reason_text_nobody_wrote_imports_the_cell_without_a_reason(demo):
    doc = legacy_export(demo.organisation)
    doc["rows"][CELL][0].update(reason_fr="Une raison inconnue.", reason_en="A reason nobody wrote.")
    activity, role = doc["rows"][CELL][0]["activity"], doc["rows"][CELL][0]["role"]
    imported = import_organisation(doc, slug="demo-copy")
    cell = RaciCell.objects.get(round__organisation=imported, activity=activity, role=role)
    assert (cell.reason_code, cell.reason_params) == ("", {})


def test_a_malformed_older_row_is_refused_by_its_path_and_nothing_is_written(demo):
    doc = legacy_export(demo.organisation)
    doc["rows"][CELL][1]["reason_code"] = "manual"  # both shapes at once
    doc["rows"][CELL][2]["reason_en"] = 12
    doc["rows"][CELL][3]["reason_fr"] = None
    problems = refused(doc)
    assert problems == [
        f"{PATH}[1]: holds both a reason text of older exports (reason_fr, reason_en) and a reason code "
        "(reason_code, reason_params): keep one",
        f"{PATH}[2].reason_en: expected a string",
        f"{PATH}[3].reason_fr: expected a string",
    ]


def test_a_malformed_older_row_does_not_hide_the_other_problems(demo):
    doc = legacy_export(demo.organisation)
    doc["rows"][CELL][0]["reason_en"] = ["not", "text"]
    doc["rows"][CELL][0]["letter"] = "X"
    problems = refused(doc)
    assert f"{PATH}[0].reason_en: expected a string" in problems
    assert any(p.startswith(f"{PATH}[0].letter: ") for p in problems)
