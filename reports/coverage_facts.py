"""
The milestone and coverage columns of the roll-up (``metrics.MILESTONE_COLUMNS``).

``milestone``: per cooperative, which stages it completed (each counted on its own, whatever the order: the law
lets NIB, NPWP, bank account and SIMKOPDES come in any order after the SK AHU) and whether it has a SIMKOPDES
account (its own field, or the verified stage). LEFT JOINed on the cooperative like the savings.

``coverage``: the desa/kelurahan served by a cooperative, the villages of a joint cooperative included, each
village once (a village belongs to at most one cooperative), merged into ``village_facts`` as a branch of its
own: "villages with a cooperative" counts villages, while ``cooperatives`` still counts each cooperative once,
at its seat.

With ``as_of`` both are rebuilt from dates: stage completion dates, and the cooperative's registration for its
villages. The cooperative's own SIMKOPDES field carries no date of its own: a past day counts it from the
cooperative's registration (the stage, when recorded, carries the real date).
"""

from koperasi.models import COMPLETED_STATUSES
from koperasi.models import Cooperative
from koperasi.models import CooperativeVillage
from koperasi.models import FormationStage
from koperasi.models import StageProgress
from koperasi.models import StageStatus
from wilayah.models import Region
from wilayah.models import RegionKind

from .metrics import METRIC_COLUMNS
from .metrics import MILESTONE_COLUMNS
from .metrics import STAGE_BUCKETS
from .metrics import stage_done_column

__all__ = ["SIMKOPDES_STAGE", "coverage_branch_sql", "coverage_cte_sql", "milestone_cte_sql",
           "milestone_fact_columns"]

SIMKOPDES_STAGE = "simkopdes"
_COOPERATIVES = Cooperative._meta.db_table
_PROGRESS = StageProgress._meta.db_table
_LINKS = CooperativeVillage._meta.db_table
_REGIONS = Region._meta.db_table
_COMPLETED = ", ".join(f"'{status}'" for status in COMPLETED_STATUSES)  # fixed values, safe to inline


def milestone_cte_sql(*, stage_rank: dict[int, int], of_villages: str, dated: bool) -> str:
    """
    ``SELECT cooperative_id, done_1 … done_10, simkopdes`` of the cooperatives ``of_villages`` selects;
    ``stage_rank``: stage id → position in the workflow (inlined integers); placeholders as in ``village_facts``.
    """
    when = " AND sp.completed_at <= %(as_of)s" if dated else ""
    done = ", ".join(
        f"SUM(CASE WHEN sp.stage_id IN ({', '.join(str(pk) for pk, rank in stage_rank.items() if rank == index)}) "
        f"THEN 1 ELSE 0 END) AS done_{index}" if index in stage_rank.values() else f"0 AS done_{index}"
        for index in range(1, STAGE_BUCKETS))
    simkopdes_id = FormationStage.objects.filter(code=SIMKOPDES_STAGE).values_list("id", flat=True).first()
    simkopdes_stage = f"sp.stage_id = {int(simkopdes_id)}" if simkopdes_id else "1 = 0"
    return (f"SELECT c.id AS cooperative_id, {done}, "
            f"MAX(CASE WHEN c.simkopdes_account <> '' OR {simkopdes_stage} THEN 1 ELSE 0 END) AS simkopdes "
            f"FROM {_COOPERATIVES} c LEFT JOIN {_PROGRESS} sp ON sp.cooperative_id = c.id "
            f"AND sp.status IN ({_COMPLETED}){when} WHERE c.id {of_villages} GROUP BY c.id")


def milestone_fact_columns() -> list[str]:
    """One cooperative's contribution to each milestone column (``milestone`` is LEFT JOINed on it)."""
    columns = [f"CASE WHEN COALESCE(milestone.done_{index}, 0) > 0 THEN 1 ELSE 0 END"
               for index in range(1, STAGE_BUCKETS)]
    columns += ["COALESCE(milestone.simkopdes, 0)", "0", "0"]  # coverage comes through its own branch
    assert len(columns) == len(MILESTONE_COLUMNS)
    assert [stage_done_column(index) for index in range(1, STAGE_BUCKETS)] == list(MILESTONE_COLUMNS[:-3])
    return columns


def coverage_cte_sql(*, only: bool, dated: bool) -> str:
    """``SELECT code, kelurahan``: each village served by a cooperative once (seat or joint village)."""
    of_villages = " AND {column} IN (%(codes)s)" if only else ""
    # On a past day a cooperative exists from its registration, or from an earlier verified stage's event date
    # (brought in from history), as in the cooperatives' own count (``reports.sql``).
    when = (" AND (c.created_at <= %(as_of)s OR EXISTS (SELECT 1 FROM "
            f"{StageProgress._meta.db_table} sp WHERE sp.cooperative_id = c.id "
            f"AND sp.status = '{StageStatus.VERIFIED}' AND sp.completed_at <= %(as_of)s))") if dated else ""
    seats = (f"SELECT c.village_id AS code FROM {_COOPERATIVES} c WHERE 1 = 1{when}"
             + of_villages.format(column="c.village_id"))
    joint = (f"SELECT cv.village_id AS code FROM {_LINKS} cv JOIN {_COOPERATIVES} c ON c.id = cv.cooperative_id "
             f"WHERE 1 = 1{when}" + of_villages.format(column="cv.village_id"))
    return (f"SELECT served.code AS code, CASE WHEN r.kind = '{RegionKind.KELURAHAN}' THEN 1 ELSE 0 END AS kelurahan "
            f"FROM ({seats} UNION {joint}) served JOIN {_REGIONS} r ON r.code = served.code")


def coverage_branch_sql() -> str:
    """The ``coverage`` CTE's rows as full metric rows (zeros elsewhere), to ``UNION ALL`` with the other facts."""
    values = {"villages_covered": "1", "kelurahan_covered": "coverage.kelurahan"}
    columns = ", ".join(f"{values.get(name, '0')} AS {name}" for name in METRIC_COLUMNS)
    return f"SELECT coverage.code AS code, {columns} FROM coverage"
