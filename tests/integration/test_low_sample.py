"""Closing below the minimum response rule asks for an override; every output carries the caveat (issue #13, item 3)."""

import csv
import io
import json
import re
import shutil
import subprocess
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import User
from assessments import services
from assessments.models import Answer, Round, RoundStatus
from sharing import services as sharing_services
from tests.conftest import publish

pytestmark = pytest.mark.django_db

CAVEAT = "Low sample: these results rest on too few answers to be read with confidence."


def english(user):
    User.objects.filter(pk=user.pk).update(language="en")
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def round_of_nine(org, open_round, framework):
    """The issue's round: 9 invited, one of them answered everything and submitted."""
    for i in range(6):
        services.participant_invite(round_=open_round, email=f"exec{i}@acme.test", function="other")
    first = open_round.participants.order_by("pk").first()
    Answer.objects.bulk_create(Answer(participant=first, question=q, level=3) for q in framework.questions.all())
    first.submitted_at = timezone.now()
    first.save()
    return open_round


@pytest.fixture
def facilitator(org):
    return english(org.members_by_role["facilitator"])


def transition_url(round_):
    return reverse("assessments:round_transition", args=[round_.organisation.slug, round_.pk])


def close_with_override(client, round_):
    response = client.post(transition_url(round_), {"to": "closed", "low_sample_step": "1", "override": "1"})
    assert response.status_code == 302
    round_.refresh_from_db()
    return round_


def test_closing_below_the_rule_names_the_counts_and_closes_nothing(round_of_nine, facilitator):
    response = facilitator.post(transition_url(round_of_nine), {"to": "closed"})
    page = response.content.decode()
    assert response.status_code == 200
    flat = re.sub(r"\s+", " ", page)
    assert "9 participants invited" in flat and "1 participant submitted" in flat and "each dimension needs 5 respondents" in flat
    assert "D1 · " in flat and "D10 · " in flat and "— 1 respondent" in flat
    assert 'type="checkbox" name="override" value="1"' in page
    round_of_nine.refresh_from_db()
    assert round_of_nine.status == RoundStatus.OPEN and not hasattr(round_of_nine, "snapshot")


