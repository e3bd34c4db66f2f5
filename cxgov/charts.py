"""The SVG chart kit: what every server-side chart of the apps is drawn with, for the pages and the PDF.

The apps keep their charts (``assessments.charts``: radar, heatmap…; ``benchmarks.charts``,
``roadmaps.charts``, ``measurement.charts``) and draw them with the pieces here, so they all hold
the same rules:

* A chart is a complete ``<svg>`` document with presentation attributes only (no ``style=``, no
  ``<style>``, no script), so it holds under the strict CSP and renders in WeasyPrint; its
  ``<title>`` and ``<desc>`` label it (``aria-labelledby``).
* Every piece of text placed in the SVG (labels, titles, numbers, attribute values) is escaped
  here; only the finished document is marked safe. By default text is also *normalised*: characters
  XML 1.0 forbids are dropped and whitespace is collapsed. ``normalise=False`` keeps the text as
  given (the KPI charts keep the non-breaking spaces of French figures and units).
* Values are numbers (``float``, ``int``, ``Decimal``, ``Fraction``) or ``None`` for "no data";
  NaN and infinities also count as no data (:func:`number_or_none`). They are written with the
  caller's ``number_format``, by default :func:`cxgov.numbers.format_number` (:func:`formatter`).
* Words come from the caller, already translated: the kit has no i18n of its own.
* :class:`Canvas` computes the viewBox from what was drawn, with text widths estimated generously,
  so long labels are not clipped. A label can be *wrapped* (:func:`wrap_label`): it breaks between
  words onto lines of at most :data:`MAX_LABEL_CHARS` characters, written as ``<tspan>`` lines,
  so it is read whole instead of being cut; only what runs past the last allowed line is
  shortened with an ellipsis, the full text then kept in a ``<title>``. Its ``<svg>`` carries no
  width or height: the page or PDF stylesheet sizes it.

This module is part of the kernel: it imports Django but nothing from the apps.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from numbers import Real

from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeData, SafeString, mark_safe

from cxgov.numbers import format_number

__all__ = [
    "BLACK",
    "DOWN",
    "FONT_FAMILY",
    "GRID",
    "MAX_LABEL_CHARS",
    "MAX_LABEL_LINES",
    "MUTED",
    "NA_FILL",
    "NA_STROKE",
    "NO_VALUE",
    "SAME",
    "SVG_NS",
    "TEXT",
    "UP",
    "WHITE",
    "Canvas",
    "Chart",
    "NumberFormat",
    "Table",
    "attributes",
    "clamp",
    "clean_prefix",
    "contrast_ratio",
    "coord",
    "element",
    "escape_text",
    "formatter",
    "luminance",
    "make_chart",
    "nice_step",
    "number_or_none",
    "plain_text",
    "scale_bounds",
    "scale_ticks",
    "shorten_label",
    "svg_document",
    "text_on",
    "text_width",
    "tick_label",
    "wrap_label",
]

SVG_NS = "http://www.w3.org/2000/svg"
FONT_FAMILY = "DejaVu Sans, Liberation Sans, sans-serif"
NO_VALUE = "—"  # shown in tables (and in cells) where there is no data
MAX_LABEL_CHARS = 28  # characters on one line of a wrapped label
MAX_LABEL_LINES = 2  # lines of a wrapped label: a row of a chart has room for two

# Colours. Text colours reach WCAG AA (4.5:1) against white; see the unit tests.
TEXT = "#1a1a1a"  # 17.4:1
MUTED = "#595959"  # 7.0:1
GRID = "#c9c9c9"  # rings, gridlines (decoration, not information)
NA_FILL = "#ededed"
NA_STROKE = "#767676"  # 4.5:1
UP = "#1a7f37"  # 5.1:1
DOWN = "#c62828"  # 5.6:1
SAME = "#636363"  # 6.0:1
BLACK = "#000000"
WHITE = "#ffffff"

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


# --------------------------------------------------------------------------- colours


def luminance(colour: str) -> float:
    """WCAG relative luminance of a ``#RRGGBB`` colour."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio of two ``#RRGGBB`` colours (1 to 21)."""
    dark, light = sorted((luminance(a), luminance(b)))
    return (light + 0.05) / (dark + 0.05)


