"""Forms of the accounts pages: sign-in with a second factor, surveyor sign-up, staff invitations."""

from __future__ import annotations

import re

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts.models import StaffProfile, SurveyorProfile
from layers.models import Membership, Municipality
from layers.payments import normalise_nrb

LICENCE_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z./ -]{1,38}[0-9A-Za-z]$")


class SignInForm(AuthenticationForm):
    """Django's sign-in form (which passes the request to ``authenticate``, so axes sees it)."""

    username = forms.CharField(
        label=_("User name (e-mail for new accounts)"),
        max_length=254,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from the authenticator app"),
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise forms.ValidationError(_("The code consists of digits only."))
        return token


class SurveyorApplicationForm(forms.Form):
    """A surveyor's application: licence number and the gmina that checks it."""

    licence_number = forms.CharField(
        label=_("Professional licence number (numer uprawnień zawodowych)"), max_length=40
    )
    company = forms.CharField(label=_("Company (optional)"), max_length=200, required=False)
    municipality = forms.ModelChoiceField(
        label=_("Municipality that verifies the licence"),
        queryset=Municipality.objects.filter(is_active=True).order_by("name"),
    )

    def clean_licence_number(self) -> str:
        value = " ".join(self.cleaned_data["licence_number"].split())
        if not LICENCE_RE.match(value):
            raise forms.ValidationError(
                _(
                    "A licence number has 3 to 40 letters, digits, dots, slashes or hyphens, "
                    "e.g. 12345 or GK-I-7341/2014."
                )
            )
        return value


class SurveyorSignUpForm(SurveyorApplicationForm):
    """A new account together with its surveyor application."""

    email = forms.EmailField(label=_("E-mail"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    field_order = [
        "email",
        "first_name",
        "last_name",
        "password1",
        "password2",
        "licence_number",
        "company",
        "municipality",
    ]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        users = get_user_model().objects
        if users.filter(email__iexact=email).exists() or users.filter(username=email).exists():
            raise forms.ValidationError(
                _("An account with this e-mail exists: sign in and apply from your account page.")
            )
        return email

    def clean(self):
        data = super().clean()
        password1, password2 = data.get("password1"), data.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        elif password1 and data.get("email"):
            user = get_user_model()(
                username=data["email"],
                email=data["email"],
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(password1, user)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail of the person"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("New role"), choices=Membership.Role.choices)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            (SurveyorProfile.Status.APPROVED, _("approve")),
            (SurveyorProfile.Status.REJECTED, _("reject")),
        ]
    )
    reason = forms.CharField(label=_("Reason (required to reject)"), max_length=300, required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == SurveyorProfile.Status.REJECTED and not data.get("reason"):
            self.add_error("reason", _("Give the reason for rejecting the application."))
        return data


class StaffProfileForm(forms.ModelForm):
    """The name and position printed in the signature block of the documents a clerk issues."""

    class Meta:
        model = StaffProfile
        fields = ["full_name", "position"]
        labels = {"full_name": _("Full name"), "position": _("Position (stanowisko)")}


class PaymentDetailsForm(forms.ModelForm):
    """A gmina's account for the opłata skarbowa and how its documents are signed."""

    class Meta:
        model = Municipality
        fields = ["authority_genitive", "payee_name", "bank_account", "payment_title_pattern"]

    def clean_bank_account(self) -> str:
        return normalise_nrb(self.cleaned_data["bank_account"])
