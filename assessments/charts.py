"""The assessment's charts (radar, answer distribution, heatmap, round-to-round deltas, gauge), server-side SVG.

Drawn with the kernel's chart kit (:mod:`cxgov.charts`), by the same code for the web pages and the
PDF report, so they hold its rules: every function returns a :class:`~cxgov.charts.Chart` (a complete
``<svg>`` with presentation attributes only, its title and description, and the data as a table
for screen readers); every piece of text placed in the SVG is escaped, after dropping characters
XML 1.0 forbids, while ``Chart.title``, ``Chart.description`` and ``Chart.table`` hold *plain* text
that templates autoescape; values are numbers or ``None`` for "no data" (NaN and infinities too),
written with the caller's ``number_format`` (by default :func:`cxgov.numbers.format_number`), "—"
marking no data in the table; labels longer than :data:`MAX_LABEL_CHARS` wrap onto more lines in
the drawing (an ellipsis only past the last line, the full text then kept in a ``<title>``), and
stay whole in the table.

Words come from the caller, already translated (``labels``; English defaults in
:data:`DEFAULT_LABELS`, translated by ``assessments.results.chart_words``). The module has no i18n
of its own.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

from cxgov.charts import (
    DOWN,
    FONT_FAMILY,
    GRID,
    MAX_LABEL_CHARS,
    MUTED,
    NA_FILL,
    NA_STROKE,
    NO_VALUE,
    SAME,
    TEXT,
    UP,
    WHITE,
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
    text_on,
    text_width,
    tick_label,
    wrap_label,
)
from organisations.colours import DEFAULT_BRAND, valid_brand

__all__ = [
    "DEFAULT_BRAND",
    "DEFAULT_LABELS",
    "FONT_FAMILY",
    "HEAT_PALETTE",
    "MAX_LABEL_CHARS",
    "NO_VALUE",
    "Chart",
    "bar_gauge",
    "deltas",
    "distribution",
    "heatmap",
    "radar",
    "valid_brand",
]

# The assessment's own colours (the kit's text, grid, n/a and up/down colours are in cxgov.charts).
# Text colours reach WCAG AA (4.5:1) against white; see the unit tests.
TARGET = "#c2410c"  # dark orange, 5.2:1, dashed
TARGET_ALT = "#1a1a1a"  # used instead when the brand colour is itself close to orange
DONT_KNOW = "#8a8a8a"
# Radar axis labels: up to three lines of 20 characters, narrower than a row label's two of 28.
RADAR_LABEL_CHARS, RADAR_LABEL_LINES = 20, 3
# Sequential light-to-dark palette (ColorBrewer "Blues", 5 classes).
HEAT_PALETTE = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")

DEFAULT_LABELS: Mapping[str, str] = {
    "score": "Score",
    "target": "Target",
    "no_data": "no data",
    "na": "n/a",
    "dimension": "Dimension",
    "level": "Level",
    "count": "Count",
    "dont_know": "Don't know",
    "previous": "Previous",
    "current": "Current",
    "change": "Change",
    "increase": "Up",
    "decrease": "Down",
    "value": "Value",
    "minimum": "Minimum",
    "maximum": "Maximum",
}


def _words(labels: Mapping[str, str] | None) -> dict[str, str]:
    return {**DEFAULT_LABELS, **(labels or {})}


def _target_colour(brand: str) -> str:
    def rgb(c: str) -> tuple[int, ...]:
        return tuple(int(c[i : i + 2], 16) for i in (1, 3, 5))

    distance = math.dist(rgb(brand), rgb(TARGET))
    return TARGET if distance > 120 else TARGET_ALT


def _swatch(fill: str, **attrs: object) -> Callable[[Canvas], Callable[[float, float], None]]:
    def bind(canvas: Canvas) -> Callable[[float, float], None]:
        def draw(x: float, y: float) -> None:
            canvas.rect(x, y + 1, 18, 10, fill=fill, **attrs)

        return draw

    return bind


# --------------------------------------------------------------------------- charts


def radar(
    axes: Sequence[tuple[str, float | None]],
    targets: Sequence[float | None] | None = None,
    *,
    scale: tuple[float, float] = (1, 5),
    id_prefix: str = "radar",
    title: str,
    description: str = "",
    brand: str = DEFAULT_BRAND,
    labels: Mapping[str, str] | None = None,
    number_format: NumberFormat | None = None,
) -> Chart:
    """Scores (and targets) on N axes: rings at each scale step, score polygon filled, targets dashed.

    Axes whose score is ``None`` are left out of the score polygon (the others are connected) and
    marked "n/a"; likewise ``None`` targets are left out of the target polygon. ``targets``, when
    given, has one entry per axis.
    """
    words, fmt, prefix, colour = _words(labels), formatter(number_format), clean_prefix(id_prefix), valid_brand(brand)
    lo, hi = scale_bounds(scale)
    data = [(str(label), number_or_none(score)) for label, score in axes]
    goals = None if targets is None else [number_or_none(t) for t in targets]
    if goals is not None and len(goals) != len(data):
        raise ValueError(f"{len(goals)} targets for {len(data)} axes")

    headers = (words["dimension"], words["score"]) + ((words["target"],) if goals is not None else ())
    rows = tuple((label, fmt(score)) + ((fmt(goals[i]),) if goals is not None else ()) for i, (label, score) in enumerate(data))

    canvas = Canvas()
    if not data:
        canvas.no_data(words["no_data"])
        return make_chart(canvas, "radar", prefix, title, description, headers, rows)

    radius = 150.0
    n = len(data)
    target_colour = _target_colour(colour)

    def angle(i: int) -> float:
        return -math.pi / 2 + 2 * math.pi * i / n

    def point(i: int, v: float) -> tuple[float, float]:
        r = radius * (0.2 + 0.8 * (clamp(v, lo, hi) - lo) / (hi - lo))
        return r * math.cos(angle(i)), r * math.sin(angle(i))

    _radar_grid(canvas, point, scale_ticks(lo, hi), [score is None for _, score in data], hi, fmt)

    scored = [point(i, score) for i, (_, score) in enumerate(data) if score is not None]
    if scored:
        canvas.polygon(
            scored,
            fill=colour,
            fill_opacity="0.25",
            stroke=colour,
            stroke_width=2.0,
            stroke_linejoin="round",
            class_="chart-score",
        )
        for x, y in scored:
            canvas.circle(x, y, 3.0, fill=colour)
    if goals is not None:
        aimed = [point(i, goal) for i, goal in enumerate(goals) if goal is not None]
        if aimed:
            canvas.polygon(
                aimed,
                fill="none",
                stroke=target_colour,
                stroke_width=2.0,
                stroke_dasharray="6 4",
                stroke_linejoin="round",
                class_="chart-target",
            )

    for i, (label, score) in enumerate(data):
        _radar_label(canvas, angle(i), radius + 12, label, words["na"] if score is None else fmt(score), na=score is None)

    def target_key(x: float, y: float) -> None:
        canvas.line(x, y + 6, x + 18, y + 6, stroke=target_colour, stroke_width=2.0, stroke_dasharray="6 4")

    items = [(_swatch(colour, fill_opacity="0.25", stroke=colour, stroke_width=2.0)(canvas), words["score"])]
    if goals is not None:
        items.append((target_key, words["target"]))
    canvas.legend(items)
    return make_chart(canvas, "radar", prefix, title, description, headers, rows)


def _radar_grid(
    canvas: Canvas,
    point: Callable[[int, float], tuple[float, float]],
    ticks: Sequence[float],
    missing: Sequence[bool],
    hi: float,
    fmt: Callable[[float | None], str],
) -> None:
    """The rings at each scale step (circles under three axes), the spokes (dotted where an axis has
    no score) and the tick labels along the first axis."""
    n = len(missing)
    for v in ticks:
        if n >= 3:
            canvas.polygon([point(i, v) for i in range(n)], fill="none", stroke=GRID, stroke_width=1.0, class_="chart-ring")
        else:
            canvas.circle(0.0, 0.0, math.hypot(*point(0, v)), fill="none", stroke=GRID, stroke_width=1.0, class_="chart-ring")
    for i, absent in enumerate(missing):
        x, y = point(i, hi)
        dash = {"stroke_dasharray": "2 3", "stroke": NA_STROKE} if absent else {"stroke": GRID}
        canvas.line(0.0, 0.0, x, y, stroke_width=1.0, **dash)
    for v in ticks:
        x, y = point(0, v)
        canvas.text(x + 4, y - 2, tick_label(v, fmt), size=9, fill=MUTED, class_="chart-tick")


def _radar_label(canvas: Canvas, angle: float, distance: float, label: str, value: str, *, na: bool) -> None:
    """An axis's label, wrapped onto up to three narrow lines (a narrow radar stays legible on a
    phone), then its score: the block sits above the axis's end in the upper half, below it in the
    lower half, and beside it on the sides."""
    size, line_height = 12.0, 15.0
    cos, sin = math.cos(angle), math.sin(angle)
    x, y = distance * cos, distance * sin
    anchor = "middle" if abs(cos) < 0.2 else ("start" if cos > 0 else "end")
    lines = len(wrap_label(label, RADAR_LABEL_CHARS, RADAR_LABEL_LINES))
    if sin < -0.2:
        first = y - 4 - lines * line_height
    elif sin > 0.2:
        first = y + size
    else:
        first = y + 0.35 * size - lines * line_height / 2
    canvas.text(
        x,
        first,
        label,
        size=size,
        anchor=anchor,
        wrap=True,
        width=RADAR_LABEL_CHARS,
        max_lines=RADAR_LABEL_LINES,
        line_height=line_height,
        align="top",
        class_="chart-axis-label",
    )
    below = first + lines * line_height
    if na:
        canvas.text(x, below, value, size=11, anchor=anchor, fill=MUTED, font_style="italic", class_="chart-na")
    else:
        canvas.text(x, below, value, size=11, anchor=anchor, fill=MUTED)


def distribution(
    counts: Mapping[int | str, int | None],
    *,
    levels: Sequence[int] = (1, 2, 3, 4, 5),
    dont_know_key: int | str = "dk",
    level_labels: Mapping[int | str, str] | None = None,
    id_prefix: str = "distribution",
    title: str,
    description: str = "",
    brand: str = DEFAULT_BRAND,
    labels: Mapping[str, str] | None = None,
) -> Chart:
    """Horizontal bars: how many chose each level, then "don't know" in grey; counts on the bars.

    ``counts`` may be keyed by ``1`` or ``"1"``; missing keys count 0. ``level_labels`` maps a level
    (or ``dont_know_key``) to its label; a level defaults to its number, "don't know" to
    ``labels["dont_know"]``.
    """
    words, prefix, colour = _words(labels), clean_prefix(id_prefix), valid_brand(brand)
    names = dict(level_labels or {})

    def count_of(key: int | str) -> int:
        for candidate in (key, str(key)):
            count = counts.get(candidate)
            if count is not None:
                return max(0, int(count))
        return 0

    def name_of(key: int | str) -> str:
        for candidate in (key, str(key)):
            if candidate in names:
                return str(names[candidate])
        return words["dont_know"] if key == dont_know_key else str(key)

    bars = [(name_of(level), count_of(level), colour) for level in levels]
    bars.append((name_of(dont_know_key), count_of(dont_know_key), DONT_KNOW))
    headers = (words["level"], words["count"])
    rows = tuple((name, str(count)) for name, count, _ in bars)

    canvas = Canvas()
    plot_width, row_height, bar_height, size = 320.0, 26.0, 18.0, 12.0
    most = max((count for _, count, _ in bars), default=0) or 1
    canvas.line(0.0, 0.0, 0.0, row_height * len(bars), stroke=MUTED, stroke_width=1.0)
    canvas.cover((plot_width, 0))
    for i, (name, count, fill) in enumerate(bars):
        top = i * row_height + (row_height - bar_height) / 2
        middle = top + bar_height / 2 + 0.35 * size
        canvas.text(-8.0, middle, name, size=size, anchor="end", wrap=True, line_height=12.5)
        width = plot_width * count / most
        if count:
            canvas.rect(0.0, top, width, bar_height, fill=fill, class_="chart-bar")
        text = str(count)
        if width >= text_width(text, size) + 8:
            canvas.text(width - 4, middle, text, size=size, anchor="end", fill=text_on(fill), class_="chart-count")
        else:
            canvas.text(width + 4, middle, text, size=size, fill=TEXT, class_="chart-count")
    return make_chart(canvas, "distribution", prefix, title, description, headers, rows)


def heatmap(
    rows: Sequence[tuple[str, Sequence[float | None]]],
    columns: Sequence[str],
    *,
    scale: tuple[float, float] = (1, 5),
    id_prefix: str = "heatmap",
    title: str,
    description: str = "",
    labels: Mapping[str, str] | None = None,
    number_format: NumberFormat | None = None,
) -> Chart:
    """Rows (dimensions) × columns (functions): cell colour from a 5-step sequential palette.

    The value is printed in each cell in black or white, whichever contrasts more; ``None`` cells are
    light grey with "—". Every row has one value per column.
    """
    words, fmt, prefix = _words(labels), formatter(number_format), clean_prefix(id_prefix)
    lo, hi = scale_bounds(scale)
    heads = [str(c) for c in columns]
    data = [(str(label), [number_or_none(v) for v in values]) for label, values in rows]
    for label, values in data:
        if len(values) != len(heads):
            raise ValueError(f"row {label!r} has {len(values)} values for {len(heads)} columns")
    headers = (words["dimension"], *heads)
    table_rows = tuple((label, *(fmt(v) for v in values)) for label, values in data)

    canvas = Canvas()
    if not data or not heads:
        canvas.no_data(words["no_data"])
        return make_chart(canvas, "heatmap", prefix, title, description, headers, table_rows)

    steps = len(HEAT_PALETTE)

    def step_of(v: float) -> int:
        return min(steps - 1, int((clamp(v, lo, hi) - lo) / (hi - lo) * steps + 1e-9))

    cell_w, cell_h, size = 66.0, 30.0, 12.0
    for j, head in enumerate(heads):
        canvas.text(
            (j + 0.5) * cell_w,
            -8.0,
            head,
            size=size,
            rotate=-45.0,
            wrap=True,
            line_height=13.0,
            align="bottom",
            class_="chart-column-label",
        )
    for i, (label, values) in enumerate(data):
        y = i * cell_h
        canvas.text(
            -8.0,
            y + cell_h / 2 + 0.35 * size,
            label,
            size=size,
            anchor="end",
            wrap=True,
            line_height=13.0,
            class_="chart-row-label",
        )
        for j, v in enumerate(values):
            x = j * cell_w
            canvas.open_group(f"{label} — {heads[j]}: {fmt(v)}", class_="chart-cell")
            if v is None:
                canvas.rect(x, y, cell_w, cell_h, fill=NA_FILL, stroke=WHITE, stroke_width=2.0)
                canvas.text(x + cell_w / 2, y + cell_h / 2 + 0.35 * size, NO_VALUE, size=size, anchor="middle", fill=MUTED)
            else:
                fill = HEAT_PALETTE[step_of(v)]
                canvas.rect(x, y, cell_w, cell_h, fill=fill, stroke=WHITE, stroke_width=2.0)
                canvas.text(x + cell_w / 2, y + cell_h / 2 + 0.35 * size, fmt(v), size=size, anchor="middle", fill=text_on(fill))
            canvas.close_group()

    # Legend: the five classes with their ranges, then "no data".
    top, key_w, small = canvas.bottom + 16, 66.0, 9.0
    for k, fill in enumerate(HEAT_PALETTE):
        start, end = lo + k * (hi - lo) / steps, lo + (k + 1) * (hi - lo) / steps
        canvas.rect(k * key_w, top, key_w, 10.0, fill=fill, stroke=WHITE, stroke_width=1.0)
        canvas.text(k * key_w + key_w / 2, top + 22, f"{fmt(start)}–{fmt(end)}", size=small, anchor="middle", fill=MUTED)
    canvas.rect(steps * key_w + 8, top, 20.0, 10.0, fill=NA_FILL, stroke=NA_STROKE, stroke_width=1.0)
    canvas.text(steps * key_w + 32, top + 9, f"{NO_VALUE} {words['no_data']}", size=small, fill=MUTED)
    return make_chart(canvas, "heatmap", prefix, title, description, headers, table_rows)


def _dumbbell(canvas: Canvas, y: float, x0: float | None, x1: float | None, colour: str) -> None:
    """One row's marks: a line with an arrow from the previous to the current value, a hollow and a full dot.

    Either end may be missing (a dimension new to this round, or one not scored this time): then only
    the dot that exists is drawn. The arrow is left out when the two dots nearly touch, where it
    would hide them.
    """
    if x0 is not None and x1 is not None:
        canvas.line(x0, y, x1, y, stroke=colour, stroke_width=2.0)
        if abs(x1 - x0) >= 14:
            direction = 1 if x1 > x0 else -1
            tip = x1 - direction * 6
            canvas.polygon([(tip, y), (tip - direction * 8, y - 5), (tip - direction * 8, y + 5)], fill=colour)
    if x0 is not None:
        canvas.circle(x0, y, 4.0, fill=WHITE, stroke=colour, stroke_width=2.0, class_="chart-previous")
    if x1 is not None:
        canvas.circle(x1, y, 5.0, fill=colour, class_="chart-current")


def deltas(
    items: Sequence[tuple[str, float | None, float | None]],
    *,
    scale: tuple[float, float] = (1, 5),
    id_prefix: str = "deltas",
    title: str,
    description: str = "",
    labels: Mapping[str, str] | None = None,
    number_format: NumberFormat | None = None,
) -> Chart:
    """Round-to-round comparison (label, previous, current) as a dumbbell: hollow dot → arrow → dot.

    Green for up, red for down, grey for no change or when one side is missing; the signed change
    is written at the end of each row too, so colour is never the only cue.
    """
    words, fmt, prefix = _words(labels), formatter(number_format), clean_prefix(id_prefix)
    lo, hi = scale_bounds(scale)
    data = [(str(label), number_or_none(prev), number_or_none(cur)) for label, prev, cur in items]

    def change_of(prev: float | None, cur: float | None) -> float | None:
        return None if prev is None or cur is None else round(cur - prev, 9)

    def signed(d: float | None) -> str:
        return NO_VALUE if d is None else ("+" + fmt(d) if d > 0 else fmt(d))

    headers = (words["dimension"], words["previous"], words["current"], words["change"])
    rows = tuple((label, fmt(prev), fmt(cur), signed(change_of(prev, cur))) for label, prev, cur in data)

    canvas = Canvas()
    if not data:
        canvas.no_data(words["no_data"])
        return make_chart(canvas, "deltas", prefix, title, description, headers, rows)

    plot_width, row_height, size = 320.0, 28.0, 12.0
    height = row_height * len(data)

    def x_of(v: float) -> float:
        return plot_width * (clamp(v, lo, hi) - lo) / (hi - lo)

    for v in scale_ticks(lo, hi):
        canvas.line(x_of(v), 0.0, x_of(v), height, stroke=GRID, stroke_width=1.0)
        canvas.text(x_of(v), -6.0, tick_label(v, fmt), size=10, anchor="middle", fill=MUTED, class_="chart-tick")
    for i, (label, prev, cur) in enumerate(data):
        y = i * row_height + row_height / 2
        baseline = y + 0.35 * size
        canvas.text(-10.0, baseline, label, size=size, anchor="end", wrap=True, line_height=13.0)
        d = change_of(prev, cur)
        colour = SAME if not d else (UP if d > 0 else DOWN)
        canvas.open_group(class_="chart-delta")
        if prev is None and cur is None:
            canvas.text(4.0, baseline, words["na"], size=11, fill=MUTED, font_style="italic", class_="chart-na")
        else:
            _dumbbell(canvas, y, None if prev is None else x_of(prev), None if cur is None else x_of(cur), colour)
        canvas.close_group()
        canvas.text(
            plot_width + 14, baseline, signed(d), size=size, fill=colour if d is not None else MUTED, class_="chart-change"
        )

    def previous_key(x: float, y: float) -> None:
        canvas.circle(x + 9, y + 6, 4.0, fill=WHITE, stroke=SAME, stroke_width=2.0)

    def current_key(x: float, y: float) -> None:
        canvas.circle(x + 9, y + 6, 5.0, fill=SAME)

    def arrow_key(colour: str, direction: int) -> Callable[[float, float], None]:
        def draw(x: float, y: float) -> None:
            start, end = (x, x + 18) if direction > 0 else (x + 18, x)
            canvas.line(start, y + 6, end, y + 6, stroke=colour, stroke_width=2.0)
            canvas.polygon([(end, y + 6), (end - direction * 7, y + 2), (end - direction * 7, y + 10)], fill=colour)

        return draw

    canvas.legend(
        [
            (previous_key, words["previous"]),
            (current_key, words["current"]),
            (arrow_key(UP, 1), words["increase"]),
            (arrow_key(DOWN, -1), words["decrease"]),
        ],
        x=0.0,
    )
    return make_chart(canvas, "deltas", prefix, title, description, headers, rows)


def bar_gauge(
    value: float | None,
    *,
    scale: tuple[float, float] = (0, 100),
    id_prefix: str = "gauge",
    title: str,
    description: str = "",
    brand: str = DEFAULT_BRAND,
    labels: Mapping[str, str] | None = None,
    number_format: NumberFormat | None = None,
) -> Chart:
    """A small horizontal bar for one value on ``scale`` (agreement, index), value written after it."""
    words, fmt, prefix, colour = _words(labels), formatter(number_format), clean_prefix(id_prefix), valid_brand(brand)
    lo, hi = scale_bounds(scale)
    v = number_or_none(value)
    headers = (words["value"], words["minimum"], words["maximum"])
    rows = ((fmt(v), tick_label(lo, fmt), tick_label(hi, fmt)),)

    canvas = Canvas()
    track_w, track_h, size = 200.0, 14.0, 12.0
    if v is None:
        canvas.rect(
            0.0,
            0.0,
            track_w,
            track_h,
            fill=NA_FILL,
            stroke=NA_STROKE,
            stroke_width=1.0,
            stroke_dasharray="3 2",
            class_="chart-track",
        )
        canvas.text(
            track_w + 8, track_h / 2 + 0.35 * size, words["na"], size=size, fill=MUTED, font_style="italic", class_="chart-na"
        )
    else:
        canvas.rect(0.0, 0.0, track_w, track_h, fill=NA_FILL, stroke=NA_STROKE, stroke_width=1.0, class_="chart-track")
        width = track_w * (clamp(v, lo, hi) - lo) / (hi - lo)
        if width > 0:
            canvas.rect(0.0, 0.0, width, track_h, fill=colour, class_="chart-bar")
        canvas.text(track_w + 8, track_h / 2 + 0.35 * size, fmt(v), size=size, fill=TEXT, class_="chart-value")
    canvas.text(0.0, track_h + 12, tick_label(lo, fmt), size=9, fill=MUTED, class_="chart-tick")
    canvas.text(track_w, track_h + 12, tick_label(hi, fmt), size=9, anchor="end", fill=MUTED, class_="chart-tick")
    return make_chart(canvas, "gauge", prefix, title, description, headers, rows, pad=4)
