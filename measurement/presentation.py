"""How the register reads on a page or a chart: metric labels and error messages in the active
language (gettext: the domain gives keys and codes only), localised numbers."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cxgov.language import active_language
from cxgov.numbers import DASH, format_number

from .domain.metrics import METRICS, MetricError

# The canonical names of PRODUCT.md ("Measurement practice").
METRIC_LABELS: Mapping[str, Promise] = {
    "nps": gettext_lazy("Net Promoter Score (NPS)"),
    "csat": gettext_lazy("Customer satisfaction (CSAT)"),
    "ces": gettext_lazy("Customer effort score (CES)"),
    "fcr": gettext_lazy("First-contact resolution (FCR)"),
    "response_time": gettext_lazy("Response time"),
    "retention_rate": gettext_lazy("Retention rate"),
    "churn_rate": gettext_lazy("Churn rate"),
    "repeat_purchase_rate": gettext_lazy("Repeat purchase rate"),
    "renewal_rate": gettext_lazy("Renewal rate"),
    "cost_per_contact": gettext_lazy("Cost per contact"),
    "cost_to_serve": gettext_lazy("Cost to serve"),
    "revenue_per_customer": gettext_lazy("Revenue per customer"),
    "referral_revenue": gettext_lazy("Referral revenue"),
}

# One message per MetricError code; the parameters are text already (the value as received).
ERROR_MESSAGES: Mapping[str, Promise] = {
    "bad_period": gettext_lazy("Period must be YYYY-MM or YYYY-Qn (quarter n from 1 to 4); got '%(value)s'."),
    # Translators: %(expected)s lists the metric keys (nps, csat…), which stay as they are.
    "unknown_metric": gettext_lazy("Unknown metric '%(value)s'; expected one of: %(expected)s."),
    # Translators: %(expected)s lists the metric keys (nps, csat…), which stay as they are.
    "metric_not_raw": gettext_lazy("Metric '%(value)s' cannot be imported as raw responses; only %(expected)s can."),
    "not_a_number": gettext_lazy("'%(value)s' is not a number."),
    # Translators: %(metric)s is a metric key (nps, csat, ces, fcr).
    "score_not_integer": gettext_lazy("A %(metric)s score must be a whole number; got '%(value)s'."),
    # Translators: %(metric)s is a metric key (nps, csat, ces, fcr).
    "score_out_of_range": gettext_lazy("A %(metric)s score must be between %(low)s and %(high)s; got '%(value)s'."),
    "bad_count": gettext_lazy("A count must be a whole number, zero or more; got '%(value)s'."),
    "count_exceeds_total": gettext_lazy("%(value)s successes cannot exceed the %(total)s responses."),
    "empty_sample": gettext_lazy("There are no responses; at least one is needed."),
    "bad_ces_scale": gettext_lazy("The CES scale must be 1–5 or 1–7 (give 5 or 7); got '%(value)s'."),
    "ces_scale_required": gettext_lazy("CES responses need their scale (1–5 or 1–7)."),
    "bad_window": gettext_lazy("The re-contact window must be a whole number of days, 1 or more; got '%(value)s'."),
    "fcr_window_required": gettext_lazy("FCR responses need their re-contact window in days."),
    "negative_standard_error": gettext_lazy("A standard error cannot be negative; got '%(value)s'."),
    "no_standard_error": gettext_lazy("At least two responses are needed for a standard error."),
}


def metric_label(metric: str) -> str:
    return str(METRIC_LABELS[metric])


def metric_error_text(error: MetricError) -> str:
    """The error's message in the active language."""
    return str(ERROR_MESSAGES[error.code]) % error.params


def number(value: Decimal | int | None, places: int = 2) -> str:
    """A register figure ("12,08", "1 250"): cxgov.numbers' half-up formatter, thousands grouped; an int stays whole."""
    return format_number(value, 0 if isinstance(value, int) else places, grouping=True)


def unit_suffix(metric: str, *, ces_scale: int | None = None) -> str:
    unit = METRICS[metric].unit
    if unit == "percent":
        return "\u00a0%" if active_language() == "fr" else "%"
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
