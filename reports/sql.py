"""
Set-based SQL for the roll-up, portable between PostgreSQL and SQLite.

One query turns the base tables into one row of counts per village (``village_facts``); a second layer
sums those rows by code prefix into kecamatan, kabupaten/kota, province and nation rows. Because the
Kemendagri code is a materialized path, "the kecamatan of a village" is ``substr(code, 1, 8)``: no
joins to the region tree are needed. The same village query, restricted to a few codes, serves the
incremental refresh, and a dated variant rebuilds past days for snapshots.
"""

import re
from dataclasses import dataclass
from dataclasses import field
from datetime import date
from datetime import datetime
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from koperasi.models import FormationStage
from koperasi.models import StageStatus
from members.models import MemberStatus
from units.models import READINESS_ORDER
from units.models import UnitStatus
from units.models import UnitType
from wilayah.models import Region

from .coverage_facts import COVERAGE_COLUMNS
from .coverage_facts import coverage_columns
from .coverage_facts import joint_villages_sql
from .coverage_facts import milestone_cte_sql
from .coverage_facts import milestone_fact_columns
from .kegiatan_facts import kegiatan_village_sql
from .land_facts import land_cte_sql
from .metrics import BIG_METRIC_COLUMNS
from .metrics import FORMATION_MODELS
from .metrics import KEGIATAN_COLUMNS
from .metrics import KINDS
from .metrics import LAND_COLUMNS
from .metrics import METRIC_COLUMNS
from .metrics import NATION
from .metrics import OPS_BUCKETS
from .metrics import SAVINGS_COLUMNS
from .metrics import STAGE_BUCKETS
from .metrics import UNIT_CODES
from .metrics import UNIT_STATUSES
from .metrics import stage_column
from .metrics import unit_column
from .savings_facts import savings_cte
from .savings_facts import savings_fact_columns

__all__ = ["Query", "area_ctes_sql", "area_rows_sql", "bind", "end_of_day", "time_windows", "village_facts"]

_REGIONS = Region._meta.db_table


def _no_flattening() -> str:
    """
    Appended to a subquery whose computed columns many aggregates read: PostgreSQL would otherwise pull it up and
    compute the expression again in each of them. (SQLite, used only on small data, is left as it is.)
    """
    return " OFFSET 0" if connection.vendor == "postgresql" else ""


# Prefix length of each level's code in a village code (33.18.01.2001).
LEVEL_PREFIXES = (("district", 8), ("regency", 5), ("province", 2))
_READINESS_RANK = {str(status): rank for rank, status in enumerate(READINESS_ORDER)}


@dataclass
class Query:
    sql: str
    params: list = field(default_factory=list)


_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def bind(sql: str, **values) -> Query:
    """
    Turn named placeholders into positional ones, which both database drivers accept; a list value
    becomes one placeholder per element (for ``IN (...)``). A name may appear any number of times.
    """
    params: list = []

    def placeholder(match: re.Match) -> str:
        value = values[match.group(1)]
        if isinstance(value, list | tuple):
            params.extend(value)
            return ", ".join(["%s"] * len(value))
        params.append(value)
        return "%s"

    return Query(_PLACEHOLDER.sub(placeholder, sql), params)


def time_windows(now: datetime) -> dict:
    """The moving windows of the counts at ``now``: "stalled" since, and the visits' last 30 days."""
    return {
        "stalled_before": now - timedelta(days=settings.STALLED_AFTER_DAYS),
        "visits_since": timezone.localdate(now) - timedelta(days=30),
    }


def end_of_day(day: date) -> datetime:
    """The last moment of ``day`` in the portal's time zone: a day's counts include everything dated that day."""
    return timezone.make_aware(datetime.combine(day, datetime.max.time()))


def _catalogue() -> tuple[dict[int, int], dict[str, int]]:
    """Stage id → position in the workflow (1-based), and unit type code → id. Inlined as integers."""
    stage_ids = FormationStage.objects.order_by("order").values_list("id", flat=True)
    stage_rank = {pk: rank for rank, pk in enumerate(stage_ids, start=1)}
    unit_ids = dict(UnitType.objects.filter(code__in=UNIT_CODES).values_list("code", "id"))
    return stage_rank, unit_ids


def _case(column: str, mapping: dict, default) -> str:
    whens = " ".join(f"WHEN {key!r} THEN {value!r}" for key, value in mapping.items())
    return f"CASE {column} {whens} ELSE {default!r} END" if whens else repr(default)


