"""Preset views as data, and the box that fits a set of GeoJSON geometries.

Box convention, the one Leaflet's fitBounds understands: (south, west, north, east) with
-180 <= west <= 180 and west <= east < west + 360. A box that crosses the antimeridian has
east > 180 (Fukuoka to Dallas: west 130.4, east 263.2), never west > east.

Leaflet draws vector layers and markers at their literal longitude, so a feature at -96.8
shows inside a box running 130.4..263.2 only if the page also draws it at -96.8 + 360.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Preset:
    """A starting view: the layers it exists to show, fitted with some padding."""

    id: str
    layers: tuple[str, ...]
    padding: float = 0.1


PRESETS: dict[str, Preset] = {
    p.id: p
    for p in (
        Preset("kumamoto", ("jasm", "industrial-parks")),
        Preset("kyushu", ("prefectures",)),
        Preset("world", ("trade-centres",)),
    )
}


def positions(geometry: dict[str, Any]) -> Iterator[tuple[float, float]]:
    """Every (lon, lat) of a GeoJSON geometry, GeometryCollections included."""
    if geometry.get("type") == "GeometryCollection":
        for member in geometry.get("geometries", ()):
            yield from positions(member)
        return
    stack = [geometry.get("coordinates", ())]
    while stack:
        item = stack.pop()
        if item and isinstance(item[0], (int, float)):
            lon, lat = float(item[0]), float(item[1])
            if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
                raise ValueError(f"position ({lon}, {lat}) is outside lon -180..180, lat -90..90")
            yield lon, lat
        else:
            stack.extend(item)


def longitude_span(lons: list[float]) -> tuple[float, float]:
    """(west, east) of the shorter of the plain box and the antimeridian-crossing box.

    The crossing box is the plain box of the longitudes with the western ones moved by
    +360; it is chosen only when it is strictly narrower.
    """
    west, east = min(lons), max(lons)
    shifted = [lon + 360.0 if lon < 0 else lon for lon in lons]
    west_x, east_x = min(shifted), max(shifted)
    if east_x - west_x < east - west:
        return west_x, east_x
    return west, east


def preset_bounds(
    geometries: Iterable[dict[str, Any]], padding: float = 0.1
) -> tuple[float, float, float, float]:
    """(south, west, north, east) containing every geometry, each side padded by
    `padding` times the box's width or height (as Leaflet's LatLngBounds.pad).

    Raises ValueError when there is no position at all, or a position is out of range.
    """
    points = [p for geometry in geometries for p in positions(geometry)]
    if not points:
        raise ValueError("preset_bounds needs at least one geometry with a position; got none")
    if padding < 0:
        raise ValueError(f"padding must be >= 0, got {padding}")
    west, east = longitude_span([lon for lon, _ in points])
    south = min(lat for _, lat in points)
    north = max(lat for _, lat in points)
    pad_lon, pad_lat = (east - west) * padding, (north - south) * padding
    # Padding cannot make a box wider than the whole world or taller than the poles.
    pad_lon = min(pad_lon, (360.0 - (east - west)) / 2)
    west, east = west - pad_lon, east + pad_lon
    if west < -180.0:  # keep west in -180..180: the same box, one world copy east
        west, east = west + 360.0, east + 360.0
    return max(south - pad_lat, -90.0), west, min(north + pad_lat, 90.0), east


def fit_bounds(box: tuple[float, float, float, float]) -> list[list[float]]:
    """The [[south, west], [north, east]] argument of Leaflet's fitBounds."""
    south, west, north, east = box
    return [[south, west], [north, east]]
