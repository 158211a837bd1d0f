#!/usr/bin/env python3
"""Build the offline vector basemap in src/kumamap/assets/basemap/ from Natural Earth.

    python scripts/build_basemap.py              # fetch (cached), build, write MANIFEST.json
    python scripts/build_basemap.py --check      # rebuild in a temp dir, compare with the files

Source: the pinned Debian package ``libgnudatalanguage0`` (fetched, cached and sha256-checked
by the helpers of scripts/build_prefectures.py). Only its public-domain Natural Earth files are
used, not ``continents*.shp`` (GSHHG, LGPL). It has no Natural Earth land layer, so land is the
union of the 1:10m admin-1 polygons. Three bands, one RFC 7946 file each, features of a
``kind`` (land, coast, border, lake, river):
  world   z0-4   whole world, simplified 0.25 deg (~25 km); country lines and lakes 1:110m
  region  z5-8   East Asia, 0.01 deg (~1 km); country lines and lakes 1:10m, rivers 1:50m
  local   z9+    Kyushu, 0.001 deg (~100 m); Natural Earth 1:10m has no lake or river there
A coarser band stays on under a finer one outside the finer band's box; its parts inside that
box carry ``covered_by`` and hide while the finer band shows. Land is cut at the boxes, so the
coast is a line layer of its own, without the cuts.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import MultiLineString, box, mapping
from shapely.geometry.polygon import orient

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_prefectures as prefectures  # sibling script: fetch and verify the package

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "src" / "kumamap" / "assets" / "basemap"
MAPS_IN_DEB = "usr/share/gnudatalanguage/resource/maps"
ADMIN1 = "high/ne_10m_admin_1_states_provinces.shp"
LICENCE = "Natural Earth, public domain"
ATTRIBUTION = "Basemap: Natural Earth (naturalearthdata.com), public domain"
MAX_GZIP_TOTAL = 300_000
# Web Mercator stops at 85.0511 degrees; land beyond it is never drawn. On the world grid
# (0.1 degree), as every box edge must be: cuts are found by exact coordinates.
MERCATOR_LAT = 85.1


@dataclass(frozen=True)
class Band:
    id: str
    min_zoom: int
    max_zoom: int              # last zoom this band is the finest one
    bbox: tuple[float, float, float, float]  # west, south, east, north
    decimals: int              # coordinates rounded to 10**-decimals degrees
    simplify_deg: float
    min_area_deg2: float       # smaller islands, lakes and holes are left out
    borders: str | None
    lakes: str | None
    rivers: str | None
    covered_by: str | None     # the finer band drawn over this one inside its box


BANDS = (
    Band("world", 0, 4, (-180.0, -MERCATOR_LAT, 180.0, MERCATOR_LAT), 1, 0.25, 0.5,
         "low/ne_110m_admin_0_boundary_lines_land.shp", "low/ne_110m_lakes.shp", None,
         "region"),
    Band("region", 5, 8, (100.0, 0.0, 160.0, 50.0), 3, 0.01, 0.001,
         "high/ne_10m_admin_0_boundary_lines_land.shp", "high/ne_10m_lakes.shp",
         "low/ne_50m_rivers_lake_centerlines.shp", "local"),
    Band("local", 9, 22, (128.0, 30.0, 132.5, 34.5), 4, 0.001, 0.0,
         None, None, None, None),
)
BY_ID = {b.id: b for b in BANDS}


def read(maps: Path, name: str, bbox) -> list:
    geoms = gpd.read_file(maps / name, columns=[], encoding="utf-8").geometry.values
    geoms = shapely.make_valid(geoms)
    return list(geoms[shapely.intersects(geoms, box(*bbox))])


def polygons(geom, min_area: float) -> list[shapely.Polygon]:
    """Polygon parts at or above min_area, holes below it filled, exteriors counter-clockwise."""
    out = []
    for p in shapely.get_parts(geom):
        if p.geom_type != "Polygon" or p.area < min_area or p.area == 0:
            continue
        holes = [r for r in p.interiors if shapely.Polygon(r).area >= max(min_area, 1e-12)]
        out.append(orient(shapely.Polygon(p.exterior, holes), sign=1.0))
    return out


def land(maps: Path, band: Band) -> shapely.Geometry:
    """Union of the admin-1 polygons around the box, simplified and snapped to the grid."""
    w, s, e, n = band.bbox
    margin = (max(w - 1, -180), max(s - 1, -90), min(e + 1, 180), min(n + 1, 90))
    parts = shapely.clip_by_rect(read(maps, ADMIN1, margin), *margin)
    merged = shapely.union_all(parts, grid_size=10.0 ** -band.decimals / 10)
    merged = shapely.simplify(merged, band.simplify_deg)
    return shapely.set_precision(merged, 10.0 ** -band.decimals)


def cut_lines(band: Band) -> shapely.Geometry:
    """Edges where land is cut (band box, finer box, antimeridian): not coastline."""
    boxes = [band.bbox] + ([BY_ID[band.covered_by].bbox] if band.covered_by else [])
    return shapely.union_all([box(*b).boundary for b in boxes])


def split(geom, band: Band) -> list[tuple[shapely.Geometry, str | None]]:
    """Clip to the band box; separate what the finer band covers."""
    geom = shapely.intersection(geom, box(*band.bbox))
    if band.covered_by is None:
        return [(geom, None)]
    inner = box(*BY_ID[band.covered_by].bbox)
    return [(shapely.difference(geom, inner), None),
            (shapely.intersection(geom, inner), band.covered_by)]


def coast_of(polygon, cuts) -> shapely.Geometry:
    return shapely.line_merge(shapely.difference(polygon.boundary, cuts))


def feature(kind: str, geom, covered_by: str | None) -> dict:
    props = {"kind": kind} | ({"covered_by": covered_by} if covered_by else {})
    return {"type": "Feature", "properties": props, "geometry": dict(mapping(geom))}


def land_features(maps: Path, band: Band) -> list[dict]:
    """Each land polygon followed by its coast, so gzip finds the repeated coordinates."""
    cuts = cut_lines(band)
    out = []
    for geom, covered in split(land(maps, band), band):
        geom = shapely.set_precision(geom, 10.0 ** -band.decimals)
        for poly in polygons(geom, band.min_area_deg2):
            out.append(feature("land", poly, covered))
            coast = coast_of(poly, cuts)
            if not coast.is_empty:
                out.append(feature("coast", coast, covered))
    return out


def linestrings(geom) -> list[shapely.LineString]:
    return [g for g in shapely.get_parts(geom) if g.geom_type == "LineString" and not g.is_empty]


def line_features(maps: Path, band: Band, kind: str, name: str | None) -> list[dict]:
    if name is None:
        return []
    simplified = shapely.simplify(read(maps, name, band.bbox), band.simplify_deg)
    merged = shapely.line_merge(MultiLineString(linestrings(simplified)))
    out = []
    for part, covered in split(merged, band):
        parts = linestrings(shapely.set_precision(part, 10.0 ** -band.decimals))
        if parts:
            out.append(feature(kind, shapely.line_merge(MultiLineString(parts)), covered))
    return out


def lake_features(maps: Path, band: Band) -> list[dict]:
    if band.lakes is None:
        return []
    grid = 10.0 ** -band.decimals
    out = []
    for geom in read(maps, band.lakes, band.bbox):
        geom = shapely.set_precision(shapely.simplify(geom, band.simplify_deg), grid)
        for part, covered in split(geom, band):
            for poly in polygons(shapely.set_precision(part, grid), band.min_area_deg2):
                out.append(feature("lake", poly, covered))
    return out


def dump(collection: dict, decimals: int) -> bytes:
    """Compact JSON, one feature per line, coordinates rounded to the band's grid."""
    def rnd(o):
        if isinstance(o, float):
            return round(o, decimals) + 0.0  # + 0.0 turns -0.0 into 0.0
        if isinstance(o, (list, tuple)):
            return [rnd(x) for x in o]
        return o
    head = {k: v for k, v in collection.items() if k != "features"}
    lines = []
    for f in collection["features"]:
        geometry = dict(f["geometry"], coordinates=rnd(f["geometry"]["coordinates"]))
        lines.append(json.dumps(dict(f, geometry=geometry), separators=(",", ":")))
    first = json.dumps(head, separators=(",", ":"))[:-1] + ',"features":[\n'
    return (first + ",\n".join(lines) + "\n]}\n").encode("utf-8")


