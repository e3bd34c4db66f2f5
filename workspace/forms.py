"""Forms of engagement templates, and the new-round form with its template picker."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.forms import RoundForm
from assessments.models import Framework
from assessments.selectors import default_framework

from .models import EngagementTemplate
from .selectors import engagement_templates_for_user

TARGET_CHOICES = [("", _("Default (current stage + 1)")), *[(str(n), str(n)) for n in range(1, 6)]]
IMPORTANCE_CHOICES = [("1", _("1 · low")), ("2", _("2 · medium")), ("3", _("3 · high"))]


class EngagementTemplateForm(forms.ModelForm):
    """An engagement template, with a target and an importance per dimension of its framework.

    The dimension fields follow the framework posted (else the template's, else the newest one): the
    shipped frameworks share their dimension keys, so switching versions keeps the values.
    """

    framework = forms.ModelChoiceField(
        label=_("Framework"), queryset=Framework.objects.order_by("-imported_at", "key"), empty_label=None
    )

    class Meta:
        model = EngagementTemplate
        fields = ["name", "framework", "anonymous", "introduction_fr", "introduction_en"]
        widgets = {"introduction_fr": forms.Textarea(attrs={"rows": 4}), "introduction_en": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "introduction_fr": _("Shown to participants before they start answering."),
            "introduction_en": _("Shown to participants who use the app in English (else the French text)."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].label_from_instance = lambda f: f"{f.tr('title')} ({f.version})"
        framework = None
        posted = str(self.data.get(self.add_prefix("framework"), "")) if self.is_bound else ""
        if posted.isdigit():
            framework = Framework.objects.filter(pk=posted).first()
        if framework is None and self.instance.framework_id:
            framework = self.instance.framework
        if framework is None:
            framework = default_framework()
            if framework is not None:
                self.initial.setdefault("framework", framework.pk)
        self.dimensions = list(framework.dimensions.order_by("position")) if framework else []
        defaults = self.instance.default_targets or {}
        for dimension in self.dimensions:
            entry = defaults.get(dimension.key) or {}
            title = f"{dimension.key} · {dimension.tr('title')}"
            self.fields[f"target_{dimension.key}"] = forms.ChoiceField(
                label=_("%(dimension)s: target") % {"dimension": title},
                choices=TARGET_CHOICES,
                required=False,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
                initial=str(entry.get("target", "")),
            )
            self.fields[f"importance_{dimension.key}"] = forms.ChoiceField(
                label=_("%(dimension)s: importance") % {"dimension": title},
                choices=IMPORTANCE_CHOICES,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
                initial=str(entry.get("importance", 2)),
            )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        firm_id = self.instance.firm_id
        others = EngagementTemplate.objects.filter(firm_id=firm_id, name__iexact=name).exclude(pk=self.instance.pk)
        if firm_id and others.exists():
            raise forms.ValidationError(_("Your firm already has a template with this name."))
        return name

    def target_rows(self):
        """(dimension, target field, importance field) for the template's table of default targets."""
        return [(d, self[f"target_{d.key}"], self[f"importance_{d.key}"]) for d in self.dimensions]

    def clean(self):
        cleaned = super().clean()
        targets = {}
        for dimension in self.dimensions:
            target = cleaned.pop(f"target_{dimension.key}", "")
            importance = cleaned.pop(f"importance_{dimension.key}", "2") or "2"
            entry = {}
            if target:
                entry["target"] = int(target)
            if importance != "2":
                entry["importance"] = int(importance)
            if entry:
                targets[dimension.key] = entry
        cleaned["default_targets"] = targets
        return cleaned


class RoundCreateForm(RoundForm):
    """The new-round form, with the engagement templates of the user's firms.

    Picking one on the page (a GET that pre-fills the form) sets the framework and the anonymity;
    the choice is carried in a hidden field, and only a template of the user's firms is accepted.
    """

    template = forms.ModelChoiceField(
        label=_("Engagement template"), queryset=EngagementTemplate.objects.none(), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.templates = list(engagement_templates_for_user(user))
        self.several_firms = len({t.firm_id for t in self.templates}) > 1
        self.chosen_template = None
        if not self.templates:
            del self.fields["template"]
            return
        self.fields["template"].queryset = EngagementTemplate.objects.filter(pk__in=[t.pk for t in self.templates])
        wanted = self.data.get(self.add_prefix("template")) if self.is_bound else self.initial.get("template")
        self.chosen_template = next((t for t in self.templates if str(t.pk) == str(wanted or "")), None)
        if self.chosen_template is not None and not self.is_bound:
            chosen = self.chosen_template
            self.initial.update(template=chosen.pk, framework=chosen.framework_id, anonymous=chosen.anonymous)
