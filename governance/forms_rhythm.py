"""Forms of the steering rhythm pages: who holds each role, and the series of meetings."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Cadence
from .services import MAX_DURATION, MAX_LOCATION, MIN_DURATION


def holder_field_name(role_key: str) -> str:
    return f"holder-{role_key}"


class HoldersForm(forms.Form):
    """One choice per visible role: a member of the organisation, or nobody."""

    def __init__(self, *args, roles, people, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— no holder yet —")), *((str(u.pk), f"{u.display_name} <{u.email}>") for u in people)]
        for role in roles:
            self.fields[holder_field_name(role.key)] = forms.TypedChoiceField(
                label=role.tr("title"),
                choices=choices,
                required=False,
                coerce=int,
                empty_value=None,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
        self.role_keys = [role.key for role in roles]

    def chosen(self) -> dict[str, int | None]:
        return {key: self.cleaned_data.get(holder_field_name(key)) for key in self.role_keys}


class RhythmForm(forms.Form):
    cadence = forms.ChoiceField(label=_("Cadence"), choices=Cadence.choices)
    first_meeting = forms.DateField(label=_("First meeting"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start_time = forms.TimeField(label=_("Time (Paris)"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    duration_minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=MIN_DURATION, max_value=MAX_DURATION)
    location = forms.CharField(
        label=_("Place or video link"),
        max_length=MAX_LOCATION,
        required=False,
        help_text=_("Shown in every attendee's calendar."),
    )
