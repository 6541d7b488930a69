from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import StyledFormMixin

from .models import NotificationKind

__all__ = ["NotificationPreferencesForm"]


class NotificationPreferencesForm(StyledFormMixin, forms.Form):
    email_kinds = forms.MultipleChoiceField(
        label=_("Also send by e-mail"), choices=NotificationKind.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every notification appears under the bell; ticked kinds also come to your e-mail address."),
    )
