"""KPI register pages: trends with bands and the noise flag, the KPI tree, forms, charts' safety, demo and export."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from measurement import charts, selectors
from measurement.demo import seed_demo_measurements
from measurement.domain.metrics import nps_from_counts
from measurement.models import Measurement
from tests.views.test_csp import inline_problems

pytestmark = pytest.mark.django_db

SVG_NS = "{http://www.w3.org/2000/svg}"


def svgs(html: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", html, flags=re.S)


def assert_clean_svg(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # noqa: S314 — our own output; well-formed XML means every text was escaped
    assert root.find(f"{SVG_NS}title") is not None and root.find(f"{SVG_NS}desc") is not None
    for element in root.iter():
        assert "style" not in element.attrib, element.tag
        assert not any(name.startswith("on") for name in element.attrib), element.tag
        assert element.tag not in (f"{SVG_NS}style", f"{SVG_NS}script", f"{SVG_NS}foreignObject")
    assert "style=" not in svg and "<style" not in svg
    return root


@pytest.fixture
def demo(org):
    seed_demo_measurements(org)
    return org


def english(user):
    """Page texts are checked in English (the msgids), whatever the French catalogue says."""
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def page(client_for, user, name, org, **kwargs):
    response = client_for(user).get(reverse(f"measurement:{name}", kwargs={"slug": org.slug, **kwargs}))
    assert response.status_code == 200
    return response.content.decode()


# ----------------------------------------------------------------------------------- statistics and noise


def test_demo_register_has_the_exports_example_and_the_noise_rule(demo):
    rows = selectors.register(organisation=demo)["nps"]
    q4, q1, q2, q3 = rows
    assert [str(r.period) for r in rows] == ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
    assert (q3.value, q3.margin, q3.n) == (Decimal("12.08"), Decimal("9.65"), 240)
    assert q3.previous is q2 and q3.noise is True  # 10.87 → 12.08: within sampling error
    assert q1.noise is False  # −16.67 → 6.09: a real change
    assert q4.previous is None and q4.noise is None


def test_noise_flag_between_consecutive_periods_is_shown_on_the_trend(demo, client_for):
    content = page(client_for, english(demo.members_by_role["viewer"]), "trend", demo, metric="nps")
    [svg] = svgs(content)
    root = assert_clean_svg(svg)
    dashed = [e for e in root.iter(f"{SVG_NS}line") if e.get("stroke-dasharray")]
    solid_brand = [
        e for e in root.iter(f"{SVG_NS}line") if e.get("stroke") == demo.brand_colour and not e.get("stroke-dasharray")
    ]
    # Segments: Q4→Q1 significant (solid), Q1→Q2 and Q2→Q3 noise (dashed); the legend adds one of each.
    assert len(dashed) == 2 + 1 and len(solid_brand) == 1 + 1
    assert sum(1 for t in root.iter(f"{SVG_NS}text") if t.text == "noise") == 2
    assert root.find(f"{SVG_NS}polygon") is not None  # the 95 % band
    hidden_table = re.search(r'<div class="visually-hidden">\s*<table>.*?</table>', content, flags=re.S).group(0)
    assert "within noise" in hidden_table and "significant change" in hidden_table
    assert "2026-Q2 → 2026-Q3" in content


def test_csat_from_counts_shows_top_box_and_wilson_interval(demo, client_for):
    row = selectors.register(organisation=demo)["csat"][-1]
    assert (row.value, row.top_box, row.n) == (Decimal("81.50"), Decimal("42.00"), 400)
    assert row.ci_low < row.value < row.ci_high
    content = page(client_for, demo.members_by_role["respondent"], "register", demo)
    assert "42,00" in content and "81,50" in content


def test_ces_and_fcr_rows(demo):
    rows = selectors.register(organisation=demo)
    ces, fcr = rows["ces"][-1], rows["fcr"][-1]
    assert ces.measurement.ces_scale == 7 and ces.margin is not None and ces.ci_low < ces.value < ces.ci_high
    assert fcr.measurement.recontact_window_days == 7 and fcr.value == Decimal("75.40")
    assert rows["retention_rate"][-1].noise is None and rows["retention_rate"][-1].delta == Decimal("0.50")


def test_months_and_quarters_are_compared_with_their_own_kind(org):
    for period, counts in (
        ("2026-Q1", (50, 30, 20)),
        ("2026-03", (40, 40, 20)),
        ("2026-Q2", (55, 25, 20)),
        ("2026-04", (45, 35, 20)),
    ):
        year, rest = period.split("-")
        kind, number = ("quarter", int(rest[1])) if rest.startswith("Q") else ("month", int(rest))
        first = 3 * number - 2 if kind == "quarter" else number
        p, pa, d = counts
        Measurement.objects.create(
            organisation=org,
            metric="nps",
            period=period,
            period_year=int(year),
            period_kind=kind,
            period_number=number,
            period_first_month=first,
            value=Decimal(p - d),
            n=100,
            promoters=p,
            passives=pa,
            detractors=d,
        )
    rows = {str(r.period): r for r in selectors.register(organisation=org)["nps"]}
    assert str(rows["2026-Q2"].previous.period) == "2026-Q1"
    assert str(rows["2026-04"].previous.period) == "2026-03"
    assert rows["2026-03"].previous is None
    # The latest value is the one whose period ends last: 2026-Q2 (April–June) is newer than 2026-04.
    assert str(selectors.latest(list(rows.values())).period) == "2026-Q2"
    assert str(selectors.latest([rows["2026-Q1"], rows["2026-03"]]).period) == "2026-03"


def test_ces_on_different_scales_is_never_called_noise(org):
    from measurement.domain.metrics import parse_period
    from measurement.services import MeasurementInput, measurement_save

    for period, scale, counts in (("2026-Q1", 5, {"4": 50, "5": 50}), ("2026-Q2", 7, {"4": 50, "5": 50})):
        measurement_save(
            organisation=org,
            user=None,
            data=MeasurementInput(metric="ces", period=parse_period(period), n=100, ces_scale=scale, score_counts=counts),
        )
    q1, q2 = selectors.register(organisation=org)["ces"]
    assert q2.previous is q1 and q2.noise is None


# ----------------------------------------------------------------------------------- charts


def test_every_measurement_page_is_csp_clean_and_its_svgs_are_safe(demo, client_for):
    user = demo.members_by_role["facilitator"]
    pages = [
        ("register", {}),
        ("tree", {}),
        ("import", {}),
        ("create", {}),
        ("edit", {"measurement_id": Measurement.objects.filter(organisation=demo).first().pk}),
    ]
    pages += [
        ("trend", {"metric": metric})
        for metric in ("nps", "csat", "ces", "fcr", "response_time", "referral_revenue", "churn_rate")
    ]
    for name, kwargs in pages:
        response = client_for(user).get(reverse(f"measurement:{name}", kwargs={"slug": demo.slug, **kwargs}))
        assert response.status_code == 200, name
        content = response.content.decode()
        assert inline_problems(content) == [], name
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        for svg in svgs(content):
            assert_clean_svg(svg)


def test_chart_text_is_escaped(demo, monkeypatch):
    monkeypatch.setattr(charts, "metric_label", lambda metric: f'<script>alert("{metric}")</script> & Co')
    rows = selectors.register(organisation=demo)
    tree = charts.kpi_tree_chart(selectors.kpi_tree(organisation=demo), chart_id="t")
    trend = charts.trend_chart(rows["nps"], metric="nps", chart_id="n")
    for svg in (str(tree), str(trend)):
        assert "<script>" not in svg and "&lt;script&gt;" in svg and "&amp; Co" in svg
        assert_clean_svg(svg)


def test_french_labels_with_apostrophes_are_escaped_in_the_tree(demo, client_for):
    content = page(client_for, demo.members_by_role["viewer"], "tree", demo)
    [svg] = svgs(content)
    assert "Taux d&#x27;attrition" in svg and "Taux d'attrition" not in svg
    root = assert_clean_svg(svg)
    assert "Taux d'attrition" in "".join(root.itertext())


def test_trend_of_a_single_value_and_of_an_empty_metric(org, client_for):
    Measurement.objects.create(
        organisation=org,
        metric="fcr",
        period="2026-05",
        period_year=2026,
        period_kind="month",
        period_number=5,
        period_first_month=5,
        value=Decimal("70"),
        n=100,
        resolved=70,
        recontact_window_days=7,
    )
    content = page(client_for, org.members_by_role["viewer"], "trend", org, metric="fcr")
    [svg] = svgs(content)
    assert_clean_svg(svg)
    assert "<rect" in svg  # a single period's interval is drawn as a bar
    content = page(client_for, org.members_by_role["viewer"], "trend", org, metric="nps")
    assert svgs(content) == []


def test_kpi_tree_places_each_cx_metric_beside_the_kpis_it_drives_with_latest_values(demo, client_for):
    branches = {b.cx: b for b in selectors.kpi_tree(organisation=demo)}
    assert [k for k, _row in branches["nps"].drives] == ["retention_rate", "referral_revenue"]
    assert [k for k, _row in branches["ces"].drives] == ["cost_per_contact", "churn_rate"]
    assert [k for k, _row in branches["fcr"].drives] == ["cost_to_serve"]
    assert str(branches["nps"].cx_latest.period) == "2026-Q3"
    with translation.override("en"):
        svg = str(charts.kpi_tree_chart(selectors.kpi_tree(organisation=demo), chart_id="kpi"))
    for text in (
        "Net Promoter Score (NPS)",
        "Retention rate",
        "Referral revenue",
        "Cost to serve",
        "12.08 ±\u00a09.65 · 2026-Q3",
        "76.40% · 2026-Q3",
    ):
        assert text in svg, text


def test_tree_says_when_a_value_is_missing(org, client_for):
    content = page(client_for, english(org.members_by_role["viewer"]), "tree", org)
    assert content.count("no value yet") >= 11


# ----------------------------------------------------------------------------------- the value form


def test_add_a_value_from_nps_counts(org, client_for):
    client = client_for(org.members_by_role["sponsor"])
    response = client.post(
        reverse("measurement:create", args=[org.slug]),
        {
            "metric": "nps",
            "period": "2026-q3",
            "promoters": "86",
            "passives": "97",
            "detractors": "57",
            "source": "Survey",
        },
    )
    assert response.status_code == 302
    m = Measurement.objects.get(organisation=org)
    assert (m.period, m.value, m.n, m.promoters, m.updated_by) == (
        "2026-Q3",
        Decimal("12.08"),
        240,
        86,
        org.members_by_role["sponsor"],
    )
    assert selectors.register(organisation=org)["nps"][0].margin == Decimal("9.65")


def test_the_form_redisplays_errors_and_keeps_what_was_typed(org, client_for):
    response = client_for(org.members_by_role["facilitator"]).post(
        reverse("measurement:create", args=[org.slug]),
        {
            "metric": "csat",
            "period": "2026-13",
            "value": "quatre-vingts",
            "source": "Wave <3>",
            "count_6": "4",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"period", "value", "count_6", "n"}
    content = response.content.decode()
    assert 'value="2026-13"' in content and 'value="quatre-vingts"' in content and 'value="Wave &lt;3&gt;"' in content
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"metric": "nps", "period": "2026-Q3", "promoters": "10"}, "passives"),
        ({"metric": "ces", "period": "2026-Q3", "value": "3", "n": "10"}, "ces_scale"),
        ({"metric": "ces", "period": "2026-Q3", "value": "6", "n": "10", "ces_scale": "5"}, "value"),
        ({"metric": "fcr", "period": "2026-Q3", "resolved": "10", "recontact_window_days": "7"}, "n"),
        ({"metric": "fcr", "period": "2026-Q3", "value": "70", "n": "100"}, "recontact_window_days"),
        ({"metric": "retention_rate", "period": "2026-Q3", "value": "170"}, "value"),
        ({"metric": "retention_rate", "period": "2026-Q3", "value": "70", "promoters": "3"}, "promoters"),
    ],
)
def test_form_rules(data, field, org, client_for):
    response = client_for(org.members_by_role["facilitator"]).post(reverse("measurement:create", args=[org.slug]), data)
    assert response.status_code == 200 and field in response.context["form"].errors


def test_domain_refusals_are_shown_on_the_form(org, client_for):
    response = client_for(org.members_by_role["facilitator"]).post(
        reverse("measurement:create", args=[org.slug]),
        {
            "metric": "fcr",
            "period": "2026-Q3",
            "resolved": "120",
            "n": "100",
            "recontact_window_days": "7",
        },
    )
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert not Measurement.objects.exists()


def test_edit_keeps_counts_and_refuses_a_clash(demo, client_for):
    client = client_for(demo.members_by_role["facilitator"])
    q3 = Measurement.objects.get(organisation=demo, metric="nps", period="2026-Q3")
    form_page = client.get(reverse("measurement:edit", args=[demo.slug, q3.pk])).content.decode()
    assert 'name="promoters" value="86"' in form_page
    url = reverse("measurement:edit", args=[demo.slug, q3.pk])
    response = client.post(
        url, {"metric": "nps", "period": "2026-Q3", "promoters": "96", "passives": "97", "detractors": "47", "source": "x"}
    )
    assert response.status_code == 302
    q3.refresh_from_db()
    assert q3.value == Decimal("20.42") and q3.n == 240 and q3.promoters == 96  # (96 − 47) / 240
    response = client.post(url, {"metric": "nps", "period": "2026-Q2", "value": "3", "n": "100"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()


def test_delete_removes_only_that_value(demo, client_for):
    before = Measurement.objects.count()
    q3 = Measurement.objects.get(organisation=demo, metric="nps", period="2026-Q3")
    url = reverse("measurement:delete", args=[demo.slug, q3.pk])
    asked = client_for(demo.members_by_role["sponsor"]).post(url)  # asks first (issue #13): nothing deleted yet
    assert asked.status_code == 200 and Measurement.objects.count() == before
    response = client_for(demo.members_by_role["sponsor"]).post(url, {"confirm": "1"})
    assert response.status_code == 302 and Measurement.objects.count() == before - 1


# ----------------------------------------------------------------------------------- demo and export


def test_seed_demo_measurements_is_idempotent(org):
    assert seed_demo_measurements(org) == 52
    values = sorted(Measurement.objects.values_list("metric", "period", "value"))
    assert seed_demo_measurements(org) == 52
    assert sorted(Measurement.objects.values_list("metric", "period", "value")) == values and len(values) == 52
    assert {p for _m, p, _v in values} == {"2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"}


def test_export_follows_exports_md(demo):
    from datetime import date

    items = selectors.measurements_export(organisation=demo)
    nps = next(i for i in items if i["metric"] == "nps" and i["period"] == "2026-Q3")
    expected = nps_from_counts(86, 97, 57)
    assert nps == {
        "metric": "nps",
        "period": "2026-Q3",
        "value": Decimal("12.08"),
        "n": 240,
        "margin_of_error": Decimal("9.65"),
        "promoters": 86,
        "passives": 97,
        "detractors": 57,
        "noise_vs_previous": True,
        "source": nps["source"],
    }
    assert expected.export_fields()["margin_of_error"] == Decimal("9.65")
    csat = next(i for i in items if i["metric"] == "csat" and i["period"] == "2026-Q3")
    assert {"value", "n", "top_box", "ci_low", "ci_high", "source"} <= set(csat) and csat["top_box"] == Decimal("42.00")
    assert all(i["period"] != "2026-Q3" for i in selectors.measurements_export(organisation=demo, until=date(2026, 6, 30)))


def test_export_of_bare_values_keeps_every_key_as_null(org):
    from measurement.domain.metrics import parse_period
    from measurement.services import MeasurementInput, measurement_save

    measurement_save(
        organisation=org,
        user=None,
        data=MeasurementInput(metric="nps", period=parse_period("2026-Q3"), value=Decimal("12"), n=240),
    )
    [item] = selectors.measurements_export(organisation=org)
    assert item["margin_of_error"] is None and item["promoters"] is None and item["noise_vs_previous"] is None
    assert item["value"] == Decimal("12.00") and item["n"] == 240
