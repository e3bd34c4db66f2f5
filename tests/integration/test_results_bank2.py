"""Question bank 2.0's answer details in the results: "not applicable", confidence and the committee's importance.

A 2.0 round's snapshot counts them (neither scored nor don't-know for "not applicable"), its pages
and PDF show them, and the roadmap ranks with the committee's importance while the target's was
never set; a 1.0 round's snapshot and export keep exactly the keys they always had.
"""

import json
import re
import shutil
import subprocess
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments import services
from assessments.domain.snapshot import Results
from assessments.models import Answer, DimensionImportance, Framework, Round, RoundStatus
from roadmaps import services as roadmap_services
from roadmaps.models import RoadmapItem, Target

pytestmark = pytest.mark.django_db

ROLES = (("facilitator", "cxo"), ("sponsor", "ceo"), ("respondent", "cfo"))


@pytest.fixture
def round_2(org):
    framework = Framework.objects.get(key="cx-governance", version="2.0")
    round_ = services.round_create(
        organisation=org, user=org.members_by_role["facilitator"], framework=framework, title="Round 2.0"
    )
    for role, function in ROLES:
        services.participant_invite(round_=round_, email=org.members_by_role[role].email, function=function)
    round_.status = RoundStatus.OPEN
    round_.save()
    return round_


def answer(round_, org, role, key, level=None, *, na=False, confidence=None):
    participant = round_.participants.get(user=org.members_by_role[role])
    question = round_.framework.questions.get(key=key)
    Answer.objects.create(participant=participant, question=question, level=level, not_applicable=na, confidence=confidence)


def importance(round_, org, role, key, value):
    participant = round_.participants.get(user=org.members_by_role[role])
    DimensionImportance.objects.create(
        participant=participant, dimension=round_.framework.dimensions.get(key=key), importance=value
    )


@pytest.fixture
def closed_2(round_2, org):
    """D1: levels with confidences, a don't-know and "not applicable"; D2 answered "not applicable" only."""
    answer(round_2, org, "facilitator", "D1.1", 2, confidence="high")
    answer(round_2, org, "sponsor", "D1.1", 4, confidence="low")
    answer(round_2, org, "respondent", "D1.1", na=True)
    answer(round_2, org, "facilitator", "D1.2", 3, confidence="high")
    answer(round_2, org, "sponsor", "D1.2")  # don't know
    answer(round_2, org, "respondent", "D1.2", na=True)
    for role, _function in ROLES:
        answer(round_2, org, role, "D2.1", na=True)
    for role, value in (("facilitator", 3), ("sponsor", 3), ("respondent", 2)):
        importance(round_2, org, role, "D1", value)
    services.round_transition(round_=round_2, to="closed")
    round_2.refresh_from_db()
    return round_2


def rows(round_):
    data = round_.snapshot.data["scores"]
    return {d["key"]: d for d in data["dimensions"]}, {q["key"]: q for q in data["questions"]}


def test_not_applicable_is_neither_scored_nor_a_dont_know(closed_2):
    dimensions, questions = rows(closed_2)
    d11, d12 = questions["D1.1"], questions["D1.2"]
    assert (d11["n"], d11["dont_know"], d11["answered"], d11["not_applicable"], d11["mean"]) == (2, 0, 2, 1, 3)
    assert d11["dont_know_rate"] == 0 and d11["confidence"] == {"low": 1, "high": 1}
    assert (d12["n"], d12["dont_know"], d12["answered"], d12["not_applicable"], d12["dont_know_rate"]) == (1, 1, 2, 1, 0.5)
    assert d12["confidence"] == {"low": 0, "high": 1}
    d1 = dimensions["D1"]
    assert (d1["answered"], d1["dont_know"], d1["not_applicable"], d1["dont_know_rate"]) == (4, 1, 2, 0.25)
    assert d1["confidence"] == {"low": 1, "high": 2} and d1["importance"] == 2.67
    # D2: "not applicable" only, so unscored, and no don't-know either.
    d2 = dimensions["D2"]
    assert d2["unscored"] and d2["score"] is None
    assert (d2["answered"], d2["dont_know"], d2["not_applicable"], d2["dont_know_rate"]) == (0, 0, 3, None)
    assert d2["importance"] is None
    # The distributions count levels and don't-knows only: "not applicable" is no bar of the chart.
    assert closed_2.snapshot.data["distributions"]["D1.2"] == {"1": 0, "2": 0, "3": 1, "4": 0, "5": 0, "dk": 1}
    results = Results.from_data(closed_2.snapshot.data)
    assert results.to_data() == closed_2.snapshot.data


def english(user):
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_pages_show_confidence_and_not_applicable_beside_the_spread(closed_2, org, client_for):
    facilitator = client_for(english(org.members_by_role["facilitator"]))
    summary = text_of(facilitator.get(reverse("assessments:results", args=[org.slug, closed_2.pk])))
    assert "Confidence: 2 high · 1 low" in summary and "2 “not applicable” (not scored)" in summary
    assert "3 “not applicable” (not scored)" in summary  # D2
    page = text_of(facilitator.get(reverse("assessments:results_dimension", args=[org.slug, closed_2.pk, "D1"])))
    assert "4 answers, of which 1 “Don't know”. 2 “not applicable” (not scored)." in page
    assert "Confidence: 2 high · 1 low" in page
    assert "Importance given by the committee: 2.67 out of 3" in page
    assert "Not applicable (not scored) 1" in page and "Confidence 1 high · 1 low" in page
    # A dimension where nobody said a confidence or "not applicable" shows neither.
    d3 = text_of(facilitator.get(reverse("assessments:results_dimension", args=[org.slug, closed_2.pk, "D3"])))
    assert "Confidence" not in d3 and "not applicable" not in d3 and "Importance given" not in d3


