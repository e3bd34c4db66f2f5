"""The demo's figures read the same on every output (issue #13, item 1).

Each figure is computed once from the snapshot with an independent reference (Decimal's
ROUND_HALF_UP on the decimal the snapshot wrote), then looked for in the results pages, their
chart SVG and data tables, the PDF (pdftotext), the scores CSV and XLSX. Before the single
formatter, the PDF truncated: D3's agreement 68.75 read "68" there and "69" on the page.
"""

import csv
import io
import re
import shutil
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import User
from assessments.models import Round
from roadmaps.models import Target

pytestmark = pytest.mark.django_db


def shown(value, places=2, language="fr") -> str:
    """The reference: half-up on the decimal as written, decimal comma in French."""
    if value is None:
        return "—"
    text = f"{Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):f}"
    return text.replace(".", ",") if language == "fr" else text


class Tables(HTMLParser):
    """Every <table> of a page as rows of whitespace-normalised cell texts."""

    def __init__(self, html):
        super().__init__()
        self.tables, self.row, self.cell = [], None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(" ".join(self.cell.split()))
            self.cell = None
        elif tag == "tr" and self.row is not None and self.tables:
            self.tables[-1].append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def rows_by_key(table):
    return {re.match(r"(D\d+)\b", row[0]).group(1): row for row in table[1:] if re.match(r"D\d+\b", row[0])}


