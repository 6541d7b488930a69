"""
Rebuilding a long run of daily snapshots (``snapshot_backfill``) on PostgreSQL at about the cost of one
INSERT … SELECT a day.

Recomputing the villages for every day (even only the villages with something dated that day) costs seconds a day
at national scale: thousands of villages have something dated on most days, and each is recomputed from all its
records. Here the history is computed the other way round, once for the whole run: every dated record becomes the
*changes* it makes to the counts, on the day it makes them (a member joining: +1 member on the day they joined; a
visit: +1 on its day and -1 thirty days later; a unit reaching a milestone: -1 from its old status and +1 to its new
one; a cooperative's stage reached and "stalled" flag, which are not sums, evaluated on the days they can change and
differenced with the day before's). The changes are summed per kecamatan and day in one pass over the tables
(``history_delta``); the first day is computed in full (``village_facts``), and each later day's snapshot is the
day before's rows plus that day's changes summed up the tree, in one INSERT … SELECT.

Everything a cooperative contributes counts only from the day it exists (its registration, or an earlier verified
stage's event date, as in ``reports.sql``): each of its changes is moved to that day at the earliest. Changes up to
the run's first day are left out (that day is counted in full); a state that is not a sum (the stage reached,
"stalled", a unit's status) is evaluated on the first day and on each later day it can change.

Every dated column the ``as_of`` branch of ``reports.sql`` (and its savings, land, kegiatan, milestone and coverage
parts) reads must be turned into changes here; ``tests/reports/test_history_replay.py`` and
``tests/reports/test_history_changes.py`` compare this path with the day-by-day recomputation.
"""

from datetime import date
from datetime import timedelta

from django.conf import settings
from django.db import connection

from kegiatan.models import OPEN_STAGES
from kegiatan.models import Attendee
from kegiatan.models import Deal
from kegiatan.models import Event
from koperasi.models import COMPLETED_STATUSES
from koperasi.models import Cooperative
from koperasi.models import CooperativeVillage
from koperasi.models import FormationStage
from koperasi.models import StageProgress
from koperasi.models import StageStatus
from members.models import Member
from members.models import MemberStatus
from pembangunan.models import LandPlot
from pembangunan.models import PlotStatus
from simpanan.models import Bill
from simpanan.models import Posting
from units.models import READINESS_ORDER
from units.models import Unit
from units.models import UnitMilestone
from units.models import UnitStatus
from units.models import UnitType
from wilayah.models import Region
from wilayah.models import RegionKind

from .coverage_facts import SIMKOPDES_STAGE
from .metrics import BIG_METRIC_COLUMNS
from .metrics import DEAL_KINDS
from .metrics import DEAL_STAGES
from .metrics import EVENT_ROLES
from .metrics import FORMATION_MODELS
from .metrics import KINDS
from .metrics import METRIC_COLUMNS
from .metrics import NATION
from .metrics import OPS_BUCKETS
from .metrics import STAGE_BUCKETS
from .metrics import UNIT_CODES
from .metrics import UNIT_STATUSES
from .metrics import stage_column
from .metrics import stage_done_column
from .metrics import unit_column
from .models import RegionSnapshot
from .sql import LEVEL_PREFIXES
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
_DISTRICT_PREFIX = dict(LEVEL_PREFIXES)["district"]  # a village code's kecamatan: 33.18.01.2001 → 33.18.01
_COOPERATIVES, _PROGRESS = Cooperative._meta.db_table, StageProgress._meta.db_table
_LINKS, _REGIONS = CooperativeVillage._meta.db_table, Region._meta.db_table
_UNITS, _MILESTONES = Unit._meta.db_table, UnitMilestone._meta.db_table
_MEMBERS, _PLOTS = Member._meta.db_table, LandPlot._meta.db_table
_VISITS = "pendampingan_visit"  # pendampingan sits beside reports (no import, see pyproject.toml), as in reports.sql
_POSTINGS, _BILLS = Posting._meta.db_table, Bill._meta.db_table
_EVENTS, _ATTENDEES, _DEALS = Event._meta.db_table, Attendee._meta.db_table, Deal._meta.db_table
_VERIFIED = f"'{StageStatus.VERIFIED}'"
_COMPLETED = ", ".join(f"'{status}'" for status in COMPLETED_STATUSES)  # fixed values, safe to inline
# The day a timestamp falls on in the portal's time zone: ``ts <= end_of_day(d)`` exactly when ``local(ts) <= d``.
_LOCAL = "(({}) AT TIME ZONE %(tz)s)::date"