def test_the_pdf_shows_them_in_the_dimension_pages(closed_2, tmp_path):
    from reports.builders import build_report_data
    from reports.rendering import render_html

    html = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", render_html(build_report_data(closed_2, "en"))))
    assert "2 “not applicable” (not scored)" in html and "Confidence 2 high · 1 low" in html
    assert "Importance 2.67 out of 3" in html
    assert "1 “not applicable” (not scored) · Confidence: 1 high · 1 low" in html  # D1.1's row
    if not shutil.which("pdftotext"):
        pytest.skip("needs poppler-utils for the PDF text")
    pdf = tmp_path / "report.pdf"
    call_command("render_report", str(closed_2.pk), "--output", str(pdf), "--lang", "en", stdout=StringIO())
    text = re.sub(r"\s+", " ", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
    assert "2 high · 1 low" in text and "2.67 out of 3" in text


def test_an_untouched_target_ranks_with_the_committee_s_importance(closed_2, org):
    target = Target.objects.get(round=closed_2, dimension__key="D1")
    assert target.updated_by is None and target.importance == 2
    states = {s.key: s for s in roadmap_services.roadmap_dimension_states(closed_2)}
    assert states["D1"].importance == 3  # 2.67, rounded half-up
    score = Decimal(str(rows(closed_2)[0]["D1"]["score"]))
    items = RoadmapItem.objects.filter(round=closed_2, dimension="D1", selected_by="gap")
    assert items.exists()
    for item in items:
        expected = 3 * (target.target - score) * item.impact / Decimal(item.effort)
        assert item.priority == expected.quantize(Decimal("0.01")), item.key
    # Once someone saves the target, its importance is the one used.
    roadmap_services.target_set(target=target, value=target.target, importance=1, user=org.members_by_role["facilitator"])
    states = {s.key: s for s in roadmap_services.roadmap_dimension_states(closed_2)}
    assert states["D1"].importance == 1


def test_the_committee_s_importance_rounds_half_up(round_2, org):
    for role, value in (("facilitator", 3), ("sponsor", 2)):
        importance(round_2, org, role, "D1", value)
    for role, _function in ROLES:
        answer(round_2, org, role, "D1.1", 2)
    services.round_transition(round_=round_2, to="closed")
    round_2.refresh_from_db()
    assert rows(round_2)[0]["D1"]["importance"] == 2.5
    assert {s.key: s for s in roadmap_services.roadmap_dimension_states(round_2)}["D1"].importance == 3


# --------------------------------------------------------------------------- a 1.0 round stays as it was

#: The keys of a 1.0 round's rows, in their order: the ones written before question bank 2.0.
DIMENSION_KEYS_1 = [
    "key",
    "weight",
    "score",
    "index",
    "stage",
    "answered",
    "dont_know",
    "dont_know_rate",
    "low_evidence",
    "agreement",
    "unscored",
]
QUESTION_KEYS_1 = [
    "key",
    "dimension",
    "weight",
    "score",
    "mean",
    "consensus_level",
    "n",
    "dont_know",
    "answered",
    "dont_know_rate",
    "sufficient",
    "range",
    "sd",
    "ad",
    "contested",
    "consensus_rationale",
]


@pytest.fixture
def demo(framework, monkeypatch):
    """The demo seeded on 1.0 (it runs on 2.0 by default): a round on the version before the answer details."""
    monkeypatch.setattr("assessments.selectors.DEFAULT_FRAMEWORK", ("cx-governance", "1.0"))
    call_command("seed_demo", stdout=StringIO())
    return Round.objects.get(organisation__slug="demo-retail")


def test_a_1_0_round_s_snapshot_and_export_keep_their_keys_and_bytes(demo):
    assert demo.framework.version == "1.0"
    out = StringIO()
    call_command("export_assessment", str(demo.pk), stdout=out)
    doc = json.loads(out.getvalue())
    assert all(list(d) == DIMENSION_KEYS_1 for d in doc["scores"]["dimensions"])
    assert all(list(q) == QUESTION_KEYS_1 for q in doc["scores"]["questions"])
    stored = demo.snapshot.data
    assert doc["scores"] == stored["scores"]
    # The typed read writes the document back whole: the same bytes once keys are sorted, since
    # PostgreSQL's jsonb hands stored objects back in its own key order (SQLite keeps the written one).
    assert json.dumps(Results.from_data(stored).to_data(), sort_keys=True) == json.dumps(stored, sort_keys=True)
    again = StringIO()
    call_command("export_assessment", str(demo.pk), stdout=again)
    assert again.getvalue() == out.getvalue()


def test_the_answers_download_names_not_applicable_apart_from_don_t_know(closed_2, org, client_for):
    facilitator = client_for(english(org.members_by_role["facilitator"]))
    content = facilitator.get(reverse("assessments:export_answers", args=[org.slug, closed_2.pk, "csv"])).content.decode(
        "utf-8-sig"
    )
    lines = {line for line in content.splitlines() if "D1.2" in line}
    assert any("Not applicable" in line for line in lines) and any("Don't know" in line for line in lines)
    assert sum("Not applicable" in line for line in content.splitlines()) == 5  # D1.1, D1.2 and D2.1 × 3
