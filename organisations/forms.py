"""Forms for organisations, members and invitations."""

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from .logos import logo_check_dimensions
from .models import Firm, Organisation, Role


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
