"""
Bulk import: upload, check in one pass (the dry run), import on the user's decision.

Every run reads the stored file row by row and hands each row to its kind (``kinds``), inside one
transaction: the dry run is rolled back (or writes nothing), an import either commits whole or, when the
user chose all-or-nothing and a row is wrong, not at all, so a bad file never leaves half an import. The
import writes the rows the dry run checked when nothing they were checked against has changed since, and
otherwise checks every row again (the register may have changed). Progress is kept in the
cache, where the page polls it; the outcome is saved on the job.
"""

import hashlib
import logging
import tempfile
import time
from collections import Counter
from datetime import timedelta
from operator import itemgetter

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import OperationalError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from core.identifiers import mask_nik
from core.outbox import outbox_enqueue
from core.scoping import require_scope
from core.scoping import scope_for
from core.spreadsheets import spreadsheet_cell

from . import balance_import  # noqa: F401  (registers the kind)
from . import formation_import  # noqa: F401  (registers the kind)
from . import member_import  # noqa: F401  (registers the kind)
from .kinds import ERROR
from .kinds import NEW
from .kinds import UNCHANGED
from .kinds import UPDATED
from .kinds import import_kind
from .models import RUNNING_STATUSES
from .models import CommitMode
from .models import ImportJob
from .models import ImportStatus
from .readers import check_upload
from .readers import normalise_header
from .readers import open_rows

__all__ = ["ERROR_PREVIEW", "import_cancel", "import_commit", "import_commit_run", "import_progress",
           "import_runs_resume", "import_template", "import_upload", "import_uploads_forget",
           "import_validate_run"]

logger = logging.getLogger(__name__)

ERROR_PREVIEW = 50
# How long a checked file waits for the user's decision before it is dropped (import_uploads_forget).
UPLOAD_KEPT = timedelta(days=7)
# A job waiting or running this long with no run holding it is queued again (import_runs_resume), at most until
# its runs have started RUNS_ALLOWED times. Longer than a worker takes to pick up a task on a busy day.
STALLED_AFTER = timedelta(minutes=10)
RUNS_ALLOWED = 3
_RUN_TASKS = {ImportStatus.QUEUED: "impor.tasks.import_validate", ImportStatus.COMMITTING: "impor.tasks.import_commit"}
PROGRESS_EVERY = 1000
# The page polls every second or so: a progress write (a cache round trip) at most this often, in seconds.
PROGRESS_INTERVAL = 0.5


class _RolledBack(Exception):
    """Leaves the run's transaction without committing it (a dry run, or all-or-nothing with errors)."""


def _progress_key(job_id) -> str:
    return f"impor:progress:{job_id}"


def _set_progress(job_id, phase: str, done: int, total: int) -> None:
    cache.set(_progress_key(job_id), {"phase": phase, "done": done, "total": total}, 6 * 3600)


def import_progress(job: ImportJob) -> dict:
    """What the page's progress bar shows: the phase, rows done and the total, and the percentage."""
    running = cache.get(_progress_key(job.pk)) if job.is_running else None
    done, total = (running["done"], running["total"]) if running else (0, job.rows_total)
    if not job.is_running:
        done = total
    percent = 100 if not job.is_running else (min(99, round(100 * done / total)) if total else 0)
    return {"status": job.status, "status_label": str(job.get_status_display()), "done": done, "total": total,
            "percent": percent, "running": job.is_running, "counts": job.counts,
            "committed_counts": job.committed_counts}


# Upload ---------------------------------------------------------------------------------------------------

def _scope_code(actor, kind_class, cooperative) -> str:
    if kind_class.needs_cooperative:
        if cooperative is None:
            raise ValidationError({"cooperative": [_("Choose the cooperative to import into.")]})
        require_scope(actor, kind_class.action, cooperative.village_id)
        return cooperative.village_id
    scope = scope_for(actor, kind_class.action)
    if scope.is_empty:
        raise PermissionDenied(_("Your account has no role that allows this import."))
    return "" if scope.everything else min(scope.roots, key=len)