def _seat_columns() -> dict[str, str]:
    """
    One cooperative's contribution to each metric column that is a cooperative's (counted at its seat's village),
    from the joined per-cooperative facts. The other columns come from their own per-village CTEs (``_OWNERS``).
    """
    columns = {"cooperatives": "1",
               **{f"kind_{kind}": f"CASE WHEN coop.kind = '{kind}' THEN 1 ELSE 0 END" for kind in KINDS},
               **{f"model_{model}": f"CASE WHEN coop.formation_model = '{model}' THEN 1 ELSE 0 END"
                  for model in FORMATION_MODELS},
               **{stage_column(index): f"CASE WHEN coop.stage_idx = {index} THEN 1 ELSE 0 END"
                  for index in range(STAGE_BUCKETS)}}
    columns |= {unit_column(code, status): f"COALESCE(unit.{unit_column(code, status)}, 0)"
                for code in UNIT_CODES for status in UNIT_STATUSES}
    columns |= {"units_local": "COALESCE(unit.units_local, 0)",
                **{f"ops_{count}": f"CASE WHEN COALESCE(unit.ops, 0) = {count} THEN 1 ELSE 0 END"
                   for count in range(OPS_BUCKETS)},
                "members": "COALESCE(member.members, 0)", "stalled": "coop.stalled",
                "awaiting_review": "COALESCE(milestone.awaiting, 0)"}
    columns |= dict(zip(SAVINGS_COLUMNS, savings_fact_columns(), strict=True))
    columns |= milestone_fact_columns()  # stages completed in any order, SIMKOPDES
    assert set(columns).isdisjoint(_OWNERS) and {*columns, *_OWNERS, *COVERAGE_COLUMNS} == set(METRIC_COLUMNS)
    return columns


# The per-village CTEs other than the cooperatives' own facts, and the columns each fills (under the same name);
# the coverage columns come from the seats and the joint cooperatives' villages (``coverage_columns``).
_OWNERS = {"visits_30d": "visit", **dict.fromkeys(LAND_COLUMNS, "land"), **dict.fromkeys(KEGIATAN_COLUMNS, "kegiatan")}
_SOURCES = ("seat", "joint", "visit", "land", "kegiatan")


def _cast(name: str, expression: str) -> str:
    """
    Counts as 32-bit integers (their column type), rupiah as 64-bit: PostgreSQL's SUM of a bigint is a numeric,
    whose additions cost several times an integer's at every level above.
    """
    return f"CAST({expression} AS {'BIGINT' if name in BIG_METRIC_COLUMNS else 'INTEGER'})"


