"""Raw GeoJSON dicts -> typed features, or problems that say what is wrong and where.

Pure: no file I/O (that is `catalog.py`), no Streamlit. A feature with any problem is left
out and reported; the rest of its layer still loads.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import shapely
from shapely.geometry import shape
from shapely.validation import explain_validity

from kumamap.model import (
    LANGS,
    Event,
    Feature,
    Layer,
    Precision,
    Problem,
    Source,
    Status,
    Texts,
    lang_suffix,
)

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")
DATE_PATTERN = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
GEOMETRY_TYPES = frozenset(
    {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}
)
CONFIDENCES = frozenset({"high", "medium", "low"})
TEXT_KEYS = frozenset(
    f"{base}_{lang_suffix(lang)}" for base in ("name", "summary", "note") for lang in LANGS
)
KNOWN_KEYS = TEXT_KEYS | {
    "id", "category", "status", "announced", "started", "opened", "planned_year",
    "area_ha", "sources", "precision", "precision_m", "prefecture", "confidence",
}


class Invalid(ValueError):
    """One thing wrong with one value; collected into a Problem by the caller."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def read_texts(properties: Mapping[str, Any], base: str, *, required: bool) -> Texts:
    values = {}
    for lang in LANGS:
        key = f"{base}_{lang_suffix(lang)}"
        value = properties.get(key)
        if value is None and not required:
            value = ""
        if not isinstance(value, str) or (required and not value.strip()):
            raise Invalid("missing-field", f'"{key}" must be a non-empty string')
        values[lang_suffix(lang)] = value
    return Texts(**values)


def read_choice(value: Any, choices: type[Status] | type[Precision], key: str) -> Any:
    allowed = tuple(choice.value for choice in choices)
    if value not in allowed:
        raise Invalid("bad-value", f'{key} "{value}" not in {allowed}')
    return choices(value)


