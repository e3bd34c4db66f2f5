"""The executive mirror as a short PDF (issue #18), for its participant (and, in attributed rounds, the facilitators).

The figures are the page's (assessments/mirror.py); the document is laid out by the report's
WeasyPrint setup (reports/rendering.py): its fonts and page from report.css, a fetcher that serves
static files only. Two pages at most, rendered on request: no queue, no stored file, since it
holds one person's answers and is cheap to draw again.
"""

from django.template.loader import render_to_string
from django.utils import formats, timezone, translation

from assessments.mirror import MirrorPage
from assessments.models import Round
from organisations.colours import valid_brand

from .rendering import html_to_pdf


def render_mirror_html(page: MirrorPage, *, round_: Round, own: bool, language: str) -> str:
    """The mirror's HTML in ``language`` (the page was built in the same language)."""
    organisation = round_.organisation
    closed = round_.closed_at or timezone.now()
    with translation.override(language):
        return render_to_string(
            "reports/pdf/mirror.html",
            {
                "page": page,
                "round": round_,
                "organisation": organisation,
                "brand": valid_brand(organisation.brand_colour),
                "own": own,
                "language": language,
                "date": formats.date_format(timezone.localtime(closed).date(), "DATE_FORMAT"),
            },
        )


def mirror_pdf(page: MirrorPage, *, round_: Round, own: bool, language: str) -> bytes:
    """The mirror as PDF bytes."""
    pdf, _pages = html_to_pdf(render_mirror_html(page, round_=round_, own=own, language=language))
    return pdf
