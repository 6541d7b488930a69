"""
Writing the roll-up: the full reconcile, the incremental refresh of changed villages, and snapshots.

Both paths compute village rows with the same SQL (reports.sql). The full reconcile rewrites every
row in one transaction from set-based queries. The incremental refresh recomputes only the changed
villages and adds the difference to each ancestor row (kecamatan, kabupaten/kota, province, nation)
with an atomic ``col = col + delta`` upsert: four small row updates instead of re-aggregating whole
provinces, and concurrent refreshes cannot collide. The two share one lock so a reconcile never
interleaves with a refresh.
"""

import contextlib
import time
from dataclasses import dataclass
from datetime import date
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils import translation
from django.utils.translation import gettext as _

from core.changes import KEY_PREFIX
from core.changes import redis_client
from core.locks import HeldLock
from core.locks import LockLost
from core.locks import renewed_lock
from core.models import BackdatedVillage
from core.outbox import outbox_enqueue
from core.roles import Action
from core.scoping import require_scope
from core.versions import area_versions_renew_on_commit
from koperasi.documents import check_upload
from wilayah.models import LEVELS_BY_DEPTH
from wilayah.models import Region

from .exports import as_of_param
from .exports import available_exports
from .exports import build_export
from .exports import export_filters_refused
from .federations import federations_of_villages
from .federations import rollup_refresh_federations
from .history import snapshot_history
from .metrics import METRIC_COLUMNS
from .metrics import NATION
from .models import DocumentSequence
from .models import ExportJob
from .models import ExportStatus
from .models import Letterhead
from .models import RegionRollup
from .models import RegionSnapshot
from .models import RollupLevel
from .models import RollupState
from .models import SnapshotDay
from .selectors import NoSnapshot
from .selectors import dashboard
from .selectors import snapshots_for
from .sql import LEVEL_PREFIXES
from .sql import area_ctes_sql
from .sql import area_rows_sql
from .sql import bind
from .sql import end_of_day
from .sql import time_windows
from .sql import village_facts

__all__ = [
    "ReconcileResult",
    "export_request",
    "export_run",
    "letterhead_save",
    "rollup_lock",
    "rollup_reconcile",
    "rollup_refresh_villages",
    "snapshot_backfill",
    "snapshot_rebuild_backdated",
    "snapshot_take",
]

_LOCK_KEY = f"{KEY_PREFIX}:rollup:lock"
_COLUMNS = ", ".join(METRIC_COLUMNS)
_ROLLUP = RegionRollup._meta.db_table
_SNAPSHOT = RegionSnapshot._meta.db_table


@dataclass(frozen=True)
class ReconcileResult:
    rows: int
    corrected: int  # rows that differed from the recomputation (drift, or counts that age such as visits)
    seconds: float


@contextlib.contextmanager
def rollup_lock(blocking_timeout: float | None = None):
    """
    One writer at a time across processes: a Redis lock with a short TTL (ROLLUP_LOCK_SECONDS) that
    the holder renews while it works, so a killed worker holds it up for seconds, not minutes. Eager
    mode (quickstart, tests) has a single process and no Redis requirement, so there the lock is a
    no-op. Yields a falsy handle if not acquired within ``blocking_timeout`` (None: waits).
    """
    if current_app.conf.task_always_eager:
        yield HeldLock(True)
        return
    with renewed_lock(redis_client(), _LOCK_KEY, ttl=settings.ROLLUP_LOCK_SECONDS,
                      blocking_timeout=blocking_timeout) as held:
        yield held


