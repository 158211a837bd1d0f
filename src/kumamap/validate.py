"""Raw GeoJSON dicts -> typed features, or problems that say what is wrong and where.

Pure: no file I/O (that is `catalog.py`), no Streamlit. A feature with any problem is left
out and reported; the rest of its layer still loads.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import shapely
from shapely.geometry import shape
from shapely.validation import explain_validity

from kumamap import schema
from kumamap.model import (
    LANGS,
    Event,
    Feature,
    Kind,
    Layer,
    License,
    Precision,
    Problem,
    Source,
    Status,
    Texts,
    lang_suffix,
)
from kumamap.schema import FEATURE_FIELDS, Field, FieldKind

ID_PATTERN = re.compile(schema.ID_PATTERN)
DATE_PATTERN = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
GEOMETRY_TYPES = frozenset(
    {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}
)
FIRST_YEAR, LAST_YEAR = 1800, 2200
KNOWN_KEYS = frozenset(key for field in FEATURE_FIELDS for key in field.keys)
# Enum-valued fields come back as their enum; the others as plain values.
ENUMS: dict[str, type[enum.Enum]] = {"status": Status, "precision": Precision, "kind": Kind}
# Shown back inside a message: long junk is cut.
MAX_SHOWN = 60


class Invalid(ValueError):
    """One thing wrong with one value; collected into a Problem by the caller."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def shown(value: Any) -> str:
    """A value as a message quotes it: short, one line."""
    text = " ".join(repr(value).split())
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "…"


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


def read_titles(raw: Any, what: str) -> Texts:
    """A table {en, ja, zh-TW} -> Texts; every language required."""
    if not isinstance(raw, dict):
        raise Invalid("bad-value", f"{what} must be a table of {', '.join(LANGS)}")
    missing = [lang for lang in LANGS if not isinstance(raw.get(lang), str) or not raw[lang]]
    if missing:
        raise Invalid("bad-value", f"{what} has no text for {', '.join(missing)}")
    return Texts(**{lang_suffix(lang): raw[lang] for lang in LANGS})


def read_choice(value: Any, choices: Sequence[str], key: str) -> str:
    if not isinstance(value, str) or value not in choices:
        shown_value = f'"{value}"' if isinstance(value, str) else shown(value)
        raise Invalid("bad-value", f"{key} {shown_value} not in {tuple(choices)}")
    return value


