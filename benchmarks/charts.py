"""The benchmark chart: per dimension, the peers' middle half (Q1–Q3) as a box, their median as a tick, our score as a dot.

Drawn with the kernel's chart kit (``cxgov.charts``) so it follows the same rules as every chart:
presentation attributes only (strict CSP, WeasyPrint), every text escaped, a viewBox fitted to what
was drawn, the data as a table for screen readers. Colour is never the only cue: the figures are written at the end of each row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from cxgov.charts import (  # the kernel's drawing kit: escaping, viewBox fitting, table
    GRID,
    MUTED,
    NA_STROKE,
    Canvas,
    Chart,
    NumberFormat,
    clamp,
    clean_prefix,
    formatter,
    make_chart,
    number_or_none,
    scale_bounds,
    scale_ticks,
    tick_label,
)
from organisations.colours import valid_brand

BOX_FILL = "#d6e4f0"
BOX_STROKE = "#4a6f8f"
MEDIAN = "#1a1a1a"

DEFAULT_BENCHMARK_LABELS: Mapping[str, str] = {
    "dimension": "Dimension",
    "no_data": "no data",
    "ours": "Our score",
    "q1": "Peers' first quartile",
    "median": "Peers' median",
    "q3": "Peers' third quartile",
    "peers": "Peers",
    "box": "Middle half of peers",
    "not_enough": "not enough peers",
}


def _row_summary(label: str, ours: float | None, peer, words: Mapping[str, str], fmt: Callable) -> str:
    """What a screen reader says of one row: our score, then the peers' median and, when disclosed, quartiles."""
    summary = f"{label} — {words['ours']}: {fmt(ours)}"
    if peer is not None:
        summary += f"; {words['median']}: {fmt(peer[2])}"
        if peer[1] is not None and peer[3] is not None:
            summary += f"; {words['q1']}: {fmt(peer[1])}; {words['q3']}: {fmt(peer[3])}"
    return summary


def _peer_marks(canvas: Canvas, y: float, box_height: float, peer, x_of: Callable[[float], float]) -> None:
    """The peers' marks on one row: the middle half as a box when its quartiles are disclosed, the median as a tick."""
    _count, q1, median, q3 = peer
    if q1 is not None and q3 is not None:
        x1, x3 = x_of(q1), x_of(q3)
        canvas.rect(
            x1,
            y - box_height / 2,
            max(x3 - x1, 1.0),
            box_height,
            fill=BOX_FILL,
            stroke=BOX_STROKE,
            stroke_width=1.0,
            class_="chart-box",
        )
    canvas.line(
        x_of(median),
        y - box_height / 2 - 3,
        x_of(median),
        y + box_height / 2 + 3,
        stroke=MEDIAN,
        stroke_width=3.0,
        class_="chart-median",
    )


def peer_boxes(
    items: Sequence[tuple[str, float | None, tuple[int, float, float, float] | None]],
    *,
    scale: tuple[float, float] = (1, 5),
    id_prefix: str = "benchmark",
    title: str,
    description: str = "",
    brand: str | None = None,
    labels: Mapping[str, str] | None = None,
    number_format: NumberFormat | None = None,
) -> Chart:
    """``items``: (label, our score or None, (peer count, q1, median, q3) or None when the dimension has too few peers).

    The quartiles may be None on their own (too few peers to disclose them): only the median tick is drawn then.
    """
    words = {**DEFAULT_BENCHMARK_LABELS, **(labels or {})}
    fmt, prefix, colour = formatter(number_format), clean_prefix(id_prefix), valid_brand(brand)
    lo, hi = scale_bounds(scale)
    data: list[tuple[str, float | None, tuple[int, float | None, float, float | None] | None]] = []
    for label, ours, stats in items:
        peer = None
        if stats is not None:
            count = int(stats[0])
            q1, median, q3 = (number_or_none(v) for v in stats[1:])
            if median is not None:  # without a median there is nothing to draw for the peers
                peer = (count, q1, median, q3)
        data.append((str(label), number_or_none(ours), peer))

    headers = (words["dimension"], words["ours"], words["q1"], words["median"], words["q3"], words["peers"])
    rows = tuple(
        (label, fmt(ours), *((fmt(p[1]), fmt(p[2]), fmt(p[3]), str(p[0])) if p else (fmt(None),) * 4)) for label, ours, p in data
    )

    canvas = Canvas()
    if not data:
        canvas.no_data(words["no_data"])
        return make_chart(canvas, "benchmark", prefix, title, description, headers, rows)

    plot_width, row_height, box_height, size = 320.0, 28.0, 14.0, 12.0
    height = row_height * len(data)

    def x_of(v: float) -> float:
        return plot_width * (clamp(v, lo, hi) - lo) / (hi - lo)

    for v in scale_ticks(lo, hi):
        canvas.line(x_of(v), 0.0, x_of(v), height, stroke=GRID, stroke_width=1.0)
        canvas.text(x_of(v), -6.0, tick_label(v, fmt), size=10, anchor="middle", fill=MUTED, class_="chart-tick")
    canvas.text(plot_width + 14, -6.0, f"{words['ours']} · {words['median']}", size=10, fill=MUTED, class_="chart-column-label")
    for i, (label, ours, peer) in enumerate(data):
        y = i * row_height + row_height / 2
        baseline = y + 0.35 * size
        canvas.text(-10.0, baseline, label, size=size, anchor="end", wrap=True, line_height=13.0)
        canvas.open_group(_row_summary(label, ours, peer, words, fmt), class_="chart-benchmark-row")
        if peer is not None:
            _peer_marks(canvas, y, box_height, peer, x_of)
        else:
            canvas.line(0.0, y, plot_width, y, stroke=NA_STROKE, stroke_width=1.0, stroke_dasharray="2 3")
        if ours is not None:
            canvas.circle(x_of(ours), y, 5.5, fill=colour, stroke="#ffffff", stroke_width=1.5, class_="chart-ours")
        canvas.close_group()
        text = fmt(ours) + (f" · {fmt(peer[2])}" if peer is not None else f" · {words['not_enough']}")
        canvas.text(plot_width + 14, baseline, text, size=11, fill=MUTED, class_="chart-benchmark-values")

    def box_key(x: float, y: float) -> None:
        canvas.rect(x, y + 1, 18, 10, fill=BOX_FILL, stroke=BOX_STROKE, stroke_width=1.0)

    def median_key(x: float, y: float) -> None:
        canvas.line(x + 9, y - 1, x + 9, y + 13, stroke=MEDIAN, stroke_width=3.0)

    def ours_key(x: float, y: float) -> None:
        canvas.circle(x + 9, y + 6, 5.5, fill=colour)

    canvas.legend([(box_key, words["box"]), (median_key, words["median"]), (ours_key, words["ours"])], x=0.0)
    return make_chart(canvas, "benchmark", prefix, title, description, headers, rows)
