"""The form of the decision log: record a decision.

The form parses only (text, a date, keys); what a decision may hold, and who may take it, is the
domain rule's (governance/domain/decisions.py), whose refusals the view puts back next to their
field. So the choice fields accept any key and let the rule word an unknown one, rather than
echoing a posted value into a message.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from .domain.decisions import MAX_RATIONALE, MAX_TITLE


class KeyChoiceField(forms.ChoiceField):
    """A select whose value is checked by the domain rule, not here."""

    def valid_value(self, value):
        return True


class KeysChoiceField(forms.MultipleChoiceField):
    def valid_value(self, value):
        return True


class DecisionForm(forms.Form):
    title = forms.CharField(label=_("Decision"), required=False, widget=forms.TextInput(attrs={"maxlength": MAX_TITLE}))
    decided_on = forms.DateField(
        label=_("Date of the decision"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    activity = KeyChoiceField(
        label=_("Activity concerned"),
        required=False,
        help_text=_("In brackets: the role accountable (A) for it in the to-be RACI, the only one who may decide."),
    )
    deciding_role = KeyChoiceField(label=_("Deciding role"), required=False)
    rationale = forms.CharField(
        label=_("Rationale"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_RATIONALE}),
    )
    initiative_keys = KeysChoiceField(
        label=_("Initiatives concerned (optional)"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, activities=(), roles=(), initiatives=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].choices = [("", "—"), *activities]
        self.fields["deciding_role"].choices = [("", "—"), *roles]
        self.fields["initiative_keys"].choices = list(initiatives)
