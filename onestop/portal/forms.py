from django import forms
from django.utils.translation import gettext_lazy as _


class AuditFilterForm(forms.Form):
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=100,
        help_text=_("The start of an action name, e.g. identity."),
    )
    object_type = forms.CharField(
        label=_("Object type"),
        required=False,
        max_length=100,
        help_text=_("e.g. identity.user"),
    )
    object_id = forms.CharField(
        label=_("Object id"), required=False, max_length=64, help_text=_("e.g. 42")
    )
    stream = forms.CharField(
        label=_("Stream"),
        required=False,
        max_length=100,
        help_text=_("The app that recorded it, e.g. hall"),
    )