def rollup_reconcile(*, snapshot: bool = True, snapshot_day: date | None = None) -> ReconcileResult:
    """
    Recompute every roll-up row from the base tables (set-based, grouping by code prefix), then
    write only the rows that differ: after a day of correct incremental refreshes that is a few
    hundred rows, so readers are never blocked and the table does not bloat; into an empty table (a
    first build) the rows go straight in. Idempotent. Saves the counts as the snapshot of
    ``snapshot_day`` (default today, replaced by later runs).
    """
    started = time.perf_counter()
    now = timezone.now()
    facts = village_facts(codes=None, **time_windows(now))
    fresh = f"{facts.sql}{area_ctes_sql()} {area_rows_sql(include_villages=True)}"
    with rollup_lock() as held, transaction.atomic(), connection.cursor() as cursor:
        _reconcile_session(cursor)
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {_ROLLUP})")
        if cursor.fetchone()[0]:
            changed, rows = _rollup_rewrite_differing(cursor, fresh, facts.params, now)
        else:  # a first build (after a restore, or on a new database): straight into the table, nothing to compare
            cursor.execute(f"{facts.sql}{area_ctes_sql()} INSERT INTO {_ROLLUP} (code, level, {_COLUMNS}, updated_at) "
                           f"SELECT area.*, %s FROM ({area_rows_sql(include_villages=True)}) area RETURNING code",
                           [*facts.params, now])
            changed = [row[0] for row in cursor.fetchall()]
            rows = len(changed)
        corrected = len(changed)
        area_versions_renew_on_commit(changed)
        rollup_refresh_federations()  # every federation again: also members whose dates have come
        seconds = time.perf_counter() - started
        RollupState.objects.update_or_create(pk=1, defaults={"reconciled_at": now, "reconcile_seconds": seconds})
        if snapshot:
            snapshot_take(snapshot_day or timezone.localdate(now))
        if held.lost:  # a drain may have written meanwhile; committing would overwrite its refresh
            raise LockLost("The roll-up lock expired during the reconcile; nothing was written.")
    if corrected > rows // 10:  # a first build or a big correction: the planner needs new statistics
        # Of the columns reads select on only: those of every column (a hundred and twenty) take seconds at national
        # scale, and autovacuum brings them after a bulk write anyway.
        _analyze(f"{_ROLLUP} (code, level)")
    return ReconcileResult(rows=rows, corrected=corrected, seconds=time.perf_counter() - started)


def _rollup_rewrite_differing(cursor, fresh_sql: str, params: list, now) -> tuple[list[str], int]:
    """
    Compute every row (``fresh_sql``) into a temporary table, then rewrite the roll-up rows that differ, add the
    new ones and delete the vanished ones. Returns the codes written or deleted, and the number of rows.
    """
    differs = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    old = ", ".join(f"{_ROLLUP}.{name}" for name in METRIC_COLUMNS)
    new = ", ".join(f"fresh.{name}" for name in METRIC_COLUMNS)
    assignments = ", ".join(f"{name} = fresh.{name}" for name in METRIC_COLUMNS)
    differ = f"(({old}) {differs} ({new}) OR {_ROLLUP}.level <> fresh.level)"
    insert = f"INSERT INTO {_ROLLUP} (code, level, {_COLUMNS}, updated_at) SELECT fresh.*, %s FROM rollup_fresh fresh"
    cursor.execute("DROP TABLE IF EXISTS rollup_fresh")
    cursor.execute(f"CREATE TEMPORARY TABLE rollup_fresh AS {fresh_sql}", params)
    # Temporary tables get no statistics otherwise; the joins below need only the codes' (all columns' take seconds
    # for a table this wide).
    _analyze("rollup_fresh (code)")
    cursor.execute("SELECT COUNT(*) FROM rollup_fresh")
    rows = cursor.fetchone()[0]
    if connection.vendor == "postgresql":
        # Only the rows that differ are rewritten, then the new codes added. (An INSERT … ON CONFLICT DO UPDATE locks,
        # and so writes, every row it meets, even those its WHERE leaves alone: a second or more.) NOT IN is one
        # hashed list of the table's codes, whatever its (possibly stale) statistics.
        cursor.execute(f"UPDATE {_ROLLUP} SET level = fresh.level, {assignments}, updated_at = %s "
                       f"FROM rollup_fresh fresh WHERE {_ROLLUP}.code = fresh.code AND {differ} "
                       f"RETURNING {_ROLLUP}.code", [now])
        changed = [row[0] for row in cursor.fetchall()]
        cursor.execute(f"{insert} WHERE fresh.code NOT IN (SELECT code FROM {_ROLLUP}) RETURNING code", [now])
        changed += [row[0] for row in cursor.fetchall()]
    else:  # SQLite (small data; UPDATE … FROM needs 3.33): one upsert. WHERE 1 = 1: its parser needs a WHERE.
        cursor.execute(f"{insert} WHERE 1 = 1 ON CONFLICT (code) DO UPDATE SET level = excluded.level, "
                       f"{assignments.replace('fresh.', 'excluded.')}, updated_at = excluded.updated_at "
                       f"WHERE {differ.replace('fresh.', 'excluded.')} RETURNING {_ROLLUP}.code", [now])
        changed = [row[0] for row in cursor.fetchall()]
    # NOT IN: one hashed list of the fresh codes, whatever the (possibly stale) statistics of the table.
    cursor.execute(f"DELETE FROM {_ROLLUP} WHERE code NOT IN (SELECT code FROM rollup_fresh) RETURNING code")
    changed += [row[0] for row in cursor.fetchall()]
    cursor.execute("DROP TABLE rollup_fresh")
    return changed, rows