def _local(column: str) -> str:
    return _LOCAL.format(column)


def _case(column: str, mapping: dict, default) -> str:
    whens = " ".join(f"WHEN {key!r} THEN {value!r}" for key, value in mapping.items())
    return f"CASE {column} {whens} ELSE {default!r} END" if whens else repr(default)


def _type(name: str) -> str:
    """The column's type in the snapshot: sums stay integers (a SUM of bigint would be numeric, many times slower)."""
    return "bigint" if name in BIG_METRIC_COLUMNS else "integer"


def _flag(condition: str) -> str:
    return f"CASE WHEN {condition} THEN 1 ELSE 0 END"


def _changes(rows_sql: str, values: dict[str, str]) -> str:
    """
    One part of the changes: ``rows_sql`` yields ``code`` (a village), ``day`` and the columns ``values`` reads;
    summed per kecamatan and day within the run, as full metric rows whose other columns are NULL (stored in the
    row's null bitmap: a sparse row costs a few bytes per column it sets, not one per metric).
    """
    assert set(values) <= set(METRIC_COLUMNS), set(values) - set(METRIC_COLUMNS)
    columns = ", ".join(f"SUM({values[name]})::{_type(name)} AS {name}" if name in values
                        else f"NULL::{_type(name)} AS {name}" for name in METRIC_COLUMNS)
    return (f"SELECT x.day, substr(x.code, 1, {_DISTRICT_PREFIX}) AS code, {columns} FROM ({rows_sql}) x "
            f"WHERE x.day > %(start)s AND x.day <= %(end)s GROUP BY x.day, substr(x.code, 1, {_DISTRICT_PREFIX})")


def _cooperative_changes(stage_rank: dict[int, int]) -> str:
    """
    The cooperative itself: counted (with its kind and formation model) from the day it exists; its stage reached
    and its "stalled" flag, evaluated as ``reports.sql`` does on each day they can change (a stage's event date,
    30 days after it or after the registration, the day it starts operating) and differenced with the value before.
    """
    stall = int(settings.STALLED_AFTER_DAYS)
    total = len(stage_rank)
    rank = _case("sp.stage_id", stage_rank, total + 1)
    done = f"(sp.status = '{StageStatus.NOT_APPLICABLE}' OR (sp.status = {_VERIFIED} AND sp.completed_at <= p.as_of))"
    first_open = f"COALESCE(MIN(CASE WHEN {done} THEN NULL ELSE {rank} END), {total + 1})"
    last_done = f"MAX(CASE WHEN sp.status = {_VERIFIED} AND sp.completed_at <= p.as_of THEN sp.completed_at END)"
    verified = f"FROM {_PROGRESS} sp JOIN history_coop h ON h.id = sp.cooperative_id WHERE sp.status = {_VERIFIED} " \
               "AND sp.completed_at IS NOT NULL"
    days = " UNION ".join([
        "SELECT h.id, h.start AS day FROM history_coop h",
        *(f"SELECT h.id, GREATEST(h.start, {_local('sp.completed_at')} + {shift}) {verified}" for shift in (0, stall)),
        f"SELECT h.id, GREATEST(h.start, {_local('c.created_at')} + {stall}) FROM history_coop h "
        f"JOIN {_COOPERATIVES} c ON c.id = h.id",
        f"SELECT h.id, GREATEST(h.start, c.operational_since) FROM history_coop h JOIN {_COOPERATIVES} c "
        "ON c.id = h.id WHERE c.operational_since IS NOT NULL",
    ])
    state = (
        f"SELECT p.id, p.day, c.village_id AS code, c.kind, c.formation_model, {first_open} - 1 AS stage_idx, "
        f"CASE WHEN {first_open} <= {total} AND (c.operational_since IS NULL OR c.operational_since > p.day) "
        f"AND COALESCE({last_done}, c.created_at) < p.as_of - interval '{stall} days' THEN 1 ELSE 0 END AS stalled "
        f"FROM (SELECT id, day, ((day + 1)::timestamp AT TIME ZONE %(tz)s) - interval '1 microsecond' AS as_of "
        f"FROM ({days}) d WHERE day <= %(end)s) p "
        f"JOIN {_COOPERATIVES} c ON c.id = p.id LEFT JOIN {_PROGRESS} sp ON sp.cooperative_id = p.id "
        "GROUP BY p.id, p.day, p.as_of, c.village_id, c.kind, c.formation_model, c.operational_since, c.created_at"
    )
    rows = (f"SELECT s.*, LAG(s.stage_idx) OVER w AS before_idx, LAG(s.stalled) OVER w AS before_stalled "
            f"FROM ({state}) s WINDOW w AS (PARTITION BY s.id ORDER BY s.day)")
    first = "x.before_idx IS NULL"
    values = {"cooperatives": _flag(first),
              **{f"kind_{kind}": _flag(f"{first} AND x.kind = '{kind}'") for kind in KINDS},
              **{f"model_{model}": _flag(f"{first} AND x.formation_model = '{model}'") for model in FORMATION_MODELS},
              **{stage_column(index): f"{_flag(f'x.stage_idx = {index}')} - {_flag(f'x.before_idx = {index}')}"
                 for index in range(STAGE_BUCKETS)},
              "stalled": "x.stalled - COALESCE(x.before_stalled, 0)"}
    return _changes(rows, values)


