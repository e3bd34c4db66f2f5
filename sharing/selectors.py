"""Reads for share links, scoped to a round the member may share; the PDF a shared link offers."""

from django.http import Http404

from reports.models import Report, ReportStatus

from .models import ShareLink


def share_links_for_round(*, round_):
    return ShareLink.objects.filter(round=round_).select_related("created_by")


def share_link_get(*, round_, link_id: int) -> ShareLink:
    link = ShareLink.objects.filter(round=round_, pk=link_id).first()
    if link is None:
        raise Http404
    return link


def shared_report(*, round_, language: str | None = None) -> Report | None:
    """The latest finished PDF of the round, in ``language`` when there is one (else in any language)."""
    reports = Report.objects.filter(round=round_, status=ReportStatus.DONE).exclude(file="").order_by("-finished_at", "-pk")
    if language:
        preferred = reports.filter(language=language).first()
        if preferred is not None:
            return preferred
    return reports.first()
