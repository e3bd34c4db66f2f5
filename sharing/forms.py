"""The form that creates a share link."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from .services import DAY_CHOICES, DEFAULT_DAYS


class ShareLinkForm(forms.Form):
    label = forms.CharField(
        label=_("Label"),
        max_length=100,
        required=False,
        help_text=_("For you: who the link is for, e.g. “Board, March meeting”."),
    )
    days = forms.TypedChoiceField(
        label=_("Valid for"),
        coerce=int,
        initial=DEFAULT_DAYS,
        choices=[(d, ngettext_lazy("%(count)d day", "%(count)d days", d) % {"count": d}) for d in DAY_CHOICES],
    )