def _unit_rows_sql(unit_ids: dict[str, int]) -> str:
    """
    ``history_unit``: each unit's status on the days it can change (its cooperative's first day, each milestone's
    date), as ``reports.sql`` reads it, beside the status before and the change in operational mandated units.
    """
    readiness = {str(status): rank for rank, status in enumerate(READINESS_ORDER)}
    by_rank = _case(f"COALESCE(MAX({_case('m.status', readiness, 0)}), 0)",
                    {rank: status for status, rank in readiness.items()}, str(UnitStatus.RENCANA))
    not_run = UnitStatus.TIDAK_DIJALANKAN
    days = (f"SELECT u.id, h.id AS cooperative_id, h.code, h.start AS day FROM {_UNITS} u "
            "JOIN history_coop h ON h.id = u.cooperative_id "
            f"UNION SELECT u.id, h.id, h.code, GREATEST(h.start, m.reached_on) FROM {_MILESTONES} m "
            f"JOIN {_UNITS} u ON u.id = m.unit_id JOIN history_coop h ON h.id = u.cooperative_id "
            "WHERE m.reached_on IS NOT NULL")
    mandated = ", ".join(str(unit_ids[code]) for code in UNIT_CODES if code in unit_ids) or "NULL"
    state = (f"SELECT p.id, p.cooperative_id, p.code, p.day, u.unit_type_id, "
             f"CASE WHEN u.status = '{not_run}' THEN '{not_run}' ELSE {by_rank} END AS status "
             f"FROM ({days}) p JOIN {_UNITS} u ON u.id = p.id LEFT JOIN {_MILESTONES} m ON m.unit_id = p.id "
             "AND m.reached_on <= p.day WHERE p.day <= %(end)s "
             "GROUP BY p.id, p.cooperative_id, p.code, p.day, u.unit_type_id, u.status")
    operational = f"s.unit_type_id IN ({mandated}) AND s.status = '{UnitStatus.OPERASIONAL}'"
    return (f"SELECT s.*, LAG(s.status) OVER w AS before, {_flag(operational)} "
            f"- COALESCE(LAG({_flag(operational)}) OVER w, 0) AS ops_change "
            f"FROM ({state}) s WINDOW w AS (PARTITION BY s.id ORDER BY s.day)")


