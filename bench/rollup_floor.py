"""
The floors of bench/rollup.py's full roll-up: plain SQL (PostgreSQL) computing figures of the roll-up, read only
(nothing written, nothing compared), written here on its own rather than taken from ``reports.sql``.

``full_floor_sql``: every figure the reconcile writes (every roll-up column of every village, kecamatan,
kabupaten/kota, province and the nation), by the fastest plain SQL found: each source table aggregated once by
cooperative or village (counts with FILTER; a small integer key per unit computed once), the per-village rows
joined by village code, each level summed from the level below. ``full_floor_rows_sql`` returns the same rows, so
that the benchmark can check the floor computes exactly the roll-up's figures.

``stage_unit_floor_sql``: only the stage and unit columns (the floor of earlier runs), by the fastest SQL found for
those: one wide row per village pivoted with FILTER, then the levels (the long form, one GROUP BY per level over
(code, stage or unit type, status), took 2.5–3× as long).
"""

from datetime import timedelta

__all__ = ["full_floor_rows_sql", "full_floor_sql", "stage_unit_floor_sql"]

_LEVELS = (("d", "v", 8), ("r", "d", 5), ("p", "r", 2))


def _catalogue():
    from koperasi.models import FormationStage
    from reports.metrics import UNIT_CODES
    from units.models import UnitType

    stages = list(FormationStage.objects.order_by("order").values_list("id", "code"))
    units = dict(UnitType.objects.filter(code__in=UNIT_CODES).values_list("code", "id"))
    return stages, units


def _unit_pivot() -> tuple[str, list[str]]:
    """``unit``: per cooperative, the unit columns, units_local and ops (mandated units operational)."""
    from reports.metrics import UNIT_CODES
    from reports.metrics import UNIT_STATUSES
    from reports.metrics import unit_column

    _stages, units = _catalogue()
    width = len(UNIT_STATUSES) + 1
    types = " ".join(f"WHEN {units[code]} THEN {position}" for position, code in enumerate(UNIT_CODES))
    statuses = " ".join(f"WHEN '{status}' THEN {position}" for position, status in enumerate(UNIT_STATUSES))
    local = len(UNIT_CODES)
    columns = [unit_column(code, status) for code in UNIT_CODES for status in UNIT_STATUSES]
    counts = ", ".join(f"count(*) FILTER (WHERE k = {t * width + s}) AS {unit_column(code, status)}"
                       for t, code in enumerate(UNIT_CODES) for s, status in enumerate(UNIT_STATUSES))
    operational = ", ".join(str(t * width + UNIT_STATUSES.index("operasional")) for t in range(local))
    sql = (f"SELECT cooperative_id, {counts}, count(*) FILTER (WHERE k / {width} = {local}) AS units_local, "
           f"count(*) FILTER (WHERE k IN ({operational})) AS ops FROM ("
           f"SELECT cooperative_id, CASE WHEN unit_type_id IS NULL THEN {local} ELSE CASE unit_type_id {types} "
           f"ELSE {local + 1} END END * {width} + CASE status {statuses} ELSE {width - 1} END AS k "
           "FROM units_unit OFFSET 0) keyed GROUP BY cooperative_id")
    return sql, columns


def _levels(columns: list[str]) -> str:
    sums = ", ".join(f"sum({name})::int AS {name}" for name in columns)
    ctes = [f"{level} AS MATERIALIZED (SELECT substr(code, 1, {length}) AS code, {sums} FROM {source} GROUP BY 1)"
            for level, source, length in _LEVELS]
    ctes.append(f"n AS MATERIALIZED (SELECT 'ID' AS code, {sums} FROM p)")
    return ", ".join(ctes)


_COUNT = "SELECT (SELECT count(*) FROM v) + (SELECT count(*) FROM d) + (SELECT count(*) FROM r) " \
         "+ (SELECT count(*) FROM p) + (SELECT count(*) FROM n)"


def stage_unit_floor_sql() -> str:
    """The stage and unit figures of every level; the query returns how many figures it computed."""
    from reports.metrics import STAGE_BUCKETS
    from reports.metrics import stage_column

    stages, _units = _catalogue()
    unit, unit_columns = _unit_pivot()
    rank = " ".join(f"WHEN {pk} THEN {position}" for position, (pk, _code) in enumerate(stages, start=1))
    stage_columns = [stage_column(index) for index in range(STAGE_BUCKETS)]
    columns = [*stage_columns, *unit_columns]
    stage_counts = ", ".join(f"(CASE stage_reached_id {rank} ELSE 0 END = {index})::int AS {stage_column(index)}"
                             for index in range(STAGE_BUCKETS))
    village = ", ".join([*stage_columns, *(f"COALESCE({name}, 0)::int AS {name}" for name in unit_columns)])
    return (f"WITH unit AS ({unit}), v AS MATERIALIZED (SELECT c.code, {village} FROM (SELECT id, village_id AS code, "
            f"{stage_counts} FROM koperasi_cooperative) c LEFT JOIN unit ON unit.cooperative_id = c.id), "
            f"{_levels(columns)} SELECT ({_COUNT}) * {len(columns)}")


