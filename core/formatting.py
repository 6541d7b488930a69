"""
Numbers as the reader's language writes them: 8.158 and 4,7 in Indonesian, 8,158 and 4.7 in English.

Django's ``intcomma`` and ``number_format`` take ~30 µs a number (they go through Decimal handling and several
format lookups); a kabupaten dashboard shows ~320 numbers, so formatting was a quarter of drawing it. A whole
number needs only Python's own grouping and the language's separator; anything else (a float, a Decimal, text,
None) still goes through ``intcomma``, with its exact rules. Likewise a percentage already rounded to its
decimals needs only its digits and the language's decimal separator (``decimal_text``; a kabupaten page shows
~100 of them).

Amounts are read back the same way (``whole_rupiah``): as people type or print them, in either language.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import get_format
from django.utils.formats import number_format
from django.utils.translation import get_language

__all__ = ["NumberFormat", "SenNotAllowed", "decimal_text", "grouped", "whole_number", "whole_rupiah"]


@dataclass(frozen=True)
class NumberFormat:
    """
    The active language's separators, looked up once: for code that writes many numbers in a row (a table
    of 35 areas writes ~300), as a language look-up goes through asgiref's Local and costs ~3 µs each time.
    """

    grouping: int
    thousands: str
    decimal: str

    @classmethod
    def active(cls) -> "NumberFormat":
        language = get_language()
        return cls(get_format("NUMBER_GROUPING", language), get_format("THOUSAND_SEPARATOR", language),
                   get_format("DECIMAL_SEPARATOR", language))

    def grouped(self, value) -> str:
        """``value`` with its thousands grouped by this language's separator (``intcomma``'s output)."""
        # Not bool (intcomma writes it as a number too); and only for groups of three, as Python's ``,`` writes them.
        if type(value) is int and self.grouping == 3:
            text = f"{value:,}"
            return text if self.thousands == "," else text.replace(",", self.thousands)
        return intcomma(value)

    def decimal_text(self, value: Decimal, places: int) -> str:
        """
        ``number_format(value, decimal_pos=places, use_l10n=True)``, faster for a Decimal that already has exactly
        ``places`` decimals (as ``reports.indicators.percent_of`` gives): its digits as they are, the decimal point
        written as this language writes it. Anything else goes through ``number_format`` itself.
        """
        if (type(value) is Decimal and not settings.USE_THOUSAND_SEPARATOR and value.is_finite()
                and value.as_tuple().exponent == -places):
            text = f"{value.copy_abs() if value.is_zero() else value:f}"  # number_format writes -0.0 as 0,0
            return text if self.decimal == "." else text.replace(".", self.decimal)
        return number_format(value, decimal_pos=places, use_l10n=True)


def grouped(value) -> str:
    """``value`` with its thousands grouped by the active language's separator (``intcomma``'s output)."""
    return NumberFormat.active().grouped(value)


def decimal_text(value: Decimal, places: int) -> str:
    """``number_format(value, decimal_pos=places, use_l10n=True)`` in the active language (``NumberFormat``)."""
    return NumberFormat.active().decimal_text(value, places)


class SenNotAllowed(ValueError):
    """An amount with a fraction of a rupiah (sen) other than zero: amounts are whole rupiah."""


# Digits grouped by threes with one separator throughout (50.000.000 or 50,000,000) or not grouped at all, then
# perhaps a separator and one or two digits of sen (,00 or .00; ,- means none).
_AMOUNT = re.compile(r"(?P<whole>[0-9]{1,3}(?:(?P<group>[.,])[0-9]{3})(?:(?P=group)[0-9]{3})*|[0-9]+)"
                     r"(?:(?P<point>[.,])(?P<sen>[0-9]{1,2}|-))?")
_CURRENCY = re.compile(r"^(?:rp|idr)\.?", re.IGNORECASE)


def whole_rupiah(text: str) -> int:
    """
    Whole rupiah from an amount as typed or printed: 50000000, 50.000.000, 50,000,000, Rp 50.000.000,00 or
    Rp 50.000.000,-. A last separator followed by one or two digits starts the sen, which must be zero:
    1.000.000,50 raises ``SenNotAllowed`` rather than being read as 100.000.050, and so do 1,5 and 2500,50.
    Anything else (mixed or irregular groups such as 1.000,000 or 1.5000, a sign, other characters, digits
    of other scripts) raises ``ValueError``.
    """
    compact = _CURRENCY.sub("", "".join(str(text).split()))  # spaces (NBSP too) between groups are dropped
    match = _AMOUNT.fullmatch(compact)
    if match is None or (match["point"] and match["point"] == match["group"]):
        raise ValueError(text)
    if match["sen"] and match["sen"] != "-" and int(match["sen"]):
        raise SenNotAllowed(text)
    return int(match["whole"].replace(".", "").replace(",", ""))


_WHOLE = re.compile(r"[0-9]{1,3}(?:(?P<group>[.,])[0-9]{3})(?:(?P=group)[0-9]{3})*|[0-9]+")


def whole_number(text: str) -> int:
    """
    A count as typed: 1500, 1.500 or 1,500 (groups of three, one separator throughout). Django's IntegerField
    reads "1.000" as 1 (it drops a point followed by zeros), where an Indonesian writer means a thousand; a whole
    number has no decimals, so a separator can only group. Anything else (1.5, 1.000,5, a sign, other characters)
    raises ``ValueError``.
    """
    compact = "".join(str(text).split())
    if _WHOLE.fullmatch(compact) is None:
        raise ValueError(text)
    return int(compact.replace(".", "").replace(",", ""))
