"""HTML → PDF with WeasyPrint, chapters in parallel. The only module that imports it; its URL fetcher serves static files only."""

import atexit
import base64
import gc
import logging
import mimetypes
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

from . import assembly, forking

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
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: PLC0415 — WeasyPrint (~40 MB, pango and cairo) loads in the process that renders a PDF, not in every web process

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            content, mime = resolve(url)
            return URLFetcherResponse(url, body=content, headers={"Content-Type": mime})

    return StaticOnlyFetcher(fail_on_errors=False)


def render_html(report_data: dict) -> str:
    with translation.override(report_data["language"]):
        return render_to_string("reports/pdf/report.html", {"r": report_data})


# The report template puts this before each chapter: chapters start on a new page, so they can be
# laid out apart, in parallel, and joined (see render_pdf).
PART_BREAK = "<!-- cxgov:part -->"
PX_TO_PT = 0.75  # WeasyPrint lays out in CSS pixels; PDF coordinates are points
# What the chapters leave to the page-number sheets: the numbers, which only the whole document knows.
# (Stylesheets given to WeasyPrint are user stylesheets: !important lets them win over the report's.)
NO_PAGE_NUMBERS = "@page { @bottom-right { content: none !important } }"
# Page-number sheets: one per chapter page, no running headers (the chapters have their own). In
# the front document only these sheets can be landscape.
SHEETS_CSS = """
.sheet { break-before: page; height: 1px; page: stamp; }
.sheet.landscape { page: landscape; }
@page stamp { @top-left { content: none !important } @top-right { content: none !important } }
@page landscape { @top-left { content: none !important } @top-right { content: none !important } }
"""
FIRST_SHEET = "cxgov-page-number-sheets"
PART_TIMEOUT = 300  # seconds; a group of chapters takes well under one
# One render at a time per process: a fork must never happen while another thread is inside
# WeasyPrint or Pango (the child would inherit their locks held), and renders are CPU-bound anyway.
_render_lock = threading.Lock()


@dataclass
class RenderedPdf:
    pdf: bytes
    pages: int
    peak_growth_mb: float  # peak memory the render added, summed over the processes that did it
    processes: int


def html_to_pdf(html: str) -> tuple[bytes, int]:
    """(PDF bytes, page count)."""
    result = render_pdf(html)
    return result.pdf, result.pages


def render_pdf(html: str, processes: int | None = None) -> RenderedPdf:
    """The report as a PDF, its chapters laid out side by side on every core the settings allow.

    One process: WeasyPrint renders the whole document. Several: the chapters are cut at
    PART_BREAK into as many groups of even weight, each rendered in a forked process without page
    numbers. As soon as a group is laid out it reports where its chapters start; while the groups
    draw their pages, this process lays out the cover and contents with those page numbers,
    followed by one sheet per chapter page bearing its number; then the chapters' pages are
    stamped with their numbers and joined with their links and outline. Both ways give the same
    pages (tested).
    """
    processes = settings.REPORT_PDF_PROCESSES if processes is None else processes
    with _render_lock, _collector_paused():
        return _render_pdf(html, processes)


