"""Workspace pages: the consultant's home, an organisation's rounds, a new round, the firm and its templates."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control

from assessments import services as round_services
from assessments.selectors import rounds_for_member
from cxgov.charts import contrast_ratio
from organisations import selectors as tenancy
from organisations import services as tenancy_services
from organisations.colours import valid_brand
from organisations.forms import FirmForm
from organisations.logos import branded_form_save, logo_response
from organisations.permissions import Action, role_can

from . import selectors, services
from .forms import EngagementTemplateForm, RoundCreateForm
from .models import EngagementTemplate

HOME_SORTS = ("name", "activity")


@login_required
def home(request):
    """My organisations, each with the state of its latest round; filtered by name and sorted by name or activity."""
    q = request.GET.get("q", "").strip()[:120]
    sort = request.GET.get("sort") if request.GET.get("sort") in HOME_SORTS else "name"
    memberships = selectors.organisations_overview(user=request.user, q=q, sort=sort)
    return render(request, "workspace/home.html", {"memberships": memberships, "q": q, "sort": sort})


@login_required
def detail(request, slug):
    """An organisation's home page: its rounds, as the member's role may see them."""
    membership = tenancy.membership_get(user=request.user, slug=slug)
    return render(
        request,
        "workspace/detail.html",
        {
            "organisation": membership.organisation,
            "membership": membership,
            "rounds": rounds_for_member(membership=membership),
            "can_manage_rounds": role_can(membership.role, Action.MANAGE_ROUNDS),
            "can_invite": role_can(membership.role, Action.INVITE_MEMBERS),
        },
    )


@login_required
def round_create(request, slug):
    """A new round, from scratch, from a previous round or from one of the user's firm's engagement templates."""
    membership = tenancy.membership_get(user=request.user, slug=slug, action=Action.MANAGE_ROUNDS)
    organisation = membership.organisation
    form = RoundCreateForm(
        request.POST or None,
        organisation=organisation,
        user=request.user,
        initial={"previous": request.GET.get("previous"), "template": request.GET.get("template")},
    )
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        template = fields.pop("template", None)
        if template is None:
            round_ = round_services.round_create(organisation=organisation, user=request.user, **fields)
        else:
            round_ = services.round_create_from_template(
                organisation=organisation, user=request.user, template=template, **fields
            )
        messages.success(request, _("The round has been created as a draft. Add the participants, then open it."))
        return redirect("assessments:round", slug=slug, round_id=round_.pk)
    return render(request, "workspace/round_form.html", {"organisation": organisation, "membership": membership, "form": form})


# --------------------------------------------------------------------------- firm workspace
# Every member of a firm may edit it (no roles inside a firm); other people get a 404.


@login_required
def firm_home(request):
    """/firm/: the settings of the user's firm (the first one, by name, when there are several)."""
    firm = tenancy.firm_for_header(request.user)
    if firm is None:
        raise Http404
    return redirect("workspace:firm_settings", firm_id=firm.pk)


@login_required
def firm_settings(request, firm_id):
    firm = tenancy.firm_get(user=request.user, firm_id=firm_id)
    form = FirmForm(request.POST or None, request.FILES or None, instance=firm)
    saved = (
        request.method == "POST" and form.is_valid() and branded_form_save(form, partial(tenancy_services.firm_update, firm=firm))
    )
    if saved:
        messages.success(request, _("The firm has been saved."))
        return redirect("workspace:firm_settings", firm_id=firm.pk)
    return render(
        request,
        "workspace/firm_settings.html",
        {"firm": firm, "form": form, "firm_members": firm.members.order_by("email"), "active": "settings"},
    )


@login_required
@cache_control(private=True, max_age=300)
def firm_brand_css(request, firm_id):
    """The firm's colours for the header, as a stylesheet (no inline style: CSP); text keeps AA contrast."""
    firm = tenancy.firm_get(user=request.user, firm_id=firm_id)
    colour = valid_brand(firm.brand_colour)
    text = colour if contrast_ratio(colour, "#ffffff") >= 4.5 else "#212529"
    css = f":root {{ --cx-firm: {colour}; --cx-firm-text: {text}; }}\n"
    return HttpResponse(css, content_type="text/css; charset=utf-8")


@login_required
@cache_control(private=True, max_age=300)
def firm_logo(request, firm_id):
    """The firm's logo, to its members only (media is not served publicly)."""
    firm = tenancy.firm_get(user=request.user, firm_id=firm_id)
    return logo_response(firm.logo)


@login_required
def firm_templates(request, firm_id):
    firm = tenancy.firm_get(user=request.user, firm_id=firm_id)
    return render(
        request,
        "workspace/firm_templates.html",
        {"firm": firm, "templates": selectors.engagement_templates_list(firm=firm), "active": "templates"},
    )


def _template_data(form) -> dict:
    return {k: form.cleaned_data[k] for k in (*EngagementTemplateForm.Meta.fields, "default_targets")}


@login_required
def firm_template_create(request, firm_id):
    firm = tenancy.firm_get(user=request.user, firm_id=firm_id)
    form = EngagementTemplateForm(request.POST or None, instance=EngagementTemplate(firm=firm))
    if request.method == "POST" and form.is_valid():
        try:
            template = services.engagement_template_create(firm=firm, **_template_data(form))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The template “%(name)s” has been created.") % {"name": template.name})
            return redirect("workspace:firm_templates", firm_id=firm.pk)
    return render(request, "workspace/firm_template_form.html", {"firm": firm, "form": form, "active": "templates"})


@login_required
def firm_template_edit(request, firm_id, template_id):
    firm = tenancy.firm_get(user=request.user, firm_id=firm_id)
    template = selectors.engagement_template_get(firm=firm, template_id=template_id)
    form = EngagementTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        try:
            services.engagement_template_update(template=template, **_template_data(form))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The template “%(name)s” has been saved.") % {"name": template.name})
            return redirect("workspace:firm_templates", firm_id=firm.pk)
    return render(
        request,
        "workspace/firm_template_form.html",
        {"firm": firm, "form": form, "template": template, "active": "templates"},
    )


@login_required
def firm_template_delete(request, firm_id, template_id):
    firm = tenancy.firm_get(user=request.user, firm_id=firm_id)
    template = selectors.engagement_template_get(firm=firm, template_id=template_id)
    if request.method == "POST":
        services.engagement_template_delete(template=template)
        messages.success(request, _("The template “%(name)s” has been deleted.") % {"name": template.name})
        return redirect("workspace:firm_templates", firm_id=firm.pk)
    return render(
        request,
        "workspace/firm_template_delete.html",
        {"firm": firm, "template": template, "round_count": selectors.round_count(template=template), "active": "templates"},
    )
