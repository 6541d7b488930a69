"""Form pieces shared by the apps."""


from django import forms
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.formatting import SenNotAllowed
from core.formatting import whole_number
from core.formatting import whole_rupiah

__all__ = ["DateInput", "RupiahField", "StyledFormMixin", "VersionedFormMixin", "WholeNumberField"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class WholeNumberField(forms.IntegerField):
    """A count typed as an Indonesian writes it (1.500) or plainly (1500); never 1.000 read as 1."""

    default_error_messages = {"invalid": _("Enter a whole number, e.g. 1.500.")}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # A text box with the phone's number pad: a number box lets the browser drop or rewrite "1.500" before the
        # portal reads it (and would offer a spinner that steps a plot's area by one m²).
        self.widget.input_type = "text"
        self.widget.attrs.setdefault("inputmode", "numeric")

    def read(self, text: str) -> int:
        """The number in ``text`` (stripped, not empty); ``ValueError`` when it is none."""
        return whole_number(text)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()  # blank is empty: required or not, as the field says
        if isinstance(value, str) and value:
            try:
                value = self.read(value)
            except ValueError:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        return super().to_python(value)


class RupiahField(WholeNumberField):
    """Whole rupiah, typed as printed: "Rp 50.000.000", "50,000,000", "50.000.000,00" or "50000000"."""

    default_error_messages = {
        "invalid": _("Enter an amount in whole rupiah, e.g. 50.000.000."),
        "sen": _("Amounts are in whole rupiah: leave out the sen (e.g. 10.000, not 10.000,50)."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)

    def read(self, text: str) -> int:
        try:
            return whole_rupiah(text)
        except SenNotAllowed:
            raise forms.ValidationError(self.error_messages["sen"], code="sen") from None


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


class VersionedFormMixin:
    """
    A form that edits one row carries the row's version (``core.concurrency.etag_of``) from the page it was
    opened on; if someone else saved the row meanwhile, the form is refused instead of overwriting them.
    """

    stale_message = _("Someone else changed this since you opened the page (diubah orang lain). Your entries are "
                      "below: check the current values and save again.")

    def __init__(self, *args, version: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.current_version = version
        self.fields["version"] = forms.CharField(widget=forms.HiddenInput, required=False, initial=version)

    def clean(self):
        cleaned = super().clean()
        sent = cleaned.pop("version", "")
        if sent and self.current_version and sent != self.current_version:
            # The page shown again carries the version the user has now seen: saving again is then taken, not
            # refused over and over.
            self.data = self.data.copy()
            self.data[self.add_prefix("version")] = self.current_version
            raise ValidationError(self.stale_message, code="stale")
        return cleaned

    @property
    def changed_data(self):
        return [name for name in super().changed_data if name != "version"]
