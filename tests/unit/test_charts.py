"""Unit tests of the chart kit (cxgov.charts) and the assessment's charts drawn with it (pure; no database)."""

from __future__ import annotations

import ast
import dataclasses
import math
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.html import conditional_escape

from assessments import charts
from assessments.charts import (
    DEFAULT_BRAND,
    HEAT_PALETTE,
    NO_VALUE,
    Chart,
    bar_gauge,
    deltas,
    distribution,
    heatmap,
    radar,
    valid_brand,
)
from cxgov import charts as kit
from cxgov.charts import contrast_ratio

NS = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert(1)</script> & Co"
DIMENSIONS = [f"Dimension {i}" for i in range(1, 11)]


def french(x: float) -> str:
    return f"{x:.2f}".replace(".", ",")


def parse(chart: Chart) -> ET.Element:
    return ET.fromstring(str(chart.svg))  # noqa: S314 - our own output, the thing under test


def local(element: ET.Element) -> str:
    return element.tag.removeprefix(NS)


def by_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [el for el in root.iter() if name in (el.get("class") or "").split()]


def lines_of(text: ET.Element) -> list[str]:
    """The lines a <text> shows: its <tspan> lines, or its own text (its <title> is not shown)."""
    tspans = text.findall(f"{NS}tspan")
    return [t.text or "" for t in tspans] if tspans else [(text.text or "").strip()]


def shown(element: ET.Element) -> str:
    """What a <text> (or <desc>) reads, its lines joined by spaces."""
    return " ".join(lines_of(element)) if local(element) == "text" else (element.text or "")


def check_document(chart: Chart) -> ET.Element:
    """What every chart must satisfy: well-formed, labelled, CSP-clean."""
    assert isinstance(chart, Chart)
    root = parse(chart)  # raises on malformed XML
    assert root.tag == f"{NS}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox")
    assert root.get("font-family") == "DejaVu Sans, Liberation Sans, sans-serif"
    title_id, desc_id = root.get("aria-labelledby").split()
    first, second = list(root)[:2]
    assert (local(first), first.get("id")) == ("title", title_id)
    assert (local(second), second.get("id")) == ("desc", desc_id)
    assert (first.text or "") == kit.plain_text(chart.title)
    assert (second.text or "") == kit.plain_text(chart.description)
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert len(ids) == len(set(ids))
    for element in root.iter():
        assert local(element) not in {"style", "script", "foreignObject", "image", "a", "use"}
        for name in element.attrib:
            assert name != "style"
            assert not name.lower().startswith("on")
            assert "href" not in name
    raw = str(chart.svg)
    assert not re.search(r"\sstyle\s*=", raw)  # font-style= is a presentation attribute, style= is not
    assert "<style" not in raw and "<script" not in raw.lower()
    headers, rows = chart.table
    assert all(isinstance(h, str) for h in headers)
    assert all(len(row) == len(headers) and all(isinstance(cell, str) for cell in row) for row in rows)
    return root


# --------------------------------------------------------------------------- builders


def make_radar(label="Dimension", title="Scores", **kwargs):
    axes = [(f"{label} {i}", 1.0 + i * 0.4) for i in range(10)]
    return radar(axes, [min(5.0, 2.0 + i * 0.3) for i in range(10)], title=title, description="Scores vs targets", **kwargs)


def make_distribution(label="Level", title="Answers", **kwargs):
    return distribution(
        {1: 2, 2: 3, 3: 1, 4: 0, 5: 1, "dk": 2},
        level_labels={level: f"{label} {level}" for level in range(1, 6)},
        title=title,
        description="How many chose each level",
        **kwargs,
    )


def make_heatmap(label="Dimension", title="By function", **kwargs):
    rows = [(f"{label} {i}", [1.0, 2.5, None, 4.75]) for i in range(3)]
    return heatmap(rows, [f"{label} function {j}" for j in range(4)], title=title, description="Scores by function", **kwargs)


def make_deltas(label="Dimension", title="Change", **kwargs):
    items = [(f"{label} up", 2.0, 3.5), (f"{label} down", 3.0, 2.25), (f"{label} same", 2.5, 2.5), (f"{label} gone", 2.0, None)]
    return deltas(items, title=title, description="Previous round to this one", **kwargs)


def make_gauge(label="Agreement", title="Agreement", **kwargs):
    return bar_gauge(62.5, title=title, description=f"{label} on 0–100", **kwargs)


