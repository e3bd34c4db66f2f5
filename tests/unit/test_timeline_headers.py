"""The roadmap timeline's horizon names fit their bands, in French too (« Maintenant » ran into « Ensuite »)."""

import re

from cxgov.charts import text_width
from roadmaps.charts import HORIZON_START, LABEL_WIDTH, MONTH, timeline
from roadmaps.domain.prioritisation import BEYOND, LATER, NEXT, NOW

FRENCH = {NOW: "Maintenant", NEXT: "Ensuite", LATER: "Plus tard", BEYOND: "Au-delà"}
ENGLISH = {NOW: "Now", NEXT: "Next", LATER: "Later", BEYOND: "Beyond"}


def header_boxes(svg: str, words: dict) -> dict[str, tuple[float, float]]:
    """Each horizon name's left x and estimated right edge, read from the drawing."""
    boxes = {}
    for horizon, word in words.items():
        match = re.search(r'<text x="([\d.]+)" y="14"[^>]*font-size="([\d.]+)"[^>]*>' + re.escape(word) + "</text>", svg)
        assert match, f"{word} not drawn whole"
        x, size = float(match[1]), float(match[2])
        boxes[horizon] = (x, x + text_width(word, size))
    return boxes


def test_each_horizon_name_ends_before_the_next_band_begins():
    items = [{"title": "Une initiative", "start_month": 0, "duration_months": 18, "status": "planned"}]
    for words in (FRENCH, ENGLISH):
        svg = str(timeline(items, title="Feuille de route", labels=words).svg)
        boxes = header_boxes(svg, words)
        for horizon, following in ((NOW, NEXT), (NEXT, LATER), (LATER, BEYOND)):
            next_band = LABEL_WIDTH + HORIZON_START[following] * MONTH
            assert boxes[horizon][1] <= next_band, (words[horizon], boxes[horizon], next_band)
