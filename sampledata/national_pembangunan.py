"""
The land and construction part of the national dataset, at the published shape of 21 November 2025: 32,071
plots recorded and 15,028 under construction for ~82,800 cooperatives (scaled to the cooperatives generated).
Plots belong to cooperatives that are legal entities; each recorded plot sits at one step of the ladder, with
the dates of the steps it reached, so that the roll-up and its dated rebuild count them. Projects carry their
contract (building costs per m² from ~Rp2 juta in Java to ~Rp20 juta in Papua) and financing; progress reports
are not generated (they would need photos, and a report without one is a draft).

Rows go through the national generator's COPY writer, passed in, so this module needs nothing from it.
"""

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection

from pembangunan.models import ConstructionProject
from pembangunan.models import LandPlot

__all__ = ["CONSTRUCTION_SHARE", "RECORDED_SHARE", "land_write"]

NATIONAL_COOPERATIVES = 82_780
RECORDED_SHARE = 32_071 / NATIONAL_COOPERATIVES  # plots recorded per cooperative (not rejected)
CONSTRUCTION_SHARE = 15_028 / NATIONAL_COOPERATIVES  # plots under construction per cooperative
HANDED_OVER_SHARE = 600 / NATIONAL_COOPERATIVES  # the first gerai handed over by late November 2025
VERIFIED_SHARE = 6_500 / NATIONAL_COOPERATIVES  # verified, waiting for a contract
SURVEYED_SHARE = 4_800 / NATIONAL_COOPERATIVES  # waiting for the Dinas
REJECTED_SHARE = 900 / NATIONAL_COOPERATIVES
LEGAL_ENTITY_STAGES = 5  # plots are offered by cooperatives that have their SK AHU

# Building cost per m² (Rp) by island group, from the first letter(s) of the province code.
COST_PER_M2 = {"1": (2_800_000, 4_200_000), "3": (1_800_000, 3_000_000), "5": (3_000_000, 5_000_000),
               "6": (4_000_000, 6_500_000), "7": (3_800_000, 6_000_000), "8": (8_000_000, 12_000_000),
               "9": (14_000_000, 24_000_000)}
OWNERS = (("tanah_kas_desa", "sertifikat", 0.55), ("tanah_kas_desa", "perdes", 0.15),
          ("aset_pemda", "sertifikat", 0.12), ("hibah_warga", "surat_hibah", 0.12), ("sewa", "perjanjian_sewa", 0.06))
BANKS = ("BRI", "BNI", "Bank Mandiri", "BSI", "BTN")

_PLOT_COLUMNS = ("id", "cooperative_id", "village_id", "name", "address", "latitude", "longitude", "area_m2",
                 "owner_kind", "owner_name", "legal_status", "legal_reference", "status", "surveyed_on",
                 "rejection_reason", "verified_at", "verified_by_id", "rejected_at", "construction_at",
                 "handed_over_at", "recorded_by_id", "created_at")
_PROJECT_COLUMNS = ("id", "plot_id", "title", "executor", "executor_name", "contractor_name", "building_area_m2",
                    "contract_number", "contract_value", "contract_date", "planned_start", "planned_finish",
                    "bank_name", "loan_amount", "loan_tenor_months", "progress_percent", "progress_on",
                    "handed_over_on", "handover_file", "handover_original_name", "handover_content_type",
                    "created_by_id", "created_at")


