"""
The rules of one member record, as pure functions (no database): the register's services, the
self-registration and the bulk import all check a row here, so a rule lives in one place. What needs
the database (a NIK already registered, the next member number) stays in ``services``.
"""

from datetime import date
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _

from core.identifiers import nik_check
from core.services import has_hidden_characters
from core.services import indonesian_phone
from core.services import is_explained
from core.services import tidy_reason

from .models import MemberStatus
from .models import Sex
from .models import VillageOffice

__all__ = [
    "EARLIEST_BIRTH_DATE",
    "EARLIEST_JOIN_DATE",
    "MEMBER_NUMBER_WIDTH",
    "clean_member_data",
    "member_number_format",
    "status_change_errors",
]

EARLIEST_BIRTH_DATE = date(1900, 1, 1)
# Cooperatives joining the portal bring members who joined long before it (an existing KUD, say).
EARLIEST_JOIN_DATE = date(1945, 8, 17)
# Member numbers are the cooperative's own sequence, zero-padded to five digits: 00001, 00002, …
# (a cooperative past 99,999 members simply gets six digits). See docs/anggota.md.
MEMBER_NUMBER_WIDTH = 5

_MAX_LENGTHS = {"address": 200, "occupation": 100, "name": 150}
# The choices as sets, read once (an enum's ``values`` is rebuilt on every access; an import asks 100,000 times).
_SEXES = frozenset(Sex.values)
_STATUSES = frozenset(MemberStatus.values)
_VILLAGE_OFFICES = frozenset({"", *VillageOffice.values})


def member_number_format(sequence: int) -> str:
    return f"{sequence:0{MEMBER_NUMBER_WIDTH}d}"


def _rt_rw(value, field: str, errors: dict) -> str:
    """RT and RW as the KTP writes them: up to three digits, zero-padded (“5” becomes “005”)."""
    text, valid = _rt_rw_text(value if type(value) is str else str(value if value is not None else ""))
    if not valid:
        errors[field] = [_("Enter the %(field)s as a number from 1 to 999, e.g. 005.") % {"field": field.upper()}]
    return text


@lru_cache(maxsize=4096)
def _rt_rw_text(value: str) -> tuple[str, bool]:
    # Cached: a village has a few dozen RT and RW, written the same way row after row.
    text = value.strip()
    if not text:
        return "", True
    if not (text.isascii() and text.isdigit() and len(text) <= 3 and int(text) > 0):
        return text, False
    return f"{int(text):03d}", True


def _plain_text(value, field: str, errors: dict) -> str:
    text = " ".join((value if type(value) is str else str(value if value is not None else "")).split())
    if has_hidden_characters(text):
        errors[field] = [_("This text contains a character that is not allowed.")]
    elif len(text) > _MAX_LENGTHS[field]:
        errors[field] = [_("Use at most %(limit)d characters.") % {"limit": _MAX_LENGTHS[field]}]
    return text


def status_change_errors(*, status: str, status_on: date | None, reason: str, joined_on: date | None,
                         today: date) -> dict[str, list[str]]:
    """
    A member leaves (keluar) or has died (meninggal) on a date with a reason; back to active clears both.
    The date lies between joining and today.
    """
    errors: dict[str, list[str]] = {}
    if status not in _STATUSES:
        errors["status"] = [_("Choose aktif, keluar or meninggal.")]
        return errors
    if status == MemberStatus.AKTIF:
        return errors
    if status_on is None:
        errors["status_on"] = [_("Enter the date the member left or died.")]
    elif status_on > today:
        errors["status_on"] = [_("The date cannot be in the future.")]
    elif joined_on and status_on < joined_on:
        errors["status_on"] = [_("The date cannot be before the member joined (%(date)s).")
                               % {"date": formats.date_format(joined_on)}]
    if not is_explained(reason):
        errors["status_reason"] = [_("Give the reason (at least 5 characters).")]
    return errors


