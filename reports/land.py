"""
The land and construction card of the area dashboard: plots recorded / verified / under construction / handed
over from the roll-up (``metrics.LAND_COLUMNS``), and for a kabupaten/kota or an area below it the map of its
plots, whose points the map fetches live (``pembangunan:map-points``) so the cached page never shows stale pins.
"""

from .metrics import LAND_COLUMNS

__all__ = ["land_dashboard_section"]


def land_dashboard_section(*, user, board, query) -> dict:
    area = board.area
    counts = {name: area.metrics.get(name, 0) for name in LAND_COLUMNS}
    code = area.code or ""
    # The map needs one kabupaten/kota: a combined area (several roots) or a province shows counts only.
    map_region = code if len(code) >= 5 and code != "ID" and not board.is_combined else ""
    return {"counts": counts, "map_region": map_region, "code": code if code != "ID" else ""}