def text_on(fill: str) -> str:
    """Black or white, whichever contrasts more with ``fill``."""
    return BLACK if contrast_ratio(fill, BLACK) >= contrast_ratio(fill, WHITE) else WHITE


# --------------------------------------------------------------------------- text and markup

_INVALID_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPACES_RE = re.compile(r"\s+")
_ID_RE = re.compile(r"[^A-Za-z0-9_-]+")
_CHAR_WIDTH = 0.62  # average advance of DejaVu Sans, in em, rounded up: widths are estimates
_ASCENT, _DESCENT = 0.8, 0.25


def plain_text(text: object) -> str:
    """``text`` as a string XML 1.0 accepts: forbidden characters dropped, whitespace collapsed."""
    return _SPACES_RE.sub(" ", _INVALID_XML_RE.sub("", str(text))).strip()


def escape_text(text: object, *, normalise: bool = True) -> str:
    """``text`` escaped for the SVG; ``normalise`` passes it through :func:`plain_text` first."""
    if normalise:
        return str(escape(plain_text(text)))
    # Markup already marked safe passes as it is (as in format_html); anything else is escaped.
    return str(conditional_escape(text if isinstance(text, SafeData) else str(text)))


def shorten_label(text: str, limit: int = MAX_LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def wrap_label(text: str, width: int = MAX_LABEL_CHARS, max_lines: int = MAX_LABEL_LINES) -> list[str]:
    """``text`` broken between words into lines of at most ``width`` characters.

    A word longer than a line is cut across lines. When the text needs more than ``max_lines``
    lines, the last one ends with an ellipsis (the caller keeps the full text elsewhere).
    """
    width, max_lines = max(2, width), max(1, max_lines)
    words: list[str] = []
    for word in text.split():
        words.extend(word[i : i + width] for i in range(0, len(word), width))
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [shorten_label(" ".join(lines[max_lines - 1 :]), width)]
    return lines or [""]


def text_width(text: str, size: float) -> float:
    """A generous estimate of the width of ``text`` at font ``size``."""
    return len(text) * size * _CHAR_WIDTH


def coord(x: float, places: int = 2, *, trim: bool = True) -> str:
    """A coordinate with ``places`` decimals; ``trim`` drops trailing zeros (and a negative zero)."""
    s = f"{x:.{places}f}"
    if not trim:
        return s
    s = s.rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _attr_name(name: str) -> str:
    return name.rstrip("_").replace("_", "-")


def attributes(attrs: Mapping[str, object], *, normalise: bool = True) -> str:
    """Attributes, values escaped here (``None`` values left out, floats as :func:`coord`).

    A keyword-style name is written as an attribute name: ``stroke_width`` → ``stroke-width``,
    ``class_`` → ``class``.
    """
    return "".join(
        f' {_attr_name(k)}="{coord(v) if isinstance(v, float) else escape_text(v, normalise=normalise)}"'
        for k, v in attrs.items()
        if v is not None
    )


def element(tag: str, attrs: Mapping[str, object], children: str | None = None, *, normalise: bool = True) -> str:
    """An element; ``children`` must already be markup (``None``: a self-closing element)."""
    if children is None:
        return f"<{tag}{attributes(attrs, normalise=normalise)}/>"
    return f"<{tag}{attributes(attrs, normalise=normalise)}>{children}</{tag}>"


def svg_document(
    root: Mapping[str, object], *, prefix: str, title: object, description: object, body: str, normalise: bool = True
) -> SafeString:
    """The ``<svg>`` document: ``root``'s attributes after ``xmlns``, then ``<title id="{prefix}-title">``,
    ``<desc id="{prefix}-desc">`` and ``body`` (markup). The root should name both in ``aria-labelledby``."""
    head = element("title", {"id": f"{prefix}-title"}, escape_text(title, normalise=normalise), normalise=normalise)
    head += element("desc", {"id": f"{prefix}-desc"}, escape_text(description, normalise=normalise), normalise=normalise)
    # Safe: every attribute value and every piece of text went through escape_text() (see element()).
    return mark_safe(element("svg", {"xmlns": SVG_NS, **root}, head + body, normalise=normalise))  # noqa: S308


def clean_prefix(id_prefix: object) -> str:
    """An id prefix usable in ``id=`` and in the space-separated ``aria-labelledby``."""
    prefix = _ID_RE.sub("-", str(id_prefix)).strip("-")
    return prefix if prefix[:1].isalpha() else f"chart-{prefix}".rstrip("-")


# --------------------------------------------------------------------------- values and scales


def number_or_none(x: object) -> float | None:
    """A chart value: a finite float, or ``None`` for no data (``None``, NaN, infinities)."""
    if x is None:
        return None
    if not isinstance(x, Real | Decimal):
        raise TypeError(f"expected a number or None, got {type(x).__name__}")
    value = float(x)
    return value if math.isfinite(value) else None


def formatter(number_format: NumberFormat | None) -> Callable[[float | None], str]:
    """``number_format`` (default :func:`cxgov.numbers.format_number`) writing :data:`NO_VALUE` for ``None``."""
    fmt = number_format or format_number

    def format_(x: float | None) -> str:
        return NO_VALUE if x is None else str(fmt(x))

    return format_


def scale_bounds(scale: Sequence[float]) -> tuple[float, float]:
    """``(low, high)`` as floats; a ValueError unless both are finite and low < high."""
    lo, hi = (float(v) for v in scale)
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise ValueError(f"invalid scale {scale!r}: needs finite low < high")
    return lo, hi


def scale_ticks(lo: float, hi: float) -> list[float]:
    """Every whole step of a short whole-number scale (1 to 5), else the quarters of the range."""
    if lo.is_integer() and hi.is_integer() and hi - lo <= 10:
        return [float(v) for v in range(int(lo), int(hi) + 1)]
    return [lo + k * (hi - lo) / 4 for k in range(5)]


def tick_label(x: float, fmt: Callable[[float | None], str]) -> str:
    """A whole tick as an integer, any other through ``fmt``."""
    return str(int(x)) if float(x).is_integer() else fmt(x)


def nice_step(span: float) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) cutting ``span`` into about four intervals."""
    raw = span / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude  # pragma: no cover


def clamp(x: float, lo: float, hi: float) -> float:
    return min(hi, max(lo, x))


# --------------------------------------------------------------------------- canvas


class Canvas:
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
        self.parts.append(element("rect", {"x": x, "y": y, "width": w, "height": h, **attrs}))

    def line(self, x1: float, y1: float, x2: float, y2: float, **attrs: object) -> None:
        self.cover((x1, y1), (x2, y2))
        self.parts.append(element("line", {"x1": x1, "y1": y1, "x2": x2, "y2": y2, **attrs}))

    def circle(self, cx: float, cy: float, r: float, **attrs: object) -> None:
        self.cover((cx - r, cy - r), (cx + r, cy + r))
        self.parts.append(element("circle", {"cx": cx, "cy": cy, "r": r, **attrs}))

    def polygon(self, points: Sequence[tuple[float, float]], **attrs: object) -> None:
        self.cover(*points)
        self.parts.append(element("polygon", {"points": " ".join(f"{coord(x)},{coord(y)}" for x, y in points), **attrs}))

    def text(
        self,
        x: float,
        y: float,
        content: object,
        *,
        size: float = 12,
        anchor: str = "start",
        fill: str = TEXT,
        wrap: bool = False,
        width: int = MAX_LABEL_CHARS,
        max_lines: int = MAX_LABEL_LINES,
        line_height: float | None = None,
        align: str = "middle",
        rotate: float | None = None,
        **attrs: object,
    ) -> int:
        """Text with its baseline at ``y``; returns the number of lines drawn.

        ``wrap`` breaks a label longer than ``width`` characters onto up to ``max_lines`` lines
        (:func:`wrap_label`), ``line_height`` apart (default 1.2 × ``size``); ``align`` says where
        ``y`` is: the baseline of the first line (``"top"``), of the last (``"bottom"``), or of a
        single line the block is centred on (``"middle"``). The full text is kept in a ``<title>``
        when a line had to be shortened.
        """
        full = plain_text(content)
        lines = wrap_label(full, width, max_lines) if wrap else [full]
        step = size * 1.2 if line_height is None else line_height
        first = {"top": y, "middle": y - step * (len(lines) - 1) / 2, "bottom": y - step * (len(lines) - 1)}[align]
        corners = []
        for n, line in enumerate(lines):
            line_width = text_width(line, size)
            left = {"start": x, "middle": x - line_width / 2, "end": x - line_width}[anchor]
            baseline = first + n * step
            top, bottom = baseline - _ASCENT * size, baseline + _DESCENT * size
            corners += [(left, top), (left + line_width, top), (left, bottom), (left + line_width, bottom)]
        transform = None
        if rotate is not None:
            angle = math.radians(rotate)
            cos, sin = math.cos(angle), math.sin(angle)
            corners = [(x + (px - x) * cos - (py - y) * sin, y + (px - x) * sin + (py - y) * cos) for px, py in corners]
            transform = f"rotate({coord(rotate)} {coord(x)} {coord(y)})"
        self.cover(*corners)
        shown = " ".join(lines)
        tooltip = element("title", {}, escape_text(full)) if shown != full else ""
        all_attrs = {"x": x, "y": first, "font-size": float(size), "fill": fill, "transform": transform, **attrs}
        if anchor != "start":
            all_attrs["text-anchor"] = anchor
        if len(lines) == 1:
            body = escape_text(lines[0])
        else:
            # One <tspan> per line, each placed absolutely: browsers and WeasyPrint agree on x/y.
            body = "".join(element("tspan", {"x": x, "y": first + n * step}, escape_text(line)) for n, line in enumerate(lines))
        self.parts.append(element("text", all_attrs, body + tooltip))
        return len(lines)

    def open_group(self, title: object = None, **attrs: object) -> None:
        self.parts.append(f"<g{attributes(attrs)}>" + (element("title", {}, escape_text(title)) if title is not None else ""))

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
        widths = [key + 6 + text_width(plain_text(text), size) for _, text in items]
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
            "viewBox": f"{coord(x0)} {coord(y0)} {coord(width)} {coord(height)}",
            "preserveAspectRatio": "xMidYMid meet",
            "role": "img",
            "aria-labelledby": f"{prefix}-title {prefix}-desc",
            "class": f"chart chart-{kind}",
            "font-family": FONT_FAMILY,
        }
        return svg_document(root, prefix=prefix, title=title, description=description, body="".join(self.parts))


def make_chart(
    canvas: Canvas,
    kind: str,
    prefix: str,
    title: object,
    description: object,
    headers: Sequence[object],
    rows: Sequence[Sequence[object]],
    *,
    pad: float = 10,
) -> Chart:
    """The :class:`Chart` of what ``canvas`` holds, with ``(headers, rows)`` as its data table (cells as text)."""
    svg = canvas.render(kind=kind, prefix=prefix, title=title, description=description, pad=pad)
    table = (tuple(str(h) for h in headers), tuple(tuple(str(cell) for cell in row) for row in rows))
    return Chart(svg=svg, title=str(title), description=str(description), table=table)
