"""Template filters of the KPI register: labels in the active language, localised figures."""

from django import template
from django.utils.translation import gettext as _

from measurement.presentation import DASH, metric_label, number, unit_suffix, value_text

register = template.Library()


@register.filter
def kpi_label(metric: str) -> str:
    return metric_label(metric)


@register.filter
def kpi_value(row) -> str:
    """`{{ row|kpi_value }}`: the value with its unit ("12,08", "81,50 %", "3,20 / 7")."""
    return value_text(row.metric, row.value, ces_scale=row.measurement.ces_scale)


@register.filter
def kpi_interval(row) -> str:
    """The 95 % margin ("± 9,65") or interval ("77,40–85,00 %"); a dash when unknown."""
    if row.margin is not None:
        return f"±\u00a0{number(row.margin)}"
    if row.ci_low is not None:
        return f"{number(row.ci_low)}–{number(row.ci_high)}{unit_suffix(row.metric)}"
    return DASH


@register.filter
def kpi_delta(row) -> str:
    delta = row.delta
    if delta is None:
        return DASH
    sign = "+" if delta > 0 else ("−" if delta < 0 else "±")
    return f"{sign}{number(abs(delta))}{unit_suffix(row.metric)}"


@register.filter
def kpi_number(value) -> str:
    return number(value)


@register.filter
def kpi_noise(row) -> str:
    if row.noise is True:
        return _("within noise")
    if row.noise is False:
        return _("significant change")
    return ""
