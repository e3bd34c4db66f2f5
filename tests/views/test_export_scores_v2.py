"""The scores and answers downloads of a 2.0 round carry "not applicable", confidence and importance.

A 2.0 round's scores CSV/XLSX adds, after the columns every round has, the snapshot's answer
details: per dimension the "not applicable" count, the levels given with low and with high
confidence and the committee's importance; per question the same counts. Its answers download adds
each answer's confidence. A 1.0 round's downloads keep exactly the columns they always had.
"""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from assessments import services
from assessments.models import Answer, DimensionImportance, Framework, RoundStatus

pytestmark = pytest.mark.django_db

ROLES = (("facilitator", "cxo"), ("sponsor", "ceo"), ("respondent", "cfo"))

#: The headers of a 1.0 round's scores download, as they were before question bank 2.0.
DIMENSION_HEADERS_1 = [
    "Dimension",
    "Title",
    "Score",
    "Index",
    "Stage",
    "Answered",
    "Don't know",
    "Don't-know rate",
    "Low evidence",
    "Agreement",
]
QUESTION_HEADERS_1 = [
    "Question",
    "Dimension",
    "Text",
    "Score",
    "Mean",
    "Agreed level",
    "Rationale",
    "Levels given",
    "Don't know",
    "Range",
    "Standard deviation",
    "Average distance",
    "Contested",
]
ANSWER_HEADERS_1 = ["Participant", "E-mail address", "Function", "Question", "Dimension", "Level", "Comment", "Evidence link"]
ANONYMOUS_ANSWER_HEADERS_1 = ["Question", "Dimension", "Level", "Comment", "Evidence link"]

DIMENSION_DETAILS = ["Not applicable", "Low confidence", "High confidence", "Committee's importance (1–3)"]
QUESTION_DETAILS = ["Not applicable", "Low confidence", "High confidence"]


def english(user):
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def answer(round_, org, role, key, level=None, *, na=False, confidence=None, comment=""):
    participant = round_.participants.get(user=org.members_by_role[role])
    question = round_.framework.questions.get(key=key)
    Answer.objects.create(
        participant=participant, question=question, level=level, not_applicable=na, confidence=confidence, comment=comment
    )


def make_round(org, version, *, anonymous=False):
    framework = Framework.objects.get(key="cx-governance", version=version)
    round_ = services.round_create(
        organisation=org, user=org.members_by_role["facilitator"], framework=framework, title=f"Round {version}"
    )
    if anonymous:
        round_.anonymous = True
        round_.save()
    for role, function in ROLES:
        services.participant_invite(round_=round_, email=org.members_by_role[role].email, function=function)
    round_.status = RoundStatus.OPEN
    round_.save()
    return round_


def close(round_):
    services.round_transition(round_=round_, to="closed")
    round_.refresh_from_db()
    return round_


def answer_2(round_, org):
    """D1: levels with confidences, a don't-know and "not applicable"; D2.1 "not applicable" for everyone."""
    answer(round_, org, "facilitator", "D1.1", 2, confidence="high")
    answer(round_, org, "sponsor", "D1.1", 4, confidence="low")
    answer(round_, org, "respondent", "D1.1", na=True)
    answer(round_, org, "facilitator", "D1.2", 3, confidence="high")
    answer(round_, org, "sponsor", "D1.2")  # don't know
    answer(round_, org, "respondent", "D1.2", 5)  # a level without a confidence
    for role, _function in ROLES:
        answer(round_, org, role, "D2.1", na=True)
    for role, value in (("facilitator", 3), ("sponsor", 3), ("respondent", 2)):
        participant = round_.participants.get(user=org.members_by_role[role])
        DimensionImportance.objects.create(
            participant=participant, dimension=round_.framework.dimensions.get(key="D1"), importance=value
        )


@pytest.fixture
def closed_2(org):
    round_ = make_round(org, "2.0")
    answer_2(round_, org)
    return close(round_)


@pytest.fixture
def closed_1(org, framework):
    round_ = make_round(org, "1.0")
    answer(round_, org, "facilitator", "D1.1", 2, comment="first")
    answer(round_, org, "sponsor", "D1.1", 4)
    answer(round_, org, "respondent", "D1.1")  # don't know
    answer(round_, org, "facilitator", "D1.2", 3)
    return close(round_)


def download(client, org, round_, name, fmt):
    response = client.get(reverse(f"assessments:{name}", args=[org.slug, round_.pk, fmt]))
    assert response.status_code == 200, response.content[:300]
    return response


def csv_blocks(response):
    """The CSV's tables (dimensions, questions, then any caveat), split at their blank separating rows."""
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";" if text.splitlines()[0].count(";") else ","))
    blocks, current = [], []
    for row in rows:
        if row:
            current.append(row)
        elif current:
            blocks.append(current)
            current = []
    return [*blocks, current] if current else blocks


