"""
Whole numbers as the reader's language writes them: 8.158 in Indonesian, 8,158 in English.

Django's ``intcomma`` and ``number_format`` take ~30 µs a number (they go through Decimal handling and several
format lookups); a kabupaten dashboard shows ~320 numbers, so formatting was a quarter of drawing it. A whole
number needs only Python's own grouping and the language's separator; anything else (a float, a Decimal, text,
None) still goes through ``intcomma``, with its exact rules.
"""

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import get_format

__all__ = ["grouped"]


def grouped(value) -> str:
    """``value`` with its thousands grouped by the active language's separator (``intcomma``'s output)."""
    # Not bool (intcomma writes it as a number too); and only for groups of three, as Python's ``,`` writes them.
    if type(value) is int and get_format("NUMBER_GROUPING") == 3:
        text = f"{value:,}"
        separator = get_format("THOUSAND_SEPARATOR")
        return text if separator == "," else text.replace(",", separator)
    return intcomma(value)
