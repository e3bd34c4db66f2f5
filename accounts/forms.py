"""Account forms: login by e-mail, sign-up, profile."""

import unicodedata

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from cxgov import mail

from .identity import normalise_email
from .models import User


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    def clean_username(self):
        # The same normalisation as the lockout's (accounts.identity), so both see one identity.
        return normalise_email(self.cleaned_data["username"])


class SignUpForm(forms.ModelForm):
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password confirmation"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    class Meta:
        model = User
        fields = ["email", "full_name", "language"]

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account already exists with this e-mail address."))
        return email

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("The two passwords do not match."))
        elif p1:
            user = User(email=cleaned.get("email", ""), full_name=cleaned.get("full_name", ""))
            try:
                password_validation.validate_password(p1, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "language"]


class LocalisedPasswordResetForm(PasswordResetForm):
    """Sends the reset e-mail in the recipient's own language, not the requester's."""

    def get_users(self, email):
        """The active accounts of this address, whether or not they have chosen a password yet.

        Django leaves out accounts without a usable password; here those are the participants a
        facilitator enrolled, who answer through their personal link. That link never signs them in
        (assessments/links.py), so this e-mail is how they choose a first password for the rest of
        their account. Receiving it proves the address, as receiving the link does.
        """
        wanted = unicodedata.normalize("NFKC", email).casefold()
        return (
            user
            for user in User.objects.filter(email__iexact=email, is_active=True)
            if unicodedata.normalize("NFKC", user.email).casefold() == wanted
        )

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None):
        message = mail.build(
            to=to_email,
            subject_template=subject_template_name,
            body_template=email_template_name,
            context=context,
            language=context["user"].language,
        )
        message.from_email = from_email or message.from_email
        try:
            message.send()
        except Exception as error:  # noqa: BLE001
            # Logged, never shown: a failure that only happens for addresses with an account would
            # tell a stranger which addresses have one.
            mail.logger.error("password reset e-mail not sent (%s): %s", type(error).__name__, error)
