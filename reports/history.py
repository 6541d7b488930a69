"""
Rebuilding a long run of daily snapshots (``snapshot_backfill``) at the cost of about one set-based INSERT … SELECT a
day, on PostgreSQL.

Recomputing every village for every day would cost a full roll-up a day (seconds at national scale, hours for a year
and a half). But a village's counts change only on the days something about it is dated: a stage completed, a unit
milestone, a member joining, a visit (and the day it leaves the 30-day window), the day its cooperative turns
"stalled", a posting, a plot's step, an event … ``_change_days_sql`` lists those (village, day) pairs in one query.
The first day is computed in full; each later day recomputes only the villages changed that day (``village_facts``
restricted to them, as the incremental refresh does), turns the difference against their previous counts (kept in a
temporary table) into differences per kecamatan, kabupaten/kota, province and nation, and writes the day's
snapshot as the previous day's rows plus those differences, in one INSERT … SELECT.

Every dated column the ``as_of`` branch of ``reports.sql`` (and its savings, land and kegiatan parts) reads must be
listed here; ``tests/reports/test_history_replay.py`` compares this path with the day-by-day recomputation.
"""

from datetime import date
from datetime import timedelta

from django.conf import settings
from django.db import connection

from .metrics import METRIC_COLUMNS
from .models import RegionSnapshot
from .sql import area_ctes_sql
from .sql import area_rows_sql
from .sql import bind
from .sql import end_of_day
from .sql import time_windows
from .sql import village_facts

__all__ = ["snapshot_history"]

_COLUMNS = ", ".join(METRIC_COLUMNS)
_SNAPSHOT = RegionSnapshot._meta.db_table
_VISIT_WINDOW_DAYS = 30  # reports.sql.time_windows: a visit counts on its day and the 29 after


def _change_days_sql() -> str:
    """``SELECT code, day`` of every village-day whose counts may differ from the day before's."""
    local = "(({column}) AT TIME ZONE %(tz)s)::date"
    seat = "JOIN koperasi_cooperative c ON c.id = {alias}.cooperative_id"
    stall = settings.STALLED_AFTER_DAYS
    parts = [
        # The cooperative appears, turns stalled (its last event + STALLED_AFTER_DAYS), stops being stalled (operating).
        *(f"SELECT c.village_id, {local.format(column='c.created_at')} + {shift} FROM koperasi_cooperative c"
          for shift in (0, stall)),
        "SELECT c.village_id, c.operational_since FROM koperasi_cooperative c WHERE c.operational_since IS NOT NULL",
        # A joint cooperative's other villages count as covered from the day it exists (registered, or its first
        # stage brought in from history).
        f"SELECT cv.village_id, {local.format(column='c.created_at')} FROM koperasi_cooperativevillage cv "
        "JOIN koperasi_cooperative c ON c.id = cv.cooperative_id",
        f"SELECT cv.village_id, {local.format(column='sp.completed_at')} FROM koperasi_stageprogress sp "
        "JOIN koperasi_cooperativevillage cv ON cv.cooperative_id = sp.cooperative_id "
        "WHERE sp.completed_at IS NOT NULL",
        *(f"SELECT c.village_id, {local.format(column='sp.completed_at')} + {shift} FROM koperasi_stageprogress sp "
          f"{seat.format(alias='sp')} WHERE sp.completed_at IS NOT NULL" for shift in (0, stall)),
        *(f"SELECT c.village_id, {local.format(column=f'sp.{column}')} FROM koperasi_stageprogress sp "
          f"{seat.format(alias='sp')} WHERE sp.{column} IS NOT NULL" for column in ("submitted_at", "reviewed_at")),
        "SELECT c.village_id, m.reached_on FROM units_unitmilestone m JOIN units_unit u ON u.id = m.unit_id "
        f"{seat.format(alias='u')}",
        f"SELECT c.village_id, m.joined_on FROM members_member m {seat.format(alias='m')}",
        *(f"SELECT v.village_id, v.visited_on + {shift} FROM pendampingan_visit v"
          for shift in (0, _VISIT_WINDOW_DAYS)),
        f"SELECT c.village_id, p.transaction_date FROM simpanan_posting p {seat.format(alias='p')}",
        f"SELECT c.village_id, {local.format(column='b.created_at')} FROM simpanan_bill b {seat.format(alias='b')}",
        *(f"SELECT c.village_id, {local.format(column=f'p.{column}')} FROM pembangunan_landplot p "
          f"{seat.format(alias='p')} WHERE p.{column} IS NOT NULL"
          for column in ("created_at", "rejected_at", "verified_at", "construction_at", "handed_over_at")),
        f"SELECT e.venue_village_id, {local.format(column='e.starts_at')} FROM kegiatan_event e "
        "WHERE e.venue_village_id IS NOT NULL",
        f"SELECT a.village_id, {local.format(column='a.recorded_at')} FROM kegiatan_attendee a "
        "WHERE a.village_id IS NOT NULL",
        f"SELECT c.village_id, {local.format(column='d.created_at')} FROM kegiatan_deal d {seat.format(alias='d')}",
    ]
    return " UNION ".join(parts)


