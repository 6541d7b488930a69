"""
Exports of the dashboard tables (CSV, XLSX) and the district progress report (PDF). Built by a
Celery task from an ExportJob, always with the requesting user's scope.
"""

import csv
import io
import itertools
from collections.abc import Callable
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import formats
from django.utils import timezone
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter

from accounts.models import User
from bumdes.models import Federation
from bumdes.models import FederationVillage
from bumdes.selectors import member_village_codes
from core.scoping import Scope
from core.spreadsheets import spreadsheet_cell
from koperasi.selectors import cooperative_filter
from koperasi.selectors import review_queue
from koperasi.selectors import stalled_cooperatives
from wilayah.models import Region

from .charts import stacked_bars_svg
from .extensions import export_table
from .extensions import export_table_kinds
from .extensions import report_sections
from .indicators import INDICATORS
from .metrics import NATION
from .models import export_kind_label
from .selectors import ZERO
from .selectors import AreaRow
from .selectors import dashboard
from .selectors import federation_board
from .selectors import freshness
from .selectors import letterhead_for
from .selectors import not_updated
from .selectors import rollup_for
from .selectors import status_labels

__all__ = ["PercentColumn", "as_of_param", "available_exports", "build_export", "export_file_name",
           "export_filters_refused", "figures_day"]


class PercentColumn(str):
    """
    A column header whose values are percentages (27.3 means 27,3 %): XLSX stores them as real percentages, shown
    with ``precision`` decimals (the indicator's published precision).
    """

    precision: int = 1

    def __new__(cls, label, precision: int = 1):
        column = super().__new__(cls, label)
        column.precision = precision
        return column

ProgressCallback = Callable[[int], None]


def as_of_param(params: dict) -> date | None:
    """The past day an export or report shows (``as_of`` in its parameters), or None for now."""
    value = (params or {}).get("as_of")
    return date.fromisoformat(value) if value else None


def _children(user, code, params, progress) -> tuple[list[str], Iterable[list]]:
    k = int(params.get("k", 1))
    board = dashboard(user=user, code=code, as_of=as_of_param(params))
    header = [_("Code"), _("Name"), _("Desa/kelurahan"), _("Cooperatives"), PercentColumn(_("Registered (%)")),
              _("Legal entity"), PercentColumn(_("Legal entity (%)")), _("≥ %(k)d units operational") % {"k": k},
              PercentColumn(_("≥ %(k)d units operational (%%)") % {"k": k}), _("Members"), _("Visits (30 days)"),
              _("Stalled"), _("Awaiting verification")]
    # Then every published indicator over its own base, with its published precision (reports.indicators).
    header += [_("Desa"), _("Kelurahan"), *(
        PercentColumn(_("%(indicator)s (%% of %(base)s)") % {"indicator": item.label, "base": item.base_label()},
                      item.precision) for item in INDICATORS)]
    rows = [[row.code, row.name, row.villages, row.cooperatives, row.registered_percent, row.legal_entity,
             row.legal_entity_percent, row.operational_at_least(k), row.operational_percent(k), row.members,
             row.visits_30d, row.stalled, row.awaiting_review, row.desa, row.kelurahan,
             *(_or_blank(item.percent(row)) for item in INDICATORS)] for row in [board.area, *board.children]]
    return header, rows


def _or_blank(value):
    return "" if value is None else value


def _units(user, code, params, progress):
    area = dashboard(user=user, code=code, as_of=as_of_param(params)).area
    header = [_("Unit"), *status_labels()]
    return header, [[item["label"], *item["counts"]] for item in area.unit_matrix()]


