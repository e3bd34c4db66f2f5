"""The PDF's parallel layout: chapters cut into even groups, charts as images in the report's font."""

import base64
import itertools
import re
import xml.etree.ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.charts import radar
from reports.rendering import _balanced_groups, _weight
from reports.templatetags.report import chart_img


def heaviest(groups):
    return max(sum(_weight(chapter) for chapter in group) for group in groups)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=400), min_size=1, max_size=9), st.integers(min_value=1, max_value=4))
def test_groups_are_consecutive_cover_every_chapter_and_are_as_even_as_possible(sizes, count):
    chapters = [f"<p>{'x' * size}</p><!--{n}-->" for n, size in enumerate(sizes)]
    groups = _balanced_groups(chapters, count)
    assert [chapter for group in groups for chapter in group] == chapters  # in order, none lost or repeated
    assert len(groups) == min(count, len(chapters)) and all(groups)
    # No other cut into as many consecutive groups has a lighter heaviest group.
    best = min(
        heaviest([chapters[a:b] for a, b in zip((0, *cuts), (*cuts, len(chapters)), strict=True)])
        for cuts in itertools.combinations(range(1, len(chapters)), len(groups) - 1)
    )
    assert heaviest(groups) == best


def test_weight_counts_elements_text_and_charts():
    assert _weight("<p>abc</p>") < _weight("<p>abc</p><p>abc</p>")
    assert _weight("<p>a</p>") < _weight("<p>" + "a" * 500 + "</p>")
    assert _weight('<img src="data:image/svg+xml;base64,' + "A" * 20000 + '">') > _weight("<p>" + "a" * 2000 + "</p>")


def test_chart_becomes_an_image_in_the_report_font_with_its_title_as_alt():
    axes = [("D1 <b>", 2.0), ("D2", 3.0), ("D3", 4.0)]
    chart = radar(axes, [3.0, 3.0, 4.0], title='Scores "quoted" & <b>', description="Scores vs targets")
    markup = chart_img(chart.svg)
    assert markup.startswith('<img class="chart chart-radar"') and "<b>" not in markup and "<svg" not in markup
    assert 'alt="Scores &quot;quoted&quot; &amp; &lt;b&gt;"' in markup
    payload = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', markup).group(1)
    root = ET.fromstring(base64.b64decode(payload))  # noqa: S314 — our own markup; still well-formed XML for WeasyPrint
    assert root.get("font-family") == "Report Sans"
    assert any(
        "D1 <b>" in (text.text or "") or "D1 <b>" in "".join(text.itertext())
        for text in root.iter("{http://www.w3.org/2000/svg}text")
    )


def test_chart_img_ignores_anything_but_a_chart():
    assert chart_img("") == "" and chart_img(None) == "" and chart_img("<p>not a chart</p>") == ""


@given(st.text(max_size=40))
def test_any_id_becomes_an_inert_css_string(value):
    import tinycss2

    from reports.rendering import _css_string

    escaped = _css_string(value)
    assert set(escaped) <= set("\\0123456789abcdefABCDEFGHIJKLMNOPQRSTUVWXYZghijklmnopqrstuvwxyz")
    # Parsed back inside a rule, it is one string token equal to the value (NUL becomes U+FFFD, per CSS).
    rule = tinycss2.parse_one_rule(f'a[href="{escaped}"] {{ }}')
    tokens = [t for t in rule.prelude if t.type == "[] block"][0].content
    (string,) = [t for t in tokens if t.type == "string"]
    assert string.value == value.replace("\x00", "\ufffd")
