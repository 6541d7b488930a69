"""
Files of kegiatan: the printable daftar hadir (PDF, with a signature column), attendance and deal lists as CSV
or XLSX, and reading a paper/Excel attendance list (CSV or XLSX after the template) into rows for the import
service.
"""

import contextlib
import csv
import io
from collections.abc import Callable

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl import load_workbook
from openpyxl.styles import Font

from core.spreadsheets import spreadsheet_cell
from core.spreadsheets import without_control_characters
from wilayah.models import RegionLevel

from .models import Attendee
from .models import AttendeeRole
from .models import Event

__all__ = [
    "IMPORT_COLUMNS",
    "MAX_IMPORT_BYTES",
    "MAX_IMPORT_ROWS",
    "attendance_template_xlsx",
    "daftar_hadir_pdf",
    "read_attendance_file",
    "table_csv",
    "table_xlsx",
]

MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 2000
# The template's columns (Indonesian, as printed on the paper list) → the attendee's fields.
IMPORT_COLUMNS = {"nama": "name", "nik": "nik", "peran": "role", "desa": "village", "telepon": "phone",
                  "organisasi": "organisation"}


def table_csv(header, rows) -> bytes:
    """UTF-8 with a BOM and ";" between fields (what Excel set to Indonesian expects); never a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([spreadsheet_cell(value) for value in header])
    writer.writerows([spreadsheet_cell(value) for value in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def table_xlsx(header, rows, *, title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31] or "Sheet"
    sheet.append([spreadsheet_cell(value) for value in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([spreadsheet_cell(value) for value in row])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def attendance_rows(event: Event, *, phone_shown: Callable[[Attendee], bool]):
    """The list's table; a phone number only where ``phone_shown`` (``selectors.attendee_phone_shown``)."""
    header = [_("No."), _("Name"), _("NIK (masked)"), _("Role"), _("Desa/kelurahan"), _("Organisation"),
              _("Phone"), _("Recorded at")]
    rows = [
        [number, attendee.name, attendee.masked_nik, str(attendee.get_role_display()),
         attendee.village.name.title() if attendee.village else "", attendee.organisation,
         str(attendee.phone) if phone_shown(attendee) else "",
         formats.date_format(timezone.localtime(attendee.recorded_at), "SHORT_DATETIME_FORMAT")]
        for number, attendee in enumerate(_attendees(event), start=1)
    ]
    return header, rows


def _attendees(event: Event, village_code: str | None = None):
    attendees = Attendee.objects.filter(event=event).select_related("village")
    if village_code:
        attendees = attendees.filter(village_id=village_code)
    return attendees.order_by("village__name", "role", "name")


