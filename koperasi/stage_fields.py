"""
The fields a formation stage can ask for. ``FormationStage.required_fields`` names keys of
``STAGE_FIELDS``; a submission's values are checked here, and on verification the ones with a
``cooperative_field`` are copied onto the cooperative (e.g. the SK AHU number and date).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.identifiers import normalize_bank_account
from core.identifiers import normalize_nib
from core.identifiers import normalize_npwp
from core.identifiers import normalize_sk_ahu

__all__ = ["EXISTING_COOPERATIVE_EARLIEST", "KDKMP_EARLIEST", "STAGE_FIELDS", "StageField", "clean_stage_data",
           "date_in_bounds"]

# No KDKMP stage happened before the programme (Inpres 9/2025); an earlier date is a typing error.
KDKMP_EARLIEST = date(2025, 1, 1)
# An existing cooperative (pengembangan, revitalisasi) may hold a deed or SK AHU from long before.
EXISTING_COOPERATIVE_EARLIEST = date(1945, 8, 17)


def date_in_bounds(value: date, earliest: date) -> None:
    """Refuse a date in the future or before ``earliest``, with the bound in the message."""
    if value > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
    if value < earliest:
        raise ValidationError(_("The date cannot be before %(date)s.") % {"date": formats.date_format(earliest)})


def _date_not_in_future(value) -> str:
    try:
        parsed = value if isinstance(value, date) else parse_date(str(value).strip())
    except ValueError:  # well formatted but not a real date, e.g. 2025-02-30
        parsed = None
    if parsed is None:
        raise ValidationError(_("Enter a date as YYYY-MM-DD."))
    if parsed > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."))
    return parsed.isoformat()


def _text(value) -> str:
    text = " ".join(str(value).split())
    if not text:
        raise ValidationError(_("This field is required."))
    if len(text) > 200:
        raise ValidationError(_("Use at most 200 characters."))
    return text


# More people than any desa/kelurahan has: a village meeting's count above it is a typing error.
MAX_PARTICIPANTS = 100_000


def _participants(value) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise ValidationError(_("Enter a whole number.")) from None
    if not 1 <= number <= MAX_PARTICIPANTS:
        raise ValidationError(_("Enter a number from 1 to %(max)s.") % {"max": formats.number_format(
            MAX_PARTICIPANTS, force_grouping=True)})
    return number


@dataclass(frozen=True)
class StageField:
    label: Promise
    input_type: str  # HTML input type for the form
    clean: Callable
    cooperative_field: str | None = None


STAGE_FIELDS: dict[str, StageField] = {
    "held_on": StageField(_("Date held"), "date", _date_not_in_future),
    "participants": StageField(_("Number of participants"), "number", _participants),
    "notary_name": StageField(_("Notary"), "text", _text, "notary_name"),
    "deed_number": StageField(_("Deed number"), "text", _text, "deed_number"),
    "deed_date": StageField(_("Deed date"), "date", _date_not_in_future, "deed_date"),
    "sk_ahu_number": StageField(_("SK AHU number"), "text", normalize_sk_ahu, "sk_ahu_number"),
    "sk_ahu_date": StageField(_("SK AHU date"), "date", _date_not_in_future, "sk_ahu_date"),
    "npwp": StageField(_("NPWP"), "text", normalize_npwp, "npwp"),
    "npwp_registered_on": StageField(_("NPWP registration date"), "date", _date_not_in_future),
    "nib": StageField(_("NIB"), "text", normalize_nib, "nib"),
    "nib_issued_on": StageField(_("NIB issue date"), "date", _date_not_in_future),
    "bank_name": StageField(_("Bank"), "text", _text, "bank_name"),
    "bank_account_number": StageField(_("Account number"), "text", normalize_bank_account, "bank_account_number"),
    "bank_account_name": StageField(_("Account holder"), "text", _text, "bank_account_name"),
    "account_opened_on": StageField(_("Account opening date"), "date", _date_not_in_future),
    "simkopdes_account": StageField(_("SIMKOPDES account ID"), "text", _text, "simkopdes_account"),
    "simkopdes_registered_on": StageField(_("SIMKOPDES registration date"), "date", _date_not_in_future),
    "operational_since": StageField(_("Operational since"), "date", _date_not_in_future, "operational_since"),
}


def clean_stage_data(required: list[str], data: dict, *, earliest: date = KDKMP_EARLIEST) -> dict:
    """
    The submitted values of ``required`` fields, normalised; field-keyed errors for the rest. Dates
    lie between ``earliest`` and today.
    """
    cleaned, errors = {}, {}
    for key in required:
        spec = STAGE_FIELDS[key]
        value = (data or {}).get(key)
        if value in (None, ""):
            errors[key] = [_("This field is required.")]
            continue
        try:
            cleaned[key] = spec.clean(value)
            if spec.input_type == "date":
                date_in_bounds(date.fromisoformat(cleaned[key]), earliest)
        except ValidationError as error:
            errors[key] = error.messages
    if errors:
        raise ValidationError(errors)
    return cleaned