def _unit_changes(unit_ids: dict[str, int]) -> tuple[str, str]:
    """
    Units, from ``history_unit``: each status change; and the cooperative's number of operational mandated units
    (``ops_k``) from the running count of those changes.
    """
    rows = "SELECT * FROM history_unit"
    values = {unit_column(code, status): (
        f"{_flag(f'x.unit_type_id = {unit_ids[code]} AND x.status = {status!r}')} - "
        f"{_flag(f'x.unit_type_id = {unit_ids[code]} AND x.before = {status!r}')}" if code in unit_ids else "0")
        for code in UNIT_CODES for status in UNIT_STATUSES}
    values["units_local"] = _flag("x.before IS NULL AND x.unit_type_id IS NULL")
    units = _changes(rows, values)
    # Every cooperative is in ops_0 from its first day, units or not; then moves bucket as its count changes.
    counts = (f"SELECT cooperative_id, code, day, SUM(ops_change) AS change FROM ({rows}) r "
              "GROUP BY cooperative_id, code, day UNION ALL SELECT h.id, h.code, h.start, 0 FROM history_coop h")
    running = (f"SELECT cooperative_id, code, day, SUM(SUM(change)) OVER w AS ops FROM ({counts}) c "
               "GROUP BY cooperative_id, code, day WINDOW w AS (PARTITION BY cooperative_id ORDER BY day)")
    buckets = (f"SELECT r.*, LAG(r.ops) OVER (PARTITION BY r.cooperative_id ORDER BY r.day) AS before "
               f"FROM ({running}) r")
    ops = _changes(buckets, {f"ops_{count}": f"{_flag(f'x.ops = {count}')} - {_flag(f'x.before = {count}')}"
                             for count in range(OPS_BUCKETS)})
    return units, ops


def _milestone_changes(stage_rank: dict[int, int]) -> list[str]:
    """Stages completed in any order, the SIMKOPDES account and the stages awaiting review (``coverage_facts``)."""
    done = _case("sp.stage_id", stage_rank, 0)
    completed = (f"FROM {_PROGRESS} sp JOIN history_coop h ON h.id = sp.cooperative_id "
                 f"WHERE sp.status IN ({_COMPLETED}) AND sp.completed_at IS NOT NULL")
    stages = (f"SELECT h.code, GREATEST(h.start, MIN({_local('sp.completed_at')})) AS day, {done} AS rank "
              f"{completed} GROUP BY h.id, h.code, h.start, {done}")
    simkopdes_id = FormationStage.objects.filter(code=SIMKOPDES_STAGE).values_list("id", flat=True).first()
    simkopdes = (f"SELECT h.code, CASE WHEN c.simkopdes_account <> '' THEN h.start "
                 f"ELSE GREATEST(h.start, MIN({_local('sp.completed_at')})) END AS day FROM history_coop h "
                 f"JOIN {_COOPERATIVES} c ON c.id = h.id LEFT JOIN {_PROGRESS} sp ON sp.cooperative_id = h.id "
                 f"AND sp.stage_id = {int(simkopdes_id or 0)} AND sp.status IN ({_COMPLETED}) "
                 "AND sp.completed_at IS NOT NULL "
                 "GROUP BY h.id, h.code, h.start, c.simkopdes_account "
                 "HAVING c.simkopdes_account <> '' OR COUNT(sp.id) > 0")
    submitted, reviewed = _local("sp.submitted_at"), _local("sp.reviewed_at")
    review = (f"SELECT h.code, GREATEST(h.start, {submitted}) AS day, 1 AS awaiting FROM {_PROGRESS} sp "
              "JOIN history_coop h ON h.id = sp.cooperative_id WHERE sp.submitted_at IS NOT NULL "
              f"UNION ALL SELECT h.code, GREATEST(h.start, {submitted}, {reviewed}), -1 FROM {_PROGRESS} sp "
              "JOIN history_coop h ON h.id = sp.cooperative_id "
              "WHERE sp.submitted_at IS NOT NULL AND sp.reviewed_at IS NOT NULL")
    return [
        _changes(stages, {stage_done_column(index): _flag(f"x.rank = {index}") for index in range(1, STAGE_BUCKETS)}),
        _changes(simkopdes, {"simkopdes_account": "1"}),
        _changes(review, {"awaiting_review": "x.awaiting"}),
    ]


