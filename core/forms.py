"""Form pieces shared by the apps."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wilayah.models import Region

__all__ = ["ScopedRegionField", "StyledFormMixin"]


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


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class StyledFormMixin:
    """Dates get the browser's date picker; service errors land on the field they name."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = DateInput()

    def call_service(self, service, **kwargs) -> tuple[bool, object]:
        """
        Run a service with this form's data. Its ValidationError lands on the fields it names and a
        PermissionDenied at the top of the form; returns (succeeded, the service's result).
        """
        try:
            return True, service(**kwargs)
        except ValidationError as error:
            self.add_service_errors(error)
        except PermissionDenied as error:
            self.add_error(None, str(error))
        return False, None

    def add_service_errors(self, error) -> None:
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)
