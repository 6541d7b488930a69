"""Form fields for choosing a region, shared by every form and filter that takes one."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Region

__all__ = ["ScopedRegionField"]


class ScopedRegionField(forms.CharField):
    """A region typed as its code (with suggestions); only regions in ``queryset`` are accepted."""

    default_error_messages = {
        "invalid_choice": _("Choose a region inside your area; %(code)s is not one."),
    }

    def __init__(self, *, queryset=None, **kwargs):
        self.queryset = queryset if queryset is not None else Region.objects.none()
        kwargs.setdefault("max_length", 150)
        kwargs.setdefault("widget", forms.TextInput(attrs={"list": "region-suggestions", "autocomplete": "off"}))
        super().__init__(**kwargs)

    def clean(self, value):
        code = super().clean(value)
        if not code:
            return None
        code = code.split(" ", 1)[0]  # a suggestion reads "33.18 Kabupaten Pati"
        region = self.queryset.filter(code=code, is_active=True).first()
        if region is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                        params={"code": code})
        return region