def snapshot_history(start: date, end: date) -> int:
    """
    Write the snapshots of every day from ``start`` to ``end`` (replacing them), as ``snapshot_backfill`` does day
    by day, but recomputing each day only the villages whose counts may have changed. PostgreSQL only; the caller
    holds the transaction. Returns the rows written.
    """
    sums = ", ".join(f"SUM({name}) AS {name}" for name in METRIC_COLUMNS)
    differences = ", ".join(f"COALESCE(f.{name}, 0) - COALESCE(h.{name}, 0) AS {name}" for name in METRIC_COLUMNS)
    written = 0
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS history_village, history_changes, history_fresh")
        changes = bind(f"CREATE TEMPORARY TABLE history_changes AS SELECT DISTINCT village_id AS code, day FROM "
                       f"({_change_days_sql()}) dated (village_id, day) WHERE day > %(start)s AND day <= %(end)s",
                       tz=settings.TIME_ZONE, start=start, end=end)
        cursor.execute(changes.sql, changes.params)
        cursor.execute("CREATE INDEX ON history_changes (day)")
        # The first day in full: every village's counts, kept for the differences of the days after.
        moment = end_of_day(start)
        facts = village_facts(codes=None, as_of=moment, **time_windows(moment))
        cursor.execute(f"CREATE TEMPORARY TABLE history_village AS {facts.sql} SELECT code, {_COLUMNS} FROM village",
                       facts.params)
        cursor.execute("CREATE UNIQUE INDEX ON history_village (code)")
        written += _write_day(cursor, start, f"SELECT code, {_COLUMNS} FROM history_village")
        day = start + timedelta(days=1)
        while day <= end:
            cursor.execute("SELECT code FROM history_changes WHERE day = %s ORDER BY code", [day])
            codes = [row[0] for row in cursor.fetchall()]
            if codes:
                moment = end_of_day(day)
                facts = village_facts(codes=codes, as_of=moment, **time_windows(moment))
                cursor.execute(f"CREATE TEMPORARY TABLE history_fresh AS {facts.sql} SELECT code, {_COLUMNS} "
                               "FROM village", facts.params)
                # The changed villages' differences, summed up the tree and added to the day before's rows.
                delta = bind(f"SELECT d.code, {differences} FROM history_changes d "
                             "LEFT JOIN history_fresh f ON f.code = d.code "
                             "LEFT JOIN history_village h ON h.code = d.code WHERE d.day = %(day)s", day=day)
                query = bind(
                    f"WITH village AS ({delta.sql}){area_ctes_sql()} "
                    f"INSERT INTO {_SNAPSHOT} (day, code, level, {_COLUMNS}) "
                    f"SELECT %(day)s, code, level, {sums} FROM ("
                    f"SELECT code, level, {_COLUMNS} FROM {_SNAPSHOT} WHERE day = %(before)s "
                    f"UNION ALL {area_rows_sql(include_villages=False)}) area GROUP BY code, level",
                    day=day, before=day - timedelta(days=1))
                cursor.execute(f"DELETE FROM {_SNAPSHOT} WHERE day = %s", [day])
                cursor.execute(query.sql, [*delta.params, *query.params])
                written += cursor.rowcount
                cursor.execute("DELETE FROM history_village WHERE code IN (SELECT code FROM history_changes "
                               "WHERE day = %s)", [day])
                cursor.execute("INSERT INTO history_village SELECT * FROM history_fresh")
                cursor.execute("DROP TABLE history_fresh")
            else:
                written += _copy_day(cursor, day)
            day += timedelta(days=1)
        cursor.execute("DROP TABLE history_village, history_changes")
    return written


def _write_day(cursor, day: date, villages_sql: str) -> int:
    """The snapshot of ``day`` from village rows (``code, <metrics>``), summed up the tree."""
    query = bind(f"WITH village AS ({villages_sql}){area_ctes_sql()} "
                 f"INSERT INTO {_SNAPSHOT} (day, code, level, {_COLUMNS}) "
                 f"SELECT %(day)s, area.* FROM ({area_rows_sql(include_villages=False)}) area", day=day)
    cursor.execute(f"DELETE FROM {_SNAPSHOT} WHERE day = %s", [day])
    cursor.execute(query.sql, query.params)
    return cursor.rowcount


def _copy_day(cursor, day: date) -> int:
    """Nothing changed: the day's snapshot is the day before's."""
    cursor.execute(f"DELETE FROM {_SNAPSHOT} WHERE day = %s", [day])
    cursor.execute(f"INSERT INTO {_SNAPSHOT} (day, code, level, {_COLUMNS}) "
                   f"SELECT %s, code, level, {_COLUMNS} FROM {_SNAPSHOT} WHERE day = %s",
                   [day, day - timedelta(days=1)])
    return cursor.rowcount