def sheets(response):
    book = load_workbook(io.BytesIO(response.content))
    return {sheet.title: [[c.value for c in row] for row in sheet.iter_rows()] for sheet in book.worksheets}


def by_key(table):
    header, *body = table
    return header, {row[0]: dict(zip(header, row, strict=True)) for row in body}


# --------------------------------------------------------------------------- a 2.0 round


def test_the_scores_csv_of_a_2_0_round_carries_the_answer_details(closed_2, org, client_for):
    facilitator = client_for(english(org.members_by_role["facilitator"]))
    dimensions, questions, *_caveat = csv_blocks(download(facilitator, org, closed_2, "export_scores", "csv"))
    dim_header, dims = by_key(dimensions)
    assert dim_header == DIMENSION_HEADERS_1 + DIMENSION_DETAILS
    d1, d2, d3 = dims["D1"], dims["D2"], dims["D3"]
    assert (d1["Not applicable"], d1["Low confidence"], d1["High confidence"]) == ("1", "1", "2")
    assert d1["Committee's importance (1–3)"] == "2.67"
    assert (d1["Answered"], d1["Don't know"]) == ("5", "1")  # "not applicable" counts in neither
    assert (d2["Not applicable"], d2["Low confidence"], d2["High confidence"], d2["Committee's importance (1–3)"]) == (
        "3",
        "0",
        "0",
        "",  # nobody gave D2 an importance
    )
    assert (d3["Not applicable"], d3["Low confidence"], d3["High confidence"]) == ("0", "0", "0")
    q_header, qs = by_key(questions)
    assert q_header == QUESTION_HEADERS_1 + QUESTION_DETAILS
    expected = {"D1.1": ("1", "1", "1"), "D1.2": ("0", "0", "1"), "D2.1": ("3", "0", "0"), "D3.1": ("0", "0", "0")}
    for key, counts in expected.items():
        assert (qs[key]["Not applicable"], qs[key]["Low confidence"], qs[key]["High confidence"]) == counts, key
    assert qs["D1.1"]["Levels given"] == "2" and qs["D1.2"]["Levels given"] == "2"


def test_the_scores_csv_in_french_writes_the_importance_with_a_decimal_comma(closed_2, org, client_for):
    facilitator = client_for(org.members_by_role["facilitator"])  # French by default
    dimensions, *_rest = csv_blocks(download(facilitator, org, closed_2, "export_scores", "csv"))
    d1 = next(row for row in dimensions if row[0] == "D1")
    assert d1[-4:] == ["1", "1", "2", "2,67"]


def test_the_scores_xlsx_of_a_2_0_round_carries_them_as_numbers(closed_2, org, client_for):
    sponsor = client_for(english(org.members_by_role["sponsor"]))  # the sponsor may download a closed round's scores
    with translation.override("en"):
        book = sheets(download(sponsor, org, closed_2, "export_scores", "xlsx"))
    dim_header, dims = by_key(book["Dimensions"])
    assert dim_header == DIMENSION_HEADERS_1 + DIMENSION_DETAILS
    d1, d2 = dims["D1"], dims["D2"]
    assert [d1[h] for h in DIMENSION_DETAILS] == [1, 1, 2, 2.67]
    assert [d2[h] for h in DIMENSION_DETAILS] == [3, 0, 0, None]
    assert isinstance(d1["Committee's importance (1–3)"], float)
    q_header, qs = by_key(book["Questions"])
    assert q_header == QUESTION_HEADERS_1 + QUESTION_DETAILS
    assert [qs["D1.1"][h] for h in QUESTION_DETAILS] == [1, 1, 1]
    assert [qs["D1.2"][h] for h in QUESTION_DETAILS] == [0, 0, 1]
    assert [qs["D2.1"][h] for h in QUESTION_DETAILS] == [3, 0, 0]


def test_an_older_2_0_snapshot_without_details_leaves_their_cells_empty(closed_2, org, client_for):
    snapshot = closed_2.snapshot
    for row in (*snapshot.data["scores"]["dimensions"], *snapshot.data["scores"]["questions"]):
        for key in ("not_applicable", "confidence", "importance"):
            row.pop(key, None)
    snapshot.save()
    facilitator = client_for(english(org.members_by_role["facilitator"]))
    dimensions, questions, *_caveat = csv_blocks(download(facilitator, org, closed_2, "export_scores", "csv"))
    # A 2.0 download keeps its shape: the columns are there, empty, since this snapshot never counted them.
    assert dimensions[0] == DIMENSION_HEADERS_1 + DIMENSION_DETAILS
    assert all(row[-4:] == ["", "", "", ""] for row in dimensions[1:])
    assert questions[0] == QUESTION_HEADERS_1 + QUESTION_DETAILS
    assert all(row[-3:] == ["", "", ""] for row in questions[1:])


