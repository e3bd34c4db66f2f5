"""Filters for the PDF templates: French typography and numbers."""

import base64
import html
import re

from django import template
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe

from cxgov.numbers import format_number

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
    """A figure rounded half-up in the active language: the pages' formatter (cxgov.numbers)."""
    return format_number(value, int(digits))


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


REPORT_FONT = "Report Sans"


@register.filter
def chart_img(svg) -> str:
    """One of our charts as an <img> with a data: URI, drawn in the report's shipped font.

    An image keeps the chart's hundreds of nodes out of the HTML parser and the CSS cascade (a
    tenth of the render), and the shipped font makes it look the same on every machine. The markup
    comes from our chart builders, where user text is already escaped; alt is the chart's title.
    """
    markup = str(svg or "")
    if not markup.lstrip().startswith("<svg"):
        return ""
    root_end = markup.index(">")
    root = re.sub(r'font-family="[^"]*"', f'font-family="{REPORT_FONT}"', markup[:root_end], count=1)
    markup = root + markup[root_end:]
    classes = re.search(r'class="([^"]*)"', root)
    title = re.search(r"<title[^>]*>(.*?)</title>", markup, flags=re.S)
    alt = escape(html.unescape(title.group(1))) if title else ""
    payload = base64.b64encode(markup.encode()).decode()
    return mark_safe(  # noqa: S308 — our own markup, base64-encoded; alt escaped again here
        f'<img class="{escape(classes.group(1)) if classes else "chart"}" alt="{alt}" src="data:image/svg+xml;base64,{payload}">'
    )