BUILDERS = {
    "radar": make_radar,
    "distribution": make_distribution,
    "heatmap": make_heatmap,
    "deltas": make_deltas,
    "gauge": make_gauge,
}


@pytest.mark.parametrize("build", BUILDERS.values(), ids=BUILDERS.keys())
def test_every_chart_is_a_well_formed_labelled_csp_clean_document(build):
    chart = build(id_prefix="c1")
    root = check_document(chart)
    assert root.get("aria-labelledby") == "c1-title c1-desc"
    assert chart.rows  # some data


@pytest.mark.parametrize("build", BUILDERS.values(), ids=BUILDERS.keys())
def test_hostile_text_is_escaped_everywhere(build):
    chart = build(label=HOSTILE, title=HOSTILE, labels=dict.fromkeys(charts.DEFAULT_LABELS, HOSTILE))
    raw = str(chart.svg)
    check_document(chart)
    assert "<script" not in raw.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in raw
    # Every ampersand starts an entity: none is bare.
    assert not re.search(r"&(?!(?:amp|lt|gt|quot|#x27|#39);)", raw)
    # And the text survives the round trip intact.
    root = parse(chart)
    assert root.find(f"{NS}title").text == HOSTILE
    drawn = [el for el in root.iter() if local(el) in {"text", "desc"}]  # the gauge draws no label
    assert any(HOSTILE in shown(el) for el in drawn)
    # The title/description/table stay plain: the template escapes them.
    assert chart.title == HOSTILE


def test_hostile_number_format_and_attribute_values_are_escaped():
    chart = radar([("A", 2.0)], [3.0], title="t", number_format=lambda x: '<b onclick="x">&', brand='red" onload="x')
    raw = str(chart.svg)
    check_document(chart)
    assert "<b " not in raw and 'onload="' not in raw
    assert "&lt;b onclick=&quot;x&quot;&gt;&amp;" in raw


def test_characters_xml_forbids_are_dropped():
    chart = radar([("bad\x00\x0b\x1fname\ud800", 2.0)], None, title="t\x00", description="d\x0c")
    root = check_document(chart)
    assert any("badname" in "".join(el.itertext()) for el in root.iter(f"{NS}text"))
    assert chart.table[1][0][0] == "bad\x00\x0b\x1fname\ud800"  # the table keeps the caller's text


def test_chart_is_frozen_and_renders_as_its_svg():
    chart = make_gauge()
    with pytest.raises(dataclasses.FrozenInstanceError):
        chart.title = "other"
    assert conditional_escape(chart) == chart.svg
    assert chart.headers == chart.table[0] and chart.rows == chart.table[1]


@pytest.mark.parametrize("module", [charts, kit], ids=["assessments", "kernel"])
def test_chart_modules_import_only_escaping_and_mark_safe_from_django(module):
    """No i18n, no templates: words come from the caller, and only escaping and mark_safe touch markup."""
    tree = ast.parse(Path(module.__file__).read_text())
    django_imports = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("django"):
            django_imports |= {(node.module, alias.name) for alias in node.names}
        if isinstance(node, ast.Import):
            assert not any(alias.name.startswith("django") for alias in node.names)
    assert django_imports <= {
        ("django.utils.html", "escape"),
        ("django.utils.html", "conditional_escape"),
        ("django.utils.safestring", "mark_safe"),
        ("django.utils.safestring", "SafeString"),
        ("django.utils.safestring", "SafeData"),
    }


# --------------------------------------------------------------------------- ids, brand, colours


def test_id_prefix_keeps_ids_unique_and_is_sanitised():
    a, b = make_gauge(id_prefix="agreement-1"), make_gauge(id_prefix="agreement-2")
    ids_a = {el.get("id") for el in parse(a).iter() if el.get("id")}
    ids_b = {el.get("id") for el in parse(b).iter() if el.get("id")}
    assert ids_a == {"agreement-1-title", "agreement-1-desc"} and not ids_a & ids_b
    hostile = parse(make_gauge(id_prefix='x y"><script>'))
    for reference in hostile.get("aria-labelledby").split():
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", reference)
    assert parse(make_gauge(id_prefix="1 2")).get("aria-labelledby").split()[0][0].isalpha()