def _counted_changes() -> list[str]:
    """Counts and sums of dated records: each record adds on its day and, when it stops counting, takes away."""
    # Active members (reports.sql): each counts from joining until the day it left or died (not before joining).
    members = (f"SELECT h.code, GREATEST(h.start, m.joined_on) AS day, 1 AS members FROM {_MEMBERS} m "
               "JOIN history_coop h ON h.id = m.cooperative_id WHERE m.joined_on IS NOT NULL "
               f"AND (m.status = '{MemberStatus.AKTIF}' OR m.status_on IS NOT NULL) "
               f"UNION ALL SELECT h.code, GREATEST(h.start, m.joined_on, m.status_on), -1 FROM {_MEMBERS} m "
               "JOIN history_coop h ON h.id = m.cooperative_id WHERE m.joined_on IS NOT NULL "
               f"AND m.status <> '{MemberStatus.AKTIF}' AND m.status_on IS NOT NULL")
    visits = (f"SELECT v.village_id AS code, v.visited_on AS day, 1 AS visits FROM {_VISITS} v "
              f"UNION ALL SELECT v.village_id, v.visited_on + {_VISIT_WINDOW_DAYS}, -1 FROM {_VISITS} v")
    # Savings (savings_facts): the ledger by transaction date; the wajib arrears only once the cooperative's ledger
    # has a posting (the day-by-day query reads arrears beside the ledger's row): each bill adds its amount from
    # the day it was issued, each payment against it takes its amount away from the day it was made.
    postings = (f"SELECT h.code, GREATEST(h.start, p.transaction_date) AS day, p.kind, p.amount FROM {_POSTINGS} p "
                "JOIN history_coop h ON h.id = p.cooperative_id")
    ledger = (f"SELECT h.id, h.code, GREATEST(h.start, MIN(p.transaction_date)) AS day FROM {_POSTINGS} p "
              "JOIN history_coop h ON h.id = p.cooperative_id GROUP BY h.id, h.code, h.start")
    billed = _local("b.created_at")
    arrears = (f"SELECT l.code, GREATEST(l.day, {billed}) AS day, b.amount FROM {_BILLS} b "
               f"JOIN ({ledger}) l ON l.id = b.cooperative_id WHERE b.kind = 'wajib' "
               f"UNION ALL SELECT l.code, GREATEST(l.day, {billed}, p.transaction_date), -p.amount FROM {_POSTINGS} p "
               f"JOIN {_BILLS} b ON b.id = p.bill_id JOIN ({ledger}) l ON l.id = b.cooperative_id "
               "WHERE b.kind = 'wajib'")
    # Land (land_facts): by the seat village, from the plot's recording; not gated by the cooperative's first day.
    recorded = _local("p.created_at")
    land = (
        f"SELECT c.village_id AS code, {recorded} AS day, 1 AS plots, 0 AS verified, 0 AS construction, "
        f"0 AS handed_over FROM {_PLOTS} p JOIN {_COOPERATIVES} c ON c.id = p.cooperative_id "
        f"UNION ALL SELECT c.village_id, GREATEST({recorded}, {_local('p.rejected_at')}), -1, 0, 0, 0 "
        f"FROM {_PLOTS} p JOIN {_COOPERATIVES} c ON c.id = p.cooperative_id "
        f"WHERE p.rejected_at IS NOT NULL AND p.status = '{PlotStatus.REJECTED}' "
        f"UNION ALL SELECT c.village_id, GREATEST({recorded}, {_local('p.verified_at')}), 0, 1, 0, 0 "
        f"FROM {_PLOTS} p JOIN {_COOPERATIVES} c ON c.id = p.cooperative_id WHERE p.verified_at IS NOT NULL "
        f"UNION ALL SELECT c.village_id, GREATEST({recorded}, {_local('p.construction_at')}), 0, 0, 1, 0 "
        f"FROM {_PLOTS} p JOIN {_COOPERATIVES} c ON c.id = p.cooperative_id WHERE p.construction_at IS NOT NULL "
        f"UNION ALL SELECT c.village_id, GREATEST({recorded}, {_local('p.construction_at')}, "
        f"{_local('p.handed_over_at')}), 0, 0, -1, 0 FROM {_PLOTS} p "
        f"JOIN {_COOPERATIVES} c ON c.id = p.cooperative_id "
        "WHERE p.construction_at IS NOT NULL AND p.handed_over_at IS NOT NULL "
        f"UNION ALL SELECT c.village_id, GREATEST({recorded}, {_local('p.handed_over_at')}), 0, 0, 0, 1 "
        f"FROM {_PLOTS} p JOIN {_COOPERATIVES} c ON c.id = p.cooperative_id WHERE p.handed_over_at IS NOT NULL"
    )
    # Kegiatan (kegiatan_facts): events by start, attendances and deals by recording; a village is reached from
    # its first attendance.
    held = (f"SELECT e.venue_village_id AS code, {_local('e.starts_at')} AS day FROM {_EVENTS} e "
            "WHERE e.cancelled_at IS NULL AND e.venue_village_id IS NOT NULL "
            f"AND EXISTS (SELECT 1 FROM {_ATTENDEES} x WHERE x.event_id = e.id)")
    attended = (f"SELECT a.village_id AS code, {_local('a.recorded_at')} AS day, a.role FROM {_ATTENDEES} a "
                f"JOIN {_EVENTS} e ON e.id = a.event_id "
                "WHERE e.cancelled_at IS NULL AND a.village_id IS NOT NULL AND a.role <> 'partner'")
    reached = f"SELECT code, MIN(day) AS day FROM ({attended}) a GROUP BY code"
    deals = (f"SELECT c.village_id AS code, {_local('d.created_at')} AS day, d.kind, d.stage, d.value "
             f"FROM {_DEALS} d JOIN {_COOPERATIVES} c ON c.id = d.cooperative_id")
    open_stages = ", ".join(f"'{stage}'" for stage in OPEN_STAGES)
    # Coverage (coverage_facts): a village is served from the first day a cooperative seated in it or joining it
    # exists.
    served = (f"SELECT s.code, MIN(s.day) AS day, {_flag(f'r.kind = {str(RegionKind.KELURAHAN)!r}')} AS kelurahan "
              "FROM (SELECT h.code, h.start AS day FROM history_coop h UNION ALL SELECT cv.village_id, h.start "
              f"FROM {_LINKS} cv JOIN history_coop h ON h.id = cv.cooperative_id) s "
              f"JOIN {_REGIONS} r ON r.code = s.code GROUP BY s.code, r.kind")
    return [
        _changes(members, {"members": "x.members"}),
        _changes(visits, {"visits_30d": "x.visits"}),
        _changes(postings, {f"savings_{kind}": f"CASE WHEN x.kind = '{kind}' THEN x.amount ELSE 0 END"
                            for kind in ("pokok", "wajib", "sukarela")}),
        _changes(arrears, {"savings_arrears": "x.amount"}),
        _changes(land, {"land_plots": "x.plots", "land_verified": "x.verified",
                        "land_construction": "x.construction", "land_handed_over": "x.handed_over"}),
        _changes(held, {"events_held": "1"}),
        _changes(attended, {"attendees": "1", **{f"attendees_{role}": _flag(f"x.role = '{role}'")
                                                 for role in EVENT_ROLES}}),
        _changes(reached, {"villages_reached": "1"}),
        _changes(deals, {"deals": "1", **{f"deals_{kind}": _flag(f"x.kind = '{kind}'") for kind in DEAL_KINDS},
                         **{f"deals_{stage}": _flag(f"x.stage = '{stage}'") for stage in DEAL_STAGES},
                         "deal_value_open": f"CASE WHEN x.stage IN ({open_stages}) THEN x.value ELSE 0 END",
                         "deal_value_closed": "CASE WHEN x.stage = 'closed' THEN x.value ELSE 0 END"}),
        _changes(served, {"villages_covered": "1", "kelurahan_covered": "x.kelurahan"}),
    ]