def build_band(maps: Path, band: Band) -> bytes:
    features = (land_features(maps, band) + lake_features(maps, band)
                + line_features(maps, band, "river", band.rivers)
                + line_features(maps, band, "border", band.borders))
    collection = {"type": "FeatureCollection", "bbox": list(band.bbox),
                  "attribution": ATTRIBUTION, "features": features}
    return dump(collection, band.decimals)


def manifest(files: dict[str, bytes]) -> dict:
    bands = []
    for band in BANDS:
        data = files[f"{band.id}.geojson"]
        bands.append({
            "band": band.id, "min_zoom": band.min_zoom, "max_zoom": band.max_zoom,
            "bbox": list(band.bbox), "covered_by": band.covered_by,
            "file": f"{band.id}.geojson", "bytes": len(data),
            "gzip_bytes": len(gzip.compress(data, 9, mtime=0)),
            "sha256": hashlib.sha256(data).hexdigest(),
            "simplify_deg": band.simplify_deg, "decimals": band.decimals,
        })
    return {
        "generator": "scripts/build_basemap.py",
        "source": {"package": f"{prefectures.DEB_NAME}={prefectures.DEB_VERSION}",
                   "sha256": prefectures.DEB_SHA256, "path": MAPS_IN_DEB},
        "licence": LICENCE, "attribution": ATTRIBUTION,
        # Another GEOS may round or simplify a vertex differently: --check then names it.
        "geos": shapely.geos_version_string,
        "note": "A band is shown from min_zoom up; where a finer band covers it (covered_by,"
                " inside that band's bbox) its features with that covered_by are hidden.",
        "bands": bands,
    }