def test_sending_the_step_back_without_ticking_the_box_still_closes_nothing(round_of_nine, facilitator):
    response = facilitator.post(transition_url(round_of_nine), {"to": "closed", "low_sample_step": "1"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tick the box to close the round despite the low sample" in page and 'aria-invalid="true"' in page
    round_of_nine.refresh_from_db()
    assert round_of_nine.status == RoundStatus.OPEN


def test_the_override_closes_and_the_snapshot_keeps_the_counts(round_of_nine, facilitator):
    round_ = close_with_override(facilitator, round_of_nine)
    assert round_.status == RoundStatus.CLOSED
    sample = round_.snapshot.data["sample"]
    assert sample["low"] and sample["invited"] == 9 and sample["submitted"] == 1 and sample["required"] == 5
    assert {d["respondents"] for d in sample["dimensions"]} == {1} and len(sample["dimensions"]) == 10


def test_a_round_above_the_rule_closes_without_the_low_sample_question(demo, client_for):
    services.round_transition(round_=demo, to=RoundStatus.OPEN)
    consultant = english(User.objects.get(email="consultant@demo.test"))
    asked = consultant.post(transition_url(demo), {"to": "closed"}).content.decode()
    assert "Close the round?" in asked and "too few answers" not in asked  # the ordinary confirmation only
    assert consultant.post(transition_url(demo), {"to": "closed", "confirm": "1"}).status_code == 302
    demo.refresh_from_db()
    assert demo.status == RoundStatus.CLOSED and demo.snapshot.data["sample"]["low"] is False


def test_the_rule_is_edited_on_the_round_form_and_fixed_once_closed(round_of_nine, facilitator):
    url = reverse("assessments:round_edit", args=[round_of_nine.organisation.slug, round_of_nine.pk])
    page = facilitator.get(url).content.decode()
    assert 'name="min_respondents"' in page and 'name="min_response_percent"' in page
    bad = facilitator.post(url, {"title": "Round 1", "min_respondents": "0", "min_response_percent": "150"})
    assert bad.status_code == 200 and 'value="150"' in bad.content.decode()
    round_of_nine.refresh_from_db()
    assert (round_of_nine.min_respondents, round_of_nine.min_response_percent) == (3, 50)
    assert facilitator.post(url, {"title": "Round 1", "min_respondents": "1", "min_response_percent": "10"}).status_code == 302
    round_of_nine.refresh_from_db()
    assert (round_of_nine.min_respondents, round_of_nine.min_response_percent) == (1, 10)
    # One answer in each dimension now meets the rule: closing asks only the ordinary confirmation.
    assert facilitator.post(transition_url(round_of_nine), {"to": "closed", "confirm": "1"}).status_code == 302
    round_of_nine.refresh_from_db()
    assert round_of_nine.status == RoundStatus.CLOSED and not round_of_nine.snapshot.data["sample"]["low"]
    closed = facilitator.get(url).content.decode()
    assert re.search(r'name="min_respondents"[^>]*disabled', closed)
    with pytest.raises(services.TransitionError):
        services.round_sample_rule_set(round_=round_of_nine, min_respondents=3, min_response_percent=50)


# ------------------------------------------------------------------------------ the caveat in every output


@pytest.fixture
def demo(framework):
    call_command("seed_demo", stdout=StringIO())
    return Round.objects.get(organisation__slug="demo-retail")


def outputs(client, round_):
    """Every output of a closed round, as text: pages, CSV, XLSX, JSON."""
    slug, pk = round_.organisation.slug, round_.pk
    texts = {}
    for name, args in (
        ("assessments:results", []),
        ("assessments:results_dimension", ["D1"]),
        ("assessments:results_alignment", []),
    ):
        response = client.get(reverse(name, args=[slug, pk, *args]))
        assert response.status_code == 200
        texts[name] = response.content.decode()
    texts["csv"] = client.get(reverse("assessments:export_scores", args=[slug, pk, "csv"])).content.decode("utf-8-sig")
    book = load_workbook(io.BytesIO(client.get(reverse("assessments:export_scores", args=[slug, pk, "xlsx"])).content))
    texts["xlsx"] = "\n".join(str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row)
    texts["xlsx_first_sheet"] = book.worksheets[0].title
    texts["json"] = json.loads(client.get(reverse("reports:export_json", args=[slug, pk])).content)
    return texts


def test_every_output_carries_the_caveat_below_the_rule(round_of_nine, facilitator):
    round_ = close_with_override(facilitator, round_of_nine)
    texts = outputs(facilitator, round_)
    for name in ("assessments:results", "assessments:results_dimension", "assessments:results_alignment"):
        assert "data-cx-low-sample" in texts[name] and CAVEAT in texts[name], name
        assert "1 of the 9 invited participants submitted their answers." in texts[name]
    rows = list(csv.reader(StringIO(texts["csv"])))
    assert [CAVEAT] in rows and any("D1: 1 respondent" in cell for row in rows for cell in row)
    assert texts["xlsx_first_sheet"] == "Low sample" and CAVEAT in texts["xlsx"]
    low = texts["json"]["low_sample"]
    assert low["low"] is True and (low["invited"], low["submitted"], low["required"]) == (9, 1, 5)


def test_the_share_page_carries_the_caveat(round_of_nine, facilitator, org):
    round_ = close_with_override(facilitator, round_of_nine)
    publish(round_)
    link = sharing_services.share_link_create(round_=round_, user=org.members_by_role["facilitator"])
    token = sharing_services.share_token(link)
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(reverse("sharing:public", args=[token])).content.decode()
    # A visitor without an account reads French, the default language, whatever the browser says.
    assert "data-cx-low-sample" in page and "1 des 9 participants invités ont remis leurs réponses." in page


def test_the_demo_carries_no_caveat(demo):
    consultant = english(User.objects.get(email="consultant@demo.test"))
    texts = outputs(consultant, demo)
    for name in ("assessments:results", "assessments:results_dimension", "assessments:results_alignment"):
        assert "data-cx-low-sample" not in texts[name] and CAVEAT not in texts[name]
    assert CAVEAT not in texts["csv"] and CAVEAT not in texts["xlsx"] and texts["xlsx_first_sheet"] != "Low sample"
    assert texts["json"]["low_sample"]["low"] is False and texts["json"]["low_sample"]["invited"] == 8


def pdf_text(round_, tmp_path):
    pdf = tmp_path / "report.pdf"
    call_command("render_report", str(round_.pk), "--output", str(pdf), "--lang", "en", stdout=StringIO())
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", " ", text)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils")
def test_the_pdf_carries_the_caveat_below_the_rule_only(round_of_nine, facilitator, demo, tmp_path):
    low = pdf_text(close_with_override(facilitator, round_of_nine), tmp_path)
    assert "Low sample: these results rest on too few answers" in low and "1 of the 9 invited participants submitted" in low
    assert "Low sample" not in pdf_text(demo, tmp_path)


DOWNLOADS = ["assessments:export_scores", "assessments:export_answers", "roadmaps:export_roadmap", "roadmaps:export_raci"]


def download_text(client, round_, name, fmt):
    response = client.get(reverse(name, args=[round_.organisation.slug, round_.pk, fmt]))
    assert response.status_code == 200
    if fmt == "csv":
        return response.content.decode("utf-8-sig"), None
    book = load_workbook(io.BytesIO(response.content))
    return "\n".join(str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row), book.worksheets[
        0
    ].title


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_download_carries_the_caveat_below_the_rule_only(round_of_nine, facilitator, demo, fmt):
    low = close_with_override(facilitator, round_of_nine)
    consultant = english(User.objects.get(email="consultant@demo.test"))
    for name in DOWNLOADS:
        text, first_sheet = download_text(facilitator, low, name, fmt)
        assert CAVEAT in text and "1 of the 9 invited participants submitted" in text, name
        assert first_sheet in (None, "Low sample"), name
        text, first_sheet = download_text(consultant, demo, name, fmt)
        assert CAVEAT not in text and first_sheet != "Low sample", name