@transaction.atomic
def import_upload(*, actor, kind: str, upload, cooperative=None, language: str | None = None) -> ImportJob:
    """Store an uploaded file privately and queue its check (the dry run)."""
    try:
        kind_class = import_kind(kind)
    except KeyError:
        raise ValidationError({"kind": [_("Choose what the file holds.")]}) from None
    scope_code = _scope_code(actor, kind_class, cooperative)
    file_format = check_upload(upload)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    name = (getattr(upload, "name", "") or f"impor.{file_format}").rsplit("/", 1)[-1][:200]
    job = ImportJob(kind=kind, cooperative=cooperative if kind_class.needs_cooperative else None,
                    scope_code=scope_code, original_name=name, file_format=file_format, size=upload.size,
                    sha256=digest.hexdigest(), created_by=actor,
                    language=language or translation.get_language() or "id")
    job.file.save(f"upload.{file_format}", upload, save=False)
    job.save()
    _set_progress(job.pk, "validate", 0, 0)
    outbox_enqueue("impor.tasks.import_validate", str(job.pk))
    return job


# The run ----------------------------------------------------------------------------------------------------

class _ErrorSink:
    """The error file (row, column, value, message), written as it goes; the first errors kept for the page."""

    def __init__(self):
        self.count = 0
        self.preview: list[dict] = []
        self.workbook = self.sheet = None

    def _open(self) -> None:
        # Made on the first error only: a write-only workbook must be saved once it has a sheet.
        self.workbook = Workbook(write_only=True)
        self.sheet = self.workbook.create_sheet(_("Errors"))
        bold = Font(bold=True)
        header = []
        for label in (_("Row"), _("Column"), _("Value"), _("Message")):
            cell = WriteOnlyCell(self.sheet, value=label)
            cell.font = bold
            header.append(cell)
        self.sheet.append(header)

    def add(self, row: int, column: str, value, message: str, *, masked: bool = False) -> None:
        if self.workbook is None:
            self._open()
        self.count += 1
        text = spreadsheet_cell("" if value is None else str(value))
        if masked and text:
            text = mask_nik("".join(text.split()))
        self.sheet.append([row, column, text, message])
        if len(self.preview) < ERROR_PREVIEW:
            self.preview.append({"row": row, "column": column, "value": text[:100], "message": message})

    def save(self, job: ImportJob) -> None:
        if job.error_file:
            job.error_file.delete(save=False)
            job.error_file = ""
        if self.workbook is None:
            return
        with tempfile.TemporaryFile() as handle:
            self.workbook.save(handle)
            handle.seek(0)
            job.error_file.save("errors.xlsx", File(handle), save=False)


def _map_headers(headers: list[str], columns) -> dict[str, int]:
    """Which cell holds which column; the required columns must be there."""
    known = {}
    for column in columns:
        for name in (column.header, *column.aliases, column.key):
            known.setdefault(normalise_header(name), column.key)
    mapping: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = known.get(header)
        if key and key not in mapping:
            mapping[key] = index
    missing = [column.header for column in columns if column.required and column.key not in mapping]
    if missing:
        raise ValidationError(_("The file lacks the column(s) %(columns)s. Use the template's header row.")
                              % {"columns": ", ".join(f"“{name}”" for name in missing)})
    return mapping