def test_the_answers_download_of_a_2_0_round_carries_each_confidence(closed_2, org, client_for):
    facilitator = client_for(english(org.members_by_role["facilitator"]))
    for fmt in ("csv", "xlsx"):
        response = download(facilitator, org, closed_2, "export_answers", fmt)
        table = csv_blocks(response)[0] if fmt == "csv" else sheets(response)["Answers"]
        header, *body = table
        assert header == [*ANSWER_HEADERS_1[:6], "Confidence", *ANSWER_HEADERS_1[6:]]
        cells = {(row[1], row[3]): (row[5], row[6] or "") for row in body}
        level = str if fmt == "csv" else (lambda n: n)
        assert cells[("facilitator@acme.test", "D1.1")] == (level(2), "High confidence")
        assert cells[("sponsor@acme.test", "D1.1")] == (level(4), "Low confidence")
        assert cells[("respondent@acme.test", "D1.1")] == ("Not applicable", "")
        assert cells[("sponsor@acme.test", "D1.2")] == ("Don't know", "")
        assert cells[("respondent@acme.test", "D1.2")] == (level(5), "")


def test_the_anonymous_answers_download_keeps_no_person_and_sorts_by_level_and_confidence(org, client_for):
    round_ = make_round(org, "2.0", anonymous=True)
    answer(round_, org, "facilitator", "D1.1", 3, confidence="low")
    answer(round_, org, "sponsor", "D1.1", 3, confidence="high")
    answer(round_, org, "respondent", "D1.1", 3)
    close(round_)
    facilitator = client_for(english(org.members_by_role["facilitator"]))
    header, *body = csv_blocks(download(facilitator, org, round_, "export_answers", "csv"))[0]
    assert header == ["Question", "Dimension", "Level", "Confidence", "Comment", "Evidence link"]
    d11 = [row[:4] for row in body if row[0] == "D1.1"]
    # Sorted by level then confidence, never in the order participants were invited.
    assert d11 == [["D1.1", "D1", "3", ""], ["D1.1", "D1", "3", "High confidence"], ["D1.1", "D1", "3", "Low confidence"]]
    text = "\n".join(",".join(row) for row in body)
    assert "@acme.test" not in text and "cfo" not in text.lower()


# --------------------------------------------------------------------------- a 1.0 round, unchanged


def test_a_1_0_round_s_scores_download_keeps_exactly_its_columns(closed_1, org, client_for):
    facilitator = client_for(english(org.members_by_role["facilitator"]))
    response = download(facilitator, org, closed_1, "export_scores", "csv")
    assert response.content.startswith(("\ufeff" + ",".join(DIMENSION_HEADERS_1) + "\r\n").encode())
    dimensions, questions, *_caveat = csv_blocks(response)
    assert dimensions[0] == DIMENSION_HEADERS_1 and all(len(row) == len(DIMENSION_HEADERS_1) for row in dimensions)
    assert questions[0] == QUESTION_HEADERS_1 and all(len(row) == len(QUESTION_HEADERS_1) for row in questions)
    with translation.override("en"):
        book = sheets(download(facilitator, org, closed_1, "export_scores", "xlsx"))
    assert book["Dimensions"][0] == DIMENSION_HEADERS_1 and book["Questions"][0] == QUESTION_HEADERS_1
    assert all(len(row) == len(DIMENSION_HEADERS_1) for row in book["Dimensions"])


def test_a_1_0_round_s_answers_download_keeps_exactly_its_columns(closed_1, org, client_for):
    facilitator = client_for(english(org.members_by_role["facilitator"]))
    header, *body = csv_blocks(download(facilitator, org, closed_1, "export_answers", "csv"))[0]
    assert header == ANSWER_HEADERS_1 and all(len(row) == len(ANSWER_HEADERS_1) for row in body)
    closed_1.anonymous = True
    closed_1.save()
    header, *body = csv_blocks(download(facilitator, org, closed_1, "export_answers", "csv"))[0]
    assert header == ANONYMOUS_ANSWER_HEADERS_1 and all(len(row) == len(ANONYMOUS_ANSWER_HEADERS_1) for row in body)


# --------------------------------------------------------------------------- who may download


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_roles_without_the_right_still_cannot_download_a_2_0_round(closed_2, org, outsider, client_for, fmt):
    scores = reverse("assessments:export_scores", args=[org.slug, closed_2.pk, fmt])
    answers = reverse("assessments:export_answers", args=[org.slug, closed_2.pk, fmt])
    for role in ("respondent", "viewer"):  # a closed, unpublished round's scores: facilitator and sponsor only
        assert client_for(org.members_by_role[role]).get(scores).status_code == 403, role
    for role in ("sponsor", "respondent", "viewer"):  # individual answers: facilitators only
        assert client_for(org.members_by_role[role]).get(answers).status_code == 403, role
    assert client_for(outsider).get(scores).status_code == 404
    assert client_for(outsider).get(answers).status_code == 404
