"""Roadmap generation on the demo round: every rule of PRODUCT.md checked on the export, edits, owners, freezing."""

from collections import Counter
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments import services as round_services
from assessments.models import Round
from roadmaps import services
from roadmaps.demo import seed_demo_roadmap
from roadmaps.domain.prioritisation import horizon_for
from roadmaps.exports import raci_errors, raci_export, roadmap_export
from roadmaps.library.loader import library_for
from roadmaps.models import Roadmap, RoadmapItem, Target
from roadmaps.services import priority_importance

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(framework):
    call_command("seed_demo", stdout=StringIO())
    round_ = Round.objects.get(organisation__slug="demo-retail")
    seed_demo_roadmap(round_)  # idempotent: seed_demo may already have called it
    return round_


def users(round_):
    from organisations.models import Membership

    return {m.user.email: m.user for m in Membership.objects.filter(organisation=round_.organisation).select_related("user")}


def r2(x) -> float:
    return float(Decimal(x).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def check_rules(round_, doc=None):
    """Every generation rule, from the export and the snapshot alone."""
    doc = doc or roadmap_export(round_)
    items = {i["key"]: i for i in doc["initiatives"]}
    finish = {k: i["start_month"] + i["duration_months"] for k, i in items.items()}
    for key, item in items.items():
        assert item["horizon"] == horizon_for(item["start_month"])
        if item["locked"] or item["custom"]:
            continue
        for p in item["prerequisites"]:
            if p in items:
                assert finish[p] <= item["start_month"], f"{p} must finish before {key} starts"
        for other in items.values():
            same_dimension = other["dimension"] == item["dimension"] and None not in (other["from_level"], item["from_level"])
            if same_dimension and other["from_level"] < item["from_level"]:
                assert finish[other["key"]] <= item["start_month"], f"{other['key']} (lower step) before {key}"
    capacity = Roadmap.objects.get(round=round_).capacity
    starts = Counter(i["horizon"] for i in items.values())
    for horizon in ("now", "next", "later"):
        assert starts[horizon] <= capacity
    # Priorities recompute from the exported figures: importance × (target − score) × impact / effort.
    # The importance is the target's once saved, else the committee's (2.0; roadmaps.services.priority_importance).
    scores = {d["key"]: d for d in round_.snapshot.data["scores"]["dimensions"]}
    rows = {d.key: d for d in round_.snapshot.results.dimensions}
    targets = {t.dimension.key: t for t in Target.objects.filter(round=round_).select_related("dimension")}
    for item in items.values():
        if item["selected_by"] == "gap":
            d, t = scores[item["dimension"]], targets[item["dimension"]]
            importance = priority_importance(t, rows[item["dimension"]])
            expected = importance * (Decimal(t.target) - Decimal(str(d["score"]))) * item["impact"] / Decimal(item["effort"])
            assert item["priority"] == r2(expected), item["key"]
        if item["selected_by"] in ("context", "custom"):
            assert item["priority"] is None
    return items


def test_demo_roadmap_follows_every_rule(demo):
    items = check_rules(demo)
    assert len(items) >= 6
    # Selection: exactly the library's steps between stage and target, plus context and prerequisites.
    scores = {d["key"]: d for d in demo.snapshot.data["scores"]["dimensions"]}
    targets = {t.dimension.key: t.target for t in Target.objects.filter(round=demo).select_related("dimension")}
    expected_gap = {
        i.key
        for i in library_for(demo.framework.version).initiatives
        if i.from_level is not None
        and not scores[i.dimension]["unscored"]
        and scores[i.dimension]["stage"] <= i.from_level < targets[i.dimension]
    }
    assert {k for k, i in items.items() if i["selected_by"] == "gap"} == expected_gap
    # The demo's CXO reports to the COO: the reporting-line initiative comes first, with the highest priority.
    assert items["cxo-reporting-line"]["selected_by"] == "context"
    assert items["cxo-reporting-line"]["start_month"] == 0
    assert "appoint-cxo" not in items
    for item in items.values():
        if item["selected_by"] == "prerequisite":
            assert any(item["key"] in other["prerequisites"] for other in items.values())


def test_export_shape_matches_exports_md(demo):
    doc = roadmap_export(demo)
    closed = demo.closed_at.astimezone().date()
    assert doc["start_date"] == date(closed.year + closed.month // 12, closed.month % 12 + 1, 1).isoformat()
    keys = {
        "key", "title", "dimension", "from_level", "horizon", "start_month", "duration_months", "priority", "effort", "impact",
        "quick_win", "activity", "owner_role", "owner_overridden", "prerequisites", "locked", "custom", "status", "selected_by", "kpis",
    }  # fmt: skip
    for item in doc["initiatives"]:
        assert keys <= set(item)
        assert set(item["title"]) == {"fr", "en"} and item["title"]["fr"] and item["title"]["en"]
        assert item["status"] in ("planned", "in_progress", "done", "dropped")
        assert all(set(k) == {"metric", "drives"} for k in item["kpis"])


def test_owner_is_the_to_be_accountable_and_follows_the_raci(demo):
    cells = raci_export(demo)["to_be"]["cells"]
    accountable = {c["activity"]: c["role"] for c in cells if c["value"] == "A"}
    items = RoadmapItem.objects.filter(round=demo)
    for item in items:
        assert not item.owner_overridden
        assert item.owner_role == accountable[item.activity], item.key

    activity = items.first().activity
    old = accountable[activity]
    new = next(r for r in ("cfo", "coo", "chro", "cio") if r != old)
    by_hand = items.filter(activity=activity).last()
    services.roadmap_item_set_owner(item=by_hand, role="product")
    services.raci_set_cells(round_=demo, changes={(activity, old): "R", (activity, new): "A"})
    for item in RoadmapItem.objects.filter(round=demo, activity=activity):
        assert item.owner_role == ("product" if item.pk == by_hand.pk else new)
    # Two A: nobody owns it (unassigned) until fixed; clearing the override follows the RACI again.
    services.raci_set_cell(round_=demo, activity=activity, role=old, letter="A")
    assert set(
        RoadmapItem.objects.filter(round=demo, activity=activity, owner_overridden=False).values_list("owner_role", flat=True)
    ) == {None}
    services.raci_set_cell(round_=demo, activity=activity, role=old, letter="")
    by_hand = services.roadmap_item_clear_owner(item=RoadmapItem.objects.get(pk=by_hand.pk))
    assert by_hand.owner_role == new and not by_hand.owner_overridden


def test_two_generations_give_the_same_roadmap(demo):
    first = roadmap_export(demo)
    services.roadmap_generate(round_=demo)
    services.roadmap_generate(round_=demo)
    assert roadmap_export(demo) == first


def test_regenerate_keeps_locked_and_custom_items(demo):
    items = list(RoadmapItem.objects.filter(round=demo).order_by("position"))
    moved = services.roadmap_item_move(item=items[-1], start_month=1)
    assert moved.locked and moved.start_month == 1
    custom = services.roadmap_item_add(
        round_=demo, title_en="Train store managers", dimension="D9", start_month=2, duration_months=4
    )
    assert custom.custom and custom.selected_by == "custom" and custom.key.startswith("custom-")
    services.roadmap_item_set_status(item=RoadmapItem.objects.get(pk=items[0].pk), status="in_progress")
    services.roadmap_generate(round_=demo)
    doc = check_rules(demo)
    assert (doc[moved.key]["start_month"], doc[moved.key]["locked"]) == (1, True)
    assert (doc[custom.key]["start_month"], doc[custom.key]["custom"], doc[custom.key]["duration_months"]) == (2, True, 4)
    # Text typed in one language is exported in both; status survives regeneration.
    assert doc[custom.key]["title"] == {"fr": "Train store managers", "en": "Train store managers"}
    assert doc[items[0].key]["status"] == "in_progress"
    assert len(doc) == len({i["key"] for i in doc.values()})
    # Unlocking lets the next generation place it again.
    services.roadmap_item_lock(item=RoadmapItem.objects.get(pk=moved.pk), locked=False)
    services.roadmap_generate(round_=demo)
    assert RoadmapItem.objects.get(round=demo, key=moved.key).locked is False
    services.roadmap_item_remove(item=RoadmapItem.objects.get(pk=custom.pk))
    assert not RoadmapItem.objects.filter(round=demo, key=custom.key).exists()


def test_capacity_holds_with_placed_items(demo):
    services.roadmap_settings_set(round_=demo, start_date=date(2027, 1, 1), capacity=2)
    for n in range(2):
        services.roadmap_item_add(round_=demo, title_fr=f"Chantier {n}", start_month=0, duration_months=1)
    doc = check_rules(demo)
    assert Counter(i["horizon"] for i in doc.values() if not i["custom"])["now"] == 0  # the two custom items fill "now"
    assert roadmap_export(demo)["start_date"] == "2027-01-01"


def test_no_cxo_puts_appointing_one_first(demo):
    Round.objects.filter(pk=demo.pk).update(cxo_exists=False, cxo_reports_to="")
    demo.refresh_from_db()
    services.raci_propose(round_=demo)
    assert raci_errors(demo) == []
    services.roadmap_generate(round_=demo)
    items = check_rules(demo)
    appoint = items["appoint-cxo"]
    assert appoint["selected_by"] == "context" and appoint["start_month"] == 0
    assert "define-cx-scope" in items and "cxo-reporting-line" not in items
    for item in items.values():
        if item["dimension"] == "D3" and item["key"] != "appoint-cxo":
            assert item["start_month"] >= appoint["start_month"] + appoint["duration_months"]


def test_status_updates_by_sponsor_allowed_and_by_respondent_forbidden(demo, client_for):
    accounts = users(demo)
    item = RoadmapItem.objects.filter(round=demo).order_by("position").first()
    url = reverse("roadmaps:item_status", args=[demo.organisation.slug, demo.pk, item.pk])
    assert client_for(accounts["respondent1@demo.test"]).post(url, {"status": "done"}).status_code == 403
    assert client_for(accounts["sponsor@demo.test"]).post(url, {"status": "done"}).status_code == 302
    item.refresh_from_db()
    assert item.status == "done"
    # The sponsor may not move it, nor regenerate.
    move = reverse("roadmaps:item_move", args=[demo.organisation.slug, demo.pk, item.pk])
    assert client_for(accounts["sponsor@demo.test"]).post(move, {"start_month": "5"}).status_code == 403


def test_published_round_refuses_edits(demo, client_for):
    round_services.round_transition(round_=demo, to="published")
    demo.refresh_from_db()
    item = RoadmapItem.objects.filter(round=demo).first()
    for call in (
        lambda: services.roadmap_generate(round_=demo),
        lambda: services.roadmap_item_move(item=item, start_month=3),
        lambda: services.roadmap_item_add(round_=demo, title_fr="x"),
        lambda: services.raci_set_cell(round_=demo, activity="cx_budget", role="ceo", letter="A"),
        lambda: services.raci_propose(round_=demo),
    ):
        with pytest.raises(services.RoadmapError) as error:
            call()
        assert error.value.code == "frozen"
    # Delivery is still tracked after publication.
    services.roadmap_item_set_status(item=item, status="done")
    item.refresh_from_db()
    assert item.status == "done"
    facilitator = client_for(users(demo)["consultant@demo.test"])
    response = facilitator.post(
        reverse("roadmaps:item_move", args=[demo.organisation.slug, demo.pk, item.pk]), {"start_month": "9"}, follow=True
    )
    assert "la publication les fige" in response.content.decode()
    item.refresh_from_db()
    assert item.start_month != 9 or not item.locked


def test_open_round_has_no_roadmap_yet(demo):
    round_services.round_transition(round_=demo, to="open")
    demo.refresh_from_db()
    with pytest.raises(services.RoadmapError):
        services.roadmap_generate(round_=demo)


def test_roadmap_page_shows_timeline_table_and_forms(demo, client_for):
    accounts = users(demo)
    url = reverse("roadmaps:roadmap", args=[demo.organisation.slug, demo.pk])
    page = client_for(accounts["consultant@demo.test"]).get(url).content.decode()
    assert 'class="chart chart-timeline"' in page and "<desc" in page
    assert "Regenerate" in page or "Régénérer" in page
    assert reverse("roadmaps:item_add", args=[demo.organisation.slug, demo.pk]) in page
    item = RoadmapItem.objects.filter(round=demo).first()
    assert item.title_fr in page or item.title_en in page
    assert 'style="' not in page
    sponsor = client_for(accounts["sponsor@demo.test"]).get(url).content.decode()
    assert reverse("roadmaps:item_status", args=[demo.organisation.slug, demo.pk, item.pk]) in sponsor
    assert reverse("roadmaps:item_move", args=[demo.organisation.slug, demo.pk, item.pk]) not in sponsor


def test_custom_item_form_through_the_view(demo, client_for):
    facilitator = client_for(users(demo)["consultant@demo.test"])
    url = reverse("roadmaps:item_add", args=[demo.organisation.slug, demo.pk])
    # Without a title: the form comes back with what was typed (issue #13), nothing is added.
    assert facilitator.post(url, {"title_fr": "", "title_en": "", "start_month": "0", "duration_months": "1"}).status_code == 400
    assert not RoadmapItem.objects.filter(round=demo, custom=True).exists()
    facilitator.post(
        url,
        {"title_fr": "Charte client", "dimension": "D1", "activity": "cx_strategy", "start_month": "3", "duration_months": "2"},
    )
    item = RoadmapItem.objects.get(round=demo, custom=True)
    assert (item.title_fr, item.title_en, item.dimension, item.start_month) == ("Charte client", "", "D1", 3)
    accountable = next(
        c["role"] for c in raci_export(demo)["to_be"]["cells"] if c["activity"] == "cx_strategy" and c["value"] == "A"
    )
    assert item.owner_role == accountable


def test_seed_demo_roadmap_is_idempotent_and_keeps_edits(demo):
    item = RoadmapItem.objects.filter(round=demo).order_by("position").last()
    services.roadmap_item_move(item=item, start_month=7)
    before = roadmap_export(demo), raci_export(demo)
    seed_demo_roadmap(demo)
    assert (roadmap_export(demo), raci_export(demo)) == before
    assert raci_errors(demo) == []


def test_timeline_chart_is_escaped_and_self_described():
    from roadmaps.charts import timeline

    chart = timeline(
        [
            {
                "title": 'Former <script>alert("x")</script> & co',
                "start_month": 0,
                "duration_months": 2,
                "status": "done",
                "locked": True,
            },
            {"title": "Plan", "start_month": 13, "duration_months": 3, "status": "dropped", "custom": True, "owner": "CXO"},
        ],
        start_date=date(2026, 12, 1),
        title="Roadmap <b>",
        description="Bars & horizons",
        brand="#8a1538",
    )
    svg = str(chart.svg)
    assert "<script" not in svg and "&lt;script&gt;" in svg and "&amp; co" in svg
    assert "style=" not in svg and 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "Roadmap &lt;b&gt;" in svg
    assert chart.headers == ("Initiative", "Horizon", "Start", "End", "Status", "Owner")
    assert chart.rows[0][1:5] == ("Now", "12/2026", "01/2027", "Done")
    assert chart.rows[1][1] == "Beyond" and chart.rows[1][5] == "CXO"
    empty = timeline([], title="Roadmap")
    assert empty.rows == () and "No initiative" in str(empty.svg)


def test_roadmap_and_raci_downloads(demo, client_for):
    import csv
    import io

    from openpyxl import load_workbook

    consultant = client_for(users(demo)["consultant@demo.test"])
    roadmap_csv = consultant.get(reverse("roadmaps:export_roadmap", args=[demo.organisation.slug, demo.pk, "csv"]))
    assert roadmap_csv.status_code == 200 and roadmap_csv.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(roadmap_csv.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1 + RoadmapItem.objects.filter(round=demo).count()
    raci_xlsx = consultant.get(reverse("roadmaps:export_raci", args=[demo.organisation.slug, demo.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(raci_xlsx.content)).worksheets[0]
    letters = {cell.value for row in sheet.iter_rows(min_row=2) for cell in row[1:-1]}
    assert {"A", "R"} <= letters


def test_french_month_labels_tell_june_from_july():
    from datetime import date

    from django.utils import translation

    from roadmaps.presentation import month_labeller

    with translation.override("fr"):
        label = month_labeller(date(2027, 6, 1))
        assert (label(0), label(1), label(3)) == ("juin 2027", "juil. 2027", "sept. 2027")
