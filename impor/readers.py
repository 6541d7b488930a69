"""
Reading an uploaded spreadsheet row by row, never the whole sheet at once: openpyxl in read-only mode for
XLSX, the csv module for CSV (UTF-8, ``;`` or ``,`` between fields, as Excel writes it in Indonesian or
English). Cells are handed over as text or as the date/number the spreadsheet holds; the kinds parse them.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from datetime import datetime
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from core.spreadsheets import without_control_characters

__all__ = ["Column", "FileRows", "check_upload", "normalise_header", "open_rows", "parse_date_cell", "parse_date_text",
           "text_cell"]

_XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Column:
    """A column of an import template: its key, its (Indonesian) header, and the guide for filling it in."""

    key: str
    header: str
    guide: str  # a lazy translation
    example: str = ""
    required: bool = False
    aliases: tuple[str, ...] = ()
    # A NIK: a failing value is shown masked in the error list and file, which officers of the area read too
    # (the uploader has the row number and their own file).
    masked: bool = False


def normalise_header(text) -> str:
    """“Tanggal lahir (TTTT-BB-HH)*” and “tanggal  LAHIR” are the same column."""
    text = str(text or "").lower()
    text = re.sub(r"\(.*?\)|\*", " ", text)
    return " ".join(text.replace("_", " ").split())


def check_upload(upload) -> str:
    """The file's format (``xlsx`` or ``csv``), checked by its name and content; a size limit; never a 500."""
    name = (getattr(upload, "name", "") or "").lower()
    size = getattr(upload, "size", 0) or 0
    limit = settings.IMPORT_MAX_BYTES
    if size == 0:
        raise ValidationError({"file": [_("The file is empty.")]})
    if size > limit:
        raise ValidationError({"file": [_("The file is %(size)s; the limit is %(limit)s. Split it into several files.")
                                        % {"size": filesizeformat(size), "limit": filesizeformat(limit)}]})
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    if name.endswith(".xlsx"):
        if not head.startswith(_XLSX_MAGIC):
            raise ValidationError({"file": [_("The file is not an Excel workbook (.xlsx); save it again from Excel "
                                              "or use the template.")]})
        try:
            with zipfile.ZipFile(upload) as archive:
                if "xl/workbook.xml" not in archive.namelist():
                    raise zipfile.BadZipFile
        except (zipfile.BadZipFile, OSError):
            raise ValidationError({"file": [_("The Excel file is damaged or not a workbook.")]}) from None
        finally:
            upload.seek(0)
        return "xlsx"
    if name.endswith(".csv"):
        if b"\x00" in head or head.startswith(_XLSX_MAGIC):
            raise ValidationError({"file": [_("The file is not a text (CSV) file.")]})
        return "csv"
    raise ValidationError({"file": [_("Upload an Excel workbook (.xlsx) or a CSV file (.csv).")]})


@dataclass
class FileRows:
    """
    The header (normalised) and an iterator of (row number, cells: a sequence); ``total`` is the number of data
    rows.
    """

    headers: list[str]
    rows: Iterator[tuple[int, tuple]]
    total: int


def _count_lines(handle) -> int:
    handle.seek(0)
    lines = 0
    while chunk := handle.read(1 << 20):
        lines += chunk.count(b"\n")
    handle.seek(0)
    return lines


@contextmanager
def open_rows(handle, file_format: str):
    """
    Open a stored upload (a binary file object) and yield its ``FileRows``. Blank rows are skipped; a
    file without a header row, or with more rows than ``IMPORT_MAX_ROWS``, is refused.
    """
    if file_format == "xlsx":
        try:
            workbook = load_workbook(handle, read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds on a damaged file
            raise ValidationError(_("The Excel file is damaged or not a workbook.")) from None
        try:
            sheet = workbook.worksheets[0]
            cells = sheet.iter_rows(values_only=True)
            header = next(cells, None)
            total = max((sheet.max_row or 1) - 1, 0)
            yield _file_rows(header, enumerate(cells, start=2), total)
        finally:
            workbook.close()
        return
    total = max(_count_lines(handle) - 1, 0)
    # The io module's decoder on the stored file itself: Django's File proxy costs a call per read.
    raw = handle
    while getattr(raw, "file", None) is not None:  # FieldFile → File → the open file
        raw = raw.file
    text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="strict", newline="")
    try:
        first = text.readline()
        delimiter = ";" if first.count(";") > first.count(",") else ","
        header = next(csv.reader(io.StringIO(first), delimiter=delimiter), None)
        reader = csv.reader(text, delimiter=delimiter)
        yield _file_rows(header, enumerate(reader, start=2), total, all_text=True)
    except UnicodeDecodeError:
        raise ValidationError(_("The CSV file is not in UTF-8. In Excel choose “CSV UTF-8” when saving.")) from None
    finally:
        text.detach()  # the caller closes the stored file


def _file_rows(header, numbered, total: int, *, all_text: bool = False) -> FileRows:
    if not header or not any(cell not in (None, "") for cell in header):
        raise ValidationError(_("The first row must hold the column headers of the template."))
    if total > settings.IMPORT_MAX_ROWS:
        raise ValidationError(_("The file has %(rows)s rows; at most %(limit)s are imported at once. Split it.")
                              % {"rows": f"{total:n}", "limit": f"{settings.IMPORT_MAX_ROWS:n}"})

    limit = settings.IMPORT_MAX_ROWS

    def blank(cells) -> bool:
        return not any(cell not in (None, "") and str(cell).strip() for cell in cells)

    def rows():
        last = limit + 1
        for number, cells in numbered:
            if number > last:  # a sheet whose dimension understated its size
                raise ValidationError(_("The file has more than %(limit)s rows; split it.") % {"limit": f"{limit:n}"})
            if all_text:  # CSV: every cell is text, the row a list already; the first cell mostly says enough
                if (cells and cells[0].strip()) or "".join(cells).strip():
                    yield number, cells
            elif not blank(cells):
                yield number, tuple(cells)

    return FileRows(headers=[normalise_header(cell) for cell in header], rows=rows(), total=total)


def text_cell(value) -> str:
    """
    A cell as text: whole numbers without “.0” (a NIK typed as a number), other text trimmed, without control
    characters (core.spreadsheets).
    """
    if type(value) is str:  # most cells (every CSV cell): the quick way first
        return without_control_characters(value).strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return without_control_characters(str(value)).strip()


_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def parse_date_cell(value) -> date | None:
    """A date cell, or text as 2025-06-12 or 12/06/2025 (day first, as written in Indonesia); ValueError else."""
    if value is None:
        return None
    if type(value) is str:
        return parse_date_text(value)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return parse_date_text(str(value))


@lru_cache(maxsize=1 << 16)
def parse_date_text(value: str) -> date | None:
    """``parse_date_cell`` of a text cell (the caller knows it is text)."""
    # Cached: a register repeats its dates (one joining date for a whole village, birth dates over 60 years).
    text = value.strip()
    if not text:
        return None
    if match := _DMY.match(text):
        day, month, year = (int(part) for part in match.groups())
        return date(year, month, day)
    return date.fromisoformat(text)
