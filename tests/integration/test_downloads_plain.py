"""Every CSV/XLSX download of the demo round opens and holds plain values (issue #13, item 2)."""

import csv
import io
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from accounts.models import User
from assessments.models import Answer, Function, Round
from cxgov.spreadsheets import plain, xlsx_response

pytestmark = pytest.mark.django_db

DOWNLOADS = [
    ("assessments:export_scores", "csv"),
    ("assessments:export_scores", "xlsx"),
    ("assessments:export_answers", "csv"),
    ("assessments:export_answers", "xlsx"),
    ("roadmaps:export_roadmap", "csv"),
    ("roadmaps:export_roadmap", "xlsx"),
    ("roadmaps:export_raci", "csv"),
    ("roadmaps:export_raci", "xlsx"),
]
PLAIN_TYPES = (type(None), bool, int, float, str, datetime)


@pytest.fixture
def demo(framework):
    call_command("seed_demo", stdout=StringIO())
    return Round.objects.get(organisation__slug="demo-retail")


def download(demo, name, fmt, language):
    user = User.objects.get(email="consultant@demo.test")
    User.objects.filter(pk=user.pk).update(language=language)
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client.get(reverse(name, args=["demo-retail", demo.pk, fmt]))


def cells(response, fmt):
    if fmt == "xlsx":
        book = load_workbook(io.BytesIO(response.content))
        return [[c.value for c in row] for sheet in book.worksheets for row in sheet.iter_rows()]
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(StringIO(text), delimiter=";" if ";" in text.splitlines()[0] else ","))


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize(("name", "fmt"), DOWNLOADS)
def test_every_download_of_the_demo_opens_with_plain_values(demo, name, fmt, language):
    response = download(demo, name, fmt, language)
    assert response.status_code == 200, response.content[:500]
    rows = cells(response, fmt)
    assert len(rows) > 1
    for row in rows:
        for value in row:
            assert type(value) in PLAIN_TYPES, (value, type(value))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_answers_download_names_functions_in_the_language(demo, fmt):
    rows = cells(download(demo, "assessments:export_answers", fmt, "fr"), fmt)
    header, body = rows[0], rows[1:]
    assert header[:3] == ["Participant", "Adresse e-mail", "Fonction"]
    assert {row[2] for row in body} == {
        "CXO",
        "DAF",
        "DRH",
        "DSI",
        "Directeur des opérations",
        "Directeur marketing",
        "Direction commerciale",
        "Service client",
    }
    assert len(body) == Answer.objects.filter(participant__round=demo).count()
    levels = {row[5] for row in body}
    assert levels == ({1, 2, 3, 4, 5, "Je ne sais pas"} if fmt == "xlsx" else {"1", "2", "3", "4", "5", "Je ne sais pas"})


def test_the_scores_download_holds_the_snapshot_figures(demo):
    rows = cells(download(demo, "assessments:export_scores", "xlsx", "en"), "xlsx")
    keys = {d["key"] for d in demo.snapshot.data["scores"]["dimensions"]}
    dims = {row[0]: row for row in rows[1:] if row and row[0] in keys}
    assert set(dims) == keys
    for d in demo.snapshot.data["scores"]["dimensions"]:
        assert dims[d["key"]][2] == d["score"]
        assert dims[d["key"]][9] == d["agreement"]


def test_plain_turns_every_carrier_into_a_plain_value():
    assert plain(gettext_lazy("Don't know")) == "Don't know" and type(plain(gettext_lazy("Don't know"))) is str
    assert type(plain(mark_safe("<b>"))) is str
    assert plain(Function.CEO) == "ceo" and type(plain(Function.CEO)) is str
    assert plain(Decimal("1.795")) == 1.8 and plain(Fraction(1795, 1000)) == 1.8 and plain(1.795) == 1.8
    assert plain(Decimal("3.00")) == 3 and type(plain(Decimal("3.00"))) is int
    aware = datetime(2026, 11, 24, 9, 30, tzinfo=ZoneInfo("UTC"))
    assert plain(aware).tzinfo is None
    response = xlsx_response(
        "t", [(gettext_lazy("Answers"), [gettext_lazy("Level")], [[gettext_lazy("Don't know"), Decimal("2.5"), aware]])]
    )
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[2]][:2] == ["Don't know", 2.5]