def _province_boxes() -> dict[str, tuple[float, float, float, float]]:
    """(min lon, min lat, max lon, max lat) of each province, from the web map's boundary file."""
    geo = json.loads((Path(settings.BASE_DIR) / "static" / "geo" / "provinces.json").read_text())
    boxes = {}
    for feature in geo["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        points = [point for polygon in polygons for point in polygon[0]]
        boxes[feature["properties"]["code"]] = (min(p[0] for p in points), min(p[1] for p in points),
                                                max(p[0] for p in points), max(p[1] for p in points))
    return boxes


def _step(roll: float) -> str:
    """Which step a cooperative's plot has reached; ``roll`` is uniform in [0, 1) over eligible cooperatives."""
    for step, share in (("construction", CONSTRUCTION_SHARE), ("handed_over", HANDED_OVER_SHARE),
                        ("verified", VERIFIED_SHARE), ("surveyed", SURVEYED_SHARE), ("rejected", REJECTED_SHARE),
                        ("proposed", RECORDED_SHARE - CONSTRUCTION_SHARE - HANDED_OVER_SHARE - VERIFIED_SHARE
                         - SURVEYED_SHARE)):
        if roll < share:
            return step
        roll -= share
    return ""


def land_write(context, *, copy: Callable, next_id: Callable) -> int:
    """Write the plots and construction projects of ``context.coops``; returns the number of rows written."""
    rng = context.rng("pembangunan")
    eligible = [coop for coop in context.coops if coop.reached >= LEGAL_ENTITY_STAGES]
    # The shares are per cooperative nationally; only legal entities offer land, so scale up to them.
    scale = len(context.coops) / max(len(eligible), 1)
    boxes = _province_boxes()
    staff, verifier = str(context.staff_id), str(context.verifier_id)
    now = context.now
    plots, projects = [], []
    plot_id, project_id = next_id(LandPlot), next_id(ConstructionProject)
    for coop in eligible:
        step = _step(rng.random() / scale)
        if not step:
            continue
        west, south, east, north = boxes.get(coop.province, (106.0, -7.5, 112.0, -6.0))
        owner, legal = rng.choices([(o, lgl) for o, lgl, _w in OWNERS], [w for _o, _l, w in OWNERS])[0]
        days = {"handed_over": (200, 240), "construction": (60, 150)}.get(step, (20, 75))
        recorded = now - timedelta(days=rng.randint(*days))
        surveyed = recorded + timedelta(days=rng.randint(3, 10))
        verified = surveyed + timedelta(days=rng.randint(2, 12)) if step in ("verified", "construction",
                                                                             "handed_over") else None
        building = verified + timedelta(days=rng.randint(3, 14)) if verified and step != "verified" else None
        handed = now - timedelta(days=rng.randint(1, 10)) if step == "handed_over" else None
        rejected = surveyed + timedelta(days=rng.randint(2, 12)) if step == "rejected" else None
        plots.append((
            str(plot_id), str(coop.pk), coop.village, f"Tanah {owner.replace('_', ' ')} {coop.index}", "",
            f"{rng.uniform(south, north):.6f}", f"{rng.uniform(west, east):.6f}",
            str(rng.choice((600, 800, 1000, 1200, 1500, 2000, 2500))), owner, "", legal, "", step,
            surveyed.date().isoformat() if step != "proposed" else "\\N",
            "Status tanah belum jelas" if rejected else "", verified.isoformat() if verified else "\\N",
            verifier if verified else "\\N", rejected.isoformat() if rejected else "\\N",
            building.isoformat() if building else "\\N", handed.isoformat() if handed else "\\N", staff,
            recorded.isoformat(),
        ))
        if building:
            low, high = COST_PER_M2.get(coop.province[0], (3_000_000, 5_000_000))
            area = rng.choice((400, 480, 520, 600, 680))
            start = building.date() + timedelta(days=rng.randint(0, 10))
            projects.append((
                str(project_id), str(plot_id), "Gerai dan gudang", "agrinas", "", "", str(area),
                f"KTR/{project_id}/AGN/2025", str(area * rng.randint(low, high)), building.date().isoformat(),
                start.isoformat(), (start + timedelta(days=rng.choice((90, 120, 150)))).isoformat(),
                rng.choice(BANKS), "3000000000", "72", "100" if handed else "0",
                handed.date().isoformat() if handed else "\\N", handed.date().isoformat() if handed else "\\N",
                "", "", "", verifier, building.isoformat(),
            ))
            project_id += 1
        plot_id += 1
    written = copy(LandPlot, _PLOT_COLUMNS, plots) + copy(ConstructionProject, _PROJECT_COLUMNS, projects)
    with connection.cursor() as cursor:
        for model in (LandPlot, ConstructionProject):
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE(MAX(id), 1), "
                           f"MAX(id) IS NOT NULL) FROM {connection.ops.quote_name(model._meta.db_table)}",
                           [model._meta.db_table])
    return written