@pytest.mark.parametrize(
    "colour",
    ['red" onload="x', "red", "#12345", "#1234567", "#12345g", "#abcdef\n", " #abcdef", "url(#x)", None, 0x123456, ""],
)
def test_invalid_brand_colours_fall_back_to_the_default(colour):
    assert valid_brand(colour) == DEFAULT_BRAND
    chart = make_radar(brand=colour)
    polygon = by_class(parse(chart), "chart-score")[0]
    assert polygon.get("fill") == polygon.get("stroke") == DEFAULT_BRAND
    assert "onload" not in str(chart.svg)


def test_valid_brand_colour_is_used_for_the_main_series():
    assert valid_brand("#A1B2C3") == "#a1b2c3"
    root = parse(make_radar(brand="#A1B2C3"))
    assert by_class(root, "chart-score")[0].get("fill") == "#a1b2c3"
    bars = by_class(parse(make_distribution(brand="#A1B2C3")), "chart-bar")
    assert {bar.get("fill") for bar in bars} == {"#a1b2c3", charts.DONT_KNOW}
    assert by_class(parse(make_gauge(brand="#A1B2C3")), "chart-bar")[0].get("fill") == "#a1b2c3"


@pytest.mark.parametrize(
    "colour", [charts.TEXT, charts.MUTED, charts.NA_STROKE, charts.TARGET, charts.UP, charts.DOWN, charts.SAME]
)
def test_text_colours_meet_wcag_aa_on_white(colour):
    assert contrast_ratio(colour, "#ffffff") >= 4.5


@pytest.mark.parametrize("fill", [*HEAT_PALETTE, charts.DONT_KNOW, charts.NA_FILL, DEFAULT_BRAND, "#ffff00", "#000080"])
def test_text_on_a_fill_meets_wcag_aa(fill):
    assert contrast_ratio(kit.text_on(fill), fill) >= 4.5


def test_contrast_ratio_extremes():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#777777", "#777777") == pytest.approx(1)


def test_target_outline_contrasts_with_an_orange_brand():
    assert charts._target_colour(DEFAULT_BRAND) == charts.TARGET
    assert charts._target_colour("#c2410c") == charts.TARGET_ALT
    target = by_class(parse(make_radar(brand="#d04a10")), "chart-target")[0]
    assert target.get("stroke") == charts.TARGET_ALT and target.get("stroke-dasharray")


# --------------------------------------------------------------------------- radar


def points_of(polygon: ET.Element) -> list[tuple[float, float]]:
    return [tuple(map(float, pair.split(","))) for pair in polygon.get("points").split()]


@pytest.mark.parametrize(
    "scores",
    [
        [2.61, 3.0, 1.0, 5.0, 4.2, 2.0, 3.3, 1.8, 2.9, 4.0],
        [2.61, None, 1.0, None, 4.2, 2.0, None, 1.8, 2.9, 4.0],
        [None] * 9 + [3.0],
        [3.0, 4.0],
    ],
)
def test_radar_polygon_has_one_point_per_scored_axis(scores):
    axes = list(zip(DIMENSIONS, scores, strict=False))
    chart = radar(axes, None, title="Radar")
    root = check_document(chart)
    polygons = by_class(root, "chart-score")
    assert len(polygons) == 1
    assert len(points_of(polygons[0])) == sum(s is not None for s in scores)
    assert polygons[0].get("fill-opacity") == "0.25" and polygons[0].get("stroke")
    assert len(by_class(root, "chart-na")) == sum(s is None for s in scores)
    assert not by_class(root, "chart-target")


@translation.override("en")  # the default formatter writes the active language
def test_radar_targets_are_a_dashed_polygon_skipping_none():
    targets = [4.0, None, 3.0, 5.0, None, 3.0, 4.0, 2.0, 3.0, 5.0]
    chart = radar([(d, 3.0) for d in DIMENSIONS], targets, title="Radar")
    target = by_class(check_document(chart), "chart-target")[0]
    assert len(points_of(target)) == 8
    assert target.get("stroke-dasharray") and target.get("fill") == "none"
    assert chart.headers == ("Dimension", "Score", "Target")
    assert chart.rows[1] == ("Dimension 2", "3.00", NO_VALUE)