def read_date(value: Any, key: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not DATE_PATTERN.match(value):
        shown_value = f'"{value}"' if isinstance(value, str) else shown(value)
        raise Invalid("bad-date", f"{key} {shown_value} is not YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def read_number(value: Any, key: str, *, minimum: float, required: bool = True) -> float | None:
    if value is None and not required:
        return None
    # NaN and Infinity pass Python's JSON reader but are not JSON: refuse them here.
    if (isinstance(value, bool) or not isinstance(value, (int, float))
            or not math.isfinite(value) or value < minimum):
        raise Invalid("bad-value", f"{key} must be a number >= {minimum:g}, got {shown(value)}")
    return float(value)


def read_integer(value: Any, key: str, minimum: float, maximum: float = math.inf) -> int:
    # bool is an int in Python, and "3" is not a number in the data.
    if type(value) is not int or not minimum <= value <= maximum:
        raise Invalid("bad-value", f"{key} must be a whole number, got {shown(value)}")
    return value


def read_boolean(value: Any, key: str) -> bool:
    # A string "false" would be true in Python: only real booleans are taken.
    if not isinstance(value, bool):
        raise Invalid("bad-value", f"{key} must be true or false, got {shown(value)}")
    return value


def read_string(value: Any, key: str, pattern: str = "") -> str:
    if not isinstance(value, str) or (pattern and not re.match(pattern, value)):
        rule = f"match {pattern}" if pattern else "be a string"
        raise Invalid("bad-value", f"{key} {shown(value)} must {rule}")
    return value


def read_id(value: Any, key: str = "id") -> str:
    if not isinstance(value, str) or not ID_PATTERN.match(value):
        raise Invalid("bad-id", f"{key} {shown(value)} must match {ID_PATTERN.pattern}")
    return value


def read_names(value: Any, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(n, str) and n.strip() for n in value):
        raise Invalid("bad-value", f"{key} must be a list of names, got {shown(value)}")
    return tuple(value)


def read_bbox(value: Any, key: str) -> tuple[float, float, float, float]:
    if not (isinstance(value, list) and len(value) == 4):
        raise Invalid("bad-value", f"{key} must be [min_lon, min_lat, max_lon, max_lat]")
    west, south, east, north = (read_number(v, key, minimum=-180) for v in value)
    if not (west < east <= 180 and -90 <= south < north <= 90):
        raise Invalid("bad-value", f"{key} {shown(value)} is not a box in lon/lat")
    return west, south, east, north


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
            raise Invalid("bad-source", f"sources item {number} is not an object")
        for key in ("url", "title", "publisher", "date"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise Invalid("bad-source", f'sources item {number} has no "{key}"')
        if not is_web_url(raw["url"]):
            raise Invalid("bad-source", f'sources item {number} url is not http(s): "{raw["url"]}"')
        read_date(raw["date"], f"sources item {number} date")
        sources.append(Source(raw["url"], raw["title"], raw["publisher"], raw["date"]))
    return tuple(sources)


def read_licenses(value: Any, key: str) -> tuple[License, ...]:
    if not isinstance(value, list):
        raise Invalid("bad-value", f"{key} must be a list of {{name, title, path}}")
    licenses = []
    for number, raw in enumerate(value, start=1):
        parts = [raw.get(part) if isinstance(raw, dict) else None
                 for part in ("name", "title", "path")]
        if not all(isinstance(part, str) and part for part in parts) or not is_web_url(parts[2]):
            raise Invalid("bad-value", f"{key} {number} needs a name, a title and an http(s) path")
        licenses.append(License(*parts))
    return tuple(licenses)


def read_field(
    raw: Mapping[str, Any], field: Field, vocabularies: Mapping[str, Collection[str]]
) -> Any:
    """One field of a feature or catalog entry, checked; raises Invalid naming the key.

    A missing optional field is None (or empty); a wrong-typed one is always a problem.
    """
    if field.kind is FieldKind.TEXTS:
        return read_texts(raw, field.name, required=field.required)
    value = raw.get(field.name)
    if value is None:
        if field.required:
            raise Invalid("missing-field", f'"{field.name}" is missing')
        return () if field.kind in (FieldKind.NAMES, FieldKind.LICENSES) else None
    return READERS[field.kind](value, field, vocabularies)


def read_vocabulary(value: Any, field: Field, vocabularies: Mapping[str, Collection[str]]) -> str:
    return read_choice(value, sorted(vocabularies.get(field.vocabulary, ())), field.name)


def read_enum_choice(value: Any, field: Field, _vocabularies: Any) -> Any:
    chosen = read_choice(value, field.choices, field.name)
    return ENUMS[field.name](chosen) if field.name in ENUMS else chosen


READERS: dict[FieldKind, Callable[[Any, Field, Mapping[str, Collection[str]]], Any]] = {
    FieldKind.ID: lambda v, f, _: read_id(v, f.name),
    FieldKind.TITLES: lambda v, f, _: read_titles(v, f.name),
    FieldKind.TEXT: lambda v, f, _: read_string(v, f.name),
    FieldKind.CHOICE: read_enum_choice,
    FieldKind.VOCABULARY: read_vocabulary,
    FieldKind.PATTERN: lambda v, f, _: read_string(v, f.name, f.pattern),
    FieldKind.DATE: lambda v, f, _: read_date(v, f.name),
    FieldKind.YEAR: lambda v, f, _: read_integer(v, f.name, FIRST_YEAR, LAST_YEAR),
    FieldKind.NUMBER: lambda v, f, _: read_number(v, f.name, minimum=f.minimum),
    FieldKind.INTEGER: lambda v, f, _: read_integer(v, f.name, f.minimum),
    FieldKind.BOOLEAN: lambda v, f, _: read_boolean(v, f.name),
    FieldKind.SOURCES: lambda v, f, _: read_sources(v),
    FieldKind.NAMES: lambda v, f, _: read_names(v, f.name),
    FieldKind.BBOX: lambda v, f, _: read_bbox(v, f.name),
    FieldKind.LICENSES: lambda v, f, _: read_licenses(v, f.name),
}


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


def read_feature(
    raw: Any, layer: Layer, vocabularies: Mapping[str, Collection[str]] | None = None, *,
    require_sources: bool = True,
) -> Feature:
    """One raw GeoJSON feature -> Feature; raises Invalid on the first thing wrong.

    Every property is read by its row of the schema. Only a reader's own upload may come
    without sources (it is theirs, for this session).
    """
    if not isinstance(raw, dict) or raw.get("type") != "Feature":
        raise Invalid("not-a-feature", 'is not a GeoJSON object with "type": "Feature"')
    properties = raw.get("properties")
    if not isinstance(properties, dict):
        raise Invalid("missing-field", "has no properties")
    values = {}
    for field in FEATURE_FIELDS:
        if field.kind is FieldKind.SOURCES and not require_sources:
            values[field.name] = read_sources(properties.get(field.name), required=False)
        else:
            values[field.name] = read_field(properties, field, vocabularies or {})
        if field.kind is FieldKind.TEXT and not values[field.name]:
            raise Invalid("missing-field", f'"{field.name}" must be a non-empty string')
    return Feature(
        layer_id=layer.id,
        geometry=check_geometry(raw.get("geometry"), layer.bbox),
        extra=tuple((k, v) for k, v in properties.items() if k not in KNOWN_KEYS),
        **values,
    )


def read_layer_features(
    data: Any, layer: Layer, taken_ids: set[str], name: str,
    vocabularies: Mapping[str, Collection[str]] | None = None, *, require_sources: bool = True,
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
        properties = raw.get("properties") if isinstance(raw, dict) else None
        raw_id = properties.get("id") if isinstance(properties, dict) else None
        label = raw_id if isinstance(raw_id, str) and raw_id else None
        try:
            feature = read_feature(raw, layer, vocabularies, require_sources=require_sources)
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
            read_id(raw_id)
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
