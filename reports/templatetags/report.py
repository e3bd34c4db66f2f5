"""Filters for the PDF templates: French typography and numbers."""

import re

from django import template
from django.utils.formats import number_format
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

NBSP = "\u00a0"
NNBSP = "\u202f"


@register.filter(needs_autoescape=True)
def typo(text, language="fr", autoescape=True):
    """Escapes, then applies French typography: a no-break space before : ; ? ! and inside « »."""
    value = conditional_escape(text) if autoescape else str(text)
    if str(language).startswith("fr"):
        value = re.sub(r"\s+([:;?!»])", NNBSP + r"\1", str(value))
        value = re.sub(r"(?<=\w)([;?!])", NNBSP + r"\1", value)
        value = re.sub(r"«\s*", "«" + NNBSP, value)
    return mark_safe(value)  # noqa: S308 — escaped above


@register.filter
def num(value, digits=2):
    return "—" if value is None or value == "" else number_format(value, int(digits))


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None
