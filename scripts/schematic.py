"""Schematic shapes for sites whose outline is not public.

A schematic shape is a simple figure of the area a source states, centred on the
best-supported point, computed in a local metric projection (azimuthal equidistant around
the point), so its area is right even though its outline is not. Usage:

    python scripts/schematic.py LON LAT AREA_HA [--aspect W/H] [--bearing DEG]

prints a GeoJSON Polygon (lon/lat, counter-clockwise, 6 decimals).
"""

from __future__ import annotations

import argparse
import json
import math

from pyproj import Transformer
from shapely.geometry import Polygon, mapping
from shapely.geometry.polygon import orient


def schematic_rectangle(lon: float, lat: float, area_ha: float, aspect: float = 1.0,
                        bearing_deg: float = 90.0) -> dict:
    """A rectangle of `area_ha` hectares centred on (lon, lat).

    `aspect` is length / width; the long side points along `bearing_deg` (0 = north,
    90 = east), e.g. along a railway.
    """
    area_m2 = area_ha * 10_000
    length = math.sqrt(area_m2 * aspect)
    width = area_m2 / length
    to_lon_lat = Transformer.from_crs(
        f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m", "EPSG:4326",
        always_xy=True)
    angle = math.radians(90 - bearing_deg)
    ux, uy = math.cos(angle), math.sin(angle)
    vx, vy = -uy, ux
    corners = [(sx * length / 2 * ux + sy * width / 2 * vx, sx * length / 2 * uy + sy * width / 2 * vy)
               for sx, sy in ((-1, -1), (1, -1), (1, 1), (-1, 1))]
    ring = [tuple(round(c, 6) for c in to_lon_lat.transform(x, y)) for x, y in corners]
    return mapping(orient(Polygon(ring), sign=1.0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("lon", type=float)
    parser.add_argument("lat", type=float)
    parser.add_argument("area_ha", type=float)
    parser.add_argument("--aspect", type=float, default=1.0)
    parser.add_argument("--bearing", type=float, default=90.0)
    args = parser.parse_args()
    shape = schematic_rectangle(args.lon, args.lat, args.area_ha, args.aspect, args.bearing)
    print(json.dumps({"type": shape["type"], "coordinates": shape["coordinates"]}))


if __name__ == "__main__":
    main()
