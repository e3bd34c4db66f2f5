"""Filters for the PDF templates: French typography and numbers."""

import re

from django import template
from django.utils.formats import number_format
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

NBSP = "\u00a0"
NNBSP = "\u202f"


def french_spacing(text: str) -> str:
    """A narrow no-break space before : ; ? ! » and after «, so they never start a line (raw text, before escaping)."""
    text = re.sub(r"[ \u00a0\u202f]*([;?!»])(?=\s|$|[)\]»])", NNBSP + r"\1", text)
    text = re.sub(r"(?<=\w)[ \u00a0\u202f]+:", NNBSP + ":", text)
    return re.sub(r"«[ \u00a0\u202f]*", "«" + NNBSP, text)


@register.filter(needs_autoescape=True)
def typo(text, language="fr", autoescape=True):
    """French typography on the raw text, then escaping: user text stays inert."""
    value = "" if text is None else str(text)
    if str(language).startswith("fr"):
        value = french_spacing(value)
    return mark_safe(conditional_escape(value) if autoescape else value)  # noqa: S308 — escaped here


@register.filter
def num(value, digits=2):
    return "—" if value is None or value == "" else number_format(value, int(digits))


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None
