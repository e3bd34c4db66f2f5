"""Organisation pages: creation, settings, members and invitations (the home pages are workspace's)."""

from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from accounts.models import User
from outbox import services as outbox
from outbox.messages import warn_if_deferred

from . import invitation_extras, selectors, services
from .colours import valid_brand
from .confirm import Confirmation, ask, confirmed
from .forms import AcceptInvitationForm, InviteForm, OrganisationCreateForm, OrganisationForm, RoleForm
from .impact import member_removal_consequences
from .logos import branded_form_save, logo_response
from .models import Role
from .permissions import INVITABLE_ROLES, Action, role_can


def _organisation_home(organisation) -> str:
    """The organisation's home page (its rounds), served by an app above: named in settings, never imported."""
    return resolve_url(settings.CXGOV_ORGANISATION_HOME_URL, slug=organisation.slug)


@login_required
def create(request):
    form = OrganisationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.organisation_create(user=request.user, **form.cleaned_data)
        messages.success(request, _("%(name)s has been created. You are its facilitator.") % {"name": organisation.name})
        return redirect(_organisation_home(organisation))
    return render(request, "organisations/create.html", {"form": form})


@login_required
def settings_view(request, slug):
    membership = selectors.membership_get(user=request.user, slug=slug, action=Action.EDIT_ORGANISATION)
    organisation = membership.organisation
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=organisation)
    saved = (
        request.method == "POST"
        and form.is_valid()
        and branded_form_save(form, partial(services.organisation_update, organisation=organisation))
    )
    if saved:
        messages.success(request, _("The organisation has been saved."))
        return redirect("organisations:settings", slug=organisation.slug)
    return render(request, "organisations/settings.html", {"organisation": organisation, "membership": membership, "form": form})