def _run(job: ImportJob, *, actor, dry_run: bool, mode: str = "") -> tuple[Counter, _ErrorSink, bool, object]:
    """
    Check (and unless ``dry_run`` import) every row. Returns the counts, the errors, whether the run was rolled
    back, and for a dry run the kind's checked rows (a file and its token, or None).
    """
    kind_class = import_kind(job.kind)
    handler = kind_class(job=job, actor=actor, dry_run=dry_run)
    headers = {column.key: column.header for column in kind_class.columns}
    masked = {column.key for column in kind_class.columns if column.masked}
    counts: Counter = Counter({NEW: 0, UNCHANGED: 0, UPDATED: 0, ERROR: 0})
    sink = _ErrorSink()
    phase = "validate" if dry_run else "commit"
    rolled_back = False
    checked = None
    with job.file.open("rb") as handle, open_rows(handle, job.file_format) as rows:
        mapping = _map_headers(rows.headers, kind_class.columns)
        ImportJob.objects.filter(pk=job.pk).update(rows_total=rows.total)
        job.rows_total = rows.total
        _set_progress(job.pk, phase, 0, rows.total)
        reported = time.monotonic()
        done = 0
        keys, indexes = tuple(mapping), tuple(mapping.values())
        width = max(indexes) + 1
        # The row's cells in the order of ``keys`` (itemgetter of one index gives the cell, not a tuple).
        pick = itemgetter(*indexes) if len(indexes) > 1 else lambda cells: (cells[indexes[0]],)
        # A kind that reads a row as its cells in the order of its columns, when the file has every column, is
        # spared a dict a row (the dict is made for a row with errors only, for the error file).
        check_cells = getattr(handler, "check_cells", None)
        if check_cells is not None and len(mapping) == len(kind_class.columns) > 1:
            pick_columns = itemgetter(*(mapping[column.key] for column in kind_class.columns))
        else:
            check_cells = None
        try:
            with transaction.atomic():
                handler.start()
                for number, cells in rows.rows:
                    if len(cells) < width:  # a short row: the missing cells are empty
                        cells = (*cells, *(None,) * (width - len(cells)))
                    if check_cells is not None:
                        outcome = check_cells(number, pick_columns(cells))
                        values = None
                    else:
                        values = dict(zip(keys, pick(cells), strict=True))
                        outcome = handler.check(number, values)
                    counts[outcome.action] += 1
                    if outcome.errors:
                        if values is None:
                            values = dict(zip(keys, pick(cells), strict=True))
                        for key, message in outcome.errors:
                            sink.add(number, headers.get(key, key), values.get(key), message, masked=key in masked)
                    done += 1
                    if done % PROGRESS_EVERY == 0 and (now := time.monotonic()) - reported >= PROGRESS_INTERVAL:
                        reported = now
                        _set_progress(job.pk, phase, done, max(rows.total, done))
                handler.finish()
                if dry_run:
                    checked = handler.checked_rows()
                if dry_run or (mode == CommitMode.ALL_OR_NOTHING and counts[ERROR]):
                    raise _RolledBack
        except _RolledBack:
            rolled_back = True
    job.rows_total = done
    return counts, sink, rolled_back, checked


def _fail(job: ImportJob, message: str) -> ImportJob:
    job.status, job.message = ImportStatus.FAILED, message
    _forget_upload(job)
    job.save(update_fields=["status", "message", *_UPLOAD_FIELDS])
    return job


def import_validate_run(job_id: str) -> ImportJob:
    """
    The dry run of a queued upload: counts and the error file. Repeatable: a checked job is left alone, and a
    second delivery of the same task finds the job taken (the state changes in one statement) and stops.
    """
    taken = ImportJob.objects.filter(pk=job_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.VALIDATING, state_since=timezone.now(), runs_started=F("runs_started") + 1)
    if not taken:
        return ImportJob.objects.get(pk=job_id)
    # Held to the end: the job's row lock says the run is alive (import_runs_resume passes it by).
    with transaction.atomic():
        job = _job_at_work(job_id, ImportStatus.VALIDATING, "created_by")
        if job is None:
            return ImportJob.objects.get(pk=job_id)
        return _validate(job)


def _job_at_work(job_id: str, status: str, user_field: str) -> ImportJob | None:
    """The job, its row locked for the run's transaction; None when it is no longer in ``status``."""
    job = (ImportJob.objects.select_for_update(of=("self",)).select_related("cooperative", user_field)
           .get(pk=job_id))
    return job if job.status == status else None


def _validate(job: ImportJob) -> ImportJob:
    with translation.override(job.language):
        try:
            counts, sink, _rolled_back, checked = _run(job, actor=job.created_by, dry_run=True)
        except ValidationError as error:
            return _fail(job, " ".join(error.messages))
        except Exception:
            logger.exception("Import %s could not be checked", job.pk)
            return _fail(job, _("The file could not be read. Check that it is the template, saved as .xlsx or CSV."))
        sink.save(job)
    if checked is not None:
        handle, job.checked_token = checked
        with handle:
            handle.seek(0)
            job.checked_file.save("checked.csv", File(handle), save=False)
    job.counts, job.error_preview = dict(counts), sink.preview
    job.status, job.validated_at = ImportStatus.VALIDATED, timezone.now()
    job.save(update_fields=["counts", "error_preview", "error_file", "status", "validated_at", "rows_total",
                            "checked_file", "checked_token"])
    return job


def _locked_job(job: ImportJob, actor) -> ImportJob:
    try:
        # Without waiting: a check or import at work holds the row for as long as it runs.
        job = ImportJob.objects.select_for_update(of=("self",), nowait=True).select_related("cooperative").get(
            pk=job.pk)
    except OperationalError:
        raise ValidationError(_("The file is being worked on right now; try again once the page shows it is done.")
                              ) from None
    kind_class = import_kind(job.kind)
    if kind_class.needs_cooperative:
        require_scope(actor, kind_class.action, job.cooperative.village_id)
    elif not scope_for(actor, kind_class.action).contains(job.scope_code or None) and not scope_for(
            actor, kind_class.action).everything:
        raise PermissionDenied(_("This import is outside your area."))
    return job


