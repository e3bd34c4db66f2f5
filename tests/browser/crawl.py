"""Walks every page a person can reach by following links, for the responsive and accessibility crawls.

Only same-origin GET links are followed (a form's POST is never sent): downloads, logout, the admin,
static and media files are left out by their address, and a response that is not HTML is skipped.
A page met again with only other values in its query string (a sort, a filter, a page number) is
not walked twice, nor is a row of a list whose other rows open the same page: its layout is the
same, and the crawl stays within a few minutes.
"""

import re
from collections import deque
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")

# Addresses that are not pages: files, exports, the logout, the admin.
SKIPPED_PARTS = ("/static/", "/media/", "/admin/", "/accounts/logout/", "/export/", "/exports/", "/download", "/pdf/", "/logo")
SKIPPED_ENDINGS = (".csv", ".xlsx", ".json", ".pdf", ".png", ".jpg", ".svg", ".css", ".js", ".zip", ".ics")

LINKS = """() => Array.from(document.querySelectorAll('a[href]'))
  .filter(a => !a.hasAttribute('download'))
  .map(a => a.href)"""


# Rows of one list open pages of one layout (a KPI value, a participant's answers, a question to forward):
# their ids are read as one page. A round's id is kept: a draft, an open and a published round differ.
ROW_ID = re.compile(r"(?<!/rounds)/(?:\d+|D\d+\.\d+)(?=/)")


def page_key(url: str) -> tuple[str, frozenset[str]]:
    parts = urlsplit(url)
    path = ROW_ID.sub("/*", parts.path)
    return path, frozenset(name for name, _value in parse_qsl(parts.query, keep_blank_values=True))


def followable(url: str, origin: str) -> bool:
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != origin:
        return False
    path = parts.path
    return not any(part in path for part in SKIPPED_PARTS) and not path.lower().endswith(SKIPPED_ENDINGS)


def walk(page, origin: str, starts: list[str], visit, limit: int = 400) -> list[str]:
    """Visits every page reachable from `starts`, calling `visit(page, path)` on each; returns the paths.

    A server error fails the walk, and so does a walk longer than `limit` pages (pages whose
    addresses never repeat: the walk would not end, and would say nothing of the pages left).
    """
    seen: set[tuple[str, frozenset[str]]] = set()
    queue = deque(origin + start for start in starts)
    visited: list[str] = []
    while queue:
        if len(visited) >= limit:
            raise AssertionError(f"more than {limit} pages to walk: {visited[-5:]}…")
        url = queue.popleft().split("#", 1)[0]
        key = page_key(url)
        if key in seen or not followable(url, origin):
            continue
        seen.add(key)
        # "load": the deferred scripts have run (no page loads content later by itself; a live page
        # polls, so waiting for the network to go idle would only slow the walk down).
        response = page.goto(url, wait_until="load")
        if response is not None and response.status >= 500:
            raise AssertionError(f"{url} answered {response.status}")
        # A link the person may not follow (403, 404) or a file: not a page of theirs to walk.
        if response is None or response.status >= 400 or "text/html" not in response.headers.get("content-type", ""):
            continue
        final = page.url.split("#", 1)[0]
        if final != url:
            # A redirect (to the login page, to the first unanswered page…): the page is walked under its own address.
            if page_key(final) in seen or not followable(final, origin):
                continue
            seen.add(page_key(final))
        parts = urlsplit(final)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        visit(page, path)
        visited.append(path)
        queue.extend(link for link in page.evaluate(LINKS) if link.startswith(origin))
    return visited


def horizontal_overflow(page) -> int:
    """How many CSS pixels the document is wider than the viewport (0 when it fits)."""
    return page.evaluate("() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")


def axe_violations(page) -> list[tuple[str, str, list]]:
    """Every axe-core violation, of any impact, as (rule, impact, first targets).

    axe's default rules (WCAG 2.0–2.2 A and AA, and its best practices) plus the WCAG 2.2 target size
    (24 × 24 px), which axe leaves off by default.
    """
    # evaluate() runs through the DevTools protocol, so the page's strict CSP does not block axe.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE)
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations'], rules: {'target-size': {enabled: true}}})).violations"
    )
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result]
