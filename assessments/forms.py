"""Forms of rounds and participants (answers are validated in services.clean_answer)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Framework, Function, Round
from .selectors import default_framework


class RoundForm(forms.ModelForm):
    framework = forms.ModelChoiceField(label=_("Framework"), queryset=Framework.objects.all(), empty_label=None)
    previous = forms.ModelChoiceField(
        label=_("Start from a previous round"),
        queryset=Round.objects.none(),
        required=False,
        help_text=_("Same participants and functions; its targets become the starting values."),
    )

    class Meta:
        model = Round
        fields = ["title", "framework", "short_form", "due_date", "anonymous", "previous"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def clean(self):
        cleaned = super().clean()
        framework = cleaned.get("framework")
        if cleaned.get("short_form") and framework is not None and not framework.short_form:
            self.add_error("short_form", short_form_missing(framework))
        return cleaned

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["previous"].queryset = Round.objects.filter(organisation=organisation)
        self.fields["framework"].label_from_instance = lambda f: f"{f.tr('title')} ({f.version})"
        default = default_framework()
        if default and not self.initial.get("framework"):
            self.initial["framework"] = default.pk


def short_form_missing(framework) -> str:
    return _("Version %(version)s of this framework has no short form: choose version 2.0, or the full questionnaire.") % {
        "version": framework.version
    }


class RoundEditForm(forms.ModelForm):
    class Meta:
        model = Round
        fields = ["title", "due_date", "anonymous", "short_form", "min_respondents", "min_response_percent", "cap_by_evidence"]
        widgets = {"due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Once opened, people may have answered under the round's promise of (non-)anonymity: going
        # back to draft must not allow changing it (services.round_update refuses it too).
        if self.instance.anonymity_frozen:
            self.fields["anonymous"].disabled = True
            self.fields["anonymous"].help_text = _("Fixed: the round has been opened and people answered under this promise.")
        if not self.instance.framework.short_form:
            # Nothing to choose: the framework (1.0) has no short form.
            del self.fields["short_form"]
        elif self.instance.anonymity_frozen:
            # Answers have been given to the questions this choice asks: it cannot change any more.
            self.fields["short_form"].disabled = True
            self.fields["short_form"].help_text = _("Fixed: the round has been opened and people answered these questions.")
        self.fields["min_respondents"].widget.attrs.update(min=1, max=500)
        self.fields["min_response_percent"].widget.attrs.update(min=0, max=100)
        if self.instance.status in ("closed", "published"):
            # The stored results were judged under this rule (services.round_sample_rule_set refuses it too).
            for name in ("min_respondents", "min_response_percent"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _(
                    "Fixed: the results have been stored under this rule. Reopen the round to change it."
                )
        if self.instance.status == "published":
            # Published results stay what was published (evidence_cap.round_cap_by_evidence_set refuses it too).
            self.fields["cap_by_evidence"].disabled = True
            self.fields["cap_by_evidence"].help_text = _("Fixed while the results are published. Reopen the round to change it.")


class ParticipantForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    function = forms.ChoiceField(label=_("Function in this round"), choices=Function.choices)


class ContextForm(forms.Form):
    cxo_exists = forms.TypedChoiceField(
        label=_("Does the organisation have a CXO (or equivalent)?"),
        choices=[("", _("Not set")), ("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
        required=False,
    )
    cxo_reports_to = forms.ChoiceField(label=_("The CXO reports to"), required=False, choices=())

    def __init__(self, *args, reports_to_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cxo_reports_to"].choices = [("", "—"), *reports_to_choices]


class NewLinkForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
