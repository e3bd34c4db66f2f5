"""How register figures read on a page or a chart: labels in the active language, localised numbers."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from cxgov.numbers import DASH, format_number

from .domain.metrics import METRICS
from .imports import lang


def metric_label(metric: str) -> str:
    return METRICS[metric].label[lang()]


def number(value: Decimal | int | None, places: int = 2) -> str:
    """A register figure ("12,08", "1 250"): cxgov.numbers' half-up formatter, thousands grouped; an int stays whole."""
    return format_number(value, 0 if isinstance(value, int) else places, grouping=True)


def unit_suffix(metric: str, *, ces_scale: int | None = None) -> str:
    unit = METRICS[metric].unit
    if unit == "percent":
        return "\u00a0%" if lang() == "fr" else "%"
    if unit == "seconds":
        return "\u00a0s"
    if metric == "ces" and ces_scale:
        return f"\u00a0(1–{ces_scale})"
    return ""


def value_text(metric: str, value: Decimal | None, *, ces_scale: int | None = None, margin: Decimal | None = None) -> str:
    """ "12,08", "81,50 %", "5,06 (1–7)"; with a margin, "12,08 ± 9,65" or "5,06 ± 0,16 (1–7)"."""
    if value is None:
        return DASH
    text = number(value)
    if margin is not None:
        text += f" ±\u00a0{number(margin)}"
    return text + unit_suffix(metric, ces_scale=ces_scale)


def unit_note(metric: str) -> str:
    """What the numbers of a metric are, said once near its chart or table."""
    unit = METRICS[metric].unit
    return {
        "points": _("points, from −100 to +100"),
        "percent": _("percent"),
        "score": _("mean score on the stated scale"),
        "seconds": _("seconds"),
        "currency": _("amount in the organisation's currency"),
    }[unit]
