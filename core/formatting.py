"""
Numbers as the reader's language writes them: 8.158 and 4,7 in Indonesian, 8,158 and 4.7 in English.

Django's ``intcomma`` and ``number_format`` take ~30 µs a number (they go through Decimal handling and several
format lookups); a kabupaten dashboard shows ~320 numbers, so formatting was a quarter of drawing it. A whole
number needs only Python's own grouping and the language's separator; anything else (a float, a Decimal, text,
None) still goes through ``intcomma``, with its exact rules. Likewise a percentage already rounded to its
decimals needs only its digits and the language's decimal separator (``decimal_text``; a kabupaten page shows
~100 of them).
"""

from decimal import Decimal

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import get_format
from django.utils.formats import number_format
from django.utils.translation import get_language

__all__ = ["decimal_text", "grouped"]


def _formats() -> tuple[int, str, str]:
    """(NUMBER_GROUPING, THOUSAND_SEPARATOR, DECIMAL_SEPARATOR) of the active language: one language look-up
    (~3 µs, where a kabupaten page writes ~300 numbers) instead of one per format."""
    language = get_language()
    return (get_format("NUMBER_GROUPING", language), get_format("THOUSAND_SEPARATOR", language),
            get_format("DECIMAL_SEPARATOR", language))


def grouped(value) -> str:
    """``value`` with its thousands grouped by the active language's separator (``intcomma``'s output)."""
    # Not bool (intcomma writes it as a number too); and only for groups of three, as Python's ``,`` writes them.
    if type(value) is int:
        grouping, separator, _decimal = _formats()
        if grouping == 3:
            text = f"{value:,}"
            return text if separator == "," else text.replace(",", separator)
    return intcomma(value)


def decimal_text(value: Decimal, places: int) -> str:
    """
    ``number_format(value, decimal_pos=places, use_l10n=True)``, faster for a Decimal that already has exactly
    ``places`` decimals (as ``reports.indicators.percent_of`` gives): its digits as they are, the decimal point
    written as the active language writes it. Anything else goes through ``number_format`` itself.
    """
    if (type(value) is Decimal and not settings.USE_THOUSAND_SEPARATOR and value.is_finite()
            and value.as_tuple().exponent == -places):
        text = f"{value.copy_abs() if value.is_zero() else value:f}"  # number_format writes -0.0 as 0,0
        separator = _formats()[2]
        return text if separator == "." else text.replace(".", separator)
    return number_format(value, decimal_pos=places, use_l10n=True)
