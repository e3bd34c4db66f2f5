"""The decision log beyond its page: the demo's decisions, the round export, the PDF (read with pdftotext)."""

import json
import re
import shutil
import subprocess
import unicodedata
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments.models import Round
from governance.domain.decisions import DecisionDraft, validate_decision
from governance.models import Decision
from governance.selectors_decisions import decision_labels
from organisations.models import Membership
from reports.builders import build_report_data
from reports.exports import build_export

pytestmark = pytest.mark.django_db

HOSTILE_TITLE = "<b>Budget</b> & « réclamations » 🎯 <img src=https://example.invalid/x.png>"


@pytest.fixture
def demo(framework):
    call_command("seed_demo", stdout=StringIO())
    return Round.objects.get(organisation__slug="demo-retail")


def test_the_demo_decisions_are_each_taken_by_the_a_of_their_activity(demo):
    decisions = list(Decision.objects.filter(round=demo))
    assert len(decisions) >= 3
    labels = decision_labels(round_=demo)
    for d in decisions:
        draft = DecisionDraft(d.title, d.rationale, d.decided_on, d.activity, d.deciding_role, tuple(d.initiative_keys))
        problems = validate_decision(
            draft,
            activities=labels.raci.activity_keys,
            roles=labels.raci.visible_keys,
            cells=labels.cells,
            initiatives=labels.initiatives.keys(),
            today=d.decided_on,
        )
        assert problems == (), (d.title, problems)
    call_command("seed_demo", stdout=StringIO())  # idempotent
    assert Decision.objects.filter(round=demo).count() == len(decisions)


def test_the_export_lists_the_decisions_in_the_order_they_were_taken(demo):
    Decision.objects.create(
        organisation=demo.organisation,
        round=demo,
        title="Earliest",
        rationale="",
        decided_on=date(2020, 1, 2),
        activity="cx_budget",
        deciding_role="cfo",
        initiative_keys=["gone-key"],
    )
    exported = build_export(demo)["decisions"]
    stored = Decision.objects.filter(round=demo)
    assert len(exported) == stored.count()
    assert exported[0] == {
        "title": "Earliest",
        "rationale": "",
        "decided_on": "2020-01-02",
        "activity": "cx_budget",
        "deciding_role": "cfo",
        "initiatives": ["gone-key"],
    }
    assert [d["decided_on"] for d in exported] == sorted(d["decided_on"] for d in exported)
    roles = {r["key"] for r in build_export(demo)["raci"]["roles"]}
    initiatives = {i["key"] for i in build_export(demo)["roadmap"]["initiatives"]}
    for d in exported[1:]:
        assert set(d) == {"title", "rationale", "decided_on", "activity", "deciding_role", "initiatives"}
        assert d["deciding_role"] in roles and set(d["initiatives"]) <= initiatives


def test_the_json_download_carries_the_decisions(demo, client_for):
    sponsor = Membership.objects.get(organisation=demo.organisation, user__email="sponsor@demo.test").user
    response = client_for(sponsor).get(reverse("reports:export_json", args=[demo.organisation.slug, demo.pk]))
    doc = json.loads(b"".join(response.streaming_content) if response.streaming else response.content)
    titles = {d["title"] for d in doc["decisions"]}
    assert titles == set(Decision.objects.filter(round=demo).values_list("title", flat=True))


def test_a_round_without_decisions_adds_nothing_to_the_report_data(demo):
    """Reports already rendered for a round without decisions keep their content hash."""
    assert "decisions" in build_report_data(demo, "fr")
    Decision.objects.filter(round=demo).delete()
    assert "decisions" not in build_report_data(demo, "fr")
    assert build_export(demo)["decisions"] == []


def pdf_text(pdf, *options):
    return subprocess.run(["pdftotext", *options, str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split("\f")


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_the_pdf_has_a_decision_log_chapter_with_user_text_escaped(demo, tmp_path):
    Decision.objects.create(
        organisation=demo.organisation,
        round=demo,
        title=HOSTILE_TITLE,
        rationale="Ligne un\nLigne deux",
        decided_on=date(2020, 1, 2),
        activity="cx_budget",
        deciding_role="cfo",
    )
    pdf = tmp_path / "report-en.pdf"
    call_command("render_report", str(demo.pk), "--output", str(pdf), "--lang", "en", stdout=StringIO())
    # The contents name the chapter, with the page its heading is on (the layout keeps the numbers in line).
    toc_page = int(re.search(r"Decision log\s{2,}(\d+)", pdf_text(pdf, "-layout")[1]).group(1))
    # The chapter read in reading order (the layout would interleave the table's columns).
    # (Words the layout hyphenated are joined again; pdftotext may give accents apart: NFC.)
    pages = [unicodedata.normalize("NFC", re.sub(r"\s+", " ", re.sub(r"\u2010\s+", "", page))) for page in pdf_text(pdf)]
    chapter = pages[toc_page - 1]
    assert chapter.lstrip().startswith("Decision log") or "Decision log The decisions" in chapter
    text = " ".join(pages[toc_page - 1 :])
    decisions = list(Decision.objects.filter(round=demo).order_by("-decided_on", "-created_at"))
    # The first words of each title (a column beside may interleave with a wrapped cell's later lines).
    positions = [text.index(" ".join(d.title.split()[:3])) for d in decisions]
    assert positions == sorted(positions)  # newest first
    # User text reads as typed: escaped, never markup, nothing fetched (a long address may wrap anywhere).
    assert "<b>Budget</b> & « réclamations »" in text
    assert "<img src=https://" in text and "example.invalid/" in text
    assert "Ligne un" in text and "Ligne deux" in text
    assert "CFO" in chapter and "CX budget and investment decisions" in chapter