@transaction.atomic
def import_commit(*, actor, job: ImportJob, mode: str) -> ImportJob:
    """The user's decision after the dry run: import the valid rows, or all or nothing. Runs in the background."""
    job = _locked_job(job, actor)
    if mode not in CommitMode.values:
        raise ValidationError({"mode": [_("Choose how to import: the valid rows, or all or nothing.")]})
    if job.status != ImportStatus.VALIDATED:
        raise ValidationError(_("This file is not waiting for a decision (it is: %(status)s).")
                              % {"status": job.get_status_display()})
    job.status, job.mode, job.committed_by, job.state_since = ImportStatus.COMMITTING, mode, actor, timezone.now()
    job.runs_started = 0  # the import gets its own tries, however many its check needed
    job.save(update_fields=["status", "mode", "committed_by", "state_since", "runs_started"])
    _set_progress(job.pk, "commit", 0, job.rows_total)
    outbox_enqueue("impor.tasks.import_commit", str(job.pk))
    return job


@transaction.atomic
def import_cancel(*, actor, job: ImportJob) -> ImportJob:
    """Drop a checked file without importing it; the stored upload is deleted (it holds personal data)."""
    job = _locked_job(job, actor)
    if job.status not in (ImportStatus.VALIDATED, ImportStatus.FAILED, ImportStatus.REFUSED):
        raise ValidationError(_("Only a file waiting for a decision can be cancelled."))
    job.status = ImportStatus.CANCELLED
    _forget_upload(job)
    job.save(update_fields=["status", *_UPLOAD_FIELDS])
    return job


_UPLOAD_FIELDS = ["file", "checked_file", "checked_token"]


def _forget_upload(job: ImportJob) -> None:
    """
    The uploaded file and the checked rows hold NIKs: once imported or dropped they are deleted (UU PDP: kept
    only as needed).
    """
    for stored in (job.file, job.checked_file):
        if stored:
            stored.delete(save=False)
    job.file = job.checked_file = ""
    job.checked_token = ""


def _commit_checked(job: ImportJob, *, actor) -> tuple[Counter, bool] | None:
    """
    Import the rows the dry run checked, as they are, when nothing they were checked against has changed
    since (the kind's token: for members the register, the cooperative's villages and the day). Returns the
    counts and whether nothing was written (all or nothing with errors), or None when the rows must be
    checked again.
    """
    if not job.checked_file or not job.checked_token:
        return None
    handler = import_kind(job.kind)(job=job, actor=actor, dry_run=False)
    counts = Counter(job.counts)
    _set_progress(job.pk, "commit", 0, job.rows_total)
    with transaction.atomic():
        handler.start()
        if handler.checked_token() != job.checked_token:
            return None
        if job.mode == CommitMode.ALL_OR_NOTHING and counts[ERROR]:
            return counts, True
        with job.checked_file.open("rb") as handle:
            handler.commit_checked(handle)
        handler.finish()
    return counts, False


def import_commit_run(job_id: str) -> ImportJob:
    """
    Import a job the user decided on: the rows the dry run checked when nothing has changed since, otherwise
    every row checked again. Repeatable: a finished job is left alone.
    """
    ImportJob.objects.filter(pk=job_id, status=ImportStatus.COMMITTING).update(runs_started=F("runs_started") + 1)
    # One transaction with the job's row locked: the rows and the job's outcome are committed together, a second
    # delivery waits and then finds the job done, and the lock says the run is alive (import_runs_resume).
    with transaction.atomic():
        job = _job_at_work(job_id, ImportStatus.COMMITTING, "committed_by")
        if job is None:
            return ImportJob.objects.get(pk=job_id)
        return _commit(job)


