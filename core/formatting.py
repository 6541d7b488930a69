"""
Numbers as the reader's language writes them: 8.158 and 4,7 in Indonesian, 8,158 and 4.7 in English.

Django's ``intcomma`` and ``number_format`` take ~30 µs a number (they go through Decimal handling and several
format lookups); a kabupaten dashboard shows ~320 numbers, so formatting was a quarter of drawing it. A whole
number needs only Python's own grouping and the language's separator; anything else (a float, a Decimal, text,
None) still goes through ``intcomma``, with its exact rules. Likewise a percentage already rounded to its
decimals needs only its digits and the language's decimal separator (``decimal_text``; a kabupaten page shows
~100 of them).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import get_format
from django.utils.formats import number_format
from django.utils.translation import get_language

__all__ = ["NumberFormat", "decimal_text", "grouped"]


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