@pytest.fixture(scope="module")
def demo_outputs(django_db_setup, django_db_blocker, tmp_path_factory):
    """The seeded demo rendered once through every output, in French (the default)."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            call_command("seed_demo", stdout=StringIO())
            demo = Round.objects.get(organisation__slug="demo-retail")
            data = demo.snapshot.data
            targets = {t.dimension.key: t.target for t in Target.objects.filter(round=demo).select_related("dimension")}
            client = Client()
            client.force_login(User.objects.get(email="consultant@demo.test"))
            slug, pk = "demo-retail", demo.pk
            out = {
                "data": data,
                "targets": targets,
                "summary": client.get(reverse("assessments:results", args=[slug, pk])).content.decode(),
                "alignment": client.get(reverse("assessments:results_alignment", args=[slug, pk])).content.decode(),
                "dimensions": {
                    d["key"]: client.get(reverse("assessments:results_dimension", args=[slug, pk, d["key"]])).content.decode()
                    for d in data["scores"]["dimensions"]
                },
                "csv": client.get(reverse("assessments:export_scores", args=[slug, pk, "csv"])).content.decode("utf-8-sig"),
                "xlsx": client.get(reverse("assessments:export_scores", args=[slug, pk, "xlsx"])).content,
            }
            if shutil.which("pdftotext"):
                pdf = tmp_path_factory.mktemp("pdf") / "demo.pdf"
                call_command("render_report", str(pk), "--output", str(pdf), "--lang", "fr", stdout=StringIO())
                out["pdf"] = subprocess.run(
                    ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
                ).stdout
            transaction.set_rollback(True)
    return out


def test_the_summary_page_and_its_charts_show_the_snapshot_figures(demo_outputs):
    data, targets = demo_outputs["data"], demo_outputs["targets"]
    page = Tables(demo_outputs["summary"])
    table = next(t for t in page.tables if t[0][:3] == ["Dimension", "Score", "Stade"])
    radar_table = next(t for t in page.tables if t[0] == ["Dimension", "Score", "Cible"])
    radar_svg = re.search(r'<svg[^>]*class="chart chart-radar".*?</svg>', demo_outputs["summary"], flags=re.S).group(0)
    svg_texts = re.findall(r"<text[^>]*>([^<]*)</text>", radar_svg)
    rows, radar_rows = rows_by_key(table), rows_by_key(radar_table)
    for d in data["scores"]["dimensions"]:
        key = d["key"]
        assert rows[key][1:4] == [shown(d["score"]), str(d["stage"]), shown(d["index"])], key
        assert rows[key][5] == shown(d["agreement"], 0), key
        assert radar_rows[key][1:] == [shown(d["score"]), shown(targets[key])], key
        assert shown(d["score"]) in svg_texts, key
    overall = data["scores"]["overall"]
    assert f'{shown(overall["score"])} <span class="h5">· {shown(overall["index"])}/100' in demo_outputs["summary"]


def test_gaps_round_half_up_from_the_exact_difference(demo_outputs):
    """4 − 2.2 is 1.8 exactly: the float 1.7999… must not print 1,79 anywhere (the PDF truncated it)."""
    data, targets = demo_outputs["data"], demo_outputs["targets"]
    gaps = [Decimal(str(targets[d["key"]])) - Decimal(str(d["score"])) for d in data["scores"]["dimensions"]]
    widest = sorted((g for g in gaps if g > 0), reverse=True)[:3]  # the three the summary lists
    assert widest
    for gap in widest:
        assert f"(écart {shown(gap)})" in demo_outputs["summary"]
        if "pdf" in demo_outputs:
            assert f"(écart {shown(gap)})" in demo_outputs["pdf"]


def test_every_dimension_page_shows_its_figures(demo_outputs):
    for d in demo_outputs["data"]["scores"]["dimensions"]:
        html = " ".join(demo_outputs["dimensions"][d["key"]].split())
        assert f"Score {shown(d['score'])} — stade {d['stage']}" in html, d["key"]
        assert f"indice {shown(d['index'])}/100" in html and f"accord {shown(d['agreement'], 0)}/100" in html, d["key"]


def test_the_alignment_page_and_its_heatmap_show_the_snapshot_figures(demo_outputs):
    data = demo_outputs["data"]
    page = Tables(demo_outputs["alignment"])
    gaps = rows_by_key(next(t for t in page.tables if t[0] == ["Dimension", "Écart"]))
    for g in data["alignment"]["perception_gaps"]:
        if g["gap"] is not None and g["dimension"] in gaps:
            assert gaps[g["dimension"]][1].split()[0] == shown(g["gap"])
    heatmap = next(t for t in page.tables if t[0][0] == "Dimension" and len(t[0]) > 3)
    cells = {cell for row in heatmap[1:] for cell in row[1:]}
    for m in data["alignment"]["by_function"]:
        assert shown(m["mean"]) in cells, m
    contested = {row[0].split()[0]: row[1] for row in next(t for t in page.tables if t[0][0] == "Question")[1:]}
    for q in data["scores"]["questions"]:
        if q["contested"]:
            assert contested[q["key"]] == shown(q["ad"]), q["key"]


def test_the_downloads_hold_the_same_numbers(demo_outputs):
    data = demo_outputs["data"]
    by_key = {d["key"]: d for d in data["scores"]["dimensions"]}
    rows = [r for r in csv.reader(StringIO(demo_outputs["csv"]), delimiter=";") if r and r[0] in by_key]
    sheet = load_workbook(io.BytesIO(demo_outputs["xlsx"])).worksheets[0]
    xrows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] in by_key}
    assert len(rows) == len(xrows) == len(by_key) == 11  # the demo runs on question bank 2.0
    for row in rows:
        d = by_key[row[0]]
        for column, field in ((2, "score"), (3, "index"), (9, "agreement")):
            exported = Decimal(row[column].replace(",", "."))
            assert exported == Decimal(shown(d[field], 2, "en")), (row[0], field)  # same figure, 2 decimals
            assert xrows[row[0]][column] == float(shown(d[field], 2, "en")), (row[0], field)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_the_pdf_shows_the_same_figures_as_the_pages(demo_outputs):
    data, text = demo_outputs["data"], demo_outputs["pdf"]
    pdf_rows = {
        m.group(1): list(m.group(2, 3, 4, 5, 6))
        for m in re.finditer(r"^\s*(D\d+) · .*?\s{2,}(\S+)\s+(\d)\s+(\S+)\s+(\S+)\s+(\S+)\s*$", text, flags=re.M)
    }
    page_rows = rows_by_key(
        next(t for t in Tables(demo_outputs["summary"]).tables if t[0][:3] == ["Dimension", "Score", "Stade"])
    )
    for d in data["scores"]["dimensions"]:
        key = d["key"]
        expected = [
            shown(d["score"]),
            str(d["stage"]),
            shown(d["index"]),
            str(demo_outputs["targets"][key]),
            shown(d["agreement"], 0),
        ]
        assert pdf_rows[key] == expected, key
        assert page_rows[key][1:6] == expected, key  # the page and the PDF agree figure for figure
    # The example (an agreement of 68.75 the PDF printed 68): the demo holds agreements whose
    # fraction is a half or more, so the half-up rounding is exercised above, not only the easy cases.
    assert any(Decimal(str(d["agreement"])) % 1 >= Decimal("0.5") for d in data["scores"]["dimensions"])
    overall = data["scores"]["overall"]
    assert f"{shown(overall['score'])} · {shown(overall['index'])}" in text
