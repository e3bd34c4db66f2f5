"""Template helpers: bilingual fields and small formatting."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from assessments.panels import templates_for
from assessments.results import low_sample
from cxgov.numbers import format_number, format_percent

register = template.Library()


@register.filter
def tr(obj, name):
    """`{{ dimension|tr:"title" }}`: the field in the active language."""
    return obj.tr(name) if obj is not None else ""


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def domid(key: str) -> str:
    """A question key usable in an HTML id and a CSS selector ("D1.1" → "D1-1")."""
    return str(key).replace(".", "-")


@register.filter
def percent(rate) -> str:
    """0.083 → "8", 0.125 → "13" (a rate as a whole percentage, half-up; the template adds the % sign)."""
    return format_percent(rate)


@register.filter
def num(value, places=2) -> str:
    """`{{ score|num }}`, `{{ agreement|num:0 }}`: every figure on a page, rounded half-up in the active language."""
    return format_number(value, int(places))


@register.inclusion_tag("assessments/results/_low_sample.html")
def low_sample_caveat(results):
    """`{% low_sample_caveat snapshot.results %}`: the low-sample warning of a results page, nothing above the rule."""
    return {"caveat": low_sample(results)}


@register.simple_tag(takes_context=True)
def panels(context, slot: str) -> str:
    """`{% panels "results_summary" %}`: each template a higher app registered for the slot (assessments/panels.py)."""
    flat = context.flatten()
    request = context.get("request")
    return mark_safe("".join(render_to_string(name, flat, request=request) for name in templates_for(slot)))  # noqa: S308 — each panel is a template rendered with autoescape
