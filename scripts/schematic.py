"""Schematic shapes for sites whose outline is not public.

A schematic shape is a simple figure of the area a source states, centred on the
best-supported point, computed in a local metric projection (azimuthal equidistant around
the point), so its area is right even though its outline is not. Usage:

    python scripts/schematic.py LON LAT AREA_HA                 # square (the default)
    python scripts/schematic.py LON LAT AREA_HA --circle        # circle polygon
    python scripts/schematic.py LON LAT AREA_HA --aspect 5 --bearing 70   # rectangle

prints a GeoJSON Polygon (lon/lat, counter-clockwise exterior, 6 decimals).

From Python (run from the repository root, or put `scripts/` on the path):

    from schematic import schematic_square, offset
    lon, lat = offset(130.835, 32.887, east_m=0, north_m=-550)   # "550 m south of ..."
    polygon = schematic_square(lon, lat, 24.2)
"""

from __future__ import annotations

import argparse
import json
import math

from pyproj import Transformer
from shapely.geometry import Polygon, mapping
from shapely.geometry.polygon import orient

DECIMALS = 6


def _local(lon: float, lat: float) -> tuple[Transformer, Transformer]:
    """Transformers lon/lat -> metres and back, azimuthal equidistant around (lon, lat)."""
    aeqd = f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m"
    to_m = Transformer.from_crs("EPSG:4326", aeqd, always_xy=True)
    to_ll = Transformer.from_crs(aeqd, "EPSG:4326", always_xy=True)
    return to_m, to_ll


def _polygon(corners_m: list[tuple[float, float]], to_ll: Transformer) -> dict:
    ring = [tuple(round(c, DECIMALS) for c in to_ll.transform(x, y)) for x, y in corners_m]
    return mapping(orient(Polygon(ring), sign=1.0))


def offset(lon: float, lat: float, east_m: float = 0.0, north_m: float = 0.0) -> tuple[float, float]:
    """The point `east_m` east and `north_m` north of (lon, lat), rounded to 6 decimals.

    For relative placements such as "east of Fab 1" or "south across the road".
    """
    _, to_ll = _local(lon, lat)
    x, y = to_ll.transform(east_m, north_m)
    return round(x, DECIMALS), round(y, DECIMALS)


def schematic_rectangle(lon: float, lat: float, area_ha: float, aspect: float = 1.0,
                        bearing_deg: float = 90.0) -> dict:
    """A rectangle of `area_ha` hectares centred on (lon, lat).

    `aspect` is length / width; the long side points along `bearing_deg` (0 = north,
    90 = east), e.g. along a railway.
    """
    if area_ha <= 0 or aspect <= 0:
        raise ValueError("area_ha and aspect must be > 0")
    area_m2 = area_ha * 10_000
    length = math.sqrt(area_m2 * aspect)
    width = area_m2 / length
    _, to_ll = _local(lon, lat)
    angle = math.radians(90 - bearing_deg)
    ux, uy = math.cos(angle), math.sin(angle)
    vx, vy = -uy, ux
    corners = [(sx * length / 2 * ux + sy * width / 2 * vx, sx * length / 2 * uy + sy * width / 2 * vy)
               for sx, sy in ((-1, -1), (1, -1), (1, 1), (-1, 1))]
    return _polygon(corners, to_ll)


def schematic_square(lon: float, lat: float, area_ha: float) -> dict:
    """A north-aligned square of `area_ha` hectares centred on (lon, lat)."""
    return schematic_rectangle(lon, lat, area_ha, aspect=1.0, bearing_deg=90.0)


def schematic_circle(lon: float, lat: float, area_ha: float, segments: int = 48) -> dict:
    """A circle polygon (`segments` sides) of `area_ha` hectares centred on (lon, lat)."""
    if area_ha <= 0 or segments < 8:
        raise ValueError("area_ha must be > 0 and segments >= 8")
    # radius of the regular polygon whose area (not the circle's) equals area_ha
    area_m2 = area_ha * 10_000
    radius = math.sqrt(2 * area_m2 / (segments * math.sin(2 * math.pi / segments)))
    _, to_ll = _local(lon, lat)
    corners = [(radius * math.cos(2 * math.pi * i / segments),
                radius * math.sin(2 * math.pi * i / segments)) for i in range(segments)]
    return _polygon(corners, to_ll)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("lon", type=float)
    parser.add_argument("lat", type=float)
    parser.add_argument("area_ha", type=float)
    parser.add_argument("--circle", action="store_true", help="circle polygon instead of a square")
    parser.add_argument("--aspect", type=float, default=1.0, help="rectangle length / width")
    parser.add_argument("--bearing", type=float, default=90.0,
                        help="direction of the long side, degrees from north")
    args = parser.parse_args()
    if args.circle:
        shape = schematic_circle(args.lon, args.lat, args.area_ha)
    elif args.aspect == 1.0 and args.bearing == 90.0:
        shape = schematic_square(args.lon, args.lat, args.area_ha)
    else:
        shape = schematic_rectangle(args.lon, args.lat, args.area_ha, args.aspect, args.bearing)
    print(json.dumps({"type": shape["type"], "coordinates": shape["coordinates"]}))


if __name__ == "__main__":
    main()
