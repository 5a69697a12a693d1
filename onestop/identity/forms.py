"""The sign-in and kiosk forms. They only check that something was typed; the services
decide whether it is right."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class StaffSignInForm(forms.Form):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=256,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


def _phone_field() -> forms.CharField:
    return forms.CharField(
        label=_("Mobile number"),
        max_length=32,
        help_text=_("The 11-digit mainland mobile number of your account."),
        widget=forms.TextInput(
            attrs={"type": "tel", "autocomplete": "tel-national", "inputmode": "tel"}
        ),
    )


class CitizenSignInForm(forms.Form):
    phone = _phone_field()
    password = forms.CharField(
        label=_("Password"),
        max_length=256,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class SmsCodeRequestForm(forms.Form):
    phone = _phone_field()


class SmsSignInForm(forms.Form):
    phone = _phone_field()
    code = forms.CharField(
        label=_("Code from the SMS"),
        max_length=12,
        help_text=_("6 digits."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}
        ),
    )
