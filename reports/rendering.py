"""HTML → PDF with WeasyPrint. The only module that imports it; its URL fetcher serves the app's static files only."""

import mimetypes
from urllib.parse import unquote, urlparse

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

# Relative URLs in the report resolve against this fake origin; nothing else is ever fetched.
STATIC_BASE = "https://cxgov-static.invalid/static/"


class BlockedFetch(ValueError):
    """The report asked for something other than one of the app's static files."""


def static_only_fetcher(url: str, timeout: int = 10, ssl_context=None):
    """WeasyPrint URL fetcher: the app's static files (fonts, CSS) and nothing else — no network, no file:, no media.

    data: URIs never reach a fetcher (WeasyPrint decodes them itself); logos are embedded that way.
    """
    parsed = urlparse(url)
    if parsed.scheme != "https" or parsed.netloc != "cxgov-static.invalid" or not parsed.path.startswith("/static/"):
        raise BlockedFetch(f"blocked: {url[:80]}")
    relative = unquote(parsed.path[len("/static/") :])
    if ".." in relative.split("/"):
        raise BlockedFetch("blocked: path traversal")
    path = finders.find(relative)
    if not path:
        raise BlockedFetch(f"no static file {relative}")
    with open(path, "rb") as handle:
        content = handle.read()
    return {"string": content, "mime_type": mimetypes.guess_type(path)[0] or "application/octet-stream", "redirected_url": url}


def render_html(report_data: dict) -> str:
    with translation.override(report_data["language"]):
        return render_to_string("reports/pdf/report.html", {"r": report_data})


def html_to_pdf(html: str) -> tuple[bytes, int]:
    """(PDF bytes, page count)."""
    import weasyprint

    document = weasyprint.HTML(string=html, base_url=STATIC_BASE, url_fetcher=static_only_fetcher).render()
    return document.write_pdf(), len(document.pages)
