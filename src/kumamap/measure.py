"""Distances in metres and reach rings around JASM. Pure; no Streamlit, no folium.

Geometries arrive in lon/lat (GeoJSON); every length is measured in an azimuthal
equidistant projection (AEQD) centred on the feature being measured from. AEQD keeps
distances from its centre exact on the ellipsoid and distorts little within a few hundred
kilometres of it, and it works anywhere on Earth: the map also holds the Taiwan trade
centres in Prague and Dallas, which a Japanese plane-rectangular CRS (EPSG:6669-6687) would
throw far off its zone.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import shapely
import shapely.geometry
from pyproj import Transformer
from pyproj.enums import TransformDirection
from shapely.geometry.base import BaseGeometry

from kumamap.model import Feature

RING_RADII_KM: tuple[float, ...] = (5, 10, 20, 30)
# Enough vertices that a 30 km ring looks round at any zoom where it fits the screen;
# the inscribed polygon is then 0.04 % smaller in area than the true circle.
RING_VERTICES = 128
# GeoJSON's customary precision: 6 decimals of a degree are about 0.1 m.
COORDINATE_DECIMALS = 6


@dataclass(frozen=True)
class Ring:
    """A geodesic circle of `radius_km` as a GeoJSON Polygon in lon/lat."""

    radius_km: float
    polygon: dict[str, Any] = field(hash=False)


@dataclass(frozen=True)
class Reach:
    """How far a feature is from the origin (JASM fab 1) and from its nearest station."""

    from_origin_m: float | None
    nearest_station: Feature | None
    station_m: float | None


def aeqd_centred_on(lon: float, lat: float) -> Transformer:
    """lon/lat -> metres east/north of (lon, lat), true distances from that point."""
    projection = f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m +no_defs"
    return Transformer.from_crs("EPSG:4326", projection, always_xy=True)


def project(shape: BaseGeometry, transformer: Transformer) -> BaseGeometry:
    return shapely.transform(shape, transformer.transform, interleaved=False)


def distances_from(origin: dict[str, Any], others: Iterable[dict[str, Any]]) -> tuple[float, ...]:
    """Shortest distance in metres from `origin` to each geometry of `others`; 0 where they meet.

    One projection, centred on a point inside `origin`, serves every distance: exact
    from that point, and the nearest part of `origin` is at most the feature's own size
    away from it.
    """
    origin_shape = shapely.geometry.shape(origin)
    centre = origin_shape.representative_point()
    transformer = aeqd_centred_on(centre.x, centre.y)
    projected = project(origin_shape, transformer)
    return tuple(
        float(projected.distance(project(shapely.geometry.shape(other), transformer)))
        for other in others
    )


def distance_m(a: dict[str, Any], b: dict[str, Any]) -> float:
    """Shortest straight-line (geodesic) distance in metres between two GeoJSON geometries."""
    return distances_from(a, (b,))[0]


def circle(lon: float, lat: float, radius_m: float) -> dict[str, Any]:
    """A GeoJSON Polygon of the geodesic circle, counter-clockwise as RFC 7946 asks."""
    if radius_m <= 0:
        raise ValueError(f"a ring needs a positive radius, not {radius_m!r}")
    angles = [2 * math.pi * step / RING_VERTICES for step in range(RING_VERTICES)]
    transformer = aeqd_centred_on(lon, lat)
    lons, lats = transformer.transform(
        [radius_m * math.cos(angle) for angle in angles],
        [radius_m * math.sin(angle) for angle in angles],
        direction=TransformDirection.INVERSE,
    )
    ring = [
        [round(x, COORDINATE_DECIMALS), round(y, COORDINATE_DECIMALS)] for x, y in zip(lons, lats)
    ]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def rings(
    center_geometry: dict[str, Any], radii_km: Sequence[float] = RING_RADII_KM
) -> tuple[Ring, ...]:
    """Geodesic circles of `radii_km` around the centroid of `center_geometry`.

    The centroid is taken in degrees: for a fab site a few hundred metres across it is
    within metres of the metric one, far below what a 5 km ring can show.
    """
    centre = shapely.geometry.shape(center_geometry).centroid
    return tuple(Ring(radius, circle(centre.x, centre.y, radius * 1000)) for radius in radii_km)


def reach(feature: Feature, origin: Feature | None, stations: Iterable[Feature]) -> Reach:
    """Distances of `feature` from `origin` and from the nearest of `stations` (not itself)."""
    others = tuple(station for station in stations if station.id != feature.id)
    origins = (origin.geometry,) if origin else ()
    distances = distances_from(feature.geometry, (*origins, *(s.geometry for s in others)))
    from_origin_m = distances[0] if origin else None
    station_distances = distances[len(origins):]
    if not others:
        return Reach(from_origin_m, None, None)
    # min() keeps the first of equal distances: the stations' own order breaks ties.
    index = min(range(len(others)), key=station_distances.__getitem__)
    return Reach(from_origin_m, others[index], station_distances[index])


def format_distance(metres: float) -> str:
    """Metres for reading: "850 m", "12.3 km", "1,234 km"; the same in every language.

    Metres are rounded to tens: no location in the data is better than ±100 m, and
    single metres would claim more than that.
    """
    if metres < 0:
        raise ValueError(f"a distance cannot be negative: {metres!r}")
    tens = round(metres, -1)
    if tens < 1000:
        return f"{tens:.0f} m"
    kilometres = metres / 1000
    if round(kilometres, 1) < 100:
        return f"{kilometres:.1f} km"
    return f"{kilometres:,.0f} km"
