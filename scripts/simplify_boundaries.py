#!/usr/bin/env python
"""Build the web-sized boundary files in static/geo/ from wilayah/data/*.geojson.

Usage (from the project root; shapely >= 2.2 is a build-time tool only, not in requirements.txt):

    .venv/bin/pip install "shapely>=2.2"
    .venv/bin/python scripts/simplify_boundaries.py            # writes static/geo/
    .venv/bin/python scripts/simplify_boundaries.py --check    # rebuild in memory, compare, write nothing

Options --province-tolerance, --regency-tolerance, --province-min-island-km2,
--regency-min-island-km2, --province-gap-width and --regency-gap-width override the defaults below;
--out DIR writes somewhere else.

Inputs:   wilayah/data/provinces.geojson (38 features), wilayah/data/regencies.geojson (514 features)
Outputs:  static/geo/provinces.json                    all provinces
          static/geo/regencies/<province_code>.json    the kabupaten/kota of one province (38 files)

Each output is a GeoJSON FeatureCollection (RFC 7946: WGS84, exterior rings counter-clockwise) whose
features keep only the properties ``code`` and ``name``, in input order.

Pipeline, run once per layer (all provinces together, all regencies of the country together, so the
borders between neighbouring regencies in different province files still match):

1. ``shapely.coverage_clean`` (merge strategy ``min_area``; gaps narrower than the gap width are
   merged into the neighbour with the longest shared border): the source polygons overlap slightly
   (932 regency pairs), leave thousands of thin gaps, and their shared borders do not share vertices,
   so each polygon simplified on its own would open slivers between neighbours. Cleaning turns the
   layer into a polygonal coverage in which every shared border is one identical line. Wider holes
   (unassigned areas in the source, mostly in Papua) stay holes.
2. Island parts smaller than the minimum island area are dropped (Indonesia has ~17,700 of them,
   most under 0.1 km^2; they are invisible at the zooms these maps are drawn at and would dominate
   the file size). Parts of at least 10% of the feature's largest part are always kept, so no
   feature disappears and island-only regencies (Kepulauan Seribu) keep their main islands.
3. ``shapely.coverage_simplify(tolerance, simplify_boundary=True)``: topology-preserving
   Visvalingam-Whyatt simplification of the whole coverage; each shared border is simplified once, so
   neighbours stay gap- and overlap-free. The tolerance is roughly the square root of the area of the
   triangles removed, in degrees (1 deg ~ 111 km).
4. ``shapely.set_precision(grid_size=0.001)``: coordinates on a 0.001 deg (~110 m) grid, i.e. 3
   decimals, keeping the polygons valid; collapsed rings vanish, duplicate points go. Snapping each
   polygon separately can make a few neighbours overlap by a sliver, so the layer is cleaned once
   more (no snapping, no gap filling) and coordinates are rounded to 3 decimals.
5. Consecutive duplicate points and rings with < 4 points are dropped, rings are oriented per
   RFC 7946. A feature must never end up empty: if one did, the script stops with an error rather
   than write a hole in the map.

The script finally checks that every output has exactly the input's features and codes, and prints
the file sizes.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

try:
    import numpy as np
    import shapely
    from shapely.geometry import mapping
    from shapely.geometry import shape
except ImportError:  # pragma: no cover - build-time tool
    sys.exit('shapely is needed: .venv/bin/pip install "shapely>=2.2"')

if not hasattr(shapely, "coverage_clean"):  # pragma: no cover
    sys.exit(f"shapely >= 2.2 (GEOS >= 3.14) is needed for coverage_clean; found {shapely.__version__}")

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = BASE_DIR / "wilayah" / "data"
OUT_DIR = BASE_DIR / "static" / "geo"

GRID = 0.001  # output coordinate grid in degrees (3 decimals)
DECIMALS = 3
ISLAND_RELATIVE_AREA = 0.1  # islands at least this fraction of the feature's largest part are kept
KM2_PER_DEG2 = 111.32 * 111.32  # close enough near the equator (Indonesia spans ~6N..11S)

# gaps between neighbours narrower than this (degrees) are closed while cleaning
PROVINCE_GAP_WIDTH = 0.01
REGENCY_GAP_WIDTH = 0.005
PROVINCE_TOLERANCE = 0.02
REGENCY_TOLERANCE = 0.008
PROVINCE_MIN_ISLAND_KM2 = 10.0
REGENCY_MIN_ISLAND_KM2 = 3.0


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        data = json.load(fh)
    return data["features"]


def drop_small_parts(geoms: np.ndarray, min_area_deg2: float) -> np.ndarray:
    """Drop small polygon parts (islands) of each geometry.

    A part is kept if its area is at least ``min_area_deg2`` or at least ISLAND_RELATIVE_AREA of the
    geometry's largest part, so the largest part always stays and a feature made only of small
    islands (Kepulauan Seribu) keeps its main islands.
    """
    out = []
    for geom in geoms:
        parts = shapely.get_parts(geom)
        areas = shapely.area(parts)
        keep = areas >= min(min_area_deg2, ISLAND_RELATIVE_AREA * areas.max())
        kept = parts[keep]
        out.append(kept[0] if len(kept) == 1 else shapely.MultiPolygon(list(kept)))
    return np.array(out, dtype=object)


def round_ring(ring) -> list[tuple[float, float]] | None:
    """The ring's coordinates rounded to DECIMALS without consecutive duplicates; None if < 4 points."""
    out: list[tuple[float, float]] = []
    for x, y in ring.coords:
        point = (round(x, DECIMALS), round(y, DECIMALS))
        if not out or out[-1] != point:
            out.append(point)
    return out if len(out) >= 4 and out[0] == out[-1] else None