def test_radar_table_mirrors_the_data_with_the_callers_number_format():
    axes = [("Stratégie", 2.61), ("Données", None), ("Culture", 4.0)]
    chart = radar(
        axes,
        [3.0, 4.0, None],
        title="Radar",
        number_format=french,
        labels={"dimension": "Dimension", "score": "Score", "target": "Cible", "na": "n.d."},
    )
    assert chart.table == (
        ("Dimension", "Score", "Cible"),
        (("Stratégie", "2,61", "3,00"), ("Données", NO_VALUE, "4,00"), ("Culture", "4,00", NO_VALUE)),
    )
    raw = str(chart.svg)
    assert "2,61" in raw and "n.d." in raw and "Cible" in raw
    assert "2.61" not in raw


@translation.override("en")  # the default formatter writes the active language
def test_radar_scores_scale_from_the_centre_and_are_clamped():
    chart = radar([("A", 5.0), ("B", 1.0), ("C", 9.0), ("D", -3.0)], None, title="Radar")
    (ax, ay), (bx, by), (cx, cy), (dx, dy) = points_of(by_class(parse(chart), "chart-score")[0])
    assert math.hypot(ax, ay) == pytest.approx(5 * math.hypot(bx, by), rel=0.01)
    assert math.hypot(cx, cy) == pytest.approx(math.hypot(ax, ay), rel=0.01)  # 9 drawn as 5
    assert math.hypot(dx, dy) == pytest.approx(math.hypot(bx, by), rel=0.05)  # -3 drawn as 1
    assert chart.rows[2] == ("C", "9.00")  # the table keeps the real value


def test_radar_draws_one_ring_per_scale_step_with_tick_labels():
    root = parse(radar([(d, 3.0) for d in DIMENSIONS], None, title="Radar"))
    assert len(by_class(root, "chart-ring")) == 5
    assert ["".join(t.itertext()) for t in by_class(root, "chart-tick")] == ["1", "2", "3", "4", "5"]


def test_long_labels_wrap_onto_lines_in_the_drawing():
    long_label = "Stratégie et gouvernance de l'expérience client"
    chart = radar([(long_label, 3.0), ("Court", 2.0), ("Autre", 1.0)], None, title="Radar")
    root = parse(chart)
    text = next(el for el in by_class(root, "chart-axis-label") if el.findall(f"{NS}tspan"))
    lines = lines_of(text)
    # Read whole, on narrow lines: nothing cut, so no ellipsis and no tooltip needed.
    assert " ".join(lines) == long_label
    assert len(lines) > 1 and all(len(line) <= charts.RADAR_LABEL_CHARS for line in lines)
    assert "…" not in str(chart.svg) and text.find(f"{NS}title") is None
    # Each line starts at the label's x, one line height under the other.
    xs = {t.get("x") for t in text.findall(f"{NS}tspan")}
    ys = [float(t.get("y")) for t in text.findall(f"{NS}tspan")]
    assert xs == {text.get("x")} and ys == sorted(ys) and len(set(ys)) == len(ys)
    assert chart.rows[0][0] == long_label
    short = next(el for el in by_class(root, "chart-axis-label") if el.text == "Court")
    assert short.find(f"{NS}title") is None and not short.findall(f"{NS}tspan")


@translation.override("en")  # the default formatter writes the active language
def test_the_radar_score_sits_under_the_last_line_of_its_label():
    chart = radar([("A", 3.0), ("B", 2.0), ("Culture client et expérience collaborateur", 1.0)], None, title="Radar")
    root = parse(chart)
    label = by_class(root, "chart-axis-label")[2]
    last = float(label.findall(f"{NS}tspan")[-1].get("y"))
    score = next(el for el in root.iter(f"{NS}text") if el.text == "1.00" and el.get("x") == label.get("x"))
    assert float(score.get("y")) > last


def test_only_labels_longer_than_their_lines_end_with_an_ellipsis():
    long_label = "Une dimension au nom si long qu'il ne tient pas sur deux lignes de vingt-huit caractères"
    chart = heatmap([(long_label, [3.0]), ("Court", [2.0])], ["Fonction"], title="Heatmap")
    root = parse(chart)
    text = by_class(root, "chart-row-label")[0]
    lines = lines_of(text)
    assert len(lines) == kit.MAX_LABEL_LINES and lines[-1].endswith("…")
    assert all(len(line) <= kit.MAX_LABEL_CHARS for line in lines)
    assert text.find(f"{NS}title").text == long_label  # the full text, for a pointer
    assert chart.rows[0][0] == long_label  # and for a screen reader


