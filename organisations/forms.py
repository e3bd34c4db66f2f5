"""Forms for organisations, members and invitations."""

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from .logos import logo_check_dimensions
from .models import ChiefExecutive, Committee, Firm, Organisation, Role


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

    #: The settings that name the organisation's leaders, shown in their own group after the identity.
    NAMING_FIELDS = ("committee", "committee_other", "chief_executive", "chief_executive_other")

    class Meta:
        model = Organisation
        fields = [
            "name",
            "sector",
            "size_band",
            "country",
            "brand_colour",
            "committee",
            "committee_other",
            "chief_executive",
            "chief_executive_other",
        ]
        widgets = {"brand_colour": forms.TextInput(attrs={"type": "color"})}
        labels = {
            "committee": _("Executive committee"),
            "committee_other": _("Or its own name"),
            "chief_executive": _("Chief executive"),
            "chief_executive_other": _("Or their own title"),
        }
        help_texts = {
            "committee": _("How the texts about the RACI and its steering name the committee."),
            "committee_other": _("Used when “Another name” is chosen above; 40 characters at most."),
            "chief_executive": _("The title of the chief executive's column in the RACI, unless you renamed it."),
            "chief_executive_other": _("Used when “Another title” is chosen above; 40 characters at most."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("committee", "chief_executive"):
            self.fields[name].required = False  # a post without it keeps the stored choice (see clean)

    def clean_logo_upload(self):
        return _logo_upload_checked(self.cleaned_data.get("logo_upload"))

    def clean(self):
        data = super().clean()
        pairs = (
            ("committee", "committee_other", Committee.OTHER, _("Type the committee's name, or choose one above.")),
            (
                "chief_executive",
                "chief_executive_other",
                ChiefExecutive.OTHER,
                _("Type the chief executive's title, or choose one above."),
            ),
        )
        for choice, other, other_value, missing in pairs:
            if choice in self.errors or other in self.errors:
                continue
            if not self.data.get(choice):  # sent by a page or a client that does not know the setting
                data[choice], data[other] = getattr(self.instance, choice), getattr(self.instance, other)
                continue
            if data[choice] == other_value:
                if not (data.get(other) or "").strip():
                    self.add_error(other, missing)
            else:
                data[other] = ""  # the choice wins: a name typed beside it is not kept
        return data

    def identity_fields(self):
        return [self[name] for name in self.fields if name not in self.NAMING_FIELDS]

    def naming_fields(self):
        return [self[name] for name in self.NAMING_FIELDS]


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
