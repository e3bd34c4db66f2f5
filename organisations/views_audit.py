"""The organisation's audit log, for its facilitators: paged, filtered by actor, kind, round and dates.

The page lives in tenancy, not in audit: audit sits below organisations (services call
``audit.record``), so the log cannot check a membership itself without an arrow climbing back up.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from audit import labels
from audit.selectors import events_list, organisation_actors

from .permissions import Action
from .selectors import membership_get

PAGE_SIZE = 50


class LogFilter(forms.Form):
    actor = forms.TypedChoiceField(label=_("Who"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("Kind of object"), required=False)
    round = forms.TypedChoiceField(label=_("Round"), required=False, coerce=int, empty_value=None)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data, *, organisation):
        super().__init__(data)
        everyone = [("", _("Everyone"))]
        self.fields["actor"].choices = everyone + [(u.pk, u.display_name) for u in organisation_actors(organisation=organisation)]
        self.fields["kind"].choices = [("", _("All kinds"))] + labels.kind_choices()
        self.fields["round"].choices = [("", _("All rounds"))] + list(
            organisation.rounds.order_by("-created_at").values_list("pk", "title")
        )

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end date must not be before the start date."))
        return data

    def apply(self, events):
        if not self.is_valid():
            return events
        data = self.cleaned_data
        if data.get("actor"):
            events = events.filter(actor_id=data["actor"])
        if data.get("kind"):
            events = events.filter(kind=data["kind"])
        if data.get("round"):
            events = events.filter(round_id=data["round"])
        if data.get("since"):
            events = events.filter(created_at__date__gte=data["since"])
        if data.get("until"):
            events = events.filter(created_at__date__lte=data["until"])
        return events


@login_required
def audit_log(request, slug):
    membership = membership_get(user=request.user, slug=slug, action=Action.MANAGE_MEMBERS)
    organisation = membership.organisation
    form = LogFilter(request.GET or None, organisation=organisation)
    events = form.apply(events_list(organisation=organisation))
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "event": event,
            "kind": labels.kind_label(event.kind),
            "page": labels.page_label(event.action) if event.kind == "page" else "",
            "verb": labels.verb_label(event.verb),
            "changes": labels.describe_changes(event.kind, event.changes),
        }
        for event in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "organisation": organisation,
        "membership": membership,
        "form": form,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
    }
    return render(request, "organisations/audit_log.html", context)
