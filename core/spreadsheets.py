"""
Cells of the spreadsheets the portal writes (exports, attendance lists, import error files): one rule for all.

Text whose first character a spreadsheet program would read as a formula ("=HYPERLINK(…)" typed as a
cooperative's name) is written with a leading apostrophe, so it stays text. Control characters that XLSX cannot
hold (pasted from other programs; openpyxl refuses the whole file for one of them) are left out, so one odd name
cannot break the export of a whole kabupaten.
"""

import re
from decimal import Decimal

__all__ = ["spreadsheet_cell", "without_control_characters"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# C0 control characters but tab, line feed and carriage return: not allowed in XML 1.0, so not in XLSX.
_NOT_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def without_control_characters(text: str) -> str:
    """
    ``text`` without the control characters XLSX cannot hold (NUL among them, which PostgreSQL refuses in
    text): what a cell read from an uploaded file is stored as. Printable text (nearly every cell) is returned
    as it is, at the cost of one check.
    """
    return text if text.isprintable() else _NOT_IN_XLSX.sub("", text)


def spreadsheet_cell(value):
    """Numbers stay numbers; anything else (labels, lazy translations) becomes text, never a formula."""
    if value is None:
        return ""
    if isinstance(value, int | float | Decimal):
        return value
    text = without_control_characters(str(value))
    return "'" + text if text.startswith(FORMULA_STARTS) else text