def _catalogue() -> tuple[dict[int, int], dict[str, int]]:
    """Stage id → position in the workflow (1-based), and unit type code → id, as ``reports.sql`` reads them."""
    stage_ids = FormationStage.objects.order_by("order").values_list("id", flat=True)
    unit_ids = dict(UnitType.objects.filter(code__in=UNIT_CODES).values_list("code", "id"))
    return {pk: rank for rank, pk in enumerate(stage_ids, start=1)}, unit_ids


def _changes_sql(stage_rank: dict[int, int], unit_ids: dict[str, int]) -> str:
    """
    ``SELECT day, code, level, <metrics>``: every change of the run summed per kecamatan and day, then per
    kabupaten/kota, province and the nation (each level from the one below, as ``reports.sql.area_ctes_sql``).
    """
    parts = [_cooperative_changes(stage_rank), *_unit_changes(unit_ids), *_milestone_changes(stage_rank),
             *_counted_changes()]
    sums = ", ".join(f"SUM({name})::{_type(name)} AS {name}" for name in METRIC_COLUMNS)
    ctes, source = [f"district AS (SELECT day, code, {sums} FROM ({' UNION ALL '.join(parts)}) parts "
                    "GROUP BY day, code)"], "district"
    for level, length in LEVEL_PREFIXES[1:]:
        ctes.append(f"{level} AS (SELECT day, substr(code, 1, {length}) AS code, {sums} FROM {source} "
                    f"GROUP BY day, substr(code, 1, {length}))")
        source = level
    ctes.append(f"nation AS (SELECT day, '{NATION}' AS code, {sums} FROM {source} GROUP BY day)")
    levels = [level for level, _length in LEVEL_PREFIXES] + ["nation"]
    return f"WITH {', '.join(ctes)} " + " UNION ALL ".join(
        f"SELECT day, code, '{level}' AS level, {_COLUMNS} FROM {level}" for level in levels)


