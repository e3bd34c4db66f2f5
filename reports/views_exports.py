"""The round export of EXPORTS.md as a download ("Everything (JSON)"), with the same rights as the other downloads."""

import json

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from assessments.access import download_access

from .exports import build_export


@login_required
def export_json(request, slug, round_id):
    membership, round_, _snapshot = download_access(request, slug, round_id)
    # Individual answers are the facilitator's (PRODUCT.md): anyone else gets the anonymous shape.
    payload = json.dumps(build_export(round_, role=membership.role), ensure_ascii=False, indent=2)
    response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cxgov-round-{round_.pk}.json"'
    return response
