"""Forms of the roadmap and role pages (the RACI grid is read field by field in the view)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import ItemStatus
from .services import MAX_DURATION, MAX_START_MONTH


class CustomItemForm(forms.Form):
    title_fr = forms.CharField(label=_("Title in French"), max_length=200, required=False)
    title_en = forms.CharField(label=_("Title in English"), max_length=200, required=False)
    dimension = forms.ChoiceField(label=_("Dimension (optional)"), required=False, choices=())
    activity = forms.ChoiceField(
        label=_("RACI activity (optional)"),
        required=False,
        choices=(),
        help_text=_("The owner then follows the role accountable for this activity."),
    )
    start_month = forms.IntegerField(label=_("Start month"), min_value=0, max_value=MAX_START_MONTH, initial=0)
    duration_months = forms.IntegerField(label=_("Duration in months"), min_value=1, max_value=MAX_DURATION, initial=3)

    def __init__(self, *args, dimensions=(), activities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dimension"].choices = [("", "—"), *dimensions]
        self.fields["activity"].choices = [("", "—"), *activities]

    def clean(self):
        data = super().clean()
        if not (data.get("title_fr") or "").strip() and not (data.get("title_en") or "").strip():
            raise ValidationError(_("Give a title in French, in English or both."))
        return data


class MoveForm(forms.Form):
    start_month = forms.IntegerField(label=_("Start month"), min_value=0, max_value=MAX_START_MONTH)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ItemStatus.choices)


class SettingsForm(forms.Form):
    start_date = forms.DateField(
        label=_("Start date (month 0)"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    capacity = forms.IntegerField(
        label=_("Initiatives starting per horizon"),
        min_value=1,
        max_value=30,
        help_text=_("At most this many initiatives start in each of Now, Next and Later."),
    )


class RoleAddForm(forms.Form):
    key = forms.SlugField(
        label=_("Key"),
        max_length=40,
        help_text=_("Lower-case letters, digits, '-' or '_'; it cannot change later (exports use it)."),
    )
    title_fr = forms.CharField(label=_("Title in French"), max_length=100, required=False)
    title_en = forms.CharField(label=_("Title in English"), max_length=100, required=False)

    def clean(self):
        data = super().clean()
        if not (data.get("title_fr") or "").strip() and not (data.get("title_en") or "").strip():
            raise ValidationError(_("Give a title in French, in English or both."))
        return data


class RoleEditForm(forms.Form):
    title_fr = forms.CharField(label=_("Title in French"), max_length=100, required=False)
    title_en = forms.CharField(label=_("Title in English"), max_length=100, required=False)
    hidden = forms.BooleanField(label=_("Hidden"), required=False)

    def clean(self):
        data = super().clean()
        if not (data.get("title_fr") or "").strip() and not (data.get("title_en") or "").strip():
            raise ValidationError(_("Give a title in French, in English or both."))
        return data