def village_facts(*, codes: list[str] | None, stalled_before: datetime, visits_since: date,
                  as_of: datetime | None = None) -> Query:
    """
    ``WITH … village AS (…)``: one row of counts per village that has a cooperative or a recent visit.

    ``codes`` limits it to those villages (the incremental refresh). With ``as_of`` the counts are
    those of that moment, rebuilt from dated records (stage completions, unit milestones, joining
    dates, visit dates): used to back-fill daily snapshots.
    """
    stage_rank, unit_ids = _catalogue()
    only = codes is not None
    in_villages = "c.village_id IN (%(codes)s)" if only else "1 = 1"
    of_villages = ("IN (SELECT id FROM koperasi_cooperative WHERE village_id IN (%(codes)s))" if only
                   else "IS NOT NULL")
    simkopdes_own = "CASE WHEN c.simkopdes_account <> '' THEN 1 ELSE 0 END AS simkopdes_own"
    if as_of is None:
        coop = (
            f"SELECT c.id, c.village_id AS code, c.kind, c.formation_model, "
            f"{_case('c.stage_reached_id', stage_rank, 0)} AS stage_idx, "
            f"CASE WHEN c.formation_completed = %(false)s AND c.operational_since IS NULL "
            f"AND c.stage_reached_at < %(stalled_before)s "
            f"THEN 1 ELSE 0 END AS stalled, {simkopdes_own} FROM koperasi_cooperative c WHERE {in_villages}"
        )
        unit_status, unit_from = "u.status", "units_unit u"
        member_when = f" AND m.status = '{MemberStatus.AKTIF}'"
        review_when, visit_when = f"sp.status = '{StageStatus.SUBMITTED}'", ""
    else:
        # On that day, by event dates: a verified stage counts from its completion (the date of its documents),
        # a stage marked not applicable on every day (it carries no date); the stage reached is the last of the
        # unbroken run from the first, as the current roll-up's. A cooperative counts from its registration, or
        # from an earlier stage's event date (brought in from history).
        total = len(stage_rank)
        rank = _case("sp.stage_id", stage_rank, total + 1)
        done = (f"(sp.status = '{StageStatus.NOT_APPLICABLE}' OR (sp.status = '{StageStatus.VERIFIED}' "
                "AND sp.completed_at <= %(as_of)s))")
        coop = (
            "SELECT c.id, c.village_id AS code, c.kind, c.formation_model, "
            f"COALESCE(done.first_open, {total + 1}) - 1 AS stage_idx, "
            f"CASE WHEN COALESCE(done.first_open, {total + 1}) <= {total} AND (c.operational_since IS NULL "
            "OR c.operational_since > %(as_of_day)s) "
            "AND COALESCE(done.last_done, c.created_at) < %(stalled_before)s THEN 1 ELSE 0 END AS stalled, "
            f"{simkopdes_own} FROM koperasi_cooperative c LEFT JOIN ("
            f"SELECT sp.cooperative_id, MIN(CASE WHEN {done} THEN NULL ELSE {rank} END) AS first_open, "
            f"MAX(CASE WHEN sp.status = '{StageStatus.VERIFIED}' AND sp.completed_at <= %(as_of)s "
            "THEN sp.completed_at END) AS last_done, "
            f"SUM(CASE WHEN sp.status = '{StageStatus.VERIFIED}' AND sp.completed_at <= %(as_of)s THEN 1 ELSE 0 END) "
            f"AS verified FROM koperasi_stageprogress sp WHERE sp.cooperative_id {of_villages} "
            "GROUP BY sp.cooperative_id"
            ") done ON done.cooperative_id = c.id "
            f"WHERE (c.created_at <= %(as_of)s OR COALESCE(done.verified, 0) > 0) AND {in_villages}"
        )
        # A unit's status on that day is the highest milestone reached by then ("not run" carries no date).
        rank = _case("m.status", _READINESS_RANK, 0)
        reached = (f"SELECT m.unit_id, MAX({rank}) AS rank FROM units_unitmilestone m "
                   f"WHERE m.reached_on <= %(as_of_day)s GROUP BY m.unit_id")
        by_rank = _case("COALESCE(r.rank, 0)", {rank: status for status, rank in _READINESS_RANK.items()},
                        str(UnitStatus.RENCANA))
        not_run = UnitStatus.TIDAK_DIJALANKAN
        unit_status = f"CASE WHEN u.status = '{not_run}' THEN '{not_run}' ELSE {by_rank} END"
        unit_from = f"units_unit u LEFT JOIN ({reached}) r ON r.unit_id = u.id"
        # Members who had joined by then and had not yet left or died (a member who left carries the date).
        member_when = (f" AND m.joined_on <= %(as_of_day)s "
                       f"AND (m.status = '{MemberStatus.AKTIF}' OR m.status_on > %(as_of_day)s)")
        review_when = "sp.submitted_at <= %(as_of)s AND (sp.reviewed_at IS NULL OR sp.reviewed_at > %(as_of)s)"
        visit_when = " AND v.visited_on <= %(as_of_day)s"

    # One small integer key per unit (the type's position × 7 + the status's), computed once in a subquery that
    # PostgreSQL may not flatten (OFFSET 0), then counted per column with FILTER: the status (a CASE over dates on
    # a past day) and the type are compared once per unit instead of once per unit and column.
    types = {code: position for position, code in enumerate(UNIT_CODES) if code in unit_ids}
    local, width = len(UNIT_CODES), len(UNIT_STATUSES) + 1
    type_index = _case("u.unit_type_id", {unit_ids[code]: position for code, position in types.items()}, local + 1)
    status_index = _case(unit_status, {status: position for position, status in enumerate(UNIT_STATUSES)},
                         len(UNIT_STATUSES))
    unit_counts = ", ".join(
        f"COUNT(*) FILTER (WHERE k = {types[code] * width + UNIT_STATUSES.index(status)}) "
        f"AS {unit_column(code, status)}" if code in types else f"0 AS {unit_column(code, status)}"
        for code in UNIT_CODES for status in UNIT_STATUSES
    )
    operational = ", ".join(str(position * width + UNIT_STATUSES.index("operasional")) for position in types.values())
    unit = (
        f"SELECT cooperative_id, {unit_counts}, "
        f"COUNT(*) FILTER (WHERE k >= {local * width} AND k < {(local + 1) * width}) AS units_local, "
        f"COUNT(*) FILTER (WHERE k IN ({operational or 'NULL'})) AS ops FROM ("
        f"SELECT u.cooperative_id, CASE WHEN u.unit_type_id IS NULL THEN {local} ELSE {type_index} END * {width} "
        f"+ {status_index} AS k FROM {unit_from} WHERE u.cooperative_id {of_villages}{_no_flattening()}) unit_keys "
        "GROUP BY cooperative_id"
    )
    member = (f"SELECT m.cooperative_id, COUNT(*) AS members FROM members_member m "
              f"WHERE m.cooperative_id {of_villages}{member_when} GROUP BY m.cooperative_id")
    visit = ("SELECT v.village_id AS code, COUNT(*) AS visits_30d FROM pendampingan_visit v "
             f"WHERE v.visited_on > %(visits_since)s{visit_when}"
             + (" AND v.village_id IN (%(codes)s)" if only else "") + " GROUP BY v.village_id")
    milestone = milestone_cte_sql(stage_rank=stage_rank, of_villages=of_villages, dated=as_of is not None,
                                  awaiting=review_when, no_flattening=_no_flattening())
    seat_facts = ", ".join(f"{expression} AS {name}" for name, expression in _seat_columns().items())
    joins = " ".join(f"LEFT JOIN {source} ON {source}.code = r.code" for source in _SOURCES)
    present = " OR ".join(f"{source}.code IS NOT NULL" for source in _SOURCES)
    expressions = {name: f"COALESCE({_OWNERS.get(name, 'seat')}.{name}, 0)" for name in METRIC_COLUMNS}
    expressions |= coverage_columns(seat="seat", joint="joint", region="r")
    village_columns = ", ".join(f"{_cast(name, expressions[name])} AS {name}" for name in METRIC_COLUMNS)
    # One row per village and source: a cooperative's facts at its seat (a village is the seat of at most one
    # cooperative), the joint cooperatives' villages, visits, plots and events, each grouped by village code. So a
    # village row is a join by code of at most five rows, not a sum over a hundred columns of rows that are mostly
    # zeros. The region table drives the joins: its statistics give the planner true row counts (every source's
    # code is a region's), where the union of the sources' codes would leave it guessing.
    sql = (
        f"WITH coop AS ({coop}), unit AS ({unit}), member AS ({member}), "
        f"visit AS ({visit}), savings AS ({savings_cte(of_villages=of_villages, dated=as_of is not None)}), "
        f"land AS ({land_cte_sql(only=only, as_of=as_of is not None)}), "
        f"kegiatan AS ({kegiatan_village_sql(only=only, dated=as_of is not None)}), "
        f"milestone AS ({milestone}), "
        f"joint AS ({joint_villages_sql(only=only, dated=as_of is not None)}), "
        f"seat AS (SELECT coop.code AS code, {seat_facts} FROM coop "
        f"LEFT JOIN unit ON unit.cooperative_id = coop.id LEFT JOIN member ON member.cooperative_id = coop.id "
        f"LEFT JOIN savings ON savings.cooperative_id = coop.id "
        f"LEFT JOIN milestone ON milestone.cooperative_id = coop.id), "
        f"village AS (SELECT r.code AS code, {village_columns} FROM {_REGIONS} r {joins} "
        f"WHERE ({present}){' AND r.code IN (%(codes)s)' if only else ''})"
    )
    return bind(sql, codes=list(codes or []), false=False, stalled_before=stalled_before,
                visits_since=visits_since, as_of=as_of, as_of_day=as_of.date() if as_of else None)


