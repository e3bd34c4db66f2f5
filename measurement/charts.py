"""Server-side SVG charts of the KPI register: trends with their 95 % bands, and the CX-to-finance tree.

Drawn for the web pages and the PDF alike, with the kernel's chart kit (:mod:`cxgov.charts`):
presentation attributes only (no style=, no <style>), every text escaped, a <title> and a <desc> on
each chart; the pages add a data table beside it. These charts have their own look (a fixed
viewBox, coordinates with one decimal, their own palette and font) and keep their text as given
(``normalise=False``): French figures and units hold non-breaking spaces that must not collapse.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from cxgov.charts import coord, element, escape_text, nice_step, svg_document

from .domain.metrics import METRICS
from .presentation import metric_label, number, value_text
from .selectors import Row, TreeBranch

INK = "#212529"
MUTED = "#495057"
GRID = "#dee2e6"
BRAND = "#1f4e79"
NOISE = "#6c757d"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


def _f(x: float) -> str:
    """Coordinates with one decimal: short, and no locale ever touches them."""
    return coord(x, 1, trim=False)


def _el(tag: str, attrs: Mapping[str, object], children: str | None = None) -> str:
    return element(tag, attrs, children, normalise=False)


def _esc(text: object) -> str:
    return escape_text(text, normalise=False)


def _svg(chart_id: str, width: int, height: int, title: str, desc: str, body: Sequence[str]) -> SafeString:
    root = {
        "viewBox": f"0 0 {width} {height}",
        "width": "100%",
        "role": "img",
        "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
        "id": chart_id,
        "class": "cx-chart",
        "font-family": FONT,
    }
    return svg_document(root, prefix=chart_id, title=title, description=desc, body="".join(body), normalise=False)


def _text(
    x: float, y: float, text: str, *, size: int = 12, fill: str = MUTED, anchor: str = "start", weight: str = "normal"
) -> str:
    attrs = {"x": _f(x), "y": _f(y), "font-size": size, "fill": fill, "text-anchor": anchor, "font-weight": weight}
    return _el("text", attrs, _esc(text))


def _line(x1, y1, x2, y2, *, stroke: str = GRID, width: float = 1, dash: str | None = None) -> str:
    attrs = {"x1": _f(x1), "y1": _f(y1), "x2": _f(x2), "y2": _f(y2), "stroke": stroke, "stroke-width": str(width)}
    return _el("line", {**attrs, "stroke-dasharray": dash or None})


def _bounds(values: list[float], metric: str, ces_scale: int | None) -> tuple[float, float]:
    low, high = min(values), max(values)
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.15
    low, high = low - pad, high + pad
    unit = METRICS[metric].unit
    floor, ceiling = {"points": (-100, 100), "percent": (0, 100)}.get(unit, (0 if unit != "score" else 1, None))
    if metric == "ces" and ces_scale:
        ceiling = ces_scale
    low = max(low, floor)
    if ceiling is not None:
        high = min(high, ceiling)
    step = nice_step(high - low)
    return math.floor(low / step) * step, math.ceil(high / step) * step


@dataclass(frozen=True)
class _Point:
    x: float
    y: float
    low: float | None
    high: float | None
    row: Row


def trend_description(rows: Sequence[Row], metric: str) -> str:
    parts = []
    for row in rows:
        text = f"{row.period}: {value_text(metric, row.value, ces_scale=row.measurement.ces_scale)}"
        if row.ci_low is not None:
            text += " " + _("(95 %% interval %(low)s to %(high)s)") % {"low": number(row.ci_low), "high": number(row.ci_high)}
        if row.noise is True:
            text += " — " + _("change within noise")
        elif row.noise is False:
            text += " — " + _("significant change")
        parts.append(text)
    return "; ".join(parts) + "."


def trend_chart(rows: Sequence[Row], *, metric: str, chart_id: str, colour: str = BRAND) -> SafeString:
    """A line of the metric's values over periods of one kind, with its 95 % band and the noise rule.

    A change between two periods that is within sampling error is drawn dashed and labelled
    "noise"; a significant change is drawn solid.
    """
    ces_scale = next((r.measurement.ces_scale for r in rows if r.measurement.ces_scale), None)
    values = [float(r.value) for r in rows]
    values += [float(v) for r in rows for v in (r.ci_low, r.ci_high) if v is not None]
    y_min, y_max = _bounds(values, metric, ces_scale)
    step = nice_step(y_max - y_min)
    ticks = [y_min + i * step for i in range(round((y_max - y_min) / step) + 1)]
    places = next(p for p in range(4) if all(abs(t * 10**p - round(t * 10**p)) < 1e-6 for t in ticks))
    labels = [number(Decimal(str(round(t, places))), places) if places else number(int(round(t))) for t in ticks]
    statistics = any(r.ci_low is not None or r.noise is not None for r in rows)
    width, height = 720, 320 if statistics else 270
    # Room on the left for the longest tick label (about 7 units per character at this size).
    left, right, top, bottom = max(48, 14 + 7 * max(len(label) for label in labels)), 16, 20, 84 if statistics else 34
    plot_w, plot_h = width - left - right, height - top - bottom

    def y_of(v) -> float:
        return top + plot_h * (1 - (float(v) - y_min) / (y_max - y_min))

    step_x = plot_w / max(len(rows), 1)
    points = [
        _Point(
            left + step_x * (i + 0.5),
            y_of(r.value),
            None if r.ci_low is None else y_of(r.ci_low),
            None if r.ci_high is None else y_of(r.ci_high),
            r,
        )
        for i, r in enumerate(rows)
    ]
    body: list[str] = []
    band = {"fill": colour, "fill-opacity": "0.18"}  # the 95 % band, and its key in the legend
    # Grid and y axis labels.
    for t, label in zip(ticks, labels, strict=True):
        y = y_of(t)
        body.append(_line(left, y, width - right, y))
        body.append(_text(left - 8, y + 4, label, anchor="end"))
    # 95 % bands, one polygon per run of consecutive points that have an interval.
    run: list[tuple[float, float, float]] = []  # (x, low, high) of points with an interval
    for p in [*points, None]:
        if p is not None and p.low is not None and p.high is not None:
            run.append((p.x, p.low, p.high))
            continue
        if len(run) == 1:
            x, low, high = run[0]
            body.append(_el("rect", {"x": _f(x - 8), "y": _f(high), "width": 16, "height": _f(max(low - high, 1)), **band}))
        elif run:
            outline = [(x, high) for x, _low, high in run] + [(x, low) for x, low, _high in reversed(run)]
            body.append(_el("polygon", {"points": " ".join(f"{_f(x)},{_f(y)}" for x, y in outline), **band, "stroke": "none"}))
        run = []
    # Segments between consecutive periods, styled by the noise rule.
    for a, b in zip(points, points[1:], strict=False):
        noise = b.row.noise
        if noise is True:
            body.append(_line(a.x, a.y, b.x, b.y, stroke=NOISE, width=2, dash="6 4"))
            body.append(_text((a.x + b.x) / 2, min(a.y, b.y) - 8, _("noise"), size=11, fill=NOISE, anchor="middle"))
        else:
            # Solid: a significant change, or a figure that is not a sample (no noise to speak of).
            body.append(_line(a.x, a.y, b.x, b.y, stroke=NOISE if noise is None and statistics else colour, width=2))
    # Points and x labels.
    for p in points:
        row = p.row
        tip = f"{row.period}: {value_text(metric, row.value, ces_scale=row.measurement.ces_scale)}"
        if row.ci_low is not None:
            tip += f" [{number(row.ci_low)} ; {number(row.ci_high)}]"
        if row.n:
            tip += f" (n = {number(row.n)})"
        body.append(
            _el(
                "circle",
                {"cx": _f(p.x), "cy": _f(p.y), "r": "4.5", "fill": colour, "stroke": "#ffffff", "stroke-width": "1.5"},
                _el("title", {}, _esc(tip)),
            )
        )
        body.append(_text(p.x, top + plot_h + 18, str(row.period), anchor="middle", fill=INK))
    title = _("%(metric)s by period") % {"metric": metric_label(metric)}
    if not statistics:
        return _svg(chart_id, width, height, title, trend_description(rows, metric), body)
    # Legend.
    ly = height - 28
    body.append(_el("rect", {"x": left, "y": ly - 9, "width": 18, "height": 10, **band}))
    body.append(_text(left + 24, ly, _("margin of error (95 %)")))
    body.append(_line(left + 205, ly - 4, left + 233, ly - 4, stroke=colour, width=2))
    body.append(_text(left + 239, ly, _("significant change")))
    body.append(_line(left + 400, ly - 4, left + 428, ly - 4, stroke=NOISE, width=2, dash="6 4"))
    body.append(_text(left + 434, ly, _("change within noise")))
    body.append(
        _text(left, ly + 18, _("A dashed line means the change is within the margin of error: it may be chance."), size=11)
    )
    return _svg(chart_id, width, height, title, trend_description(rows, metric), body)


def _latest_text(metric: str, row: Row | None) -> str:
    if row is None:
        return _("no value yet")
    text = value_text(metric, row.value, ces_scale=row.measurement.ces_scale, margin=row.margin)
    return f"{text} · {row.period}"


def kpi_tree_chart(branches: Sequence[TreeBranch], *, chart_id: str, colour: str = BRAND) -> SafeString:
    """Each CX metric beside the financial KPIs it is meant to move, with the latest value of each."""
    width = 808
    row_h, box_h, top = 64, 50, 36
    cx_x, cx_w, fin_x, fin_w = 8, 330, 448, 352
    body: list[str] = [
        _text(cx_x, 18, _("CX metric"), size=13, fill=INK, weight="bold"),
        _text(fin_x, 18, _("Financial KPI it is meant to move"), size=13, fill=INK, weight="bold"),
    ]
    lines: list[str] = []
    index = 0
    for branch in branches:
        first = index
        for kpi, row in branch.drives:
            y = top + index * row_h
            body.append(
                _el(
                    "rect",
                    {
                        "x": fin_x,
                        "y": y,
                        "width": fin_w,
                        "height": box_h,
                        "rx": 6,
                        "fill": "#ffffff",
                        "stroke": MUTED,
                        "stroke-width": "1.5",
                    },
                )
            )
            body.append(_text(fin_x + 10, y + 20, metric_label(kpi), size=12, fill=INK, weight="bold"))
            body.append(_text(fin_x + 10, y + 39, _latest_text(kpi, row), size=12))
            index += 1
        span_top = top + first * row_h
        span_h = (index - first - 1) * row_h + box_h
        cy = span_top + span_h / 2
        for k in range(first, index):
            fy = top + k * row_h + box_h / 2
            x1, x2, mid = cx_x + cx_w, fin_x - 6, (cx_x + cx_w + fin_x) / 2
            body.append(
                _el(
                    "path",
                    {
                        "d": f"M {_f(x1)} {_f(cy)} C {_f(mid)} {_f(cy)}, {_f(mid)} {_f(fy)}, {_f(x2)} {_f(fy)}",
                        "fill": "none",
                        "stroke": colour,
                        "stroke-width": "1.5",
                    },
                )
            )
            body.append(
                _el("polygon", {"points": f"{_f(x2)},{_f(fy - 4)} {_f(x2 + 6)},{_f(fy)} {_f(x2)},{_f(fy + 4)}", "fill": colour})
            )
        body.append(
            _el(
                "rect",
                {
                    "x": cx_x,
                    "y": _f(span_top),
                    "width": cx_w,
                    "height": _f(span_h),
                    "rx": 6,
                    "fill": colour,
                    "fill-opacity": "0.08",
                    "stroke": colour,
                    "stroke-width": "2",
                },
            )
        )
        body.append(_text(cx_x + 12, cy - 4, metric_label(branch.cx), size=13, fill=INK, weight="bold"))
        body.append(_text(cx_x + 12, cy + 15, _latest_text(branch.cx, branch.cx_latest), size=12))
        lines.append(
            _("%(cx)s (%(value)s) is meant to move %(kpis)s.")
            % {
                "cx": metric_label(branch.cx),
                "value": _latest_text(branch.cx, branch.cx_latest),
                "kpis": ", ".join(f"{metric_label(k)} ({_latest_text(k, r)})" for k, r in branch.drives),
            }
        )
    height = top + index * row_h
    return _svg(chart_id, width, height, _("KPI tree: from CX metrics to financial results"), " ".join(lines), body)
