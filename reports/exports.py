"""
Exports of the dashboard tables (CSV, XLSX) and the district progress report (PDF). Built by a
Celery task from an ExportJob, always with the requesting user's scope.
"""

import csv
import io
from collections.abc import Callable
from collections.abc import Iterable

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from accounts.models import User

from .extensions import export_table
from .extensions import export_table_kinds
from .extensions import report_sections
from .selectors import dashboard
from .selectors import freshness
from .selectors import not_updated
from .selectors import status_labels

__all__ = ["available_exports", "build_export"]

ProgressCallback = Callable[[int], None]


def _children(user, code, params, progress) -> tuple[list[str], Iterable[list]]:
    k = int(params.get("k", 1))
    board = dashboard(user=user, code=code)
    header = [_("Code"), _("Name"), _("Desa/kelurahan"), _("Cooperatives"), _("Registered (%)"), _("Legal entity"),
              _("Legal entity (%)"), _("≥ %(k)d units operational") % {"k": k},
              _("≥ %(k)d units operational (%%)") % {"k": k}, _("Members"), _("Visits (30 days)"), _("Stalled"),
              _("Awaiting verification")]
    rows = [[row.code, row.name, row.villages, row.cooperatives, row.registered_percent, row.legal_entity,
             row.legal_entity_percent, row.operational_at_least(k), row.operational_percent(k), row.members,
             row.visits_30d, row.stalled, row.awaiting_review] for row in [board.area, *board.children]]
    return header, rows


def _units(user, code, params, progress):
    area = dashboard(user=user, code=code).area
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
    area = dashboard(user=user, code=code).area
    return [_("Stage reached"), _("Cooperatives")], [[stage["label"], stage["count"]] for stage in area.stages()]


TABLES = {"children": _children, "units": _units, "not_updated": _not_updated, "stages": _stages}


def _table(kind: str) -> Callable:
    """The rows of ``kind``: reports' own tables, or one another app registered (see reports.extensions)."""
    registered = export_table(kind)
    return registered.rows if registered else TABLES[kind]


# Text a spreadsheet program would run as a formula ("=HYPERLINK(…)" typed as a cooperative's name).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    """Numbers stay numbers; labels (possibly lazy translations) become text, never a formula."""
    if isinstance(value, int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _plain(row) -> list:
    return [_cell(value) for value in row]


def _csv(header, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_plain(header))
    writer.writerows(_plain(row) for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM lets spreadsheet programs detect UTF-8


def _xlsx(header, rows, title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append(_plain(header))
    for row in rows:
        sheet.append(_plain(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _report_pdf(user, code, params, progress) -> bytes:
    """The district progress report: kop, summary figures, targets, unit matrix and stalled cooperatives."""
    from weasyprint import HTML

    board = dashboard(user=user, code=code)
    progress(30)
    stalled = not_updated(user=user, code=code, days=settings.STALLED_AFTER_DAYS)
    context = {
        "board": board, "area": board.area, "sections": report_sections(user=user, board=board),
        "statuses": status_labels(), "stalled": stalled[:40], "stalled_count": stalled.count(),
        "generated_at": timezone.localtime(), "freshness": freshness(), "user": user,
        "stalled_days": settings.STALLED_AFTER_DAYS, "LANGUAGE_CODE": translation.get_language(),
    }
    html = render_to_string("reports/pdf/district_report.html", context)
    progress(70)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def available_exports() -> set[tuple[str, str]]:
    """Every (kind, format) that can be asked for: the tables in CSV and XLSX, and the PDF report."""
    return {(kind, fmt) for kind in (*TABLES, *export_table_kinds()) for fmt in ("csv", "xlsx")} | {("report", "pdf")}


def build_export(*, user: User, kind: str, fmt: str, code: str, params: dict, language: str,
                 progress: ProgressCallback) -> tuple[str, bytes]:
    """The file name and content of one export, in the requester's language and scope."""
    if (kind, fmt) not in available_exports():
        raise ValueError(f"Unknown export {kind}.{fmt}")
    stamp = timezone.localdate().isoformat()
    name = f"{kind.replace('_', '-')}-{code or 'wilayah-saya'}-{stamp}.{fmt}"
    with translation.override(language):
        if kind == "report":
            return name, _report_pdf(user, code, params, progress)
        header, rows = _table(kind)(user, code, params, progress)
        if fmt == "csv":
            return name, _csv(header, rows)
        return name, _xlsx(header, rows, title=kind)