def area_ctes_sql() -> str:
    """
    ``WITH`` clauses (to append to ``village_facts``) summing the ``village`` rows level by level:
    kecamatan from villages, kabupaten/kota from kecamatan, and so on, each level reading the much
    smaller level below it.
    """
    sums = ", ".join(f"{_cast(name, f'SUM({name})')} AS {name}" for name in METRIC_COLUMNS)
    ctes, source = [], "village"
    for level, length in LEVEL_PREFIXES:
        ctes.append(f"{level} AS (SELECT substr(code, 1, {length}) AS code, {sums} FROM {source} "
                    f"GROUP BY substr(code, 1, {length}))")
        source = level
    ctes.append(f"nation AS (SELECT '{NATION}' AS code, {sums} FROM province HAVING COUNT(*) > 0)")
    return ", " + ", ".join(ctes)


def area_rows_sql(*, include_villages: bool) -> str:
    """``SELECT code, level, <metrics>`` of every level, from the CTEs of ``area_ctes_sql``."""
    columns = ", ".join(METRIC_COLUMNS)
    levels = (["village"] if include_villages else []) + [level for level, _length in LEVEL_PREFIXES] + ["nation"]
    return " UNION ALL ".join(f"SELECT code, '{level}' AS level, {columns} FROM {level}" for level in levels)
