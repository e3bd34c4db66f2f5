"""The executive mirror's PDF: the same rules as its page (assessments/mirror.py), the document of reports/mirror.py."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils import translation

from assessments.mirror import mirror_access, mirror_page

from .mirror import mirror_pdf


@login_required
def mirror(request, slug, round_id, participant_id=None):
    """The mirror as a PDF download, in the requester's language; 404 before the round is closed."""
    access = mirror_access(user=request.user, slug=slug, round_id=round_id, participant_id=participant_id)
    if not access.ready:
        raise Http404
    round_ = access.round
    language = translation.get_language() or "fr"
    page = mirror_page(round_=round_, participant=access.participant)
    pdf = mirror_pdf(page, round_=round_, own=access.own, language=language)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"cxgov-mirror-{round_.organisation.slug}-{round_.pk}-{access.participant.pk}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # One person's answers: kept by no cache, the browser's included.
    response["Cache-Control"] = "private, no-store"
    return response