def _not_updated(user, code, params, progress):
    days = min(max(int(params.get("days", 30)), 0), 3650)
    cooperatives = not_updated(user=user, code=code, days=days)
    total = cooperatives.count() or 1
    header = [_("Cooperative"), _("Desa/kelurahan code"), _("Desa/kelurahan"), _("Stage reached"), _("Last activity")]

    def rows():
        for index, cooperative in enumerate(cooperatives.iterator(chunk_size=2000), start=1):
            if index % 2000 == 0:
                progress(min(95, 100 * index // total))
            yield [cooperative.name, cooperative.village_id, cooperative.village.name,
                   cooperative.stage_reached.label if cooperative.stage_reached else "",
                   timezone.localtime(cooperative.last_activity_at).strftime("%Y-%m-%d %H:%M")]

    return header, rows()


def _stages(user, code, params, progress):
    area = dashboard(user=user, code=code, as_of=as_of_param(params)).area
    return [_("Stage reached"), _("Cooperatives")], [[stage["label"], stage["count"]] for stage in area.stages()]


def _cooperatives(user, code, params, progress):
    """The cooperative list of the portal, through the same filters (``params``)."""
    filters = dict(params)
    if code and code != NATION:
        filters["region"] = code
    cooperatives = cooperative_filter(user=user, filters=filters).qs.order_by("village_id")
    header = [_("Cooperative"), _("Desa/kelurahan code"), _("Desa/kelurahan"), _("Kecamatan"), _("Type"),
              _("Formation model"), _("Stage reached"), _("Formation completed"), _("SK AHU"), _("NPWP"), _("NIB"),
              _("Registered at")]

    def rows():
        for cooperative in cooperatives.iterator(chunk_size=2000):
            yield [cooperative.name, cooperative.village_id, cooperative.village.name,
                   cooperative.village.parent.name if cooperative.village.parent else "",
                   cooperative.get_kind_display(), cooperative.get_formation_model_display(),
                   cooperative.stage_reached.label if cooperative.stage_reached else "",
                   _("yes") if cooperative.formation_completed else _("no"), cooperative.sk_ahu_number,
                   cooperative.npwp, cooperative.nib, timezone.localtime(cooperative.created_at).date().isoformat()]

    return header, rows()


def _queue(user, code, params, progress):
    """The verification queue as the officer sees it (what they can act on first)."""
    filters = dict(params)
    if code and code != NATION:
        filters["region"] = code
    queue = review_queue(user=user, filters=filters).qs
    header = [_("Waiting (days)"), _("Submitted"), _("Cooperative"), _("Desa/kelurahan"), _("Kecamatan"), _("Stage"),
              _("Round"), _("By"), _("Awaiting another officer")]
    rows = [[progress_row.waiting_days, timezone.localtime(progress_row.submitted_at).date().isoformat(),
             progress_row.cooperative.name, progress_row.cooperative.village.name,
             progress_row.cooperative.village.parent.name, progress_row.stage.label, progress_row.round,
             str(progress_row.submitted_by or ""), _("yes") if progress_row.own else _("no")]
            for progress_row in queue[:10_000]]
    return header, rows


def _federation(user, params) -> Federation | None:
    federation = str(params.get("federation", ""))
    if not (federation.isascii() and federation.isdigit()):
        return None
    return Federation.objects.for_user(user).filter(pk=int(federation)).first()


def _federation_members(user, code, params, progress):
    """A federation's member villages of today with their capital and their cooperatives' progress (the roll-up)."""
    k = int(params.get("k", 1))
    federation = _federation(user, params)
    today = timezone.localdate()
    codes = sorted(member_village_codes([federation.pk], today)) if federation else []
    header = [_("Code"), _("Desa/kelurahan"), _("Kecamatan"), _("Joined on"), _("Capital (Rp)"), _("Cooperatives"),
              _("Legal entity"), _("≥ %(k)d units operational") % {"k": k}, _("Members")]
    memberships = {row.village_id: row for row in FederationVillage.objects.filter(
        federation=federation, village_id__in=codes, joined_on__lte=today).exclude(left_on__lte=today)}

    def rows():
        for start in range(0, len(codes), 1000):
            chunk = codes[start:start + 1000]
            counts = rollup_for(chunk)
            regions = {region.code: region for region in Region.objects.filter(code__in=chunk).select_related("parent")}
            for village in chunk:
                row = AreaRow(village, regions[village].name, "village", 1, counts.get(village) or dict(ZERO))
                membership = memberships.get(village)
                yield [village, row.name, regions[village].parent.name,
                       membership.joined_on.isoformat() if membership else "", membership.capital if membership else 0,
                       row.cooperatives, row.legal_entity, row.operational_at_least(k), row.members]
            progress(10 + 80 * min(len(codes), start + 1000) // max(len(codes), 1))

    return header, rows()


def export_filters_refused(*, user, kind: str, params: dict) -> list[str]:
    """What is wrong with a list export's filters (an empty file would look like an answer), in words."""
    if kind in ("federation_members", "federation_report") and _federation(user, params) is None:
        return [_("Federation: choose a federation you may see.")]
    selectors = {"cooperatives": cooperative_filter, "queue": review_queue}
    if kind not in selectors:
        return []
    filterset = selectors[kind](user=user, filters=params)
    return [f"{filterset.form[name].label}: {' '.join(errors)}" for name, errors in filterset.form.errors.items()
            if name in filterset.form.fields]


TABLES = {"children": _children, "units": _units, "not_updated": _not_updated, "stages": _stages,
          "cooperatives": _cooperatives, "queue": _queue, "federation_members": _federation_members}


def _table(kind: str) -> Callable:
    """The rows of ``kind``: reports' own tables, or one another app registered (see reports.extensions)."""
    registered = export_table(kind)
    return registered.rows if registered else TABLES[kind]


def _plain(row) -> list:
    return [spreadsheet_cell(value) for value in row]


def _csv(header, rows, *, indonesian: bool) -> bytes:
    """
    UTF-8 with a BOM (so spreadsheet programs detect it). For Indonesian, ";" between fields and a decimal
    comma: Excel set to Indonesian splits on ";" and reads 27,3 as a number.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";" if indonesian else ",")

    def localised(row):
        values = _plain(row)
        return [str(value).replace(".", ",") if indonesian and isinstance(value, float | Decimal) else value
                for value in values]

    writer.writerow(_plain(header))
    writer.writerows(localised(row) for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


_WIDTH_SAMPLE = 200


def _xlsx(header, rows, *, sheet_title: str, heading: str) -> bytes:
    """
    A title row, a bold frozen header, column widths fitted to the content, whole numbers with thousands
    separators and percentages as real percentages (the spreadsheet shows them in its own locale).
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    rows = iter(rows)
    sample = [row for _index, row in zip(range(_WIDTH_SAMPLE), rows, strict=False)]
    for index, label in enumerate(header):
        longest = max([len(str(label)), *(len(str(row[index])) for row in sample if index < len(row))])
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(max(longest + 2, 8), 60)
    sheet.freeze_panes = "A3"
    title = WriteOnlyCell(sheet, value=heading)
    title.font = Font(bold=True, size=13)
    sheet.append([title])
    header_cells = []
    for label in header:
        cell = WriteOnlyCell(sheet, value=spreadsheet_cell(label))
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="E8ECF0")
        header_cells.append(cell)
    sheet.append(header_cells)
    percent = {index: label.precision for index, label in enumerate(header) if isinstance(label, PercentColumn)}
    for row in itertools.chain(sample, rows):
        cells = []
        for index, value in enumerate(_plain(row)):
            cell = WriteOnlyCell(sheet, value=value / 100 if index in percent
                                 and isinstance(value, int | float | Decimal) else value)
            if index in percent:
                cell.number_format = "0." + "0" * percent[index] + "%" if percent[index] else "0%"
            elif isinstance(value, int) and not isinstance(value, bool):
                cell.number_format = "#,##0"
            elif isinstance(value, float):
                cell.number_format = "#,##0.00"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _report_pdf(user, code, params, progress, document_number: str = "") -> bytes:
    """
    The official progress report of an area: the office's letterhead, a document number, the summary
    figures (the dashboard's), targets with their split by kecamatan, the unit chart and matrix, the
    stalled cooperatives (the dashboard's definition and count), and the signature block of the officer.
    """
    as_of = as_of_param(params)
    board = dashboard(user=user, code=code, as_of=as_of)
    progress(30)
    stalled = stalled_cooperatives(user=user)
    if code and code != NATION:
        stalled = stalled.within(Scope.of([code]))
    if as_of:  # the list is of today; a past day's report gives that day's count only
        stalled = stalled.none()
    area = board.area
    now = timezone.localtime()
    # Here, not at the top: WeasyPrint loads Pango and fonts, which only the worker building a PDF needs.
    from weasyprint import HTML

    letterhead = letterhead_for(code)
    context = {
        "board": board, "area": area, "sections": report_sections(user=user, board=board),
        "statuses": status_labels(), "stalled": stalled[:40],
        "stalled_count": area.stalled if as_of else stalled.count(),
        "generated_at": now, "time_zone": now.tzname(), "freshness": freshness(), "user": user,
        "stalled_days": settings.STALLED_AFTER_DAYS, "LANGUAGE_CODE": translation.get_language(),
        "letterhead": letterhead, "document_number": document_number, "as_of": as_of,
        "place_date": f"{letterhead.place}, {formats.date_format(now.date(), 'j F Y')}",
        "unit_chart": mark_safe(stacked_bars_svg(  # noqa: S308 - built from numbers and escaped labels
            [(item["label"], item["counts"]) for item in area.unit_matrix()], status_labels())),
    }
    html = render_to_string("reports/pdf/district_report.html", context)
    progress(70)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def _federation_report_pdf(user, params, progress) -> bytes:
    """
    A federation's progress report, as its dashboard shows it: its name and seat as the heading, the members'
    KDKMP figures from the federation's roll-up row, its sites, coverage gaps, the unit chart, monthly figures
    and the largest capital shares, with the signature block of the person printing it.
    """
    federation = _federation(user, params)
    board = federation_board(user=user, federation_id=federation.pk)
    progress(40)
    area = board.area
    now = timezone.localtime()
    from weasyprint import HTML  # as in _report_pdf: only a worker building a PDF loads Pango

    context = {
        "federation": board.federation, "board": board, "area": area, "k": int(params.get("k", 1)),
        "statuses": status_labels(), "generated_at": now, "time_zone": now.tzname(),
        "freshness": freshness(), "user": user, "LANGUAGE_CODE": translation.get_language(),
        "place_date": f"{board.federation.seat.name}, {formats.date_format(now.date(), 'j F Y')}",
        "unit_chart": mark_safe(stacked_bars_svg(  # noqa: S308 - built from numbers and escaped labels
            [(item["label"], item["counts"]) for item in area.unit_matrix()], status_labels())),
    }
    html = render_to_string("reports/pdf/federation_report.html", context)
    progress(70)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


PDF_REPORTS = {("report", "pdf"), ("federation_report", "pdf")}


def available_exports() -> set[tuple[str, str]]:
    """Every (kind, format) that can be asked for: the tables in CSV and XLSX, and the PDF reports."""
    return {(kind, fmt) for kind in (*TABLES, *export_table_kinds()) for fmt in ("csv", "xlsx")} | PDF_REPORTS


# File names are Indonesian whatever the language of the content: they are filed in Indonesian offices.
FILE_NAMES = {"children": "rekap-per-wilayah", "units": "kesiapan-tujuh-unit", "not_updated": "belum-diperbarui",
              "stages": "tahap-pembentukan", "report": "laporan-kemajuan", "cooperatives": "daftar-koperasi",
              "queue": "antrean-verifikasi", "federation_members": "anggota-federasi",
              "federation_report": "laporan-federasi"}


# The tables read from the dashboard, which shows a past day's figures when asked (``as_of``); the others (lists,
# the follow-up list, a federation's members) are of today. Tables other apps register read the dashboard too.
PAST_DAY_TABLES = frozenset({"children", "units", "stages", "report"})


def figures_day(kind: str, params: dict) -> date | None:
    """The past day whose figures an export of ``kind`` holds, or None for today's."""
    return as_of_param(params) if kind in PAST_DAY_TABLES or export_table(kind) else None


def export_file_name(kind: str, code: str | None, fmt: str, day: date | None = None) -> str:
    """The file's name: what it is, of which area, and the day of its figures (today unless a past day)."""
    registered = export_table(kind)
    slug = FILE_NAMES.get(kind) or (registered.file_name if registered else kind.replace("_", "-"))
    return f"{slug}-{code or 'wilayah-saya'}-{(day or timezone.localdate()).isoformat()}.{fmt}"


def build_export(*, user: User, kind: str, fmt: str, code: str, params: dict, language: str,
                 progress: ProgressCallback, document_number: str = "") -> tuple[str, bytes]:
    """The file name and content of one export, in the requester's language and scope."""
    if (kind, fmt) not in available_exports():
        raise ValueError(f"Unknown export {kind}.{fmt}")
    # A federation's files are named after it (its id), not after the requester's area.
    federation = params.get("federation") if kind.startswith("federation_") else None
    day = figures_day(kind, params)
    name = export_file_name(kind, code or federation, fmt, day)
    with translation.override(language):
        if kind == "report":
            return name, _report_pdf(user, code, params, progress, document_number)
        if kind == "federation_report":
            return name, _federation_report_pdf(user, params, progress)
        header, rows = _table(kind)(user, code, params, progress)
        if fmt == "csv":
            return name, _csv(header, rows, indonesian=language == "id")
        label = export_kind_label(kind)
        # Whose figures and of when: a federation's table is titled with the federation, and a past day's figures
        # say so (they had been titled with the requester's area and the time of the export).
        area = _federation(user, params).name if federation else dashboard(user=user, code=code).area.name
        when = (_("figures at the end of %(day)s") % {"day": formats.date_format(day)} if day
                else formats.date_format(timezone.localtime(), "DATETIME_FORMAT"))
        return name, _xlsx(header, rows, sheet_title=label, heading=f"{label} — {area} — {when}")