def read_date(value: Any, key: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not DATE_PATTERN.match(value):
        raise Invalid("bad-date", f'{key} "{value}" is not YYYY, YYYY-MM or YYYY-MM-DD')
    return value


def read_number(value: Any, key: str, *, minimum: float, required: bool) -> float | None:
    if value is None and not required:
        return None
    # NaN and Infinity pass Python's JSON reader but are not JSON: refuse them here.
    if (isinstance(value, bool) or not isinstance(value, (int, float))
            or not math.isfinite(value) or value < minimum):
        raise Invalid("bad-value", f'{key} must be a number >= {minimum:g}, got {value!r}')
    return float(value)


def is_web_url(url: str) -> bool:
    """Only http(s) links are ever rendered as links."""
    parts = urlsplit(url)
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def read_sources(value: Any, *, required: bool = True) -> tuple[Source, ...]:
    if not required and value in (None, []):
        return ()
    if not isinstance(value, list) or not value:
        raise Invalid("missing-sources", "sources must be a non-empty list")
    sources = []
    for number, raw in enumerate(value, start=1):
        if not isinstance(raw, dict):
            raise Invalid("bad-source", f"source {number} is not an object")
        for key in ("url", "title", "publisher", "date"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise Invalid("bad-source", f'source {number} has no "{key}"')
        if not is_web_url(raw["url"]):
            raise Invalid("bad-source", f'source {number} url is not http(s): "{raw["url"]}"')
        read_date(raw["date"], f"source {number} date")
        sources.append(Source(raw["url"], raw["title"], raw["publisher"], raw["date"]))
    return tuple(sources)


def _positions(coordinates: Any) -> Iterable[Sequence[Any]]:
    """Every [lon, lat, ...] position in nested GeoJSON coordinates."""
    if not isinstance(coordinates, list):
        return
    if coordinates and not isinstance(coordinates[0], list):
        yield coordinates
    for part in coordinates:
        if isinstance(part, list):
            yield from _positions(part)


def check_geometry(geometry: Any, bbox: tuple[float, float, float, float]) -> dict[str, Any]:
    """Return the geometry if it is drawable and where the layer expects it."""
    if not isinstance(geometry, dict) or geometry.get("type") is None:
        raise Invalid("no-geometry", "has no geometry")
    if geometry["type"] not in GEOMETRY_TYPES:
        raise Invalid("bad-geometry", f'geometry type "{geometry["type"]}" is not supported')
    for position in _positions(geometry.get("coordinates")):
        if len(position) < 2 or not all(
            isinstance(c, (int, float)) and not isinstance(c, bool) for c in position[:2]
        ):
            raise Invalid("bad-geometry", f"coordinate {position!r} is not [lon, lat]")
        lon, lat = position[0], position[1]
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise Invalid(
                "out-of-range",
                f"coordinate [{lon}, {lat}] is outside lon -180..180 / lat -90..90"
                " (latitude and longitude swapped?)",
            )
    try:
        geom = shape(geometry)
    except (ValueError, TypeError, AttributeError, IndexError, shapely.errors.ShapelyError) as err:
        raise Invalid("bad-geometry", f"geometry cannot be read: {err}") from err
    if geom.is_empty:
        raise Invalid("bad-geometry", "geometry is empty")
    if not geom.is_valid:
        raise Invalid("invalid-geometry", f"geometry is invalid: {explain_validity(geom)}")
    min_lon, min_lat, max_lon, max_lat = geom.bounds
    if min_lon < bbox[0] or min_lat < bbox[1] or max_lon > bbox[2] or max_lat > bbox[3]:
        raise Invalid(
            "outside-area",
            f"geometry bounds {[round(b, 4) for b in geom.bounds]} lie outside the layer's"
            f" area {list(bbox)} (latitude and longitude swapped?)",
        )
    return geometry


def check_optional(properties: Mapping[str, Any]) -> None:
    """The optional properties that have no reader of their own."""
    confidence = properties.get("confidence")
    if confidence is not None and confidence not in CONFIDENCES:
        raise Invalid("bad-value", f'confidence "{confidence}" not in {sorted(CONFIDENCES)}')
    prefecture = properties.get("prefecture")
    if prefecture is not None and not (isinstance(prefecture, str) and prefecture.isdigit()):
        raise Invalid("bad-value", f"prefecture {prefecture!r} must be a JIS code string")
    planned_year = properties.get("planned_year")
    if planned_year is not None and (type(planned_year) is not int or planned_year < 1900):
        raise Invalid("bad-value", f"planned_year {planned_year!r} must be a year")


def read_feature(raw: Any, layer: Layer, *, require_sources: bool = True) -> Feature:
    """One raw GeoJSON feature -> Feature; raises Invalid on the first thing wrong.

    Only a reader's own upload may come without sources (it is theirs, for this session).
    """
    if not isinstance(raw, dict) or raw.get("type") != "Feature":
        raise Invalid("not-a-feature", 'is not a GeoJSON object with "type": "Feature"')
    properties = raw.get("properties")
    if not isinstance(properties, dict):
        raise Invalid("missing-field", "has no properties")
    feature_id = properties.get("id")
    if not isinstance(feature_id, str) or not ID_PATTERN.match(feature_id):
        raise Invalid("bad-id", f"id {feature_id!r} must match {ID_PATTERN.pattern}")
    category = properties.get("category")
    if not isinstance(category, str) or not category:
        raise Invalid("missing-field", '"category" must be a non-empty string')
    check_optional(properties)
    return Feature(
        id=feature_id,
        layer_id=layer.id,
        name=read_texts(properties, "name", required=True),
        category=category,
        status=read_choice(properties.get("status"), Status, "status"),
        summary=read_texts(properties, "summary", required=True),
        sources=read_sources(properties.get("sources"), required=require_sources),
        precision=read_choice(properties.get("precision"), Precision, "precision"),
        precision_m=read_number(properties.get("precision_m"), "precision_m", minimum=0, required=True),
        geometry=check_geometry(raw.get("geometry"), layer.bbox),
        announced=read_date(properties.get("announced"), "announced"),
        started=read_date(properties.get("started"), "started"),
        opened=read_date(properties.get("opened"), "opened"),
        planned_year=properties.get("planned_year"),
        area_ha=read_number(properties.get("area_ha"), "area_ha", minimum=0, required=False),
        prefecture=properties.get("prefecture"),
        confidence=properties.get("confidence"),
        note=read_texts(properties, "note", required=False),
        extra=tuple((k, v) for k, v in properties.items() if k not in KNOWN_KEYS),
    )


def read_layer_features(
    data: Any, layer: Layer, taken_ids: set[str], name: str, *, require_sources: bool = True
) -> tuple[tuple[Feature, ...], tuple[Problem, ...]]:
    """A parsed FeatureCollection -> its valid features and the problems of the others.

    `taken_ids` holds ids already used by earlier layers and is extended here, so a
    duplicate id is caught across the whole catalog.
    """
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        return (), (Problem(name, "not-a-collection", "is not a GeoJSON FeatureCollection"),)
    raw_features = data.get("features")
    if not isinstance(raw_features, list):
        return (), (Problem(name, "not-a-collection", '"features" is not a list'),)
    features: list[Feature] = []
    problems: list[Problem] = []
    for index, raw in enumerate(raw_features):
        raw_id = raw.get("properties", {}).get("id") if isinstance(raw, dict) else None
        label = raw_id if isinstance(raw_id, str) and raw_id else None
        try:
            feature = read_feature(raw, layer, require_sources=require_sources)
        except Invalid as err:
            problems.append(Problem(name, err.code, str(err), label, index))
            continue
        if feature.id in taken_ids:
            problems.append(
                Problem(name, "duplicate-id", "id is already used", feature.id, index)
            )
            continue
        taken_ids.add(feature.id)
        features.append(feature)
    return tuple(features), tuple(problems)


def read_events(data: Any, file: str) -> tuple[tuple[Event, ...], tuple[Problem, ...]]:
    """The timeline file -> events sorted by date, and problems of the broken ones."""
    raw_events = data.get("events") if isinstance(data, dict) else None
    if not isinstance(raw_events, list):
        return (), (Problem(file, "not-a-timeline", '"events" is not a list'),)
    events: list[Event] = []
    problems: list[Problem] = []
    for index, raw in enumerate(raw_events):
        raw_id = raw.get("id") if isinstance(raw, dict) else None
        try:
            if not isinstance(raw_id, str) or not ID_PATTERN.match(raw_id):
                raise Invalid("bad-id", f"id {raw_id!r} must match {ID_PATTERN.pattern}")
            date = read_date(raw.get("date"), "date")
            if date is None:
                raise Invalid("bad-date", "has no date")
            related = raw.get("features", [])
            if not isinstance(related, list) or not all(isinstance(i, str) for i in related):
                raise Invalid("bad-value", '"features" must be a list of feature ids')
            events.append(
                Event(raw_id, date, read_texts(raw, "title", required=True), tuple(related),
                      read_sources(raw.get("sources")))
            )
        except Invalid as err:
            label = raw_id if isinstance(raw_id, str) and raw_id else None
            problems.append(Problem(file, err.code, str(err), label, index, item="event"))
    return tuple(sorted(events, key=lambda event: event.date)), tuple(problems)