def _commit(job: ImportJob) -> ImportJob:
    with translation.override(job.language):
        try:
            result = _commit_checked(job, actor=job.committed_by)
            if result is None:
                counts, sink, rolled_back, _checked = _run(job, actor=job.committed_by, dry_run=False,
                                                           mode=job.mode)
                sink.save(job)
                job.error_preview = sink.preview
            else:  # the dry run's error file and preview stand
                counts, rolled_back = result
        except (ValidationError, PermissionDenied) as error:
            return _fail(job, " ".join(getattr(error, "messages", [str(error)])))
        except Exception:
            logger.exception("Import %s failed", job.pk)
            return _fail(job, _("The import failed and nothing was written. Try again, or ask the administrator."))
    job.committed_counts = dict(counts)
    job.committed_at = timezone.now()
    job.status = ImportStatus.REFUSED if rolled_back else ImportStatus.COMMITTED
    _forget_upload(job)  # imported or refused, the file is done with: a new try is a new upload
    job.save(update_fields=["committed_counts", "error_preview", "error_file", "status", "committed_at",
                            "rows_total", *_UPLOAD_FIELDS])
    return job


def import_runs_resume(*, stalled_after: timedelta = STALLED_AFTER) -> int:
    """
    From beat, every few minutes: a job waiting or running for longer than ``stalled_after`` whose row no run
    holds locked lost its worker (killed, out of memory, the server restarted) or its queued task. It is queued
    again: a dry run writes nothing and an import writes in one transaction, so nothing half-done is left to
    undo. A job whose runs have started RUNS_ALLOWED times fails instead, its upload dropped, with a message
    that says nothing was written: a file that stops the worker every time must not be tried for ever.
    Returns how many jobs were queued again or failed.
    """
    handled = 0
    with transaction.atomic():
        stalled = (ImportJob.objects.select_for_update(skip_locked=True)
                   .filter(status__in=RUNNING_STATUSES, state_since__lt=timezone.now() - stalled_after))
        for job in stalled:
            handled += 1
            if job.runs_started >= RUNS_ALLOWED:
                logger.warning("Import %s stopped %d times without finishing; it is failed", job.pk,
                               job.runs_started)
                with translation.override(job.language):
                    _fail(job, _("The work on this file stopped %(runs)d times without finishing, and nothing "
                                 "was written. Upload the file again, split into smaller files, or ask the "
                                 "administrator.") % {"runs": job.runs_started})
                continue
            logger.warning("Import %s was left %s by its worker; queued again", job.pk, job.status)
            if job.status == ImportStatus.VALIDATING:
                job.status = ImportStatus.QUEUED
            job.state_since = timezone.now()
            job.save(update_fields=["status", "state_since"])
            _set_progress(job.pk, "commit" if job.status == ImportStatus.COMMITTING else "validate", 0,
                          job.rows_total)
            outbox_enqueue(_RUN_TASKS[job.status], str(job.pk))
    return handled


def import_uploads_forget(*, older_than: timedelta = UPLOAD_KEPT) -> int:
    """
    Nightly: files checked but never decided on are dropped after ``older_than`` (they hold NIKs); the jobs
    stay, cancelled, with their counts. Returns how many were dropped.
    """
    stale = ImportJob.objects.filter(status=ImportStatus.VALIDATED, validated_at__lt=timezone.now() - older_than)
    dropped = 0
    for job in stale.iterator():
        _forget_upload(job)
        job.status = ImportStatus.CANCELLED
        job.save(update_fields=["status", *_UPLOAD_FIELDS])
        dropped += 1
    return dropped


# Templates --------------------------------------------------------------------------------------------------

def import_template(kind: str) -> tuple[str, bytes]:
    """The XLSX template of a kind: the header row (and an example row) on the first sheet, the guide on the second."""
    kind_class = import_kind(kind)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(kind_class.label)[:31]
    bold = Font(bold=True)
    for index, column in enumerate(kind_class.columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header + (" *" if column.required else ""))
        cell.font = bold
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = max(14, len(column.header) + 4)
        # Text, so Excel keeps a NIK's 16 digits and the leading zeros of RT/RW.
        for row in range(2, 1002):
            sheet.cell(row=row, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet(_("Column guide"))
    guide.append([_("Column"), _("Required"), _("How to fill it in"), _("Example")])
    for cell in guide[1]:
        cell.font = bold
    for column in kind_class.columns:
        guide.append([column.header, _("yes") if column.required else _("no"), str(column.guide), column.example])
    guide.append([])
    guide.append([_("Rows are keyed as the guide says: uploading the same file again changes nothing.")])
    guide.column_dimensions["A"].width = 28
    guide.column_dimensions["C"].width = 90
    guide.column_dimensions["D"].width = 24
    with tempfile.TemporaryFile() as handle:
        workbook.save(handle)
        handle.seek(0)
        return f"template-impor-{kind}.xlsx", handle.read()