def _reconcile_session(cursor) -> None:
    """
    Settings for the reconcile's transaction only (SET LOCAL): memory enough for its hash aggregates and
    joins to stay off disk; no JIT, whose compilation of the hundred-column query costs more than it saves; and
    no parallel workers: each would build its own copy of the per-cooperative hash tables (measured 5.4 s
    without, 6.1 s with, on 2 cores).
    """
    if connection.vendor == "postgresql":
        cursor.execute(f"SET LOCAL work_mem = '{settings.ROLLUP_RECONCILE_WORK_MEM}'")
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")


def _analyze(*tables: str) -> None:
    """Fresh planner statistics after a bulk rewrite, or PostgreSQL plans reads for the old table."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in tables:
                cursor.execute(f"ANALYZE {table}")


def _level(code: str) -> str:
    return str(RollupLevel.NATION if code == NATION else LEVELS_BY_DEPTH[code.count(".")])


def _ancestor_deltas(codes: list[str], fresh: dict[str, tuple], stored: dict[str, tuple]) -> dict[str, list[int]]:
    """
    The change of each of these regions' rows (recomputed ``fresh`` minus ``stored``, a missing row being zeros),
    added up for the region and every ancestor up to the nation.
    """
    width = len(METRIC_COLUMNS)
    deltas: dict[str, list[int]] = {}
    for code in codes:
        new, old = fresh.get(code, (0,) * width), stored.get(code, (0,) * width)
        difference = [int(a or 0) - int(b or 0) for a, b in zip(new, old, strict=True)]
        if not any(difference):
            continue
        ancestors = (code[:length] for _level_name, length in LEVEL_PREFIXES if length < len(code))
        for target in (code, *ancestors, NATION):
            total = deltas.setdefault(target, [0] * width)
            for index, value in enumerate(difference):
                total[index] += value
    return deltas


def rollup_refresh_villages(codes: list[str]) -> int:
    """
    Recompute these villages' rows and add the change to every ancestor row. Safe to repeat: a
    village that did not change contributes a zero difference. Returns the number of rows touched.
    """
    codes = sorted(set(codes))
    if not codes:
        return 0
    now = timezone.now()
    facts = village_facts(codes=codes, **time_windows(now))
    width = len(METRIC_COLUMNS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"{facts.sql} SELECT code, {_COLUMNS} FROM village", facts.params)
        fresh = {row[0]: row[1:] for row in cursor.fetchall()}
        stored = {row[0]: row[1:] for row in RegionRollup.objects.filter(code__in=codes, level="village")
                  .values_list("code", *METRIC_COLUMNS)}
        deltas = _ancestor_deltas(codes, fresh, stored)
        if deltas:
            # Sorted, so that two refreshes lock shared ancestor rows in the same order.
            targets = sorted(deltas)
            values = ", ".join(["(%s, %s, " + ", ".join(["%s"] * width) + ", %s)"] * len(targets))
            params = [item for code in targets for item in (code, _level(code), *deltas[code], now)]
            updates = ", ".join(f"{name} = {_ROLLUP}.{name} + excluded.{name}" for name in METRIC_COLUMNS)
            cursor.execute(
                f"INSERT INTO {_ROLLUP} (code, level, {_COLUMNS}, updated_at) VALUES {values} "
                f"ON CONFLICT (code) DO UPDATE SET {updates}, updated_at = excluded.updated_at",
                params,
            )
            rollup_refresh_federations(federations_of_villages(codes))
            area_versions_renew_on_commit(targets)
        RollupState.objects.update_or_create(pk=1, defaults={"refreshed_at": now})
    return len(deltas)


def snapshot_take(day: date) -> int:
    """Copy the current area rows (nation to kecamatan) into the snapshot of ``day``, replacing it."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {_SNAPSHOT} WHERE day = %s", [day])
        cursor.execute(
            f"INSERT INTO {_SNAPSHOT} (day, code, level, {_COLUMNS}) "
            f"SELECT %s, code, level, {_COLUMNS} FROM {_ROLLUP} WHERE level <> 'village'",
            [day],
        )
        SnapshotDay.objects.update_or_create(day=day)
        return cursor.rowcount


