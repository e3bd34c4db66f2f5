"""CSV import of the KPI register: period values and raw responses, all or nothing, every bad line named."""

import io
import random
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from measurement import selectors
from measurement.domain.metrics import csat_from_scores, export_round, nps_from_scores
from measurement.imports import max_errors, parse_csv
from measurement.models import Measurement
from measurement.services import measurement_import

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English (the msgids), whatever the French catalogue says."""
    with translation.override("en"):
        yield


def upload(text: str, *, bom: bool = False, name: str = "kpi.csv", encoding: str = "utf-8") -> SimpleUploadedFile:
    data = text.encode(encoding)
    return SimpleUploadedFile(name, (b"\xef\xbb\xbf" if bom else b"") + data, content_type="text/csv")


def post_import(client, org, file, **fields):
    return client.post(reverse("measurement:import", args=[org.slug]), {"file": file, **fields})


def nps_responses(promoters=86, passives=97, detractors=57, period="2026-Q3", seed=7):
    rng = random.Random(seed)
    scores = [rng.choice((9, 10)) for _ in range(promoters)] + [rng.choice((7, 8)) for _ in range(passives)]
    scores += [rng.randint(0, 6) for _ in range(detractors)]
    rng.shuffle(scores)
    return [("nps", period, s) for s in scores]


def csv_text(header, rows, delimiter=","):
    return "\n".join([delimiter.join(header), *(delimiter.join(str(c) for c in row) for row in rows)]) + "\n"


# ----------------------------------------------------------------------------------- period values


def test_valid_period_values_are_imported(org, client_for):
    text = csv_text(
        ["metric", "period", "value", "n", "source"],
        [
            ("nps", "2026-Q3", "12.08", "240", "Post-purchase survey"),
            ("csat", "2026-Q3", "81.5", "400", "Post-purchase survey"),
            ("retention_rate", "2026-Q3", "76.4", "", "Finance"),
            ("cost_per_contact", "2026-09", "6.1", "", ""),
        ],
    )
    response = post_import(client_for(org.members_by_role["sponsor"]), org, upload(text))
    assert response.status_code == 302
    values = {(m.metric, m.period): (m.value, m.n, m.source) for m in Measurement.objects.filter(organisation=org)}
    assert values == {
        ("nps", "2026-Q3"): (Decimal("12.08"), 240, "Post-purchase survey"),
        ("csat", "2026-Q3"): (Decimal("81.50"), 400, "Post-purchase survey"),
        ("retention_rate", "2026-Q3"): (Decimal("76.40"), None, "Finance"),
        ("cost_per_contact", "2026-09"): (Decimal("6.10"), None, ""),
    }
    csat = Measurement.objects.get(metric="csat")
    assert (csat.period_year, csat.period_kind, csat.period_number, csat.period_first_month) == (2026, "quarter", 3, 7)
    # A CSAT share with its n has a Wilson interval; an NPS entered as a bare value has no known margin.
    rows = selectors.register(organisation=org)
    assert rows["csat"][0].ci_low is not None and rows["nps"][0].margin is None


def test_reimporting_replaces_the_same_metric_and_period(org):
    first = "metric,period,value,n,source\nretention_rate,2026-Q3,76.4,,Finance\n"
    second = "metric,period,value,n,source\nretention_rate,2026-Q3,77,,Finance v2\nchurn_rate,2026-Q3,6.1,,Finance\n"
    user = org.members_by_role["facilitator"]
    assert measurement_import(organisation=org, user=user, file=io.BytesIO(first.encode())).created == 1
    outcome = measurement_import(organisation=org, user=user, file=io.BytesIO(second.encode()))
    assert (outcome.created, outcome.updated) == (1, 1)
    assert Measurement.objects.get(metric="retention_rate").value == Decimal("77.00")
    assert Measurement.objects.get(metric="retention_rate").source == "Finance v2"


def test_columns_may_come_in_any_order_and_case(org):
    text = "Period,Metric,Value,N\n2026-q3,NPS,12.08,240\n"
    outcome = measurement_import(organisation=org, user=None, file=io.BytesIO(text.encode()))
    assert outcome.imported
    assert Measurement.objects.get().period == "2026-Q3"


@pytest.mark.parametrize(
    ("row", "fragment"),
    [
        ("happiness,2026-Q3,3,100,x", "happiness"),
        ("nps,2026-Q5,12,100,x", "2026-Q5"),
        ("nps,Q3 2026,12,100,x", "Q3 2026"),
        ("nps,2026-Q3,abc,100,x", "abc"),
        ("nps,2026-Q3,,100,x", "value"),
        ("nps,2026-Q3,120,100,x", "120"),
        ("csat,2026-Q3,101,100,x", "101"),
        ("retention_rate,2026-Q3,-3,,x", "-3"),
        ("nps,2026-Q3,12,,x", "n"),
        ("nps,2026-Q3,12,12.5,x", "12.5"),
        ("nps,2026-Q3,12,0,x", ""),
        ("nps,2026-Q3,1 200,100,x", "1 200"),
        ("nps,2026-Q3,12,100,x,extra", "6"),
    ],
)
def test_each_kind_of_bad_value_row_is_refused_with_a_reason(row, fragment, org):
    text = f"metric,period,value,n,source\nretention_rate,2026-Q2,70,,ok\n{row}\n"
    outcome = measurement_import(organisation=org, user=None, file=io.BytesIO(text.encode()))
    assert not outcome.imported and outcome.error_count == 1
    assert outcome.errors[0].line == 3
    assert fragment in outcome.errors[0].message
    assert not Measurement.objects.exists()


def test_a_duplicate_metric_and_period_names_the_first_line(org):
    text = "metric,period,value,n,source\nchurn_rate,2026-Q3,6,,a\nnps,2026-Q3,1,10,b\nchurn_rate,2026-Q3,7,,c\n"
    outcome = measurement_import(organisation=org, user=None, file=io.BytesIO(text.encode()))
    assert [(e.line, "2" in e.message) for e in outcome.errors] == [(4, True)]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n",
        "metric,period\nnps,2026-Q3\n",
        "metric,period,value,colour\n",
        "nps,2026-Q3,12,240,x\n",
        "metric,metric,period,value\n",
    ],
)
def test_a_missing_or_wrong_header_is_line_1(text, org):
    outcome = measurement_import(organisation=org, user=None, file=io.BytesIO(text.encode()))
    assert not outcome.imported and outcome.errors[0].line == 1


# ----------------------------------------------------------------------------------- raw responses


def test_raw_responses_are_aggregated_into_counts_matching_the_domain(org, client_for):
    rows = nps_responses() + [("csat", "2026-Q3", s) for s in [5] * 168 + [4] * 158 + [3] * 38 + [2] * 24 + [1] * 12]
    random.Random(3).shuffle(rows)
    text = csv_text(["metric", "period", "score"], rows)
    response = post_import(client_for(org.members_by_role["facilitator"]), org, upload(text), source="Qualtrics export")
    assert response.status_code == 302
    nps = Measurement.objects.get(organisation=org, metric="nps", period="2026-Q3")
    assert (nps.promoters, nps.passives, nps.detractors, nps.n) == (86, 97, 57, 240)
    assert nps.value == Decimal("12.08") and nps.source == "Qualtrics export"
    csat = Measurement.objects.get(organisation=org, metric="csat")
    assert csat.score_counts == {"1": 12, "2": 24, "3": 38, "4": 158, "5": 168}
    register = selectors.register(organisation=org)
    domain_nps = nps_from_scores([s for m, _p, s in rows if m == "nps"])
    assert register["nps"][0].value == export_round(domain_nps.value) == Decimal("12.08")
    assert register["nps"][0].margin == export_round(domain_nps.margin_of_error) == Decimal("9.65")
    domain_csat = csat_from_scores([s for m, _p, s in rows if m == "csat"])
    assert register["csat"][0].value == export_round(domain_csat.value) == Decimal("81.50")
    assert register["csat"][0].top_box == Decimal("42.00")
    assert register["csat"][0].ci_low == export_round(domain_csat.top_2_box.ci_low)
    page = client_for(org.members_by_role["viewer"]).get(reverse("measurement:register", args=[org.slug])).content.decode()
    assert "12,08" in page and "9,65" in page  # French number format


def test_raw_responses_of_several_periods_ces_and_fcr(org):
    text = csv_text(
        ["metric", "period", "score"],
        [
            ("ces", "2026-Q2", 3),
            ("ces", "2026-Q2", 5),
            ("ces", "2026-Q3", "6.5"),
            ("ces", "2026-Q3", 7),
            ("fcr", "2026-Q3", 1),
            ("fcr", "2026-Q3", 1),
            ("fcr", "2026-Q3", 0),
            ("nps", "2026-07", 10),
        ],
    )
    outcome = measurement_import(
        organisation=org, user=None, file=io.BytesIO(text.encode()), source="s", ces_scale=7, fcr_window_days=7
    )
    assert outcome.imported and outcome.created == 4 and outcome.rows == 8
    ces = Measurement.objects.get(metric="ces", period="2026-Q3")
    assert ces.score_counts == {"6.5": 1, "7": 1} and ces.ces_scale == 7 and ces.value == Decimal("6.75")
    fcr = Measurement.objects.get(metric="fcr")
    assert (fcr.resolved, fcr.n, fcr.recontact_window_days, fcr.value) == (2, 3, 7, Decimal("66.67"))


def test_ces_and_fcr_responses_need_their_scale_and_window(org):
    text = "metric,period,score\nces,2026-Q3,3\nfcr,2026-Q3,1\nnps,2026-Q3,9\n"
    outcome = measurement_import(organisation=org, user=None, file=io.BytesIO(text.encode()))
    assert [e.line for e in outcome.errors] == [2, 3]
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(
    ("row", "fragment"),
    [
        ("nps,2026-Q3,11", "11"),
        ("nps,2026-Q3,8.5", "8.5"),
        ("csat,2026-Q3,0", "0"),
        ("retention_rate,2026-Q3,1", "retention_rate"),
        ("nps,2026-13,9", "2026-13"),
        ("nps,2026-Q3,", ""),
        ("nps,2026-Q3,neuf", "neuf"),
    ],
)
def test_each_kind_of_bad_response_is_refused(row, fragment, org):
    outcome = measurement_import(
        organisation=org, user=None, file=io.BytesIO(f"metric,period,score\nnps,2026-Q3,9\n{row}\n".encode())
    )
    assert [e.line for e in outcome.errors] == [3] and fragment in outcome.errors[0].message


def test_one_bad_row_among_1000_imports_nothing_and_names_the_line(org, client_for):
    existing = Measurement.objects.create(
        organisation=org,
        metric="nps",
        period="2026-Q3",
        period_year=2026,
        period_kind="quarter",
        period_number=3,
        period_first_month=7,
        value=Decimal("5.00"),
        n=100,
        promoters=30,
        passives=45,
        detractors=25,
    )
    rows = [("nps", "2026-Q3", i % 11) for i in range(1000)]
    rows[499] = ("nps", "2026-Q3", 12)  # data line 500 → file line 501 (the header is line 1)
    response = post_import(
        client_for(org.members_by_role["facilitator"]), org, upload(csv_text(["metric", "period", "score"], rows))
    )
    assert response.status_code == 200
    outcome = response.context["outcome"]
    assert not outcome.imported and outcome.rows == 1000
    assert [(e.line, "12" in e.message) for e in outcome.errors] == [(501, True)]
    content = response.content.decode()
    assert 'id="import-errors"' in content and "501" in content
    existing.refresh_from_db()
    assert Measurement.objects.count() == 1 and existing.value == Decimal("5.00") and existing.promoters == 30


def test_one_bad_value_row_among_1000_imports_nothing(org):
    rows = [("revenue_per_customer", f"{2000 + i // 12:04d}-{1 + i % 12:02d}", "300", "", "x") for i in range(1000)]
    rows[736] = ("revenue_per_customer", "2061-05", "trois cents", "", "x")
    text = csv_text(["metric", "period", "value", "n", "source"], rows)
    outcome = measurement_import(organisation=org, user=None, file=io.BytesIO(text.encode()))
    assert [e.line for e in outcome.errors] == [738]
    assert not Measurement.objects.exists()


def test_checking_stops_at_the_error_limit_and_says_how_many_lines_were_left(org, client_for):
    rows = [("nps", "2026-Q3", 42)] * (max_errors() + 25)
    response = post_import(
        client_for(org.members_by_role["facilitator"]), org, upload(csv_text(["metric", "period", "score"], rows))
    )
    outcome = response.context["outcome"]
    assert outcome.error_count == max_errors() and len(outcome.errors) == max_errors()
    assert outcome.unread_lines == 25
    assert 'id="import-stopped"' in response.content.decode()


# ----------------------------------------------------------------------------------- file formats


def test_semicolon_bom_and_decimal_comma(org, client_for):
    values = "metric;period;value;n;source\r\nnps;2026-Q3;12,08;240;Enquête « post-achat »\r\ncsat;2026-Q3;81,5;400;Enquête\r\n"
    client = client_for(org.members_by_role["facilitator"])
    assert post_import(client, org, upload(values, bom=True)).status_code == 302
    assert Measurement.objects.get(metric="nps").value == Decimal("12.08")
    assert Measurement.objects.get(metric="nps").source == "Enquête « post-achat »"
    assert Measurement.objects.get(metric="csat").value == Decimal("81.50")
    responses = "metric;period;score\r\nces;2026-Q2;3,5\r\nces;2026-Q2;4\r\nces;2026-Q2;2,5\r\n"
    assert post_import(client, org, upload(responses, bom=True), ces_scale="5").status_code == 302
    ces = Measurement.objects.get(metric="ces")
    assert ces.score_counts == {"2.5": 1, "3.5": 1, "4": 1} and ces.value == Decimal("3.33") and ces.ces_scale == 5


def test_a_file_without_bom_and_with_quoted_fields(org):
    text = 'metric,period,value,n,source\nnps,2026-Q3,"12,08",240,"Survey, wave 3"\n'
    outcome = measurement_import(organisation=org, user=None, file=io.BytesIO(text.encode()))
    assert outcome.imported
    assert Measurement.objects.get().source == "Survey, wave 3" and Measurement.objects.get().value == Decimal("12.08")


def test_blank_lines_are_skipped_and_lines_keep_their_numbers(org):
    text = "metric,period,score\n\nnps,2026-Q3,9\n\nnps,2026-Q3,99\n"
    outcome = measurement_import(organisation=org, user=None, file=io.BytesIO(text.encode()))
    assert [e.line for e in outcome.errors] == [5] and outcome.rows == 2


def test_a_file_that_is_not_utf8_is_refused(org):
    text = "metric;period;value;n;source\nnps;2026-Q3;12,08;240;Enquête\n"
    outcome = measurement_import(organisation=org, user=None, file=io.BytesIO(text.encode("cp1252")))
    assert not outcome.imported and outcome.errors
    assert not Measurement.objects.exists()


@override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_a_large_upload_streams_from_a_temporary_file(org, client_for):
    rows = nps_responses()
    response = post_import(
        client_for(org.members_by_role["facilitator"]), org, upload(csv_text(["metric", "period", "score"], rows))
    )
    assert response.status_code == 302
    assert Measurement.objects.get(metric="nps").n == 240


def test_parse_reads_line_by_line_without_keeping_responses():
    """Raw responses never become a list: only the aggregator's counters grow."""
    text = csv_text(["metric", "period", "score"], nps_responses())
    parsed = parse_csv(io.BytesIO(text.encode()))
    assert parsed.ok and parsed.values == [] and parsed.rows == 240
    assert sum(len(c) for c in parsed.aggregator.counts().values()) <= 11


