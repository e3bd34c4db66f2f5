"""The ownership map of a 2.0 round (issue #17): snapshot, export, results page, workshop, PDF; none on 1.0.

RaciAnswer and RaciLetter rows are created directly: the collection screens are built apart.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from assessments import services
from assessments.domain.ownership import NOBODY
from assessments.models import Framework, RaciAnswer, RaciLetter, RoundStatus
from reports.builders import build_report_data
from reports.exports import build_export
from reports.rendering import render_html

pytestmark = pytest.mark.django_db

# the member (a role of the organisation, or an e-mail address) → their function in the round
PEOPLE = (("facilitator", "cxo"), ("sponsor", "ceo"), ("respondent", "cfo"), ("marketing@acme.test", "cmo"))
#: activity → the A each of PEOPLE named, in order
A_ANSWERS = {
    "cx_budget": ("cxo", "ceo", "cfo", "cfo"),  # contested: CFO 2, CXO 1, CEO 1
    "cx_strategy": ("ceo", "ceo", "ceo", "ceo"),  # everyone agrees
    "cx_metrics": ("nobody", "nobody", "cxo", "dont_know"),  # no A in people's minds
}


def framework(version):
    return Framework.objects.get(key="cx-governance", version=version)


def email_of(org, who):
    return org.members_by_role[who].email if who in org.members_by_role else who


def make_round(org, version, *, anonymous=False, title="Ownership round"):
    round_ = services.round_create(
        organisation=org, user=org.members_by_role["facilitator"], framework=framework(version), title=title
    )
    round_.anonymous = anonymous
    round_.save(update_fields=["anonymous"])
    for who, function in PEOPLE:
        services.participant_invite(round_=round_, email=email_of(org, who), function=function)
    round_.status = RoundStatus.OPEN
    round_.save(update_fields=["status"])
    return round_


def answer_raci(round_, org, *, letters=True):
    activities = {a.key: a for a in round_.framework.raci_activities.all()}
    for index, (who, _function) in enumerate(PEOPLE):
        participant = round_.participants.get(user__email=email_of(org, who))
        for key, choices in A_ANSWERS.items():
            RaciAnswer.objects.create(participant=participant, activity=activities[key], choice=choices[index])
        if letters:
            # Everyone sees the CXO doing the budget work; two see the CFO doing it too.
            RaciLetter.objects.create(participant=participant, activity=activities["cx_budget"], role="cxo", letter="R")
            if index < 2:
                RaciLetter.objects.create(participant=participant, activity=activities["cx_budget"], role="cfo", letter="R")
            RaciLetter.objects.create(participant=participant, activity=activities["cx_budget"], role="cmo", letter="I")


def close(round_):
    services.round_transition(round_=round_, to="closed")
    round_.refresh_from_db()
    return round_


@pytest.fixture
def closed_2(org):
    round_ = make_round(org, "2.0")
    answer_raci(round_, org)
    return close(round_)


def rows_of(data):
    return {row["activity"]: row for row in data["ownership"]["activities"]}


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


# ------------------------------------------------------------------------------ snapshot and export


def test_a_closed_2_0_round_stores_the_ownership_map(closed_2):
    data = closed_2.snapshot.data
    assert list(data).index("ownership") == list(data).index("alignment") + 1
    rows = rows_of(data)
    # Every activity of the round's catalogue, in catalogue order, answered or not.
    assert [row["activity"] for row in data["ownership"]["activities"]] == list(
        closed_2.framework.raci_activities.order_by("position").values_list("key", flat=True)
    )
    budget = rows["cx_budget"]
    assert budget["accountable"] == [{"role": "cfo", "count": 2}, {"role": "ceo", "count": 1}, {"role": "cxo", "count": 1}]
    assert (budget["answered"], budget["nobody"], budget["dont_know"], budget["plurality"]) == (4, 0, 0, "cfo")
    assert budget["ambiguity"] == 0.83  # 1 − 2/12 = 5/6
    assert budget["contested"] and budget["several_a"] and not budget["no_a"]
    assert budget["responsible"] == [{"role": "cxo", "count": 4}, {"role": "cfo", "count": 2}]
    assert budget["function_gaps"] == [
        {"function": "ceo", "choice": "ceo", "count": 1},
        {"function": "cxo", "choice": "cxo", "count": 1},
    ]
    strategy = rows["cx_strategy"]
    assert strategy["ambiguity"] == 0 and not strategy["contested"] and strategy["function_gaps"] == []
    metrics = rows["cx_metrics"]
    assert metrics["no_a"] and metrics["plurality"] == NOBODY and (metrics["nobody"], metrics["dont_know"]) == (2, 1)
    assert metrics["function_gaps"] == [{"function": "cfo", "choice": "cxo", "count": 1}]
    unanswered = rows["voc_programme"]
    assert unanswered["answered"] == 0 and unanswered["ambiguity"] is None and not unanswered["no_a"]
    # The typed read gives the stored document back, key for key.
    results = closed_2.snapshot.results
    assert results.to_data() == data
    assert [a.activity for a in results.ownership.contested()] == ["cx_budget", "cx_metrics"]


def test_a_withdrawn_participant_s_answers_leave_the_map(closed_2, org):
    services.participant_withdraw(participant=closed_2.participants.get(function="cmo"))
    closed_2.refresh_from_db()
    budget = rows_of(closed_2.snapshot.data)["cx_budget"]
    # A tie: in the catalogue's order of roles.
    assert budget["accountable"] == [{"role": "ceo", "count": 1}, {"role": "cxo", "count": 1}, {"role": "cfo", "count": 1}]
    assert budget["ambiguity"] == 1 and budget["plurality"] is None


def test_the_export_carries_the_map_and_its_index_can_be_recomputed(closed_2):
    export = json.loads(json.dumps(build_export(closed_2)))
    ownership = export["raci"]["ownership_map"]
    assert ownership == closed_2.snapshot.data["ownership"]
    for row in ownership["activities"]:
        counts = [c["count"] for c in row["accountable"]] + [row["nobody"]]
        total = sum(counts)
        if total < 2:
            assert row["ambiguity"] is None
            continue
        exact = 1 - Fraction(sum(n * (n - 1) for n in counts), total * (total - 1))
        half_up = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        assert Decimal(str(row["ambiguity"])) == half_up
        assert row["answered"] == total + row["dont_know"]
        assert row["contested"] == (exact >= Fraction(1, 2))


def test_an_anonymous_round_stores_no_function(org):
    round_ = make_round(org, "2.0", anonymous=True)
    answer_raci(round_, org)
    round_ = close(round_)
    rows = rows_of(round_.snapshot.data)
    assert all(row["function_gaps"] == [] for row in rows.values())
    assert rows["cx_budget"]["accountable"][0] == {"role": "cfo", "count": 2}
    assert all(row["function_gaps"] == [] for row in build_export(round_)["raci"]["ownership_map"]["activities"])


def test_a_1_0_round_has_no_ownership_anywhere(org, client_for):
    round_ = make_round(org, "1.0", title="Legacy round")
    answer_raci(round_, org, letters=False)
    round_ = close(round_)
    assert "ownership" not in round_.snapshot.data
    assert round_.snapshot.results.ownership is None
    export = build_export(round_)
    assert '"ownership' not in json.dumps(export)  # neither ownership_map nor ownership (journey_ownership is an activity)
    facilitator = client_for(org.members_by_role["facilitator"])
    summary = facilitator.get(reverse("assessments:results", args=[org.slug, round_.pk]))
    assert reverse("assessments:results_ownership", args=[org.slug, round_.pk]) not in summary.content.decode()
    assert facilitator.get(reverse("assessments:results_ownership", args=[org.slug, round_.pk])).status_code == 404
    assert facilitator.get(reverse("assessments:workshop_raci", args=[org.slug, round_.pk])).status_code == 404
    assert "ownership" not in build_report_data(round_, "en")


def test_a_2_0_snapshot_stored_before_the_map_still_reads(closed_2):
    data = dict(closed_2.snapshot.data)
    del data["ownership"]
    closed_2.snapshot.data = data
    closed_2.snapshot.save()
    closed_2.snapshot.refresh_from_db()
    assert closed_2.snapshot.results.ownership is None
    assert closed_2.snapshot.results.to_data() == data


# ------------------------------------------------------------------------------ results page


def english(user):
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def test_the_results_page_lists_contested_activities_first_with_counts_flags_and_gaps(closed_2, org, client_for):
    facilitator = client_for(english(org.members_by_role["facilitator"]))
    url = reverse("assessments:results_ownership", args=[org.slug, closed_2.pk])
    with translation.override("en"):
        response = facilitator.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    page = text_of(response)
    # The nav entry, on this page and on the others of a 2.0 round with a map.
    assert f'href="{url}"' in html and 'aria-current="page" href="' + url in html
    summary = facilitator.get(reverse("assessments:results", args=[org.slug, closed_2.pk])).content.decode()
    assert f'href="{url}"' in summary
    # Contested first, most ambiguous first (CX budget 0.83, then CX metrics 0.67), then catalogue order.
    budget = closed_2.framework.raci_activities.get(key="cx_budget").title_en
    metrics = closed_2.framework.raci_activities.get(key="cx_metrics").title_en
    strategy = closed_2.framework.raci_activities.get(key="cx_strategy").title_en
    assert page.index(budget) < page.index(metrics) < page.index(strategy)
    assert "Ownership ambiguity: 0.83" in page and "Ownership ambiguity: 0.67" in page and "Ownership ambiguity: 0" in page
    assert 'data-choice="cfo" data-count="2"' in html and 'data-choice="nobody" data-count="2"' in html
    assert "cx-w-50" in html  # CFO: 2 of the 4 answers on the budget
    budget_block = html[html.index('id="own-cx_budget"') : html.index("</li>", html.index('id="own-cx_budget"') + 1)]
    assert "several As" in budget_block and "contested" in budget_block and "no A" not in budget_block
    metrics_block = html[html.index('id="own-cx_metrics"') : html.index("</li>", html.index('id="own-cx_metrics"') + 1)]
    assert "no A" in metrics_block and "most named: Nobody" in text_of(type("R", (), {"content": metrics_block.encode()}))
    # R counts, then perception gaps by function (attributed round).
    roles = {r.key: r.title_en for r in closed_2.framework.raci_roles.all()}
    assert f"Doing the work (R): {roles['cxo']} (4) · {roles['cfo']} (2)" in page
    assert f"CEO names {roles['ceo']}" in page and f"CXO names {roles['cxo']}" in page
    assert f"CFO names {roles['cxo']}" in page  # on CX metrics, where the plurality is "nobody"


def test_an_anonymous_round_s_page_shows_no_function(org, client_for):
    round_ = make_round(org, "2.0", anonymous=True)
    answer_raci(round_, org)
    round_ = close(round_)
    facilitator = client_for(english(org.members_by_role["facilitator"]))
    with translation.override("en"):
        page = text_of(facilitator.get(reverse("assessments:results_ownership", args=[org.slug, round_.pk])))
    assert "Anonymous round: no answer is linked to a function" in page
    assert "Perception gaps by function" not in page
    assert not re.search(r"\b(CEO|CFO|CXO|CMO) (\(\d+\) name|names) ", page)
    assert "Ownership ambiguity: 0.83" in page


@pytest.mark.parametrize(
    ("who", "closed", "published"),
    [("facilitator", 200, 200), ("sponsor", 200, 200), ("respondent", 403, 200), ("viewer", 403, 200), ("outsider", 404, 404)],
)
def test_who_may_read_the_page_as_the_alignment_page(closed_2, org, outsider, client_for, who, closed, published):
    from tests.conftest import publish

    user = outsider if who == "outsider" else org.members_by_role[who]
    url = reverse("assessments:results_ownership", args=[org.slug, closed_2.pk])
    alignment = reverse("assessments:results_alignment", args=[org.slug, closed_2.pk])
    client = client_for(user)
    response = client.get(url)
    assert response.status_code == closed == client.get(alignment).status_code
    if who == "outsider":
        assert b"Acme" not in response.content and b"Ownership round" not in response.content
    publish(closed_2)
    response = client.get(url)
    assert response.status_code == published == client.get(alignment).status_code
    if published == 200:
        assert b'data-choice="cfo" data-count="2"' in response.content


def test_an_open_2_0_round_s_page_waits_for_the_results(org, client_for):
    round_ = make_round(org, "2.0")
    answer_raci(round_, org)
    response = client_for(org.members_by_role["facilitator"]).get(
        reverse("assessments:results_ownership", args=[org.slug, round_.pk])
    )
    assert response.status_code == 200 and b"data-choice=" not in response.content


def test_a_2_0_snapshot_stored_before_the_map_says_so(closed_2, org, client_for):
    data = dict(closed_2.snapshot.data)
    del data["ownership"]
    closed_2.snapshot.data = data
    closed_2.snapshot.save()
    client = client_for(english(org.members_by_role["facilitator"]))
    url = reverse("assessments:results_ownership", args=[org.slug, closed_2.pk])
    with translation.override("en"):
        response = client.get(url)
    assert response.status_code == 200 and "stored before the ownership map existed" in text_of(response)
    assert f'href="{url}"' not in client.get(reverse("assessments:results", args=[org.slug, closed_2.pk])).content.decode()


# ------------------------------------------------------------------------------ workshop


def test_the_workshop_lists_contested_activities_with_their_live_counts_only(org, client_for):
    round_ = make_round(org, "2.0")
    answer_raci(round_, org)
    facilitator = client_for(english(org.members_by_role["facilitator"]))
    url = reverse("assessments:workshop_raci", args=[org.slug, round_.pk])
    with translation.override("en"):
        response = facilitator.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "2 contested activities" in text_of(response)
    assert (
        html.index('data-cx-activity="cx_budget"')
        < html.index('data-cx-activity="cx_metrics"')
        < html.index('data-cx-activity="cx_strategy"')
    )
    assert 'data-choice="cfo" data-count="2"' in html and "ownership ambiguity 0.83" in text_of(response)
    assert f'hx-get="{url}?status=open"' in html  # polled while the round is open
    # Counts only: no person, no function, whatever the round (the list itself; the page header names the facilitator).
    listed = facilitator.get(url + "?status=open", HTTP_HX_REQUEST="true").content.decode()
    for person in ("facilitator", "sponsor", "respondent"):
        assert org.members_by_role[person].email not in listed and org.members_by_role[person].display_name not in listed
    assert not re.search(r"\b(CEO|CFO|CXO|CMO) (\(\d+\) name|names) ", text_of(response)) and "Perception gaps" not in html
    # A new answer shows at the next poll (htmx asks for the list alone).
    participant = round_.participants.get(function="cxo")
    RaciAnswer.objects.filter(participant=participant, activity__key="cx_budget").update(choice="cfo")
    with translation.override("en"):
        polled = facilitator.get(url + "?status=open", HTTP_HX_REQUEST="true")
    assert polled.status_code == 200 and "<html" not in polled.content.decode()
    assert b'data-choice="cfo" data-count="3"' in polled.content
    # The round changed status since the page loaded: the page reloads.
    assert facilitator.get(url + "?status=draft", HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"


def test_the_last_dimension_leads_to_the_raci_page(org, client_for):
    round_ = make_round(org, "2.0")
    last = round_.framework.dimensions.order_by("position").last()
    page = client_for(org.members_by_role["facilitator"]).get(
        reverse("assessments:workshop_dimension", args=[org.slug, round_.pk, last.key])
    )
    assert reverse("assessments:workshop_raci", args=[org.slug, round_.pk]) in page.content.decode()


@pytest.mark.parametrize(
    ("who", "status"), [("facilitator", 200), ("sponsor", 403), ("respondent", 403), ("viewer", 403), ("outsider", 404)]
)
def test_only_facilitators_run_the_workshop(org, outsider, client_for, who, status):
    round_ = make_round(org, "2.0")
    user = outsider if who == "outsider" else org.members_by_role[who]
    response = client_for(user).get(reverse("assessments:workshop_raci", args=[org.slug, round_.pk]))
    assert response.status_code == status
    if who == "outsider":
        assert b"Acme" not in response.content


# ------------------------------------------------------------------------------ PDF


def test_the_pdf_has_the_ownership_map_chapter(closed_2, tmp_path):
    data = build_report_data(closed_2, "en")
    assert [a["activity"] for a in data["ownership"]["activities"]][:2] == ["cx_budget", "cx_metrics"]
    html = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", render_html(data)))
    assert html.index("Ownership map") < html.index("Roadmap")  # in the contents, before the roadmap
    assert "Perception gaps by function" in html and "CEO names" in html
    if not shutil.which("pdftotext"):
        pytest.skip("needs poppler-utils for the PDF text")
    pdf = tmp_path / "report.pdf"
    call_command("render_report", str(closed_2.pk), "--output", str(pdf), "--lang", "en", stdout=StringIO())
    text = re.sub(r"\s+", " ", subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
    assert text.count("Ownership map") >= 2  # the contents and the chapter
    assert "Doing the work (R)" in text and "0.83" in text and "several As" in text
    assert "Perception gaps by function" in text
