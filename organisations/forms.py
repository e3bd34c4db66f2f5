"""Forms for organisations, members and invitations."""

from django import forms
from django.contrib.auth import password_validation
from django.db import models
from django.utils.translation import gettext_lazy as _

from .logos import logo_check_dimensions
from .models import EngagementTemplate, Firm, Organisation, Role


def _logo_upload_checked(upload):
    """A logo with too many pixels is refused next to its field, from its header, before it is decoded."""
    if upload:
        logo_check_dimensions(upload)
    return upload


class OrganisationForm(forms.ModelForm):
    logo_upload = forms.ImageField(
        label=_("Logo"), required=False, help_text=_("PNG, JPEG, WebP or GIF, up to 2 MB. SVG is not accepted.")
    )
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)

    class Meta:
        model = Organisation
        fields = ["name", "sector", "size_band", "country", "brand_colour"]
        widgets = {"brand_colour": forms.TextInput(attrs={"type": "color"})}

    def clean_logo_upload(self):
        return _logo_upload_checked(self.cleaned_data.get("logo_upload"))


class OrganisationCreateForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "sector", "size_band", "country"]


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=())

    def __init__(self, *args, roles=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Role.choices)
        self.fields["role"].choices = [(r, labels[r]) for r in roles]
        if Role.RESPONDENT in roles:
            self.fields["role"].initial = Role.RESPONDENT


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password confirmation"),
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, needs_password: bool, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.needs_password = needs_password
        self.email = email
        if not needs_password:
            del self.fields["password1"], self.fields["password2"]
        else:
            self.fields["password1"].required = self.fields["password2"].required = True

    def clean(self):
        cleaned = super().clean()
        if self.needs_password:
            p1, p2 = cleaned.get("password1"), cleaned.get("password2")
            if p1 and p2 and p1 != p2:
                self.add_error("password2", _("The two passwords do not match."))
            elif p1:
                from accounts.models import User

                try:
                    password_validation.validate_password(p1, User(email=self.email, full_name=cleaned.get("full_name", "")))
                except forms.ValidationError as error:
                    self.add_error("password1", error)
        return cleaned


class FirmForm(forms.ModelForm):
    logo_upload = forms.ImageField(
        label=_("Logo"), required=False, help_text=_("PNG, JPEG, WebP or GIF, up to 2 MB. SVG is not accepted.")
    )
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)

    class Meta:
        model = Firm
        fields = ["name", "brand_colour"]
        widgets = {"brand_colour": forms.TextInput(attrs={"type": "color"})}

    def clean_logo_upload(self):
        return _logo_upload_checked(self.cleaned_data.get("logo_upload"))


TARGET_CHOICES = [("", _("Default (current stage + 1)")), *[(str(n), str(n)) for n in range(1, 6)]]
IMPORTANCE_CHOICES = [("1", _("1 · low")), ("2", _("2 · medium")), ("3", _("3 · high"))]


class EngagementTemplateForm(forms.ModelForm):
    """An engagement template, with a target and an importance per dimension of its framework.

    The dimension fields follow the framework posted (else the template's, else the newest one): the
    shipped frameworks share their dimension keys, so switching versions keeps the values.
    """

    # Framework rows, set in __init__; typed as Model since organisations may not import assessments here
    # (quoted: the field class is generic only in the stubs).
    framework: "forms.ModelChoiceField[models.Model]" = forms.ModelChoiceField(
        label=_("Framework"), queryset=None, empty_label=None
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
        from assessments.models import Framework

        self.fields["framework"].queryset = Framework.objects.order_by("-imported_at", "key")
        self.fields["framework"].label_from_instance = lambda f: f"{f.tr('title')} ({f.version})"
        framework = None
        posted = str(self.data.get(self.add_prefix("framework"), "")) if self.is_bound else ""
        if posted.isdigit():
            framework = Framework.objects.filter(pk=posted).first()
        if framework is None and self.instance.framework_id:
            framework = self.instance.framework
        if framework is None:
            framework = Framework.objects.order_by("-imported_at").first()
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