# ----------------------------------------------------------------------------------- text safety


def test_formula_looking_source_is_stored_as_typed_and_escaped_on_pages(org, client_for):
    source = '=HYPERLINK("http://evil.test","x") <script>alert(1)</script>'
    text = csv_text(
        ["metric", "period", "value", "n", "source"],
        [("churn_rate", "2026-Q3", "6.1", "", f'"{source.replace(chr(34), chr(34) * 2)}"')],
    )
    assert post_import(client_for(org.members_by_role["facilitator"]), org, upload(text)).status_code == 302
    assert Measurement.objects.get().source == source
    for name, kwargs in (("register", {}), ("trend", {"metric": "churn_rate"})):
        page = client_for(org.members_by_role["viewer"]).get(reverse(f"measurement:{name}", kwargs={"slug": org.slug, **kwargs}))
        content = page.content.decode()
        assert "<script>alert(1)</script>" not in content
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
        assert "=HYPERLINK(&quot;http://evil.test&quot;" in content


def test_bad_lines_are_escaped_on_the_import_page(org, client_for):
    text = "metric,period,score\n<b>nps</b>,2026-Q3,9\n"
    response = post_import(client_for(org.members_by_role["facilitator"]), org, upload(text))
    content = response.content.decode()
    assert "<b>nps</b>" not in content and "&lt;b&gt;nps&lt;/b&gt;" in content


def test_the_import_form_keeps_what_was_typed(org, client_for):
    response = post_import(
        client_for(org.members_by_role["facilitator"]),
        org,
        upload("metric,period,score\nces,2026-Q3,9\n"),
        source="Wave 3",
        ces_scale="5",
        fcr_window_days="7",
    )
    content = response.content.decode()
    assert 'value="Wave 3"' in content and 'value="7"' in content
    assert '<option value="5" selected>' in content