@pytest.mark.parametrize(
    ("text", "width", "max_lines", "expected"),
    [
        ("Court", 28, 2, ["Court"]),
        ("D2 Sponsorship et alignement des dirigeants", 28, 2, ["D2 Sponsorship et alignement", "des dirigeants"]),
        ("un deux trois quatre", 9, 3, ["un deux", "trois", "quatre"]),
        ("un deux trois quatre cinq", 9, 2, ["un deux", "trois qu…"]),
        ("Anticonstitutionnellement", 10, 3, ["Anticonsti", "tutionnell", "ement"]),
        ("", 28, 2, [""]),
    ],
)
def test_wrap_label_breaks_between_words(text, width, max_lines, expected):
    assert kit.wrap_label(text, width, max_lines) == expected


def test_viewbox_leaves_room_for_long_labels():
    chart = radar([("W" * 40, 3.0), ("M" * 40, 3.0), ("Q" * 40, 3.0), ("X" * 40, 3.0)], None, title="Radar")
    root = parse(chart)
    x0, y0, width, height = map(float, root.get("viewBox").split())
    for text in root.iter(f"{NS}text"):
        size = float(text.get("font-size"))
        anchor = text.get("text-anchor", "start")
        placed = [(float(t.get("x")), t.text or "") for t in text.findall(f"{NS}tspan")] or [
            (float(text.get("x")), text.text or "")
        ]
        for x, line in placed:
            shown_width = len(line.strip()) * size * 0.6
            left = {"start": x, "middle": x - shown_width / 2, "end": x - shown_width}[anchor]
            assert x0 <= left and left + shown_width <= x0 + width


@pytest.mark.parametrize(
    ("axes", "targets"),
    [
        ([], None),
        ([], []),
        ([("A", None)], None),
        ([("A", None), ("B", None)], [None, None]),
        ([("A", float("nan")), ("B", float("inf"))], [float("nan"), 3.0]),
        ([("A", 3)], [4]),
        ([("A", Decimal("2.61")), ("B", Fraction(7, 2)), ("C", 1)], None),
    ],
)
def test_radar_handles_no_data(axes, targets):
    chart = radar(axes, targets, title="Radar")
    root = check_document(chart)
    assert len(chart.rows) == len(axes)
    if not axes:
        assert by_class(root, "chart-no-data")
    scored = [v for _, v in axes if v is not None and math.isfinite(float(v))]
    polygons = by_class(root, "chart-score")
    assert len(polygons) == (1 if scored else 0)


def test_radar_rejects_misaligned_targets_and_bad_scales():
    with pytest.raises(ValueError):
        radar([("A", 1.0)], [1.0, 2.0], title="Radar")
    with pytest.raises(ValueError):
        radar([("A", 1.0)], None, scale=(5, 1), title="Radar")
    with pytest.raises(TypeError):
        radar([("A", "3")], None, title="Radar")


# --------------------------------------------------------------------------- distribution


def test_distribution_table_and_bars_mirror_the_counts():
    chart = distribution(
        {"1": 4, 2: 0, 3: 7, "dk": 2},
        level_labels={1: "1 – Inexistant", 3: "3 – Structuré", "dk": "Ne sait pas"},
        labels={"level": "Niveau", "count": "Réponses"},
        title="Réponses",
    )
    root = check_document(chart)
    assert chart.table == (
        ("Niveau", "Réponses"),
        (("1 – Inexistant", "4"), ("2", "0"), ("3 – Structuré", "7"), ("4", "0"), ("5", "0"), ("Ne sait pas", "2")),
    )
    bars = by_class(root, "chart-bar")
    assert [bar.get("fill") for bar in bars] == [DEFAULT_BRAND, DEFAULT_BRAND, charts.DONT_KNOW]  # zero counts: no bar
    widths = [float(bar.get("width")) for bar in bars]
    assert widths[0] / widths[1] == pytest.approx(4 / 7, rel=0.01)
    assert ["".join(t.itertext()) for t in by_class(root, "chart-count")] == ["4", "0", "7", "0", "0", "2"]


def test_distribution_default_dont_know_label_and_custom_levels():
    chart = distribution({"dk": 1, 1: 1}, levels=(1, 2, 3), title="Answers", labels={"dont_know": "Je ne sais pas"})
    assert chart.rows == (("1", "1"), ("2", "0"), ("3", "0"), ("Je ne sais pas", "1"))