def _full_floor_ctes(now) -> tuple[str, list]:
    from django.conf import settings
    from django.utils import timezone

    from kegiatan.models import OPEN_STAGES
    from reports.metrics import DEAL_KINDS
    from reports.metrics import DEAL_STAGES
    from reports.metrics import EVENT_ROLES
    from reports.metrics import FORMATION_MODELS
    from reports.metrics import KINDS
    from reports.metrics import METRIC_COLUMNS
    from reports.metrics import OPS_BUCKETS
    from reports.metrics import STAGE_BUCKETS

    stages, _units = _catalogue()
    unit, unit_columns = _unit_pivot()
    rank = " ".join(f"WHEN {pk} THEN {position}" for position, (pk, _code) in enumerate(stages, start=1))
    simkopdes = next((pk for pk, code in stages if code == "simkopdes"), 0)
    completed = "status IN ('verified', 'not_applicable')"
    done = ", ".join(f"count(*) FILTER (WHERE {completed} AND stage_id = {pk}) AS stage_done_{position}"
                     for position, (pk, _code) in enumerate(stages, start=1))
    seat = {
        "cooperatives": "1",
        **{f"kind_{kind}": f"(c.kind = '{kind}')::int" for kind in KINDS},
        **{f"model_{model}": f"(c.formation_model = '{model}')::int" for model in FORMATION_MODELS},
        **{f"stage_{index}": f"(CASE c.stage_reached_id {rank} ELSE 0 END = {index})::int"
           for index in range(STAGE_BUCKETS)},
        **{name: f"COALESCE(unit.{name}, 0)" for name in [*unit_columns, "units_local"]},
        **{f"ops_{count}": f"(COALESCE(unit.ops, 0) = {count})::int" for count in range(OPS_BUCKETS)},
        "members": "COALESCE(member.n, 0)",
        "stalled": "(NOT c.formation_completed AND c.operational_since IS NULL AND c.stage_reached_at < %s)::int",
        "awaiting_review": "COALESCE(progress.awaiting, 0)",
        "savings_pokok": "COALESCE(s.pokok, 0)", "savings_wajib": "COALESCE(s.wajib, 0)",
        "savings_sukarela": "COALESCE(s.sukarela, 0)", "savings_arrears": "COALESCE(s.arrears, 0)",
        **{f"stage_done_{position}": f"(COALESCE(progress.stage_done_{position}, 0) > 0)::int"
           for position in range(1, STAGE_BUCKETS)},
        "simkopdes_account": "(c.simkopdes_account <> '' OR COALESCE(progress.simkopdes, 0) > 0)::int",
    }
    land = {"land_plots": "status <> 'rejected'",
            "land_verified": "status IN ('verified', 'construction', 'handed_over')",
            "land_construction": "status = 'construction'", "land_handed_over": "status = 'handed_over'"}
    open_stages = ", ".join(f"'{stage}'" for stage in OPEN_STAGES)
    kegiatan = {
        "events_held": "COALESCE(events.n, 0)",
        "villages_reached": "(COALESCE(attendance.attendees, 0) > 0)::int",
        "attendees": "COALESCE(attendance.attendees, 0)",
        **{f"attendees_{role}": f"COALESCE(attendance.attendees_{role}, 0)" for role in EVENT_ROLES},
        "deals": "COALESCE(deal.deals, 0)",
        **{f"deals_{kind}": f"COALESCE(deal.deals_{kind}, 0)" for kind in DEAL_KINDS},
        **{f"deals_{stage}": f"COALESCE(deal.deals_{stage}, 0)" for stage in DEAL_STAGES},
        "deal_value_open": "COALESCE(deal.deal_value_open, 0)",
        "deal_value_closed": "COALESCE(deal.deal_value_closed, 0)",
    }
    village = {
        **{name: f"COALESCE(seat.{name}, 0)" for name in seat},
        "visits_30d": "COALESCE(visit.n, 0)",
        **{name: f"COALESCE(land.{name}, 0)" for name in land},
        **kegiatan,
        "villages_covered": "(seat.code IS NOT NULL OR joint.code IS NOT NULL)::int",
        "kelurahan_covered": "((seat.code IS NOT NULL OR joint.code IS NOT NULL) AND r.kind = 'kelurahan')::int",
    }
    assert set(village) == set(METRIC_COLUMNS), set(METRIC_COLUMNS) ^ set(village)
    big = ("savings_pokok", "savings_wajib", "savings_sukarela", "savings_arrears", "deal_value_open",
           "deal_value_closed")
    select = ", ".join(f"({village[name]})::{'bigint' if name in big else 'int'} AS {name}" for name in METRIC_COLUMNS)
    # Each level: bigint sums for the rupiah columns, integer for the counts.
    sums = ", ".join(f"sum({name})::{'bigint' if name in big else 'int'} AS {name}" for name in METRIC_COLUMNS)
    levels = [f"{level} AS MATERIALIZED (SELECT substr(code, 1, {length}) AS code, {sums} FROM {source} GROUP BY 1)"
              for level, source, length in _LEVELS]
    levels.append(f"n AS MATERIALIZED (SELECT 'ID' AS code, {sums} FROM p)")
    sql = (
        f"WITH unit AS ({unit}), "
        "member AS (SELECT cooperative_id, count(*) AS n FROM members_member WHERE status = 'aktif' GROUP BY 1), "
        f"progress AS (SELECT cooperative_id, {done}, "
        f"max((({completed}) AND stage_id = {simkopdes})::int) AS simkopdes, "
        "count(*) FILTER (WHERE status = 'submitted') AS awaiting FROM koperasi_stageprogress "
        "WHERE status IN ('verified', 'not_applicable', 'submitted') GROUP BY 1), "
        f"seat AS (SELECT c.village_id AS code, {', '.join(f'{value} AS {name}' for name, value in seat.items())} "
        "FROM koperasi_cooperative c LEFT JOIN unit ON unit.cooperative_id = c.id "
        "LEFT JOIN member ON member.cooperative_id = c.id LEFT JOIN progress ON progress.cooperative_id = c.id "
        "LEFT JOIN simpanan_cooperativesavings s ON s.cooperative_id = c.id), "
        "joint AS (SELECT cv.village_id AS code FROM koperasi_cooperativevillage cv "
        "JOIN koperasi_cooperative c ON c.id = cv.cooperative_id GROUP BY 1), "
        "visit AS (SELECT village_id AS code, count(*) AS n FROM pendampingan_visit WHERE visited_on > %s GROUP BY 1), "
        f"land AS (SELECT c.village_id AS code, "
        f"{', '.join(f'count(*) FILTER (WHERE p.{condition}) AS {name}' for name, condition in land.items())} "
        "FROM pembangunan_landplot p JOIN koperasi_cooperative c ON c.id = p.cooperative_id GROUP BY 1), "
        "events AS (SELECT e.venue_village_id AS code, count(*) AS n FROM kegiatan_event e "
        "WHERE e.cancelled_at IS NULL AND EXISTS (SELECT 1 FROM kegiatan_attendee a WHERE a.event_id = e.id) "
        "GROUP BY 1), "
        "attendance AS (SELECT a.village_id AS code, count(*) AS attendees, "
        f"{', '.join(f'count(*) FILTER (WHERE a.role = {role!r}) AS attendees_{role}' for role in EVENT_ROLES)} "
        "FROM kegiatan_attendee a JOIN kegiatan_event e ON e.id = a.event_id WHERE e.cancelled_at IS NULL "
        "AND a.role <> 'partner' GROUP BY 1), "
        "deal AS (SELECT c.village_id AS code, count(*) AS deals, "
        f"{', '.join(f'count(*) FILTER (WHERE d.kind = {kind!r}) AS deals_{kind}' for kind in DEAL_KINDS)}, "
        f"{', '.join(f'count(*) FILTER (WHERE d.stage = {stage!r}) AS deals_{stage}' for stage in DEAL_STAGES)}, "
        f"COALESCE(sum(d.value) FILTER (WHERE d.stage IN ({open_stages})), 0) AS deal_value_open, "
        "COALESCE(sum(d.value) FILTER (WHERE d.stage = 'closed'), 0) AS deal_value_closed "
        "FROM kegiatan_deal d JOIN koperasi_cooperative c ON c.id = d.cooperative_id GROUP BY 1), "
        f"v AS MATERIALIZED (SELECT r.code, {select} FROM wilayah_region r "
        "LEFT JOIN seat ON seat.code = r.code LEFT JOIN joint ON joint.code = r.code "
        "LEFT JOIN visit ON visit.code = r.code LEFT JOIN land ON land.code = r.code "
        "LEFT JOIN events ON events.code = r.code LEFT JOIN attendance ON attendance.code = r.code "
        "LEFT JOIN deal ON deal.code = r.code WHERE seat.code IS NOT NULL OR joint.code IS NOT NULL "
        "OR visit.code IS NOT NULL OR land.code IS NOT NULL OR events.code IS NOT NULL "
        "OR attendance.code IS NOT NULL OR deal.code IS NOT NULL), "
        + ", ".join(levels)
    )
    stalled_before = now - timedelta(days=settings.STALLED_AFTER_DAYS)
    visits_since = timezone.localdate(now) - timedelta(days=30)
    return sql, [stalled_before, visits_since]


def full_floor_sql(now) -> tuple[str, list]:
    """Every roll-up figure of every level; the query returns how many figures it computed."""
    from reports.metrics import METRIC_COLUMNS

    ctes, params = _full_floor_ctes(now)
    return f"{ctes} SELECT ({_COUNT}) * {len(METRIC_COLUMNS)}", params


def full_floor_rows_sql(now) -> tuple[str, list]:
    """The same, as rows ``code, <metrics>`` of every level (to compare with the roll-up table)."""
    ctes, params = _full_floor_ctes(now)
    rows = " UNION ALL ".join(f"SELECT * FROM {level}" for level in ("v", "d", "r", "p", "n"))
    return f"{ctes} {rows}", params
