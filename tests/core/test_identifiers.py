"""Indonesian identifiers: valid and invalid forms of each."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from core.identifiers import mask_nik
from core.identifiers import nik_check
from core.identifiers import normalize_bank_account
from core.identifiers import normalize_nib
from core.identifiers import normalize_nomor_induk_koperasi
from core.identifiers import normalize_npwp
from core.identifiers import normalize_sk_ahu

REGENCIES = frozenset({"33.18", "35.05"})


@pytest.mark.parametrize(
    "value, stored",
    [
        ("01.234.567.8-901.000", "0012345678901000"),  # the old 15-digit form gains a leading 0
        ("012345678901000", "0012345678901000"),
        ("0012 3456 7890 1000", "0012345678901000"),
        ("3318011508850001", "3318011508850001"),
    ],
)
def test_npwp_valid(value, stored):
    assert normalize_npwp(value) == stored


@pytest.mark.parametrize("value", ["", "1234", "01.234.567.8-901", "00123456789010001", "ABCDEFGHIJKLMNOP"])
def test_npwp_invalid(value):
    with pytest.raises(ValidationError, match="16"):
        normalize_npwp(value)


def test_nib():
    assert normalize_nib("9120 3012 34567") == "9120301234567"
    for bad in ("912030123456", "91203012345678", "912030123456X"):
        with pytest.raises(ValidationError, match="13"):
            normalize_nib(bad)


@pytest.mark.parametrize(
    "value, stored",
    [
        ("AHU-0036770.AH.01.29.TAHUN 2025", "AHU-0036770.AH.01.29.TAHUN 2025"),
        ("ahu-0001234.ah.01.26.tahun2019", "AHU-0001234.AH.01.26.TAHUN 2019"),
        ("  AHU-1234.AH.01.29.TAHUN   2025 ", "AHU-1234.AH.01.29.TAHUN 2025"),
    ],
)
def test_sk_ahu_valid(value, stored):
    assert normalize_sk_ahu(value) == stored


@pytest.mark.parametrize("value", ["AHU-12.AH.01.29.TAHUN 2025", "0036770.AH.01.29.TAHUN 2025",
                                   "AHU-0036770.AH.02.29.TAHUN 2025", "AHU-0036770/AH/01/29/2025"])
def test_sk_ahu_invalid(value):
    with pytest.raises(ValidationError, match="AHU-0036770"):
        normalize_sk_ahu(value)


def test_nomor_induk_koperasi_and_bank_account():
    assert normalize_nomor_induk_koperasi("3318 0120 0100 0001") == "3318012001000001"
    assert normalize_bank_account("1-234-56789-0") == "1234567890"
    for bad in ("12345", "12a456", "1" * 21):
        with pytest.raises(ValidationError):
            normalize_nomor_induk_koperasi(bad)
        with pytest.raises(ValidationError):
            normalize_bank_account(bad)


def test_nik_male_and_female_birth_dates():
    man = nik_check("3318011508850001", known_regencies=REGENCIES)
    assert man.is_valid and not man.warnings
    assert (man.sex_hint, man.birth_date_hint) == ("L", date(1985, 8, 15))
    woman = nik_check("3318015508850002", known_regencies=REGENCIES)  # day 55 = 15 + 40
    assert woman.is_valid and (woman.sex_hint, woman.birth_date_hint) == ("P", date(1985, 8, 15))


@pytest.mark.parametrize("value", ["331801150885000", "33180115088500011", "3318O11508850001", ""])
def test_nik_must_have_16_digits(value):
    result = nik_check(value)
    assert not result.is_valid and "16" in result.errors[0]


def test_nik_sequence_zero_is_an_error():
    assert not nik_check("3318011508850000").is_valid


@pytest.mark.parametrize(
    "value, kwargs, hint",
    [
        ("9918011508850001", {}, "provinsi"),  # 99 is no province
        ("3399011508850001", {"known_regencies": REGENCIES}, "kabupaten/kota"),
        ("3318013213850001", {}, "tanggal lahir"),  # month 13
        ("3318011508850001", {"sex": "P"}, "perempuan"),  # day digits say male
        ("3318011508850001", {"birth_date": date(1985, 8, 16)}, "tanggal lahir"),
    ],
)
def test_uncertain_nik_digits_only_warn(value, kwargs, hint):
    result = nik_check(value, **kwargs)
    assert result.is_valid
    assert any(hint in warning.lower() for warning in result.warnings), result.warnings


def test_historic_papua_province_codes_are_accepted():
    assert not nik_check("9101011508850001").warnings  # 91 Papua, printed on KTPs before the 2022 split


def test_masking_hides_the_birth_date():
    assert mask_nik("3318011508850001") == "3318••••••••0001"
    assert mask_nik("") == "••••"