@pytest.mark.parametrize("counts", [{}, {1: None, "dk": None}, {1: -3}, {"unrelated": 5}])
@pytest.mark.parametrize("levels", [(1, 2, 3, 4, 5), ()])
def test_distribution_handles_empty_counts(counts, levels):
    chart = distribution(counts, levels=levels, title="Answers")
    root = check_document(chart)
    assert not by_class(root, "chart-bar")
    assert [row[1] for row in chart.rows] == ["0"] * (len(levels) + 1)


# --------------------------------------------------------------------------- heatmap


@pytest.mark.parametrize(("n_rows", "n_columns"), [(10, 6), (1, 1), (3, 4)])
def test_heatmap_has_one_cell_per_row_and_column(n_rows, n_columns):
    rows = [(f"D{i}", [None if (i + j) % 4 == 0 else 1 + (i + j) % 5 for j in range(n_columns)]) for i in range(n_rows)]
    chart = heatmap(rows, [f"F{j}" for j in range(n_columns)], title="Heat")
    root = check_document(chart)
    assert len(by_class(root, "chart-cell")) == n_rows * n_columns
    assert chart.headers == ("Dimension", *(f"F{j}" for j in range(n_columns)))
    assert len(chart.rows) == n_rows


def test_heatmap_cells_colour_value_and_missing_data():
    chart = heatmap([("D", [1.0, 2.0, 3.0, 4.0, 5.0, None])], list("ABCDEF"), title="Heat", number_format=french)
    cells = by_class(parse(chart), "chart-cell")
    fills = [cell.find(f"{NS}rect").get("fill") for cell in cells]
    assert fills == [*HEAT_PALETTE, charts.NA_FILL]
    texts = [cell.find(f"{NS}text") for cell in cells]
    assert ["".join(t.itertext()) for t in texts] == ["1,00", "2,00", "3,00", "4,00", "5,00", NO_VALUE]
    for fill, text in zip(fills[:5], texts[:5], strict=True):
        assert text.get("fill") in {"#000000", "#ffffff"}
        assert contrast_ratio(text.get("fill"), fill) >= 4.5
    assert cells[0].find(f"{NS}title").text == "D — A: 1,00"
    assert chart.rows == (("D", "1,00", "2,00", "3,00", "4,00", "5,00", NO_VALUE),)


def test_heatmap_palette_steps_are_ordered_light_to_dark():
    luminances = [kit.luminance(c) for c in HEAT_PALETTE]
    assert luminances == sorted(luminances, reverse=True)


@pytest.mark.parametrize(
    ("rows", "columns"),
    [([], []), ([], ["A", "B"]), ([("D", [])], []), ([("D", [None, None])], ["A", "B"])],
)
def test_heatmap_handles_empty_inputs(rows, columns):
    chart = heatmap(rows, columns, title="Heat")
    root = check_document(chart)
    assert len(by_class(root, "chart-cell")) == len(rows) * len(columns)
    assert chart.rows == tuple((label, *[NO_VALUE] * len(values)) for label, values in rows)


def test_heatmap_rejects_ragged_rows():
    with pytest.raises(ValueError):
        heatmap([("D", [1.0])], ["A", "B"], title="Heat")


# --------------------------------------------------------------------------- deltas


def test_deltas_colour_and_table_follow_the_direction():
    chart = make_deltas(id_prefix="d", number_format=french)
    root = check_document(chart)
    assert chart.table == (
        ("Dimension", "Previous", "Current", "Change"),
        (
            ("Dimension up", "2,00", "3,50", "+1,50"),
            ("Dimension down", "3,00", "2,25", "-0,75"),
            ("Dimension same", "2,50", "2,50", "0,00"),
            ("Dimension gone", "2,00", NO_VALUE, NO_VALUE),
        ),
    )
    current = [el.get("fill") for el in by_class(root, "chart-current")]
    assert current == [charts.UP, charts.DOWN, charts.SAME]
    previous = [el.get("stroke") for el in by_class(root, "chart-previous")]
    assert previous == [charts.UP, charts.DOWN, charts.SAME, charts.SAME]
    changes = by_class(root, "chart-change")
    assert ["".join(t.itertext()) for t in changes] == ["+1,50", "-0,75", "0,00", NO_VALUE]
    assert [t.get("fill") for t in changes][:3] == [charts.UP, charts.DOWN, charts.SAME]


