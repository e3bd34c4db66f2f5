"""Server-side SVG charts, drawn by the same code for the web pages and the PDF report.

Every function returns a :class:`Chart`: a complete ``<svg>`` document (presentation attributes
only: no ``style=``, no ``<style>``, no script, so it holds under the strict CSP and renders in
WeasyPrint), its title and description, and the data as a table for screen readers.

Rules kept throughout:

* Every piece of text placed in the SVG (labels, titles, numbers) goes through
  :func:`django.utils.html.escape`, after dropping characters XML 1.0 forbids; only the finished
  document is marked safe. ``Chart.title``, ``Chart.description`` and ``Chart.table`` hold
  *plain* text: templates must autoescape them (the default).
* Values are numbers (``float``, ``int``, ``Decimal``, ``Fraction``) or ``None`` for "no data";
  NaN and infinities also count as no data. The SVG and the table format them with the caller's
  ``number_format``, by default :func:`cxgov.numbers.format_number` (half-up, in the active
  language), the formatter of every other output; "—" marks no data in the table.
* Words come from the caller, already translated (``labels``; English defaults in
  :data:`DEFAULT_LABELS`). The module has no i18n of its own.
* The viewBox is computed from what was drawn, with text widths estimated generously, so long
  labels are not clipped. Labels longer than :data:`MAX_LABEL_CHARS` are shortened with an
  ellipsis in the drawing; the full text stays in a ``<title>`` on the text element and in the
  table.
* The ``<svg>`` carries no width or height: the page or PDF stylesheet sizes it (e.g.
  ``svg.chart { width: 100%; height: auto }``); the viewBox gives the aspect ratio.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from numbers import Real

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cxgov.numbers import format_number
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
    "contrast_ratio",
    "deltas",
    "distribution",
    "heatmap",
    "radar",
    "valid_brand",
]

FONT_FAMILY = "DejaVu Sans, Liberation Sans, sans-serif"
NO_VALUE = "—"  # shown in tables (and heatmap cells) where there is no data
MAX_LABEL_CHARS = 28

# Colours. Text colours reach WCAG AA (4.5:1) against white; see the unit tests.
TEXT = "#1a1a1a"  # 17.4:1
MUTED = "#595959"  # 7.0:1
GRID = "#c9c9c9"  # rings, gridlines (decoration, not information)
NA_FILL = "#ededed"
NA_STROKE = "#767676"  # 4.5:1
TARGET = "#c2410c"  # dark orange, 5.2:1, dashed
TARGET_ALT = "#1a1a1a"  # used instead when the brand colour is itself close to orange
UP = "#1a7f37"  # 5.1:1
DOWN = "#c62828"  # 5.6:1
SAME = "#636363"  # 6.0:1
DONT_KNOW = "#8a8a8a"
BLACK = "#000000"
WHITE = "#ffffff"
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

NumberFormat = Callable[[float], str]
Table = tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]


@dataclass(frozen=True)
class Chart:
    """A drawn chart: ``svg`` is safe markup; ``title``, ``description`` and ``table`` are plain text."""

    svg: SafeString
    title: str
    description: str
    table: Table  # (headers, rows): the data, for a visually hidden <table>

    @property
    def headers(self) -> tuple[str, ...]:
        return self.table[0]

    @property
    def rows(self) -> tuple[tuple[str, ...], ...]:
        return self.table[1]

    def __html__(self) -> SafeString:
        """``{{ chart }}`` in a template renders the SVG."""
        return self.svg


# --------------------------------------------------------------------------- small helpers

_INVALID_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPACES_RE = re.compile(r"\s+")
_ID_RE = re.compile(r"[^A-Za-z0-9_-]+")
_CHAR_WIDTH = 0.62  # average advance of DejaVu Sans, in em, rounded up: widths are estimates
_ASCENT, _DESCENT = 0.8, 0.25


def _luminance(colour: str) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio of two ``#RRGGBB`` colours (1 to 21)."""
    dark, light = sorted((_luminance(a), _luminance(b)))
    return (light + 0.05) / (dark + 0.05)


def _text_on(fill: str) -> str:
    """Black or white, whichever contrasts more with ``fill``."""
    return BLACK if contrast_ratio(fill, BLACK) >= contrast_ratio(fill, WHITE) else WHITE


