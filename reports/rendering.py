"""HTML → PDF with WeasyPrint. The only module that imports it; its URL fetcher serves the app's static files only."""

import base64
import mimetypes
from urllib.parse import unquote, urlparse

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

# Relative URLs in the report resolve against this fake origin; nothing else is ever fetched.
STATIC_BASE = "https://cxgov-static.invalid/static/"


class BlockedFetch(ValueError):
    """The report asked for something other than one of the app's static files."""


def resolve(url: str) -> tuple[bytes, str]:
    """(content, MIME type) of one of the app's static files or of a data: URI; anything else is refused.

    No network, no file:, no media: logos are embedded as data: URIs, fonts and CSS are static.
    """
    parsed = urlparse(url)
    if parsed.scheme == "data":
        return _data_uri(url)
    if parsed.scheme != "https" or parsed.netloc != "cxgov-static.invalid" or not parsed.path.startswith("/static/"):
        raise BlockedFetch(f"blocked: {url[:80]}")
    relative = unquote(parsed.path[len("/static/") :])
    if ".." in relative.split("/"):
        raise BlockedFetch("blocked: path traversal")
    path = finders.find(relative)
    if not path:
        raise BlockedFetch(f"no static file {relative}")
    with open(path, "rb") as handle:
        return handle.read(), mimetypes.guess_type(path)[0] or "application/octet-stream"


def _data_uri(url: str) -> tuple[bytes, str]:
    header, _, payload = url[len("data:") :].partition(",")
    mime = header.split(";")[0] or "text/plain"
    if header.endswith(";base64"):
        return base64.b64decode(payload), mime
    return unquote(payload).encode(), mime


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            content, mime = resolve(url)
            return URLFetcherResponse(url, body=content, headers={"Content-Type": mime})

    return StaticOnlyFetcher(fail_on_errors=False)


def render_html(report_data: dict) -> str:
    with translation.override(report_data["language"]):
        return render_to_string("reports/pdf/report.html", {"r": report_data})


def html_to_pdf(html: str) -> tuple[bytes, int]:
    """(PDF bytes, page count)."""
    import weasyprint

    document = weasyprint.HTML(string=html, base_url=STATIC_BASE, url_fetcher=_fetcher()).render()
    return document.write_pdf(), len(document.pages)
