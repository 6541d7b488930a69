"""Small helpers shared by the apps' services."""

import re
import unicodedata
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from phonenumber_field.phonenumber import to_python as to_phone

__all__ = ["MIN_REASON_LENGTH", "check_coordinates", "has_hidden_characters", "indonesian_phone", "is_explained",
           "require_known_fields", "tidy_reason"]

MIN_REASON_LENGTH = 5
# Indonesia lies within these bounds; a point outside is a typing error (often swapped lat/long).
_LATITUDE_RANGE = (Decimal("-11.5"), Decimal("6.5"))
_LONGITUDE_RANGE = (Decimal("94.5"), Decimal("141.5"))


def require_known_fields(changes: dict, allowed) -> None:
    """Refuse an update that names fields the service does not let the caller change."""
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )


# Indonesian mobile numbers as typed (0812-3456-7890, +62 812 3456 7890): the libphonenumber pattern of
# Indonesian mobiles (8[1-35-9] and 7 to 10 more digits), read without the library's general parser, which
# costs ~0.3 ms a number; a bulk import checks 100,000 of them. Anything else goes through the library.
_MOBILE_ID = re.compile(r"^(?:\+62|0)(8[1-35-9]\d{7,10})$")
_PHONE_PUNCTUATION = str.maketrans("", "", " -.()")


def indonesian_phone(value: str, *, field: str = "phone") -> str:
    """An Indonesian phone number as typed (0812…, +62 812…) in E.164 form; empty stays empty."""
    if not value:
        return ""
    if match := _MOBILE_ID.match(value.translate(_PHONE_PUNCTUATION)):
        return "+62" + match.group(1)
    number = to_phone(value, region="ID")
    if not number or not number.is_valid():
        raise ValidationError(
            {field: _("Enter an Indonesian phone number, e.g. 0812 3456 7890 or +62 812 3456 7890.")}
        )
    return number.as_e164


def has_hidden_characters(text: str) -> bool:
    """
    Control or invisible format characters (NUL, the bidirectional overrides such as U+202E): a name typed by a
    person has none, and they would hide or reorder what the name shows in lists, exports and the history.
    """
    return not text.isprintable() and any(unicodedata.category(character) in ("Cc", "Cf") for character in text)


def tidy_reason(value: str | None) -> str:
    """A free-text reason on one line, its runs of whitespace collapsed."""
    return " ".join((value or "").split())


def is_explained(value: str | None) -> bool:
    """A reason that says something: a few characters at least, not a stray key press."""
    return len(tidy_reason(value)) >= MIN_REASON_LENGTH


def check_coordinates(latitude, longitude) -> None:
    """Both or neither, and inside Indonesia; the error names the field that is off."""
    if (latitude is None) != (longitude is None):
        raise ValidationError({"longitude": _("Give both latitude and longitude, or neither.")})
    if latitude is None:
        return
    if not _LATITUDE_RANGE[0] <= Decimal(str(latitude)) <= _LATITUDE_RANGE[1]:
        raise ValidationError({"latitude": _("This latitude is outside Indonesia (between -11.5 and 6.5).")})
    if not _LONGITUDE_RANGE[0] <= Decimal(str(longitude)) <= _LONGITUDE_RANGE[1]:
        raise ValidationError({"longitude": _("This longitude is outside Indonesia (between 94.5 and 141.5).")})