def _target_colour(brand: str) -> str:
    def rgb(c: str) -> tuple[int, ...]:
        return tuple(int(c[i : i + 2], 16) for i in (1, 3, 5))

    distance = math.dist(rgb(brand), rgb(TARGET))
    return TARGET if distance > 120 else TARGET_ALT


def _plain(text: object) -> str:
    """``text`` as a string XML 1.0 accepts: forbidden characters dropped, whitespace collapsed."""
    return _SPACES_RE.sub(" ", _INVALID_XML_RE.sub("", str(text))).strip()


def _esc(text: object) -> str:
    return str(escape(_plain(text)))


def _shorten(text: str, limit: int = MAX_LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _n(x: float) -> str:
    """A coordinate: at most 2 decimals, no trailing zeros."""
    s = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _value(x: object) -> float | None:
    if x is None:
        return None
    if not isinstance(x, Real | Decimal):
        raise TypeError(f"expected a number or None, got {type(x).__name__}")
    value = float(x)
    return value if math.isfinite(value) else None


def _scale(scale: Sequence[float]) -> tuple[float, float]:
    lo, hi = (float(v) for v in scale)
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise ValueError(f"invalid scale {scale!r}: needs finite low < high")
    return lo, hi


def _prefix(id_prefix: object) -> str:
    """An id prefix usable in ``id=`` and in the space-separated ``aria-labelledby``."""
    prefix = _ID_RE.sub("-", str(id_prefix)).strip("-")
    return prefix if prefix[:1].isalpha() else f"chart-{prefix}".rstrip("-")


def _words(labels: Mapping[str, str] | None) -> dict[str, str]:
    return {**DEFAULT_LABELS, **(labels or {})}


def _formatter(number_format: NumberFormat | None) -> Callable[[float | None], str]:
    fmt = number_format or format_number

    def format_(x: float | None) -> str:
        return NO_VALUE if x is None else str(fmt(x))

    return format_


def _tick(x: float, fmt: Callable[[float | None], str]) -> str:
    return str(int(x)) if float(x).is_integer() else fmt(x)


def _ticks(lo: float, hi: float) -> list[float]:
    if lo.is_integer() and hi.is_integer() and hi - lo <= 10:
        return [float(v) for v in range(int(lo), int(hi) + 1)]
    return [lo + k * (hi - lo) / 4 for k in range(5)]


def _clamp(x: float, lo: float, hi: float) -> float:
    return min(hi, max(lo, x))


def _text_width(text: str, size: float) -> float:
    return len(text) * size * _CHAR_WIDTH


def _attr_name(name: str) -> str:
    return name.rstrip("_").replace("_", "-")


def _attrs(attrs: Mapping[str, object]) -> str:
    """Attributes, values escaped here (``None`` values left out)."""
    return "".join(f' {_attr_name(k)}="{_n(v) if isinstance(v, float) else _esc(v)}"' for k, v in attrs.items() if v is not None)


def _el(tag: str, attrs: Mapping[str, object], children: str | None = None) -> str:
    """An element; ``children`` must already be markup."""
    return f"<{tag}{_attrs(attrs)}/>" if children is None else f"<{tag}{_attrs(attrs)}>{children}</{tag}>"


class _Canvas:
    """Collects elements and the box they cover, so the viewBox fits whatever was drawn."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.x0 = self.y0 = math.inf
        self.x1 = self.y1 = -math.inf

    @property
    def empty(self) -> bool:
        return not math.isfinite(self.x0)

    @property
    def bottom(self) -> float:
        return 0.0 if self.empty else self.y1

    def cover(self, *points: tuple[float, float]) -> None:
        for x, y in points:
            self.x0, self.x1 = min(self.x0, x), max(self.x1, x)
            self.y0, self.y1 = min(self.y0, y), max(self.y1, y)

    def raw(self, markup: str) -> None:
        self.parts.append(markup)

    def rect(self, x: float, y: float, w: float, h: float, **attrs: object) -> None:
        self.cover((x, y), (x + w, y + h))
        self.parts.append(_el("rect", {"x": x, "y": y, "width": w, "height": h, **attrs}))

    def line(self, x1: float, y1: float, x2: float, y2: float, **attrs: object) -> None:
        self.cover((x1, y1), (x2, y2))
        self.parts.append(_el("line", {"x1": x1, "y1": y1, "x2": x2, "y2": y2, **attrs}))

    def circle(self, cx: float, cy: float, r: float, **attrs: object) -> None:
        self.cover((cx - r, cy - r), (cx + r, cy + r))
        self.parts.append(_el("circle", {"cx": cx, "cy": cy, "r": r, **attrs}))

    def polygon(self, points: Sequence[tuple[float, float]], **attrs: object) -> None:
        self.cover(*points)
        self.parts.append(_el("polygon", {"points": " ".join(f"{_n(x)},{_n(y)}" for x, y in points), **attrs}))

    def text(
        self,
        x: float,
        y: float,
        content: object,
        *,
        size: float = 12,
        anchor: str = "start",
        fill: str = TEXT,
        shorten: bool = False,
        rotate: float | None = None,
        **attrs: object,
    ) -> None:
        """Text with its baseline at ``y``; ``shorten`` applies the label length limit."""
        full = _plain(content)
        shown = _shorten(full) if shorten else full
        width = _text_width(shown, size)
        left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
        corners = [
            (left, y - _ASCENT * size),
            (left + width, y - _ASCENT * size),
            (left, y + _DESCENT * size),
            (left + width, y + _DESCENT * size),
        ]
        transform = None
        if rotate is not None:
            angle = math.radians(rotate)
            cos, sin = math.cos(angle), math.sin(angle)
            corners = [(x + (px - x) * cos - (py - y) * sin, y + (px - x) * sin + (py - y) * cos) for px, py in corners]
            transform = f"rotate({_n(rotate)} {_n(x)} {_n(y)})"
        self.cover(*corners)
        tooltip = _el("title", {}, _esc(full)) if shown != full else ""
        all_attrs = {"x": x, "y": y, "font-size": float(size), "fill": fill, "transform": transform, **attrs}
        if anchor != "start":
            all_attrs["text-anchor"] = anchor
        self.parts.append(_el("text", all_attrs, _esc(shown) + tooltip))

    def open_group(self, title: object = None, **attrs: object) -> None:
        self.parts.append(f"<g{_attrs(attrs)}>" + (_el("title", {}, _esc(title)) if title is not None else ""))

    def close_group(self) -> None:
        self.parts.append("</g>")

    def no_data(self, message: str) -> None:
        """A chart with nothing to draw: the message in a box of ordinary size (not blown up to full width)."""
        self.cover((-160, -30), (160, 30))
        self.text(0, 4, message, size=12, fill=MUTED, anchor="middle", class_="chart-no-data")

    def legend(self, items: Sequence[tuple[Callable[[float, float], None], str]], *, x: float | None = None) -> None:
        """One row of legend entries under what is drawn; each item draws an 18×12 key at (x, top)."""
        if not items:
            return
        size, key, gap = 11.0, 18.0, 18.0
        widths = [key + 6 + _text_width(_plain(text), size) for _, text in items]
        total = sum(widths) + gap * (len(items) - 1)
        if x is None:
            x = ((self.x0 + self.x1) / 2 if not self.empty else 0) - total / 2
        top = self.bottom + 14
        for (draw_key, text), width in zip(items, widths, strict=True):
            draw_key(x, top)
            self.text(x + key + 6, top + 10, text, size=size)
            x += width + gap

    def render(self, *, kind: str, prefix: str, title: object, description: object, pad: float = 10) -> SafeString:
        if self.empty:
            self.cover((0, 0))
        x0, y0 = self.x0 - pad, self.y0 - pad
        width, height = self.x1 - self.x0 + 2 * pad, self.y1 - self.y0 + 2 * pad
        root = {
            "xmlns": "http://www.w3.org/2000/svg",
            "viewBox": f"{_n(x0)} {_n(y0)} {_n(width)} {_n(height)}",
            "preserveAspectRatio": "xMidYMid meet",
            "role": "img",
            "aria-labelledby": f"{prefix}-title {prefix}-desc",
            "class": f"chart chart-{kind}",
            "font-family": FONT_FAMILY,
        }
        head = _el("title", {"id": f"{prefix}-title"}, _esc(title)) + _el("desc", {"id": f"{prefix}-desc"}, _esc(description))
        # Safe: every attribute value and every piece of text above went through escape() (see _el, _esc).
        return mark_safe(_el("svg", root, head + "".join(self.parts)))  # noqa: S308


def _chart(
    canvas: _Canvas,
    kind: str,
    prefix: str,
    title: object,
    description: object,
    headers: Sequence[object],
    rows: Sequence[Sequence[object]],
    *,
    pad: float = 10,
) -> Chart:
    svg = canvas.render(kind=kind, prefix=prefix, title=title, description=description, pad=pad)
    table = (tuple(str(h) for h in headers), tuple(tuple(str(cell) for cell in row) for row in rows))
    return Chart(svg=svg, title=str(title), description=str(description), table=table)


def _swatch(fill: str, **attrs: object) -> Callable[[_Canvas], Callable[[float, float], None]]:
    def bind(canvas: _Canvas) -> Callable[[float, float], None]:
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
    words, fmt, prefix, colour = _words(labels), _formatter(number_format), _prefix(id_prefix), valid_brand(brand)
    lo, hi = _scale(scale)
    data = [(str(label), _value(score)) for label, score in axes]
    goals = None if targets is None else [_value(t) for t in targets]
    if goals is not None and len(goals) != len(data):
        raise ValueError(f"{len(goals)} targets for {len(data)} axes")

    headers = (words["dimension"], words["score"]) + ((words["target"],) if goals is not None else ())
    rows = tuple((label, fmt(score)) + ((fmt(goals[i]),) if goals is not None else ()) for i, (label, score) in enumerate(data))

    canvas = _Canvas()
    if not data:
        canvas.no_data(words["no_data"])
        return _chart(canvas, "radar", prefix, title, description, headers, rows)

    radius = 150.0
    n = len(data)
    target_colour = _target_colour(colour)

    def angle(i: int) -> float:
        return -math.pi / 2 + 2 * math.pi * i / n

    def point(i: int, v: float) -> tuple[float, float]:
        r = radius * (0.2 + 0.8 * (_clamp(v, lo, hi) - lo) / (hi - lo))
        return r * math.cos(angle(i)), r * math.sin(angle(i))

    ticks = _ticks(lo, hi)
    for v in ticks:
        if n >= 3:
            canvas.polygon([point(i, v) for i in range(n)], fill="none", stroke=GRID, stroke_width=1.0, class_="chart-ring")
        else:
            canvas.circle(0.0, 0.0, math.hypot(*point(0, v)), fill="none", stroke=GRID, stroke_width=1.0, class_="chart-ring")
    for i, (_, score) in enumerate(data):
        x, y = point(i, hi)
        dash = {"stroke_dasharray": "2 3", "stroke": NA_STROKE} if score is None else {"stroke": GRID}
        canvas.line(0.0, 0.0, x, y, stroke_width=1.0, **dash)
    for v in ticks:
        x, y = point(0, v)
        canvas.text(x + 4, y - 2, _tick(v, fmt), size=9, fill=MUTED, class_="chart-tick")

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

    size, line_height = 12.0, 15.0
    for i, (label, score) in enumerate(data):
        cos, sin = math.cos(angle(i)), math.sin(angle(i))
        x, y = (radius + 12) * cos, (radius + 12) * sin
        anchor = "middle" if abs(cos) < 0.2 else ("start" if cos > 0 else "end")
        if sin < -0.2:  # upper half: the two lines sit above the point
            first = y - 4 - line_height
        elif sin > 0.2:  # lower half: below it
            first = y + size
        else:
            first = y + 0.35 * size - line_height / 2
        canvas.text(x, first, label, size=size, anchor=anchor, shorten=True, class_="chart-axis-label")
        if score is None:
            canvas.text(
                x, first + line_height, words["na"], size=11, anchor=anchor, fill=MUTED, font_style="italic", class_="chart-na"
            )
        else:
            canvas.text(x, first + line_height, fmt(score), size=11, anchor=anchor, fill=MUTED)

    def target_key(x: float, y: float) -> None:
        canvas.line(x, y + 6, x + 18, y + 6, stroke=target_colour, stroke_width=2.0, stroke_dasharray="6 4")

    items = [(_swatch(colour, fill_opacity="0.25", stroke=colour, stroke_width=2.0)(canvas), words["score"])]
    if goals is not None:
        items.append((target_key, words["target"]))
    canvas.legend(items)
    return _chart(canvas, "radar", prefix, title, description, headers, rows)


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
    words, prefix, colour = _words(labels), _prefix(id_prefix), valid_brand(brand)
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

    canvas = _Canvas()
    plot_width, row_height, bar_height, size = 320.0, 26.0, 18.0, 12.0
    most = max((count for _, count, _ in bars), default=0) or 1
    canvas.line(0.0, 0.0, 0.0, row_height * len(bars), stroke=MUTED, stroke_width=1.0)
    canvas.cover((plot_width, 0))
    for i, (name, count, fill) in enumerate(bars):
        top = i * row_height + (row_height - bar_height) / 2
        middle = top + bar_height / 2 + 0.35 * size
        canvas.text(-8.0, middle, name, size=size, anchor="end", shorten=True)
        width = plot_width * count / most
        if count:
            canvas.rect(0.0, top, width, bar_height, fill=fill, class_="chart-bar")
        text = str(count)
        if width >= _text_width(text, size) + 8:
            canvas.text(width - 4, middle, text, size=size, anchor="end", fill=_text_on(fill), class_="chart-count")
        else:
            canvas.text(width + 4, middle, text, size=size, fill=TEXT, class_="chart-count")
    return _chart(canvas, "distribution", prefix, title, description, headers, rows)


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
    words, fmt, prefix = _words(labels), _formatter(number_format), _prefix(id_prefix)
    lo, hi = _scale(scale)
    heads = [str(c) for c in columns]
    data = [(str(label), [_value(v) for v in values]) for label, values in rows]
    for label, values in data:
        if len(values) != len(heads):
            raise ValueError(f"row {label!r} has {len(values)} values for {len(heads)} columns")
    headers = (words["dimension"], *heads)
    table_rows = tuple((label, *(fmt(v) for v in values)) for label, values in data)

    canvas = _Canvas()
    if not data or not heads:
        canvas.no_data(words["no_data"])
        return _chart(canvas, "heatmap", prefix, title, description, headers, table_rows)

    steps = len(HEAT_PALETTE)

    def step_of(v: float) -> int:
        return min(steps - 1, int((_clamp(v, lo, hi) - lo) / (hi - lo) * steps + 1e-9))

    cell_w, cell_h, size = 66.0, 30.0, 12.0
    for j, head in enumerate(heads):
        canvas.text((j + 0.5) * cell_w, -8.0, head, size=size, rotate=-45.0, shorten=True, class_="chart-column-label")
    for i, (label, values) in enumerate(data):
        y = i * cell_h
        canvas.text(-8.0, y + cell_h / 2 + 0.35 * size, label, size=size, anchor="end", shorten=True, class_="chart-row-label")
        for j, v in enumerate(values):
            x = j * cell_w
            canvas.open_group(f"{label} — {heads[j]}: {fmt(v)}", class_="chart-cell")
            if v is None:
                canvas.rect(x, y, cell_w, cell_h, fill=NA_FILL, stroke=WHITE, stroke_width=2.0)
                canvas.text(x + cell_w / 2, y + cell_h / 2 + 0.35 * size, NO_VALUE, size=size, anchor="middle", fill=MUTED)
            else:
                fill = HEAT_PALETTE[step_of(v)]
                canvas.rect(x, y, cell_w, cell_h, fill=fill, stroke=WHITE, stroke_width=2.0)
                canvas.text(x + cell_w / 2, y + cell_h / 2 + 0.35 * size, fmt(v), size=size, anchor="middle", fill=_text_on(fill))
            canvas.close_group()

    # Legend: the five classes with their ranges, then "no data".
    top, key_w, small = canvas.bottom + 16, 66.0, 9.0
    for k, fill in enumerate(HEAT_PALETTE):
        start, end = lo + k * (hi - lo) / steps, lo + (k + 1) * (hi - lo) / steps
        canvas.rect(k * key_w, top, key_w, 10.0, fill=fill, stroke=WHITE, stroke_width=1.0)
        canvas.text(k * key_w + key_w / 2, top + 22, f"{fmt(start)}–{fmt(end)}", size=small, anchor="middle", fill=MUTED)
    canvas.rect(steps * key_w + 8, top, 20.0, 10.0, fill=NA_FILL, stroke=NA_STROKE, stroke_width=1.0)
    canvas.text(steps * key_w + 32, top + 9, f"{NO_VALUE} {words['no_data']}", size=small, fill=MUTED)
    return _chart(canvas, "heatmap", prefix, title, description, headers, table_rows)


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
    words, fmt, prefix = _words(labels), _formatter(number_format), _prefix(id_prefix)
    lo, hi = _scale(scale)
    data = [(str(label), _value(prev), _value(cur)) for label, prev, cur in items]

    def change_of(prev: float | None, cur: float | None) -> float | None:
        return None if prev is None or cur is None else round(cur - prev, 9)

    def signed(d: float | None) -> str:
        return NO_VALUE if d is None else ("+" + fmt(d) if d > 0 else fmt(d))

    headers = (words["dimension"], words["previous"], words["current"], words["change"])
    rows = tuple((label, fmt(prev), fmt(cur), signed(change_of(prev, cur))) for label, prev, cur in data)

    canvas = _Canvas()
    if not data:
        canvas.no_data(words["no_data"])
        return _chart(canvas, "deltas", prefix, title, description, headers, rows)

    plot_width, row_height, size = 320.0, 28.0, 12.0
    height = row_height * len(data)

    def x_of(v: float) -> float:
        return plot_width * (_clamp(v, lo, hi) - lo) / (hi - lo)

    for v in _ticks(lo, hi):
        canvas.line(x_of(v), 0.0, x_of(v), height, stroke=GRID, stroke_width=1.0)
        canvas.text(x_of(v), -6.0, _tick(v, fmt), size=10, anchor="middle", fill=MUTED, class_="chart-tick")
    for i, (label, prev, cur) in enumerate(data):
        y = i * row_height + row_height / 2
        baseline = y + 0.35 * size
        canvas.text(-10.0, baseline, label, size=size, anchor="end", shorten=True)
        d = change_of(prev, cur)
        colour = SAME if not d else (UP if d > 0 else DOWN)
        canvas.open_group(class_="chart-delta")
        if prev is not None and cur is not None:
            x0, x1 = x_of(prev), x_of(cur)
            canvas.line(x0, y, x1, y, stroke=colour, stroke_width=2.0)
            if abs(x1 - x0) >= 14:
                direction = 1 if x1 > x0 else -1
                tip = x1 - direction * 6
                canvas.polygon([(tip, y), (tip - direction * 8, y - 5), (tip - direction * 8, y + 5)], fill=colour)
        if prev is not None:
            canvas.circle(x_of(prev), y, 4.0, fill=WHITE, stroke=colour, stroke_width=2.0, class_="chart-previous")
        if cur is not None:
            canvas.circle(x_of(cur), y, 5.0, fill=colour, class_="chart-current")
        if prev is None and cur is None:
            canvas.text(4.0, baseline, words["na"], size=11, fill=MUTED, font_style="italic", class_="chart-na")
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
    return _chart(canvas, "deltas", prefix, title, description, headers, rows)


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
    words, fmt, prefix, colour = _words(labels), _formatter(number_format), _prefix(id_prefix), valid_brand(brand)
    lo, hi = _scale(scale)
    v = _value(value)
    headers = (words["value"], words["minimum"], words["maximum"])
    rows = ((fmt(v), _tick(lo, fmt), _tick(hi, fmt)),)

    canvas = _Canvas()
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
        width = track_w * (_clamp(v, lo, hi) - lo) / (hi - lo)
        if width > 0:
            canvas.rect(0.0, 0.0, width, track_h, fill=colour, class_="chart-bar")
        canvas.text(track_w + 8, track_h / 2 + 0.35 * size, fmt(v), size=size, fill=TEXT, class_="chart-value")
    canvas.text(0.0, track_h + 12, _tick(lo, fmt), size=9, fill=MUTED, class_="chart-tick")
    canvas.text(track_w, track_h + 12, _tick(hi, fmt), size=9, anchor="end", fill=MUTED, class_="chart-tick")
    return _chart(canvas, "gauge", prefix, title, description, headers, rows, pad=4)