def polygonal(geom):
    """``geom`` rounded, as (Multi)Polygon oriented per RFC 7946; rings < 4 points dropped."""
    polys = []
    for part in shapely.get_parts(geom):
        if part.geom_type == "MultiPolygon":
            candidates = list(part.geoms)
        elif part.geom_type == "Polygon":
            candidates = [part]
        else:  # points/lines left by a collapsed sliver
            continue
        for poly in candidates:
            if poly.is_empty:
                continue
            shell = round_ring(poly.exterior)
            if shell is None:
                continue
            holes = [h for h in (round_ring(ring) for ring in poly.interiors) if h is not None]
            polys.append(shapely.Polygon(shell, holes))
    if not polys:
        return None
    geom = polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys)
    return shapely.orient_polygons(geom, exterior_cw=False)


def simplify_layer(features: list[dict], tolerance: float, min_island_km2: float, gap_width: float) -> list[dict]:
    geoms = np.array([shape(f["geometry"]) for f in features], dtype=object)
    geoms = shapely.coverage_clean(geoms, gap_width=gap_width, merge_strategy="min_area")
    geoms = drop_small_parts(geoms, min_island_km2 / KM2_PER_DEG2)
    geoms = shapely.coverage_simplify(geoms, tolerance, simplify_boundary=True)
    geoms = shapely.set_precision(geoms, GRID)
    geoms = shapely.coverage_clean(geoms, gap_width=0.0, snapping_distance=0.0, merge_strategy="min_area")
    out = []
    for feature, geom in zip(features, geoms, strict=True):
        props = feature["properties"]
        geom = polygonal(geom)
        if geom is None:
            raise SystemExit(f"{props['code']} {props['name']}: geometry became empty; lower the tolerance")
        out.append(
            {
                "type": "Feature",
                "properties": {"code": props["code"], "name": props["name"]},
                "geometry": mapping(geom),
            }
        )
    return out


def dump(features: list[dict]) -> bytes:
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def build(args) -> dict[str, bytes]:
    provinces = load(DATA_DIR / "provinces.geojson")
    regencies = load(DATA_DIR / "regencies.geojson")

    files: dict[str, bytes] = {}
    prov_out = simplify_layer(provinces, args.province_tolerance, args.province_min_island_km2, args.province_gap_width)
    files["provinces.json"] = dump(prov_out)

    reg_out = simplify_layer(regencies, args.regency_tolerance, args.regency_min_island_km2, args.regency_gap_width)
    by_province: dict[str, list[dict]] = defaultdict(list)
    for src, feature in zip(regencies, reg_out, strict=True):
        by_province[src["properties"]["province_code"]].append(feature)
    for code in sorted(by_province):
        files[f"regencies/{code}.json"] = dump(by_province[code])

    verify(provinces, regencies, files)
    return files