def build(maps: Path, out: Path) -> dict[str, bytes]:
    files = {f"{b.id}.geojson": build_band(maps, b) for b in BANDS}
    files["MANIFEST.json"] = (json.dumps(manifest(files), indent=2) + "\n").encode()
    out.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (out / name).write_bytes(data)
    return files


def source_maps(args) -> Path:
    """The unpacked resource/maps directory of the pinned, sha256-checked package."""
    cache = Path(args.cache)
    deb = Path(args.deb) if args.deb else prefectures.fetch_deb(cache, args.apt_update)
    return prefectures.unpack(deb, cache).parents[1]


def differences(built: dict[str, bytes], committed: Path) -> list[str]:
    names = sorted(set(built) | {p.name for p in committed.glob("*.geojson")} | {"MANIFEST.json"})
    return [n for n in names
            if not (committed / n).is_file() or (committed / n).read_bytes() != built.get(n)]


def geos_note(out: Path) -> str:
    committed = out / "MANIFEST.json"
    built_with = json.loads(committed.read_text()).get("geos") if committed.is_file() else None
    if built_with in (None, shapely.geos_version_string):
        return ""
    return f" (committed with GEOS {built_with}, this is GEOS {shapely.geos_version_string})"


def run_check(maps: Path, out: Path) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        diff = differences(build(maps, Path(tmp)), out)
    if diff:
        verb = "differs" if len(diff) == 1 else "differ"
        print(f"basemap check FAILED: {', '.join(diff)} {verb} from a rebuild{geos_note(out)};"
              " run scripts/build_basemap.py and commit the result", file=sys.stderr)
        return 1
    print("basemap check ok: committed files match a rebuild")
    return 0


def run_build(maps: Path, out: Path) -> int:
    files = build(maps, out)
    print(f"wrote {len(files)} files to {out}")
    bands = manifest(files)["bands"]
    for band in bands:
        print(f"  {band['file']:<16} {band['bytes']:>8} bytes  {band['gzip_bytes']:>7} gzip")
    total = sum(band["gzip_bytes"] for band in bands)
    print(f"  total gzip {total} bytes (budget {MAX_GZIP_TOTAL})")
    if total > MAX_GZIP_TOTAL:
        print(f"basemap over budget: {total} > {MAX_GZIP_TOTAL} gzip bytes", file=sys.stderr)
        return 1
    return 0


def parse_args(argv) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true",
                    help="rebuild in a temp dir; exit 1 if the committed files differ")
    ap.add_argument("--apt-update", action="store_true", help="run `apt-get update` first")
    ap.add_argument("--deb", help=f"an already downloaded {prefectures.DEB_NAME} .deb")
    ap.add_argument("--cache", default=str(prefectures.default_cache()),
                    help="download/unpack directory, outside the repository")
    ap.add_argument("--out", default=str(OUT_DIR))
    return ap.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        maps = source_maps(args)
    except (SystemExit, OSError, subprocess.CalledProcessError) as err:
        # Exit 2, not 1: the files may be fine, they just could not be compared.
        print(f"basemap: cannot build or check: the pinned package {prefectures.DEB_NAME}="
              f"{prefectures.DEB_VERSION} is not available or not verified ({err})",
              file=sys.stderr)
        return 2
    out = Path(args.out)
    return run_check(maps, out) if args.check else run_build(maps, out)


if __name__ == "__main__":
    sys.exit(main())
