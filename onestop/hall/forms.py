"""The hall's page forms. They only check the shape of what was typed or tapped; the
services decide the rest and say what is wrong."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from onestop.hall.enums import TicketKind
from onestop.hall.pages import NOTIFY_CHOICES

CARD_MAX_LENGTH = 64
CODE_MAX_LENGTH = 200


class WalkInForm(forms.Form):
    category = forms.SlugField(max_length=40)
    kind = forms.ChoiceField(choices=TicketKind.choices)
    card = forms.CharField(
        label=_("Place your card on the reader, or type your ID or social-security card number"),
        max_length=CARD_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )
    skip = forms.BooleanField(required=False)


class BookingCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Scan the QR code of your booking, or type its code"),
        max_length=CODE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )


class BookingCardForm(forms.Form):
    card = forms.CharField(
        label=_("Or place your card on the reader"),
        max_length=CARD_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class WindowOpenForm(forms.Form):
    window = forms.IntegerField(min_value=1)
    profile = forms.IntegerField(min_value=1)


class ConvertForm(forms.Form):
    to_kind = forms.ChoiceField(choices=TicketKind.choices)
    keep = forms.BooleanField(required=False)


class TransferForm(forms.Form):
    to_category = forms.SlugField(max_length=40)
    keep = forms.BooleanField(required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=200, required=False)


class NotifyForm(forms.Form):
    position = forms.TypedChoiceField(
        label=_("Text me when this many people are ahead of me"),
        choices=[(n, str(n)) for n in NOTIFY_CHOICES],
        coerce=int,
    )
