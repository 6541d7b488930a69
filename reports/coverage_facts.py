"""
The milestone and coverage columns of the roll-up (``metrics.MILESTONE_COLUMNS``).

``milestone``: per cooperative, which stages it completed (each counted on its own, whatever the order: the law
lets NIB, NPWP, bank account and SIMKOPDES come in any order after the SK AHU) and whether it has a SIMKOPDES
account (its own field, or the verified stage). LEFT JOINed on the cooperative like the savings.

Coverage: the desa/kelurahan served by a cooperative, its seat or one of a joint cooperative's listed villages
(``joint``, one row per village, joined to ``village_facts``' other per-village facts by village code), each
village once (a village belongs to at most one cooperative): "villages with a cooperative" counts villages, while
``cooperatives`` still counts each cooperative once, at its seat.

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
from wilayah.models import RegionKind

from .metrics import MILESTONE_COLUMNS
from .metrics import STAGE_BUCKETS
from .metrics import stage_done_column

__all__ = ["COVERAGE_COLUMNS", "SIMKOPDES_STAGE", "coverage_columns", "joint_villages_sql", "milestone_cte_sql",
           "milestone_fact_columns"]

SIMKOPDES_STAGE = "simkopdes"
COVERAGE_COLUMNS = ("villages_covered", "kelurahan_covered")  # the ``coverage`` CTE's; the rest are the seat's
_COOPERATIVES = Cooperative._meta.db_table
_PROGRESS = StageProgress._meta.db_table
_LINKS = CooperativeVillage._meta.db_table
_COMPLETED = ", ".join(f"'{status}'" for status in COMPLETED_STATUSES)  # fixed values, safe to inline


def milestone_cte_sql(*, stage_rank: dict[int, int], of_villages: str, dated: bool, awaiting: str,
                      no_flattening: str) -> str:
    """
    ``SELECT cooperative_id, done_1 … done_10, simkopdes, awaiting`` of the cooperatives ``of_villages`` selects,
    in one pass over their stage rows grouped by cooperative (no join: the cooperative's own SIMKOPDES field is
    ``coop.simkopdes_own``); ``awaiting`` counts the rows matching that condition (stages awaiting review) in the
    same pass. Each row's completed stage position is computed once, in a subquery ``no_flattening`` keeps apart.
    ``stage_rank``: stage id → position in the workflow (inlined integers); placeholders as in ``village_facts``.
    """
    completed = f"sp.status IN ({_COMPLETED})" + (" AND sp.completed_at <= %(as_of)s" if dated else "")
    ranks = " ".join(f"WHEN {int(pk)} THEN {int(rank)}" for pk, rank in stage_rank.items())
    position = f"CASE sp.stage_id {ranks} ELSE 0 END" if ranks else "0"
    done = ", ".join(f"COUNT(*) FILTER (WHERE done = {index}) AS done_{index}" for index in range(1, STAGE_BUCKETS))
    simkopdes_id = FormationStage.objects.filter(code=SIMKOPDES_STAGE).values_list("id", flat=True).first()
    simkopdes_stage = f"sp.stage_id = {int(simkopdes_id)}" if simkopdes_id else "1 = 0"
    return (f"SELECT cooperative_id, {done}, MAX(simkopdes) AS simkopdes, SUM(awaiting) AS awaiting FROM ("
            f"SELECT sp.cooperative_id, CASE WHEN {completed} THEN {position} ELSE 0 END AS done, "
            f"CASE WHEN {completed} AND {simkopdes_stage} THEN 1 ELSE 0 END AS simkopdes, "
            f"CASE WHEN {awaiting} THEN 1 ELSE 0 END AS awaiting FROM {_PROGRESS} sp "
            f"WHERE sp.cooperative_id {of_villages} AND ({completed} OR {awaiting}){no_flattening}) progress "
            "GROUP BY cooperative_id")


def milestone_fact_columns() -> dict[str, str]:
    """
    One cooperative's contribution to each milestone column (``milestone`` is LEFT JOINed on it), by column; the
    coverage columns are not a cooperative's (``coverage_columns``).
    """
    columns = {stage_done_column(index): f"CASE WHEN COALESCE(milestone.done_{index}, 0) > 0 THEN 1 ELSE 0 END"
               for index in range(1, STAGE_BUCKETS)}
    columns["simkopdes_account"] = "CASE WHEN coop.simkopdes_own = 1 OR milestone.simkopdes = 1 THEN 1 ELSE 0 END"
    assert [*columns, *COVERAGE_COLUMNS] == list(MILESTONE_COLUMNS)
    return columns


def joint_villages_sql(*, only: bool, dated: bool) -> str:
    """
    ``SELECT code``: each village a cooperative serves through its list of villages (a joint cooperative's), once.
    With the seats (the cooperatives' own rows) these are the villages covered (``coverage_columns``).
    """
    of_villages = " AND cv.village_id IN (%(codes)s)" if only else ""
    # On a past day a cooperative exists from its registration, or from an earlier verified stage's event date
    # (brought in from history), as in the cooperatives' own count (``reports.sql``).
    when = (" AND (c.created_at <= %(as_of)s OR EXISTS (SELECT 1 FROM "
            f"{StageProgress._meta.db_table} sp WHERE sp.cooperative_id = c.id "
            f"AND sp.status = '{StageStatus.VERIFIED}' AND sp.completed_at <= %(as_of)s))") if dated else ""
    return (f"SELECT cv.village_id AS code FROM {_LINKS} cv JOIN {_COOPERATIVES} c ON c.id = cv.cooperative_id "
            f"WHERE 1 = 1{when}{of_villages} GROUP BY cv.village_id")


def coverage_columns(*, seat: str, joint: str, region: str) -> dict[str, str]:
    """
    The coverage columns of a village row, from whether it is a cooperative's seat (the ``seat`` row, LEFT JOINed
    by village code), one of its listed villages (``joint``), and the village's own region row (``region``).
    """
    covered = f"{seat}.code IS NOT NULL OR {joint}.code IS NOT NULL"
    columns = {"villages_covered": f"CASE WHEN {covered} THEN 1 ELSE 0 END",
               "kelurahan_covered": f"CASE WHEN ({covered}) AND {region}.kind = '{RegionKind.KELURAHAN}' THEN 1 "
                                    "ELSE 0 END"}
    assert tuple(columns) == COVERAGE_COLUMNS
    return columns