def test_deltas_arrow_points_from_previous_to_current():
    root = parse(deltas([("Up", 1.0, 5.0), ("Down", 5.0, 1.0)], title="Change"))
    groups = by_class(root, "chart-delta")
    for group, direction in zip(groups, (1, -1), strict=True):
        previous = float(group.find(f"{NS}circle[@class='chart-previous']").get("cx"))
        current = float(group.find(f"{NS}circle[@class='chart-current']").get("cx"))
        tip = points_of(group.find(f"{NS}polygon"))[0][0]
        assert (current - previous) * direction > 0
        assert min(previous, current) < tip < max(previous, current)


@pytest.mark.parametrize("items", [[], [("A", None, None)], [("A", None, 3.0), ("B", float("nan"), None)]])
def test_deltas_handle_missing_values(items):
    chart = deltas(items, title="Change")
    root = check_document(chart)
    assert len(chart.rows) == len(items)
    assert len(by_class(root, "chart-na")) == sum(
        1 for _, p, c in items if kit.number_or_none(p) is None and kit.number_or_none(c) is None
    )


# --------------------------------------------------------------------------- gauge


def test_bar_gauge_width_is_proportional_and_clamped():
    def fraction(value):
        root = parse(bar_gauge(value, title="Gauge"))
        bars = by_class(root, "chart-bar")
        track = by_class(root, "chart-track")[0]
        return float(bars[0].get("width")) / float(track.get("width")) if bars else 0.0

    assert fraction(62.5) == pytest.approx(0.625, abs=0.001)
    assert fraction(150) == pytest.approx(1.0)
    assert fraction(0) == 0.0
    chart = bar_gauge(2.61, scale=(1, 5), title="Score", number_format=french)
    assert chart.table == (("Value", "Minimum", "Maximum"), (("2,61", "1", "5"),))


def test_bar_gauge_without_a_value():
    chart = bar_gauge(None, title="Gauge", labels={"na": "n.d."})
    root = check_document(chart)
    assert not by_class(root, "chart-bar")
    assert "".join(by_class(root, "chart-na")[0].itertext()) == "n.d."
    assert chart.rows == ((NO_VALUE, "0", "100"),)


def test_chart_words_cover_every_default_label_and_are_french_in_french():
    from types import SimpleNamespace

    from django.utils import translation

    from assessments.domain.snapshot import AlignmentResult, FunctionGroupMean
    from assessments.results import chart_words, function_heatmap

    with translation.override("fr"):
        words = chart_words(previous="T1")
        assert set(words) == set(charts.DEFAULT_LABELS) and words["previous"] == "T1"
        assert words["no_data"] == "aucune donnée" and words["na"] == "n.d." and words["decrease"] == "En baisse"
        # The CEO group is shown in D1 only: its D2 cell has no data.
        alignment = AlignmentResult(by_function=(FunctionGroupMean("ceo", "D1", 3.0, 3),), perception_gaps=())
        heat = function_heatmap(
            alignment, [SimpleNamespace(key="D1"), SimpleNamespace(key="D2")], {"D1": "Stratégie", "D2": "Sponsorship"}
        )
    svg = str(heat.svg)
    assert "aucune donnée" in svg and "no data" not in svg


# --------------------------------------------------------------------------- the kit's own switches


def test_text_is_normalised_by_default_and_kept_as_given_without():
    """The KPI charts write French figures with non-breaking spaces: ``normalise=False`` keeps them, still escaped."""
    figure = "1\u202f250\u00a0%  <b>&"
    assert kit.escape_text(figure) == "1 250 % &lt;b&gt;&amp;"
    assert kit.escape_text(figure, normalise=False) == "1\u202f250\u00a0%  &lt;b&gt;&amp;"
    kept = kit.element("text", {"x": "1.0", "fill": 'a"b'}, kit.escape_text(figure, normalise=False), normalise=False)
    assert kept == '<text x="1.0" fill="a&quot;b">1\u202f250\u00a0%  &lt;b&gt;&amp;</text>'


def test_coordinates_trim_by_default_or_keep_their_decimals():
    assert [kit.coord(x) for x in (2.0, 2.5, 2.456, -0.001)] == ["2", "2.5", "2.46", "0"]
    assert [kit.coord(x, 1, trim=False) for x in (2, 2.25, -0.04)] == ["2.0", "2.2", "-0.0"]


def test_nice_steps_are_round_and_cut_a_span_into_about_four():
    assert [kit.nice_step(span) for span in (4, 10, 1.3, 170)] == [1, 2.5, 0.5, 50]
