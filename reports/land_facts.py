"""
The land and construction columns of the roll-up (``metrics.LAND_COLUMNS``): one ``land`` CTE of counts per
village (the cooperative's seat, like every other figure of a cooperative), joined to ``village_facts``' other
per-village facts. With ``as_of`` the counts are rebuilt from the dates each plot reached its status.
"""

from pembangunan.models import LandPlot
from pembangunan.models import PlotStatus

from .metrics import LAND_COLUMNS

__all__ = ["land_cte_sql"]

_PLOTS = LandPlot._meta.db_table
_VERIFIED = ", ".join(f"'{status}'" for status in (PlotStatus.VERIFIED, PlotStatus.CONSTRUCTION,
                                                     PlotStatus.HANDED_OVER))


def land_cte_sql(*, only: bool, as_of: bool) -> str:
    """``SELECT code, land_plots, …`` grouped by the seat's village code; placeholders as in ``village_facts``."""
    of_villages = " AND c.village_id IN (%(codes)s)" if only else ""
    if not as_of:
        recorded = f"p.status <> '{PlotStatus.REJECTED}'"
        verified = f"p.status IN ({_VERIFIED})"
        construction = f"p.status = '{PlotStatus.CONSTRUCTION}'"
        handed_over = f"p.status = '{PlotStatus.HANDED_OVER}'"
        when = ""
    else:
        # A plot rejected after the day was still counted that day; verification dates are cleared on rejection.
        recorded = "(p.rejected_at IS NULL OR p.rejected_at > %(as_of)s OR p.status <> 'rejected')"
        verified = "p.verified_at <= %(as_of)s"
        construction = "p.construction_at <= %(as_of)s AND (p.handed_over_at IS NULL OR p.handed_over_at > %(as_of)s)"
        handed_over = "p.handed_over_at <= %(as_of)s"
        when = " AND p.created_at <= %(as_of)s"
    sums = ", ".join(f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END) AS {name}"
                     for condition, name in zip((recorded, verified, construction, handed_over), LAND_COLUMNS,
                                                strict=True))
    return (f"SELECT c.village_id AS code, {sums} FROM {_PLOTS} p "
            f"JOIN koperasi_cooperative c ON c.id = p.cooperative_id WHERE 1 = 1{of_villages}{when} "
            f"GROUP BY c.village_id")