def attendance_template_xlsx() -> bytes:
    """The import template: the columns, an example row, and the role codes on a second sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "daftar hadir"
    sheet.append(list(IMPORT_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(["Siti Aminah", "", "kepala_desa", "33.18.01.2001", "081234567890", ""])
    roles = workbook.create_sheet("peran")
    roles.append(["kode", "peran"])
    for value, label in AttendeeRole.choices:
        roles.append([value, str(label)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def daftar_hadir_pdf(event: Event, *, user, village_code: str | None = None) -> bytes:
    """
    The attendance list as printed for signing or filing: the event, each attendee with role and desa, an empty
    signature column, and the officer's signature block. ``village_code`` prints one village's part (the
    evidence for that village's sosialisasi stage).
    """
    # Here, not at the top: WeasyPrint loads Pango and fonts, which only the request building a PDF needs.
    from weasyprint import HTML

    now = timezone.localtime()
    village = event.invitations.filter(village_id=village_code).select_related("village").first()
    context = {
        "event": event, "attendees": list(_attendees(event, village_code)), "user": user,
        "village": village.village if village else None, "generated_at": now, "time_zone": now.tzname(),
        "LANGUAGE_CODE": translation.get_language(),
        "place_date": f"{event.place}, {formats.date_format(timezone.localtime(event.starts_at).date(), 'j F Y')}",
    }
    html = render_to_string("kegiatan/pdf/daftar_hadir.html", context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


# SECTION: reading an attendance list


def _role_code(text: str) -> str:
    text = " ".join(str(text or "").split()).lower()
    for value, label in AttendeeRole.choices:
        if text in (value, value.replace("_", " "), str(label).lower()):
            return value
    with translation.override("id"):
        for value, label in AttendeeRole.choices:
            if text == str(label).lower():
                return value
    return ""


def _village_code(event: Event, text: str, villages: dict[str, str]) -> tuple[str | None, str]:
    """A desa by its code or its name among the invited villages; (code, problem)."""
    text = " ".join(str(text or "").split())
    if not text:
        return None, ""
    if text in villages.values() or (text[:2].isdigit() and "." in text):
        return text, ""
    matches = [code for name, code in villages.items() if name == text.lower()]
    if len(matches) == 1:
        return matches[0], ""
    if len(matches) > 1:
        return None, _("Several invited desa are called “%(name)s”; use the code.") % {"name": text}
    return None, _("“%(name)s” is not among the invited desa/kelurahan; use the name or the code.") % {"name": text}


def _raw_rows(upload) -> list[list]:
    name = (getattr(upload, "name", "") or "").lower()
    content = upload.read()
    if name.endswith(".xlsx"):
        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception:  # a damaged or renamed file: openpyxl raises many kinds
            raise ValueError(_("The file cannot be read as an Excel workbook (.xlsx).")) from None
        sheet = workbook.worksheets[0]
        return [list(row) for _index, row in zip(range(MAX_IMPORT_ROWS + 2), sheet.iter_rows(values_only=True),
                                                  strict=False)]
    if name.endswith(".csv"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = content.decode("latin-1")
        dialect = csv.excel
        with contextlib.suppress(csv.Error):
            dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
        try:
            return [row for _index, row in zip(range(MAX_IMPORT_ROWS + 2), csv.reader(io.StringIO(text), dialect),
                                               strict=False)]
        except csv.Error as error:  # e.g. a cell longer than the csv module's limit (128 KiB): not a list
            raise ValueError(_("The CSV file cannot be read as a list (%(reason)s).") % {"reason": error}) from error
    raise ValueError(_("Upload the list as CSV or XLSX (use the template)."))


def read_attendance_file(event: Event, upload) -> list[dict]:
    """
    The rows of an uploaded list as dicts for ``attendance_import`` (row numbers as in the spreadsheet). A file
    that cannot be read at all raises ``ValueError`` with the reason.
    """
    if getattr(upload, "size", 0) > MAX_IMPORT_BYTES:
        raise ValueError(_("The file is larger than 2 MB; split the list."))
    raw = _raw_rows(upload)
    if not raw:
        raise ValueError(_("The file is empty."))
    header = [" ".join(str(value or "").split()).lower() for value in raw[0]]
    if "nama" not in header or "peran" not in header:
        raise ValueError(_("The first row must name the columns: nama, nik, peran, desa, telepon, organisasi."))
    if len(raw) > MAX_IMPORT_ROWS + 1:
        raise ValueError(_("At most %(count)s rows per file.") % {"count": MAX_IMPORT_ROWS})
    index = {column: header.index(column) for column in IMPORT_COLUMNS if column in header}
    villages = {inv.village.name.lower(): inv.village_id
                for inv in event.invitations.select_related("village").filter(village__level=RegionLevel.VILLAGE)}
    rows = []
    for number, values in enumerate(raw[1:], start=2):
        cells = {IMPORT_COLUMNS[column]: values[position] if position < len(values) else None
                 for column, position in index.items()}
        if all(value in (None, "") for value in cells.values()):
            continue
        text = {key: "" if value is None else without_control_characters(
                    str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)).strip()
                for key, value in cells.items()}
        role = _role_code(text.get("role", ""))
        village_code, problem = _village_code(event, text.get("village", ""), villages)
        row = {"row": number, "name": text.get("name", ""), "nik": text.get("nik", ""), "role": role,
               "village_code": village_code, "phone": text.get("phone", ""),
               "organisation": text.get("organisation", "")}
        if not role:
            row["error"] = _("Unknown role “%(role)s” (see the “peran” sheet of the template).") % {
                "role": text.get("role", "")}
        elif problem:
            row["error"] = problem
        rows.append(row)
    return rows