def verify(provinces: list[dict], regencies: list[dict], files: dict[str, bytes]) -> None:
    def codes(features):
        return [f["properties"]["code"] for f in features]

    def check_features(features):
        for f in features:
            assert set(f["properties"]) == {"code", "name"}, f["properties"]
            geom = shape(f["geometry"])
            assert not geom.is_empty and geom.geom_type in ("Polygon", "MultiPolygon"), f["properties"]
            assert geom.is_valid, f"{f['properties']['code']}: {shapely.is_valid_reason(geom)}"

    def overlap_km2(features):
        geoms = np.array([shape(f["geometry"]) for f in features], dtype=object)
        pairs = shapely.STRtree(geoms).query(geoms, predicate="intersects")
        area = sum(geoms[a].intersection(geoms[b]).area for a, b in pairs.T if a < b)
        return area * KM2_PER_DEG2

    prov = json.loads(files["provinces.json"])["features"]
    check_features(prov)
    assert codes(prov) == codes(provinces), "province codes differ from the input"

    expected = defaultdict(list)
    for f in regencies:
        expected[f["properties"]["province_code"]].append(f["properties"]["code"])
    assert {f"regencies/{c}.json" for c in expected} == {k for k in files if k.startswith("regencies/")}
    assert set(expected) == set(codes(provinces)), "a province has no regencies file"
    total = []
    for code, want in expected.items():
        got = json.loads(files[f"regencies/{code}.json"])["features"]
        check_features(got)
        assert codes(got) == want, f"regency codes of province {code} differ from the input"
        total += codes(got)
    assert sorted(total) == sorted(codes(regencies)) and len(total) == len(regencies)
    all_regencies = [
        f for name, data in files.items() if name.startswith("regencies/") for f in json.loads(data)["features"]
    ]
    print(
        f"overlap between neighbours: provinces {overlap_km2(prov):.3f} km2, "
        f"regencies {overlap_km2(all_regencies):.3f} km2"
    )
    print(
        f"verified: {len(prov)}/{len(provinces)} provinces, {len(total)}/{len(regencies)} regencies "
        f"in {len(expected)} files; codes equal to the input"
    )


def report(files: dict[str, bytes]) -> None:
    reg = {k: v for k, v in files.items() if k.startswith("regencies/")}
    print(f"provinces.json: {len(files['provinces.json']) / 1024:.1f} KB")
    largest = sorted(reg.items(), key=lambda kv: -len(kv[1]))[:5]
    print("largest regency files: " + ", ".join(f"{k.split('/')[1]} {len(v) / 1024:.1f} KB" for k, v in largest))
    print(f"regencies total: {sum(len(v) for v in reg.values()) / 1024:.1f} KB in {len(reg)} files")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--province-tolerance", type=float, default=PROVINCE_TOLERANCE)
    parser.add_argument("--regency-tolerance", type=float, default=REGENCY_TOLERANCE)
    parser.add_argument("--province-min-island-km2", type=float, default=PROVINCE_MIN_ISLAND_KM2)
    parser.add_argument("--regency-min-island-km2", type=float, default=REGENCY_MIN_ISLAND_KM2)
    parser.add_argument("--province-gap-width", type=float, default=PROVINCE_GAP_WIDTH)
    parser.add_argument("--regency-gap-width", type=float, default=REGENCY_GAP_WIDTH)
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--check", action="store_true", help="compare with the files in --out, write nothing")
    args = parser.parse_args()

    files = build(args)
    report(files)
    if args.check:
        stale = [
            name
            for name, data in files.items()
            if not (args.out / name).is_file() or (args.out / name).read_bytes() != data
        ]
        if stale:
            sys.exit(f"out of date: {', '.join(stale)}")
        print("static/geo is up to date")
        return
    (args.out / "regencies").mkdir(parents=True, exist_ok=True)
    for old in (args.out / "regencies").glob("*.json"):
        if f"regencies/{old.name}" not in files:
            old.unlink()
    for name, data in files.items():
        (args.out / name).write_bytes(data)
    print(f"wrote {len(files)} files under {args.out}")


if __name__ == "__main__":
    main()