@login_required
def members(request, slug):
    membership = selectors.membership_get(user=request.user, slug=slug, action=Action.INVITE_MEMBERS)
    organisation = membership.organisation
    roles = INVITABLE_ROLES[membership.role]
    form = InviteForm(request.POST or None, roles=roles)
    if request.method == "POST" and form.is_valid():
        with outbox.track() as queue:
            outcome = services.member_invite(
                organisation=organisation,
                invited_by=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        warn_if_deferred(request, queue)
        if outcome.already_member:
            form.add_error("email", _("This person is already a member of %(name)s.") % {"name": organisation.name})
        else:
            if outcome.resent:
                messages.info(
                    request, _("A new invitation link has been sent to %(email)s.") % {"email": outcome.invitation.email}
                )
            else:
                messages.success(request, _("An invitation has been sent to %(email)s.") % {"email": outcome.invitation.email})
            return redirect("organisations:members", slug=slug)
    can_manage = role_can(membership.role, Action.MANAGE_MEMBERS)
    return render(
        request,
        "organisations/members.html",
        {
            "organisation": organisation,
            "membership": membership,
            "members": selectors.members_list(organisation=organisation),
            "invitations": selectors.invitations_pending(organisation=organisation),
            "form": form,
            "can_manage": can_manage,
            "role_choices": Role.choices,
            "days": settings.CXGOV_INVITATION_DAYS,
        },
    )


@login_required
@require_POST
def member_role(request, slug, membership_id):
    membership = selectors.membership_get(user=request.user, slug=slug, action=Action.MANAGE_MEMBERS)
    target = selectors.member_get(organisation=membership.organisation, membership_id=membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid role."))
    else:
        try:
            services.member_change_role(membership=target, role=form.cleaned_data["role"])
            messages.success(
                request,
                _("%(who)s is now %(role)s.") % {"who": target.user.display_name, "role": Role(form.cleaned_data["role"]).label},
            )
        except services.LastFacilitatorError:
            messages.error(request, _("An organisation needs at least one facilitator."))
    return redirect("organisations:members", slug=slug)


@login_required
@require_POST
def member_remove(request, slug, membership_id):
    membership = selectors.membership_get(user=request.user, slug=slug, action=Action.MANAGE_MEMBERS)
    target = selectors.member_get(organisation=membership.organisation, membership_id=membership_id)
    if not confirmed(request) and not services.is_last_facilitator(target):
        confirmation = Confirmation(
            title=_("Remove %(who)s from %(organisation)s?")
            % {"who": target.user.display_name, "organisation": membership.organisation.name},
            changes=member_removal_consequences(membership=target),
            button=_("Remove"),
            cancel_url=reverse("organisations:members", args=[slug]),
        )
        return ask(request, confirmation, context={"organisation": membership.organisation, "membership": membership})
    try:
        services.member_remove(membership=target)
        messages.success(request, _("%(who)s has been removed.") % {"who": target.user.display_name})
    except services.LastFacilitatorError:
        messages.error(request, _("An organisation needs at least one facilitator."))
    if target.user_id == request.user.id:
        return redirect(settings.LOGIN_REDIRECT_URL)
    return redirect("organisations:members", slug=slug)


@login_required
@require_POST
def invitation_withdraw(request, slug, invitation_id):
    membership = selectors.membership_get(user=request.user, slug=slug, action=Action.INVITE_MEMBERS)
    invitation = selectors.invitation_get(organisation=membership.organisation, invitation_id=invitation_id)
    services.invitation_withdraw(invitation=invitation)
    messages.success(request, _("The invitation to %(email)s has been withdrawn.") % {"email": invitation.email})
    return redirect("organisations:members", slug=slug)


INVITATION_ERROR_STATUS = {"invalid": 400, "expired": 410, "used": 410}


def invitation(request, token):
    """The page an invitation link opens: shows the privacy notice, accepts once, creates the account when needed."""
    try:
        invitation = services.invitation_from_token(token)
    except services.InvitationError as error:
        return render(
            request, "organisations/invitation_invalid.html", {"code": error.code}, status=INVITATION_ERROR_STATUS[error.code]
        )

    existing = User.objects.filter(email__iexact=invitation.email).first()
    if request.user.is_authenticated and request.user.email.lower() != invitation.email.lower():
        if request.method == "POST" and request.POST.get("switch"):
            logout(request)
            return redirect("organisations:invitation", token=token)
        return render(request, "organisations/invitation_wrong_user.html", {"invitation": invitation})

    needs_password = existing is None or not existing.has_usable_password()
    form = AcceptInvitationForm(
        request.POST or None,
        needs_password=needs_password,
        email=invitation.email,
        initial={"full_name": existing.full_name if existing else invitation_extras.typed_name(invitation=invitation)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                invitation=invitation,
                full_name=form.cleaned_data.get("full_name", ""),
                password=form.cleaned_data.get("password1") or None,
            )
        except services.InvitationError as error:
            return render(request, "organisations/invitation_invalid.html", {"code": error.code}, status=410)
        # The e-mailed link proves the address: signing in here is what "accepting" means.
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome to %(name)s.") % {"name": invitation.organisation.name})
        # An app above may have a better first page (an open round to answer: its questionnaire).
        landing = invitation_extras.landing_url(invitation=invitation, user=user)
        return redirect(landing or _organisation_home(invitation.organisation))
    return render(
        request,
        "organisations/invitation.html",
        {
            "invitation": invitation,
            "form": form,
            "existing": existing,
            "role_label": Role(invitation.role).label,
            "notes": [extra.page_note for extra in invitation_extras.extras(invitation=invitation) if extra.page_note],
        },
    )


@login_required
@cache_control(private=True, max_age=300)
def brand_css(request, slug):
    """A tiny per-organisation stylesheet, so brand colours never need an inline style (CSP)."""
    membership = selectors.membership_get(user=request.user, slug=slug)
    # The same rule as the firm's: a stored value that is not #RRGGBB never reaches the CSS.
    colour = valid_brand(membership.organisation.brand_colour)
    css = f":root {{ --cx-brand: {colour}; }}\n"
    return HttpResponse(css, content_type="text/css; charset=utf-8")


@login_required
@cache_control(private=True, max_age=300)
def logo(request, slug):
    """The organisation's logo, to its members only (media is not served publicly)."""
    organisation = selectors.membership_get(user=request.user, slug=slug).organisation
    return logo_response(organisation.logo)
