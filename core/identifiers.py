"""
Indonesian identifiers: normalisation and validation with clear messages.

Each ``normalize_*`` returns the canonical stored form or raises ``ValidationError``. Rules that the
sources mark as uncertain (NIK region and date digits) produce warnings instead of errors; see
``nik_check``. Formats are documented in docs/domain-rules.md.
"""

import re
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

__all__ = [
    "REGION_CODE_PATTERN",
    "VILLAGE_CODE_PATTERN",
    "NikCheck",
    "mask_nik",
    "nik_check",
    "normalize_bank_account",
    "normalize_nib",
    "normalize_nomor_induk_koperasi",
    "normalize_npwp",
    "normalize_sk_ahu",
]

# A Kemendagri region code: 33 (province), 33.18 (kabupaten/kota), 33.18.01 (kecamatan), 33.18.01.2001 (desa).
REGION_CODE_PATTERN = r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$"
VILLAGE_CODE_PATTERN = r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$"

_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_SEPARATORS = re.compile(r"[\s.\-/]")
_SK_AHU = re.compile(r"^AHU-([0-9]{4,7})\.AH\.01\.([0-9]{2})\.TAHUN\s?([0-9]{4})$", re.IGNORECASE)


def _digits(value: str) -> str:
    """
    The characters of an identifier without its separators. Full-width digits (typed with some phone
    keyboards) become ASCII, so that one number has one stored form and uniqueness holds; any other digit
    that is not ASCII (Arabic-Indic, superscript) is refused by the callers (``_is_number``).
    """
    return _SEPARATORS.sub("", (value or "").translate(_FULL_WIDTH_DIGITS))


def _is_number(digits: str) -> bool:
    # str.isdigit() alone accepts Arabic-Indic and superscript digits, which no Indonesian identifier has.
    return digits.isascii() and digits.isdigit()


def normalize_npwp(value: str) -> str:
    """
    NPWP of an entity: 16 digits since PMK 112/2022. The old 15-digit form (99.999.999.9-999.999)
    is accepted and stored with a leading 0, as the tax office converted it.
    """
    digits = _digits(value)
    if not _is_number(digits) or len(digits) not in (15, 16):
        raise ValidationError(
            _("NPWP must have 16 digits (or the old 15-digit form such as 01.234.567.8-901.000)."), code="npwp"
        )
    return digits if len(digits) == 16 else "0" + digits


def normalize_nib(value: str) -> str:
    """NIB from OSS: 13 digits, with no inner structure to check."""
    digits = _digits(value)
    if not _is_number(digits) or len(digits) != 13:
        raise ValidationError(_("NIB must have exactly 13 digits."), code="nib")
    return digits


def normalize_sk_ahu(value: str) -> str:
    """SK AHU number of a cooperative's legal entity, e.g. AHU-0036770.AH.01.29.TAHUN 2025."""
    match = _SK_AHU.match(" ".join((value or "").translate(_FULL_WIDTH_DIGITS).split()))
    if not match:
        raise ValidationError(
            _("Write the SK AHU number as on the decree, e.g. AHU-0036770.AH.01.29.TAHUN 2025."), code="sk_ahu"
        )
    number, series, year = match.groups()
    return f"AHU-{number}.AH.01.{series}.TAHUN {year}"


def normalize_nomor_induk_koperasi(value: str) -> str:
    """Kemenkop's cooperative registration number; numeric, length not fixed by the sources."""
    digits = _digits(value)
    if not _is_number(digits) or not 6 <= len(digits) <= 20:
        raise ValidationError(_("Nomor Induk Koperasi must be 6 to 20 digits."), code="nomor_induk_koperasi")
    return digits


def normalize_bank_account(value: str) -> str:
    digits = _digits(value)
    if not _is_number(digits) or not 6 <= len(digits) <= 20:
        raise ValidationError(_("A bank account number has 6 to 20 digits."), code="bank_account")
    return digits


# SECTION: NIK (Nomor Induk Kependudukan)

# Province codes that appear in NIKs: today's 38 plus the pre-2022 Papua codes still printed on KTPs.
_NIK_PROVINCES = frozenset({
    "11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33", "34", "35", "36", "51",
    "52", "53", "61", "62", "63", "64", "65", "71", "72", "73", "74", "75", "76", "81", "82", "91", "92",
    "93", "94", "95", "96",
})


@dataclass
class NikCheck:
    """The result of checking a NIK: blocking errors, advisory warnings and what the digits suggest."""

    nik: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sex_hint: str | None = None  # "L" or "P"
    birth_date_hint: date | None = None

    @property
    def is_valid(self) -> bool:
        return not self.errors


def nik_check(value: str, *, sex: str | None = None, birth_date: date | None = None,
              known_regencies: frozenset[str] | None = None, today: date | None = None) -> NikCheck:
    """
    Check a NIK: PP KK CC (place of first registration), DD MM YY (birth date, day + 40 for women),
    then a 4-digit sequence from 0001.

    Length and digits are certain and block. The region and date digits are only plausibility
    hints (historic codes, data-entry practice), so they produce warnings.
    """
    # Most NIKs arrive as 16 plain digits (a bulk import checks 100,000): no separators to strip.
    nik = value if value and len(value) == 16 and value.isdigit() and value.isascii() else _digits(value)
    result = NikCheck(nik=nik)
    if not _is_number(nik) or len(nik) != 16:
        result.errors.append(str(_("NIK must have exactly 16 digits.")))
        return result
    if nik[12:] == "0000":
        result.errors.append(str(_("The last four digits of a NIK are a sequence number starting at 0001.")))

    province = nik[:2]
    if province not in _NIK_PROVINCES:
        result.warnings.append(str(_("Digits 1–2 (%(code)s) are not a province code.") % {"code": province}))
    elif known_regencies is not None and (regency := f"{province}.{nik[2:4]}") not in known_regencies:
        result.warnings.append(
            str(_("Digits 1–4 (%(code)s) are not a current kabupaten/kota code; check the KTP.") % {"code": regency})
        )

    result.sex_hint, result.birth_date_hint = _nik_birth_digits(nik[6:12], (today or date.today()).year % 100)
    if result.birth_date_hint is None:
        result.warnings.append(str(_("Digits 7–12 are not a valid birth date (women add 40 to the day).")))
    if sex and sex != result.sex_hint:
        result.warnings.append(
            str(_("The day digits suggest %(hint)s, but the sex given is %(sex)s.")
                % {"hint": _("female") if result.sex_hint == "P" else _("male"),
                   "sex": _("female") if sex == "P" else _("male")})
        )
    if birth_date and result.birth_date_hint and birth_date != result.birth_date_hint:
        result.warnings.append(str(_("The birth date does not match digits 7–12 of the NIK.")))
    return result


@lru_cache(maxsize=1 << 17)
def _nik_birth_digits(digits: str, this_year: int) -> tuple[str, date | None]:
    """
    Digits 7–12 of a NIK (DDMMYY, day + 40 for women): the sex and birth date they say, the date None when the
    digits are not one. A two-digit year after this year's is of the 1900s. Cached: a register repeats them.
    """
    day, month, year = int(digits[:2]), int(digits[2:4]), int(digits[4:])
    sex = "P" if day > 40 else "L"
    day = day - 40 if day > 40 else day
    century = 2000 if year <= this_year else 1900
    try:
        return sex, date(century + year, month, day)
    except ValueError:
        return sex, None


def mask_nik(nik: str) -> str:
    """Show the region part and the sequence, hide the birth date: 3318••••••••0001."""
    if not nik or len(nik) != 16:
        return "••••"
    return nik[:4] + "•" * 8 + nik[12:]
