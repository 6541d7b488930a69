"""Form pieces shared by the apps."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError

__all__ = ["DateInput", "StyledFormMixin"]


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