@contextmanager
def _collector_paused():
    """Python's cyclic garbage collector paused for the render.

    WeasyPrint allocates hundreds of thousands of short-lived objects (boxes, styles, layouts),
    and the collector's passes over them took 15 % of a render. Nothing is lost: the render's
    memory is freed when it ends, by the collector running again here and by forked helpers
    exiting (they inherit the pause).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _render_pdf(html: str, processes: int) -> RenderedPdf:
    pieces = html.split(PART_BREAK)
    start = forking.peak_start()
    if processes < 2 or len(pieces) < 3 or not forking.fork_available():
        document = _document(html)
        return RenderedPdf(document.write_pdf(), len(document.pages), forking.peak_growth(start), 1)

    opening, front_html = _split_front(pieces[0])
    chapters = pieces[1:]
    chapters[-1], closing = _split_closing(chapters[-1])
    groups = [opening + "".join(group) + closing for group in _balanced_groups(chapters, processes)]
    children = [forking.Forked(_body_stages, group, timeout=PART_TIMEOUT) for group in groups]
    try:
        bodies = [child.receive() for child in children]
        body_landscape = [wide for body in bodies for wide in body.landscape]
        front_pages = 2  # the cover and one page of contents; checked below
        for _attempt in range(4):  # a longer contents moves every number; it settles at once in practice
            numbers, offset = {}, front_pages
            for body in bodies:
                numbers.update({name: offset + index + 1 for name, (index, _, _) in body.anchors.items()})
                offset += body.pages
            front = _render_front(opening + front_html, numbers, body_landscape, closing)
            if front.anchors[FIRST_SHEET][0] == front_pages:
                break
            front_pages = front.anchors[FIRST_SHEET][0]
        else:
            raise RuntimeError("the contents' page count did not settle")
        for body, child in zip(bodies, children, strict=True):
            body.pdf = child.receive()
    finally:
        growth = sum(child.finish() for child in children)
    pdf = assembly.assemble(front, front_pages, bodies)
    return RenderedPdf(pdf, front.pages, growth + forking.peak_growth(start), len(groups))


REPORT_CSS_LINK = '<link rel="stylesheet" href="css/report.css">'
_report_css: dict = {}
atexit.register(_report_css.clear)  # let the font configuration go before the interpreter tears down cffi


def _document(html: str, stylesheets=()):
    """Laid-out WeasyPrint document. The report's stylesheet and fonts are parsed once per process."""
    import weasyprint  # noqa: PLC0415 — WeasyPrint (~40 MB, pango and cairo) loads in the process that renders a PDF, not in every web process

    report_css, fonts = _report_stylesheet()
    if REPORT_CSS_LINK in html:  # given below, already parsed, rather than fetched and parsed again
        html = html.replace(REPORT_CSS_LINK, "", 1)
        stylesheets = [report_css, *stylesheets]
    page = weasyprint.HTML(string=html, base_url=STATIC_BASE, url_fetcher=_fetcher())
    return page.render(stylesheets=list(stylesheets), font_config=fonts)


def _report_stylesheet():
    """(report.css parsed, the font configuration holding its @font-face fonts), kept while the file is unchanged."""
    import weasyprint  # noqa: PLC0415 — WeasyPrint (~40 MB, pango and cairo) loads in the process that renders a PDF, not in every web process
    from weasyprint.text.fonts import FontConfiguration  # noqa: PLC0415 — WeasyPrint (~40 MB, pango and cairo) loads in the process that renders a PDF, not in every web process

    source, _ = resolve(STATIC_BASE + "css/report.css")
    if _report_css.get("source") != source:
        fonts = FontConfiguration()
        css = weasyprint.CSS(string=source.decode(), base_url=STATIC_BASE + "css/", url_fetcher=_fetcher(), font_config=fonts)
        _report_css.update(source=source, css=css, fonts=fonts)
    return _report_css["css"], _report_css["fonts"]


def _css(text: str):
    import weasyprint  # noqa: PLC0415 — WeasyPrint (~40 MB, pango and cairo) loads in the process that renders a PDF, not in every web process

    return weasyprint.CSS(string=text, base_url=STATIC_BASE, url_fetcher=_fetcher())


def _split_front(head_and_front: str) -> tuple[str, str]:
    """(everything up to and including <body …>, the cover and contents)."""
    body = head_and_front.index("<body")
    end = head_and_front.index(">", body) + 1
    return head_and_front[:end], head_and_front[end:]


def _split_closing(last_chapter: str) -> tuple[str, str]:
    end = last_chapter.rindex("</body>")
    return last_chapter[:end], last_chapter[end:]


def _balanced_groups(chapters: list[str], count: int) -> list[list[str]]:
    """Consecutive groups of chapters, as many as asked, with the heaviest group as light as possible."""
    weights = [_weight(chapter) for chapter in chapters]
    count = min(count, len(chapters))
    # best[k][i]: the lightest heaviest-group when splitting the first i chapters into k groups.
    prefix = [0]
    for weight in weights:
        prefix.append(prefix[-1] + weight)
    infinity = float("inf")
    best = [[infinity] * (len(chapters) + 1) for _ in range(count + 1)]
    cut = [[0] * (len(chapters) + 1) for _ in range(count + 1)]
    best[0][0] = 0
    for k in range(1, count + 1):
        for i in range(1, len(chapters) + 1):
            for j in range(k - 1, i):
                heaviest = max(best[k - 1][j], prefix[i] - prefix[j])
                if heaviest < best[k][i]:
                    best[k][i], cut[k][i] = heaviest, j
    groups, i = [], len(chapters)
    for k in range(count, 0, -1):
        j = cut[k][i]
        groups.append(chapters[j:i])
        i = j
    return groups[::-1]


