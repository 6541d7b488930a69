"""Reading a cooperative's business units."""

from koperasi.models import Cooperative

from .models import READINESS_ORDER
from .models import UnitStatus

__all__ = ["readiness_matrix", "unit_section"]


def readiness_matrix(units) -> list[dict]:
    """One row per unit: which column of the readiness ladder it has reached."""
    rows = []
    for unit in units:
        rank = READINESS_ORDER.index(unit.status) if unit.status in READINESS_ORDER else -1
        rows.append({"unit": unit, "cells": [index <= rank for index in range(len(READINESS_ORDER))],
                     "not_run": unit.status == UnitStatus.TIDAK_DIJALANKAN})
    return rows


def unit_section(cooperative: Cooperative) -> dict:
    """The 7-unit readiness matrix on the cooperative page."""
    units = cooperative.units.select_related("unit_type").order_by("unit_type__order", "name")
    return {"matrix": readiness_matrix(units),
            "readiness_labels": [UnitStatus(status).label for status in READINESS_ORDER]}