def snapshot_backfill(start: date, end: date, *, every: int = 1, day_by_day: bool = False) -> int:
    """
    Rebuild the snapshots of past days from dated records (stage completion times, unit milestones,
    joining and visit dates), e.g. after importing history or generating data; ``every`` 7 keeps one
    day a week. Returns rows written. On PostgreSQL a run costs one pass over the dated records plus
    about one INSERT … SELECT a day (``reports.history``: each day is the day before's rows plus that
    day's changes); ``day_by_day`` (and SQLite, and ``every`` > 1) recomputes every village for every day.
    """
    if connection.vendor == "postgresql" and every == 1 and start < end and not day_by_day:
        with transaction.atomic():
            written = snapshot_history(start, end)
            SnapshotDay.objects.bulk_create([SnapshotDay(day=start + timedelta(days=offset))
                                             for offset in range((end - start).days + 1)], ignore_conflicts=True)
        _analyze(_SNAPSHOT)
        return written
    written = 0
    day = start
    while day <= end:
        moment = end_of_day(day)
        facts = village_facts(codes=None, as_of=moment, **time_windows(moment))
        query = bind(f"{area_ctes_sql()} INSERT INTO {_SNAPSHOT} (day, code, level, {_COLUMNS}) "
                     f"SELECT %(day)s, area.* FROM ({area_rows_sql(include_villages=False)}) area", day=day)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {_SNAPSHOT} WHERE day = %s", [day])
            cursor.execute(f"{facts.sql}{query.sql}", [*facts.params, *query.params])
            written += cursor.rowcount
            SnapshotDay.objects.update_or_create(day=day)
        day += timedelta(days=every)
    _analyze(_SNAPSHOT)
    return written


_DISTRICT = dict(LEVEL_PREFIXES)["district"]


def snapshot_rebuild_backdated() -> int:
    """
    Bring the daily snapshots in line with facts recorded with past event dates (``core.changes.village_backdated``
    queues the earliest day per village). Only the affected days are rebuilt, and of each day only the rows of the
    affected villages' kecamatan (recomputed from their villages) and, by difference, their kabupaten/kota,
    province and the nation. Days never snapshotted stay so (``snapshot_backfill`` makes them). The queue rows are
    taken under lock and deleted in the rebuild's transaction: a rebuild that fails leaves them. Idempotent.
    Returns the snapshot rows changed.
    """
    today = timezone.localdate()
    changed: set[str] = set()
    written = 0
    with transaction.atomic():
        queued = list(BackdatedVillage.objects.select_for_update(skip_locked=True).values_list("code", "since"))
        if not queued:
            return 0
        BackdatedVillage.objects.filter(code__in=[code for code, _since in queued]).delete()
        since: dict[str, date] = {}
        for code, day in queued:
            district = code[:_DISTRICT]
            since[district] = min(since.get(district, day), day)
        days = SnapshotDay.objects.filter(day__gte=min(since.values()), day__lt=today).order_by("day")
        for day in days.values_list("day", flat=True):
            districts = sorted(code for code, first in since.items() if first <= day)
            rows = _snapshot_rebuild_districts(day, districts)
            changed.update(rows)
            written += len(rows)
        area_versions_renew_on_commit(changed)  # cached pages of those areas' past days are drawn again
    return written


def _snapshot_rebuild_districts(day: date, districts: list[str]) -> list[str]:
    """Recompute these kecamatan's rows of ``day``'s snapshot and add the change to their ancestors' rows."""
    villages = list(Region.objects.filter(parent_id__in=districts).values_list("code", flat=True))
    moment = end_of_day(day)
    facts = village_facts(codes=villages or ["-"], as_of=moment, **time_windows(moment))
    sums = ", ".join(f"SUM({name}) AS {name}" for name in METRIC_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"{facts.sql}, district AS (SELECT substr(code, 1, {_DISTRICT}) AS code, {sums} FROM village "
                       f"GROUP BY substr(code, 1, {_DISTRICT})) SELECT code, {_COLUMNS} FROM district", facts.params)
        fresh = {row[0]: row[1:] for row in cursor.fetchall()}
        stored = {code: tuple(metrics[name] for name in METRIC_COLUMNS)
                  for code, _day, metrics in snapshots_for(districts, day=day)}
        deltas = _ancestor_deltas(districts, fresh, stored)
        if not deltas:
            return []
        targets = sorted(deltas)
        width = len(METRIC_COLUMNS)
        values = ", ".join(["(%s, %s, %s, " + ", ".join(["%s"] * width) + ")"] * len(targets))
        params = [item for code in targets for item in (day, code, _level(code), *deltas[code])]
        updates = ", ".join(f"{name} = {_SNAPSHOT}.{name} + excluded.{name}" for name in METRIC_COLUMNS)
        cursor.execute(f"INSERT INTO {_SNAPSHOT} (day, code, level, {_COLUMNS}) VALUES {values} "
                       f"ON CONFLICT (day, code) DO UPDATE SET {updates}", params)
    return targets


# SECTION: exports