def _weight(chapter: str) -> int:
    """A chapter's rendering cost, roughly, in hundredths of a millisecond (fitted on the demo report).

    About 0.3 ms per element, 0.005 ms per character of text, and a chart in proportion to its size.
    """
    charts = re.findall(r'src="data:([^"]*)"', chapter)
    text = re.sub(r"<[^>]*>", "", re.sub(r'src="data:[^"]*"', "", chapter))
    return chapter.count("<") * 30 + len(text) // 2 + sum(len(chart) for chart in charts) * 34 // 100


def _body_stages(html: str):
    """A group of chapters, in two stages: its layout (pages, anchors, outline), then its PDF."""
    document = _document(html, [_css(NO_PAGE_NUMBERS)])
    yield _part(document, pdf=b"")
    yield document.write_pdf()


def _render_front(
    opening_and_front: str, numbers: dict[str, int], body_landscape: list[bool], closing: str
) -> assembly.RenderedPart:
    """The cover and contents, each contents line given its chapter's page, then the page-number stamps.

    After the contents comes one blank sheet per page of the chapters, the same size, carrying only
    its page number: assembly stamps them on the chapters' pages. One document rather than two,
    so fonts and styles are set up once.
    """
    rules = [SHEETS_CSS]
    for name, number in numbers.items():
        rules.append(f'.toc a[href="{_css_string("#" + name)}"]::after {{ content: "{number}" !important; }}')
    sheets = "".join(
        f'<div class="sheet{" landscape" if wide else ""}"{f" id={FIRST_SHEET!r}" if n == 0 else ""}></div>'
        for n, wide in enumerate(body_landscape)
    )
    with _quiet_missing_anchors():
        document = _document(opening_and_front + sheets + closing, [_css("\n".join(rules))])
        pdf = document.write_pdf()
    links = []
    for index, page in enumerate(document.pages):
        for kind, target, (x1, y1, x2, y2), _ in page.links:
            if kind == "internal":
                bottom, top = (page.height - y2) * PX_TO_PT, (page.height - y1) * PX_TO_PT
                links.append((index, (x1 * PX_TO_PT, bottom, x2 * PX_TO_PT, top), target))
    return _part(document, pdf=pdf, links=links)


def _part(document, *, pdf: bytes, links=()) -> assembly.RenderedPart:
    """What the whole document needs of a laid-out part: its pages, anchors and outline, in PDF points."""
    anchors: dict[str, tuple[int, float, float]] = {}
    for index, page in enumerate(document.pages):
        for name, (x, y, _, _) in page.anchors.items():
            anchors.setdefault(name, (index, x * PX_TO_PT, (page.height - y) * PX_TO_PT))
    return assembly.RenderedPart(
        pdf=pdf,
        pages=len(document.pages),
        landscape=[page.width > page.height for page in document.pages],
        anchors=anchors,
        links=list(links),
        bookmarks=document.make_bookmark_tree(scale=PX_TO_PT, transform_pages=True),
    )


def _css_string(value: str) -> str:
    """``value`` for a quoted CSS string: every character but ASCII letters and digits hex-escaped, so
    no id (a framework's keys are free text) can end the string or the rule."""
    return "".join(c if c.isascii() and c.isalnum() else f"\\{ord(c):06x}" for c in value)


class _MissingAnchorFilter(logging.Filter):
    def filter(self, record):
        return "No anchor #" not in record.getMessage()


@contextmanager
def _quiet_missing_anchors():
    """The contents link to chapters laid out elsewhere: WeasyPrint's "no anchor" errors are expected there."""
    from weasyprint import LOGGER  # noqa: PLC0415 — WeasyPrint (~40 MB, pango and cairo) loads in the process that renders a PDF, not in every web process

    quiet = _MissingAnchorFilter()
    LOGGER.addFilter(quiet)
    try:
        yield
    finally:
        LOGGER.removeFilter(quiet)