def clean_member_data(data: dict, *, current: dict | None = None, villages: dict, known_regencies: frozenset[str],
                      today: date) -> tuple[dict, list[str], dict[str, list[str]]]:
    """
    Check and normalise the fields present in ``data`` (a new member, or changes to one whose values are
    ``current``). ``villages`` maps the codes of the cooperative's desa/kelurahan to their regions.
    Returns the cleaned values, NIK warnings (recorded, not blocking) and field-keyed errors.
    """
    current = current or {}
    errors: dict[str, list[str]] = {}
    cleaned = dict(data)
    if "name" in data:
        cleaned["name"] = _plain_text(data["name"], "name", errors)
        if not cleaned["name"] and "name" not in errors:
            errors["name"] = [_("Enter the member's name as on the KTP.")]
    if "sex" in data:
        sex = data["sex"]
        sex = (sex if type(sex) is str else str(sex or "")).strip().upper()
        if sex not in _SEXES:
            errors["sex"] = [_("Choose L (male) or P (female).")]
        cleaned["sex"] = sex
    if "village_office" in data and (data["village_office"] or "") not in _VILLAGE_OFFICES:
        errors["village_office"] = [_("Choose a valid village office, or none.")]
    birth_date = data.get("birth_date")
    if birth_date and birth_date > today:
        errors["birth_date"] = [_("The birth date cannot be in the future.")]
    elif birth_date and birth_date < EARLIEST_BIRTH_DATE:
        errors["birth_date"] = [_("A birth date before 1900 is a typing error; check the year.")]
    if "domicile_code" in data:
        domicile = villages.get(data["domicile_code"])
        if domicile is None:
            errors["domicile_code"] = [_(
                "Members live in the cooperative's own desa/kelurahan (KTP domicile); %(code)s is not one of them."
            ) % {"code": data["domicile_code"]}]
        else:
            cleaned["domicile"] = domicile
        cleaned.pop("domicile_code")
    if "phone" in data:
        phone = data["phone"]
        try:
            cleaned["phone"] = indonesian_phone((phone if type(phone) is str else str(phone or "")).strip())
        except ValidationError as error:
            errors.update(error.message_dict)
    for field in ("address", "occupation"):
        if field in data:
            cleaned[field] = _plain_text(data[field], field, errors)
    for field in ("rt", "rw"):
        if field in data:
            cleaned[field] = _rt_rw(data[field], field, errors)
    if "joined_on" in data:
        joined_on = data["joined_on"]
        if joined_on is None:
            errors["joined_on"] = [_("Enter the date the person joined.")]
        elif joined_on > today:
            errors["joined_on"] = [_("The joining date cannot be in the future.")]
        elif joined_on < EARLIEST_JOIN_DATE:
            errors["joined_on"] = [_("The joining date cannot be before %(date)s.")
                                   % {"date": formats.date_format(EARLIEST_JOIN_DATE)}]
        elif "birth_date" not in errors:
            born = birth_date or current.get("birth_date")
            if born and joined_on < born:
                errors["joined_on"] = [_("The joining date cannot be before the birth date.")]
    nik = data["nik"] if "nik" in data else current.get("nik", "")
    check = nik_check(
        nik if type(nik) is str else str(nik or ""),
        sex=cleaned["sex"] if "sex" in cleaned else current.get("sex"),
        birth_date=cleaned["birth_date"] if "birth_date" in cleaned else current.get("birth_date"),
        known_regencies=known_regencies,
        today=today,
    )
    if "nik" in data:
        if check.errors:
            errors["nik"] = list(check.errors)
        cleaned["nik"] = check.nik
    if "status" in data or "status_on" in data or "status_reason" in data:
        status = data.get("status", current.get("status", MemberStatus.AKTIF))
        reason = tidy_reason(data.get("status_reason", current.get("status_reason", "")))
        status_on = data.get("status_on", current.get("status_on"))
        errors.update(status_change_errors(
            status=status, status_on=status_on, reason=reason,
            joined_on=cleaned.get("joined_on", current.get("joined_on")), today=today,
        ))
        if status == MemberStatus.AKTIF:
            status_on, reason = None, ""
        cleaned.update(status=status, status_on=status_on, status_reason=reason)
    cleaned["nik_warnings"] = check.warnings
    return cleaned, check.warnings, errors