def export_request(*, user, kind: str, fmt: str, code: str, params: dict | None = None) -> ExportJob:
    """Queue an export of an area the user may see; the file is built in the background."""
    if (kind, fmt) not in available_exports():
        raise ValidationError({"kind": _("This table cannot be exported in that format.")})
    refused = export_filters_refused(user=user, kind=kind, params=params or {})
    if refused:
        raise ValidationError({"filters": refused})
    try:
        board = dashboard(user=user, code=code or None, as_of=as_of_param(params or {}))
    except NoSnapshot:
        raise ValidationError({"as_of": _("No figures were saved for that day.")}) from None
    except Http404:
        raise PermissionDenied(_("This area is outside your scope.")) from None
    if kind == "report" and board.is_combined:
        # A report is numbered in one office's register under its letterhead: the page of several areas has neither
        # (it had taken the national office's letterhead, register and "Jakarta").
        raise ValidationError({"kind": _("A report carries the letterhead and the numbering of one office: open one "
                                         "of your areas and make it there.")})
    job = ExportJob.objects.create(user=user, kind=kind, fmt=fmt, region_code=code or "", params=params or {})
    language = translation.get_language() or settings.LANGUAGE_CODE
    # Through the outbox: with the broker down the export waits (and is built when it is back), no 500.
    outbox_enqueue("reports.tasks.export_build", str(job.pk), language)
    return job


def export_run(job_id: str, language: str = settings.LANGUAGE_CODE) -> ExportJob:
    """Build the file of a queued export. Repeatable: a finished export is left as it is."""
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    if job.status == ExportStatus.DONE:
        return job
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, progress=5)

    def progress(percent: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(progress=percent)

    if job.kind == "report" and not job.document_number:
        job.document_number = _next_document_number(job)
    try:
        name, content = build_export(user=job.user, kind=job.kind, fmt=job.fmt, code=job.region_code or None,
                                     params=job.params, language=language, progress=progress,
                                     document_number=job.document_number)
    except Exception as error:
        ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.FAILED, error=str(error)[:2000],
                                                   finished_at=timezone.now())
        raise
    job.file.save(name, ContentFile(content), save=False)
    job.filename, job.status, job.progress, job.finished_at = name, ExportStatus.DONE, 100, timezone.now()
    job.save(update_fields=["file", "filename", "status", "progress", "finished_at", "document_number"])
    return job


_ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def _next_document_number(job: ExportJob) -> str:
    """
    The report's number in its region's register for the year, e.g. 007/LAP-KDKMP/33.18/XI/2026.
    """
    today = timezone.localdate()
    region = job.region_code or NATION
    with transaction.atomic():
        # The register's row is locked while its next number is taken: two reports never share one.
        DocumentSequence.objects.get_or_create(key=f"report:{region}:{today.year}")
        register = DocumentSequence.objects.select_for_update().get(key=f"report:{region}:{today.year}")
        register.last += 1
        register.save(update_fields=["last"])
        number = f"{register.last:03d}/LAP-KDKMP/{region}/{_ROMAN_MONTHS[today.month - 1]}/{today.year}"
        ExportJob.objects.filter(pk=job.pk).update(document_number=number)
    return number


@transaction.atomic
def letterhead_save(*, actor, region_code: str, office_name: str, place: str, address: str = "", logo=None,
                    remove_logo: bool = False) -> Letterhead:
    """The kop surat of a region's office; officers who administer the region set it. A logo is PNG or JPG."""
    require_scope(actor, Action.MANAGE_USERS, region_code)
    errors = {}
    office_name, place, address = (" ".join((value or "").split()) for value in (office_name, place, address))
    if not office_name:
        errors["office_name"] = [_("Enter the office's name, e.g. Dinas Koperasi dan UKM Kabupaten Pati.")]
    if not place:
        errors["place"] = [_("Enter the place written before the date, e.g. Pati.")]
    checked = None
    if logo is not None:
        try:
            checked = check_upload(logo)
            if checked.content_type not in ("image/png", "image/jpeg"):
                raise ValidationError(_("The logo must be a PNG or JPG image."))
        except ValidationError as error:
            errors["logo"] = error.messages
    if errors:
        raise ValidationError(errors)
    letterhead = Letterhead.objects.select_for_update().filter(region_id=region_code).first() or Letterhead(
        region_id=region_code)
    letterhead.office_name, letterhead.place, letterhead.address = office_name[:200], place[:100], address[:300]
    letterhead.updated_by = actor
    if remove_logo:
        letterhead.logo = None
    if checked is not None:
        letterhead.logo.save(f"logo{checked.extension}", logo, save=False)
    letterhead._history_user = actor
    letterhead.save()
    return letterhead