def snapshot_history(start: date, end: date) -> int:
    """
    Write the snapshots of every day from ``start`` to ``end`` (replacing them), as ``snapshot_backfill`` does day
    by day: the first day computed in full, each later one as the day before's plus that day's changes.
    PostgreSQL only; the caller holds the transaction. Returns the rows written.
    """
    with connection.cursor() as cursor:
        # The changes are one large aggregation: room to hash it in memory, for this transaction only.
        # The changes are large aggregations: room to hash them in memory; and no JIT compilation, which costs
        # more than it saves on these (seconds for the first day's query). For this transaction only.
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("DROP TABLE IF EXISTS history_coop, history_unit, history_delta")
        stage_rank, unit_ids = _catalogue()
        # Each cooperative's first day: its registration, or an earlier verified stage's event date; the run's
        # first day at the earliest (what happened before it is in the first day's full count, so every state
        # evaluated before it is evaluated once, on it).
        first = bind(f"CREATE TEMPORARY TABLE history_coop AS SELECT c.id, c.village_id AS code, "
                     f"GREATEST(LEAST({_local('c.created_at')}, v.day), %(start)s) AS start "
                     f"FROM {_COOPERATIVES} c LEFT JOIN ("
                     f"SELECT cooperative_id, MIN({_local('completed_at')}) AS day FROM {_PROGRESS} "
                     f"WHERE status = {_VERIFIED} AND completed_at IS NOT NULL GROUP BY cooperative_id"
                     ") v ON v.cooperative_id = c.id", tz=settings.TIME_ZONE, start=start)
        cursor.execute(first.sql, first.params)
        cursor.execute("CREATE UNIQUE INDEX ON history_coop (id)")
        cursor.execute("ANALYZE history_coop")
        units = bind(f"CREATE TEMPORARY TABLE history_unit AS {_unit_rows_sql(unit_ids)}", end=end)
        cursor.execute(units.sql, units.params)
        changes = bind(f"CREATE TEMPORARY TABLE history_delta AS {_changes_sql(stage_rank, unit_ids)}",
                       tz=settings.TIME_ZONE, start=start, end=end)
        cursor.execute(changes.sql, changes.params)
        cursor.execute("CREATE INDEX ON history_delta (day)")
        cursor.execute("ANALYZE history_delta")

        moment = end_of_day(start)
        facts = village_facts(codes=None, as_of=moment, **time_windows(moment))
        first_day = bind(f"{area_ctes_sql()} INSERT INTO {_SNAPSHOT} (day, code, level, {_COLUMNS}) "
                         f"SELECT %(day)s, area.* FROM ({area_rows_sql(include_villages=False)}) area", day=start)
        cursor.execute(f"DELETE FROM {_SNAPSHOT} WHERE day >= %s AND day <= %s", [start, end])
        cursor.execute(f"{facts.sql}{first_day.sql}", [*facts.params, *first_day.params])
        written = cursor.rowcount
        # Each later day: the day before's rows plus the day's changes (an area without a row the day before
        # starts from nothing).
        columns = ", ".join(f"COALESCE(b.{name}, 0) + COALESCE(c.{name}, 0)" for name in METRIC_COLUMNS)
        day = start + timedelta(days=1)
        while day <= end:
            cursor.execute(f"INSERT INTO {_SNAPSHOT} (day, code, level, {_COLUMNS}) "
                           f"SELECT %s, COALESCE(b.code, c.code), COALESCE(b.level, c.level), {columns} "
                           f"FROM (SELECT code, level, {_COLUMNS} FROM {_SNAPSHOT} WHERE day = %s) b "
                           f"FULL JOIN (SELECT code, level, {_COLUMNS} FROM history_delta WHERE day = %s) c "
                           "ON c.code = b.code", [day, day - timedelta(days=1), day])
            written += cursor.rowcount
            day += timedelta(days=1)
        cursor.execute("DROP TABLE history_coop, history_unit, history_delta")
    return written
