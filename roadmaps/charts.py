"""The roadmap timeline as a server-side SVG chart, for the web page and the PDF report.

Drawn with the kernel's chart kit (:mod:`cxgov.charts`), like every chart: a complete ``<svg>``
with presentation attributes only (no ``style=``, no ``<style>``, no script), a ``<title>`` and
``<desc>``, every piece of text escaped, no width or height (CSS sizes it), and the data as a table
for screen readers (:class:`cxgov.charts.Chart`).

Input rows are plain mappings, so the PDF builder can pass the initiatives of
``roadmaps.exports.roadmap_export`` after picking a language::

    {"title": "…", "start_month": 0, "duration_months": 3, "status": "planned",
     "locked": False, "custom": False, "owner": "CXO"}

Words come from the caller, already translated (``labels``; English defaults in
:data:`DEFAULT_LABELS`); dates are formatted by the caller's ``month_label``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date

from cxgov.charts import (
    GRID,
    MUTED,
    NA_FILL,
    NA_STROKE,
    TEXT,
    UP,
    Canvas,
    Chart,
    clean_prefix,
    coord,
    element,
    make_chart,
    text_width,
)
from organisations.colours import DEFAULT_BRAND, valid_brand

from .domain.prioritisation import BEYOND, HORIZONS, LATER, NEXT, NOW, horizon_for, month_start

__all__ = ["DEFAULT_LABELS", "STATUS_FILLS", "timeline"]

DEFAULT_LABELS: Mapping[str, str] = {
    NOW: "Now",
    NEXT: "Next",
    LATER: "Later",
    BEYOND: "Beyond",
    "planned": "Planned",
    "in_progress": "In progress",
    "done": "Done",
    "dropped": "Dropped",
    "locked": "Locked",
    "custom": "Added by hand",
    "initiative": "Initiative",
    "horizon": "Horizon",
    "start": "Start",
    "end": "End",
    "status": "Status",
    "owner": "Owner",
    "month": "Month",
    "empty": "No initiative",
    "unassigned": "unassigned",
}

DONE = UP  # green, with a white tick so it never depends on colour alone
STATUS_FILLS: Mapping[str, str] = {"done": DONE, "dropped": NA_FILL}
BAND_FILLS = {NOW: "#eef4fa", NEXT: "#ffffff", LATER: "#eef4fa", BEYOND: "#ffffff"}
HORIZON_START = {NOW: 0, NEXT: 3, LATER: 6, BEYOND: 12}

LABEL_WIDTH = 250.0
MONTH = 20.0
ROW = 28.0  # room for a title on two lines, the rows still apart
LABEL_CHARS = 34  # (LABEL_WIDTH - 14) / (11 px × 0.62 em), the kit's width estimate
BAR = 14.0
TOP = 46.0  # horizon names and month ticks above the rows


def _header_size(label: str, room: float) -> float:
    """The font size at which a horizon's name fits its band: 10 when it can, smaller down to 7.

    "Now" has three months of room (60 units): « Maintenant » at 10 ran into « Ensuite ». Shrinking
    the name keeps it whole (nothing is cut with "…") and the figures below unchanged.
    """
    fits = room / max(text_width(label, 1.0), 1.0)
    return round(max(7.0, min(10.0, fits)), 1)


def _tick(canvas: Canvas, x0: float, y0: float) -> None:
    """A white tick mark in a 10×10 box at (x0, y0): "done" never depends on colour alone."""
    points = f"{coord(x0 + 1)},{coord(y0 + 5)} {coord(x0 + 4)},{coord(y0 + 8)} {coord(x0 + 9)},{coord(y0 + 2)}"
    canvas.raw(element("polyline", {"points": points, "fill": "none", "stroke": "#ffffff", "stroke-width": 2.0}))


def _done_key(canvas: Canvas, x0: float, y0: float) -> None:
    canvas.rect(x0, y0 + 1, 18, 10, fill=DONE)
    _tick(canvas, x0 + 4, y0 + 1)


def _default_month_label(start_date: date | None) -> Callable[[int], str]:
    if start_date is None:
        return lambda month: f"M{month}"
    return lambda month: month_start(start_date, month).strftime("%m/%Y")


def timeline(
    items: Sequence[Mapping],
    *,
    start_date: date | None = None,
    id_prefix: str = "timeline",
    title: str,
    description: str = "",
    brand: str = DEFAULT_BRAND,
    labels: Mapping[str, str] | None = None,
    month_label: Callable[[int], str] | None = None,
) -> Chart:
    """A Gantt-style timeline: one bar per initiative over the four horizons, coloured by status."""
    words = {**DEFAULT_LABELS, **(labels or {})}
    prefix = clean_prefix(id_prefix)
    fill = valid_brand(brand)
    label_of = month_label or _default_month_label(start_date)
    canvas = Canvas()
    rows = []

    if not items:
        canvas.no_data(words["empty"])
        return make_chart(canvas, "timeline", prefix, title, description, (words["initiative"],), ())

    last = max(int(i["start_month"]) + int(i["duration_months"]) for i in items)
    months = max(15, last + 1)
    width = months * MONTH
    height = len(items) * ROW

    def x(month: float) -> float:
        return LABEL_WIDTH + month * MONTH

    # Horizon bands with their names; the last band runs to the end of the drawing.
    for horizon in HORIZONS:
        begin = HORIZON_START[horizon]
        end = HORIZON_START[HORIZONS[HORIZONS.index(horizon) + 1]] if horizon != BEYOND else months
        canvas.rect(x(begin), TOP - 6, (end - begin) * MONTH, height + 6, fill=BAND_FILLS[horizon], class_=f"band band-{horizon}")
        canvas.line(x(begin), 2, x(begin), TOP + height, stroke=GRID, stroke_width=1.0)
        canvas.text(
            x(begin) + 4,
            14,
            words[horizon],
            size=_header_size(words[horizon], (end - begin) * MONTH - 8),
            fill=TEXT,
            font_weight="bold",
        )
    canvas.line(x(months), 2, x(months), TOP + height, stroke=GRID, stroke_width=1.0)
    # Month ticks: every month a tick, every third month a label.
    for month in range(months + 1):
        canvas.line(x(month), TOP - 10, x(month), TOP - 6, stroke=MUTED, stroke_width=1.0)
        if month % 3 == 0 and month < months:
            canvas.text(x(month) + 2, TOP - 14, label_of(month), size=9, fill=MUTED)

    for n, item in enumerate(items):
        start, duration = int(item["start_month"]), int(item["duration_months"])
        status = str(item.get("status") or "planned")
        horizon = horizon_for(start)
        top = TOP + n * ROW
        name = str(item.get("title") or "")
        end_label = label_of(start + duration - 1)  # the last month of the initiative
        owner = item.get("owner") or words["unassigned"]
        tooltip = f"{name} · {words[horizon]} · {label_of(start)} → {end_label} · {words.get(status, status)} · {words['owner']}: {owner}"
        canvas.open_group(tooltip, class_=f"initiative status-{status}")
        # A long title wraps onto two lines centred on its bar (the column holds LABEL_CHARS a line).
        canvas.text(
            LABEL_WIDTH - 14,
            top + ROW / 2 + 0.35 * 11,
            name,
            size=11,
            anchor="end",
            wrap=True,
            width=LABEL_CHARS,
            line_height=12.0,
        )
        bx, by, bw = x(start), top + (ROW - BAR) / 2, duration * MONTH
        if status == "in_progress":
            canvas.rect(bx, by, bw, BAR, fill=fill, stroke=fill, stroke_width=1.5, rx=3.0)
        elif status == "done":
            canvas.rect(bx, by, bw, BAR, fill=DONE, stroke=DONE, stroke_width=1.5, rx=3.0)
            _tick(canvas, bx + 4, by + 2)
        elif status == "dropped":
            canvas.rect(bx, by, bw, BAR, fill=NA_FILL, stroke=NA_STROKE, stroke_width=1.5, stroke_dasharray="4 2", rx=3.0)
        else:  # planned: not started, a light bar outlined in the brand colour
            canvas.rect(bx, by, bw, BAR, fill=fill, fill_opacity=0.28, stroke=fill, stroke_width=1.5, rx=3.0)
        if item.get("custom"):
            canvas.rect(
                bx - 2, by - 2, bw + 4, BAR + 4, fill="none", stroke=TEXT, stroke_width=1.0, stroke_dasharray="3 2", rx=4.0
            )
        if item.get("locked"):
            cx, cy = x(start) - 6, top + ROW / 2
            canvas.polygon([(cx, cy - 5), (cx + 4, cy), (cx, cy + 5), (cx - 4, cy)], fill=TEXT)
        canvas.close_group()
        rows.append((name, words[horizon], label_of(start), end_label, words.get(status, status), owner))

    legend = [
        (lambda x0, y0: canvas.rect(x0, y0 + 1, 18, 10, fill=fill, fill_opacity=0.28, stroke=fill), words["planned"]),
        (lambda x0, y0: canvas.rect(x0, y0 + 1, 18, 10, fill=fill, stroke=fill), words["in_progress"]),
        (lambda x0, y0: _done_key(canvas, x0, y0), words["done"]),
        (
            lambda x0, y0: canvas.rect(x0, y0 + 1, 18, 10, fill=NA_FILL, stroke=NA_STROKE, stroke_dasharray="4 2"),
            words["dropped"],
        ),
        (lambda x0, y0: canvas.rect(x0, y0 + 1, 18, 10, fill="none", stroke=TEXT, stroke_dasharray="3 2"), words["custom"]),
        (
            lambda x0, y0: canvas.polygon([(x0 + 9, y0 + 1), (x0 + 14, y0 + 6), (x0 + 9, y0 + 11), (x0 + 4, y0 + 6)], fill=TEXT),
            words["locked"],
        ),
    ]
    canvas.legend(legend, x=LABEL_WIDTH)
    canvas.cover((0, 0), (x(0) + width, TOP + height))
    headers = (words["initiative"], words["horizon"], words["start"], words["end"], words["status"], words["owner"])
    return make_chart(canvas, "timeline", prefix, title, description, headers, rows)
