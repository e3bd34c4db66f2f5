"""Share links: facilitators and sponsors manage them under a round; anyone holding one reads the summary and PDF."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from assessments import selectors as round_selectors
from assessments.access import round_page_base
from assessments.models import RoundStatus
from assessments.results import radar_chart, summary_rows
from organisations.selectors import membership_get
from roadmaps.selectors import targets_for

from . import selectors, services
from .forms import ShareLinkForm
from .permissions import SHARE_RESULTS

# What a public visitor gets for each reason a link does not work.
FAILURES = {"invalid": 404, "unavailable": 404, "no_report": 404, "expired": 410, "revoked": 410}


# ------------------------------------------------------------------------------- management


def _access(request, slug, round_id):
    membership = membership_get(user=request.user, slug=slug, action=SHARE_RESULTS)
    round_ = round_selectors.round_get(membership=membership, round_id=round_id)
    return membership, round_


@login_required
@never_cache
@require_GET
def links(request, slug, round_id):
    membership, round_ = _access(request, slug, round_id)
    rows = [
        {"link": link, "url": request.build_absolute_uri(_public_path(link))}
        for link in selectors.share_links_for_round(round_=round_)
    ]
    # The results pages' common context, so their navigation (dimensions, downloads) is complete here too.
    context = round_page_base(membership, round_, getattr(round_, "snapshot", None), "share")
    context.update({"links": rows, "form": ShareLinkForm(), "published": round_.status == RoundStatus.PUBLISHED})
    return render(request, "sharing/links.html", context)


def _public_path(link):
    return reverse("sharing:public", args=[services.share_token(link)])


@login_required
@require_POST
def create(request, slug, round_id):
    _membership, round_ = _access(request, slug, round_id)
    form = ShareLinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how long the link stays valid, and a label of up to 100 characters."))
    else:
        try:
            services.share_link_create(
                round_=round_, user=request.user, label=form.cleaned_data["label"], days=form.cleaned_data["days"]
            )
        except services.ShareError:
            messages.error(request, _("Only a published round can be shared."))
        else:
            messages.success(
                request, _("The link has been created. Copy it below and send it to the people who should read the results.")
            )
    return redirect("sharing:links", slug=slug, round_id=round_id)


@login_required
@require_POST
def revoke(request, slug, round_id, link_id):
    _membership, round_ = _access(request, slug, round_id)
    link = selectors.share_link_get(round_=round_, link_id=link_id)
    if services.share_link_revoke(link=link):
        messages.success(request, _("The link has been revoked: it no longer opens the results."))
    return redirect("sharing:links", slug=slug, round_id=round_id)


# ------------------------------------------------------------------------------- public pages


def shared_page(view):
    """Pages reached by a share link: never indexed, never stored, the token never sent on as a referrer."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["X-Robots-Tag"] = "noindex, nofollow, noarchive"
        response["Cache-Control"] = "no-store"
        response["Referrer-Policy"] = "no-referrer"
        return response

    return wrapper


def _failure(request, code):
    return render(request, "sharing/unavailable.html", {"code": code}, status=FAILURES[code])


@shared_page
@require_GET
def public(request, token):
    try:
        link = services.share_link_from_token(token)
    except services.ShareError as error:
        return _failure(request, error.code)
    round_ = link.round
    organisation = round_.organisation
    results = round_.snapshot.results
    dimensions = list(round_.framework.dimensions.order_by("position"))
    titles = {d.key: d.tr("title") for d in dimensions}
    # Read only: anyone holding the link reaches this page, and a target never stored shows its starting value.
    targets = targets_for(round_=round_, dimension_scores=results.dimensions)
    summary = summary_rows(results, titles, targets)
    rows = summary.rows
    overall = results.overall
    radar = radar_chart(rows, organisation.brand_colour)
    return render(
        request,
        "sharing/public.html",
        {
            # Not "organisation": base.html would then link the members-only brand stylesheet.
            "shared_organisation": organisation,
            "round": round_,
            "link": link,
            "token": token,
            "overall": overall,
            "overall_label": round_.framework.level_label(overall.stage) if overall.stage else "—",
            "constraint": next((r for r in rows if r.key == overall.constraint), None),
            "rows": rows,
            "strengths": summary.strengths,
            "gaps": summary.gaps,
            "radar": radar,
            "report": selectors.shared_report(round_=round_, language=request.LANGUAGE_CODE),
        },
    )


@shared_page
@require_GET
def public_pdf(request, token):
    try:
        link = services.share_link_from_token(token)
    except services.ShareError as error:
        return _failure(request, error.code)
    round_ = link.round
    report = selectors.shared_report(round_=round_, language=request.LANGUAGE_CODE)
    if report is None:
        return _failure(request, "no_report")
    filename = f"cxgov-{round_.organisation.slug}-{round_.pk}-{report.language}.pdf"
    return FileResponse(report.file.open("rb"), content_type="application/pdf", as_attachment=True, filename=filename)
