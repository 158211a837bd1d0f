"""Readers of single values: one per kind of field in the schema, each returning the typed
value or raising Invalid with a message that names the key. Pure; no files.

`read_field` reads any field of `schema.FEATURE_FIELDS` / `LAYER_FIELDS` by its row, so a
wrong type anywhere in the data is a located problem, never a crash.
"""

from __future__ import annotations

import enum
import math
import re
import reprlib
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from kumamap import schema
from kumamap.model import LANGS, Kind, License, Precision, Source, Status, Texts, lang_suffix
from kumamap.schema import FEATURE_FIELDS, Field, FieldKind

ID_PATTERN = re.compile(schema.ID_PATTERN)
DATE_PATTERN = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
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
    """A value as a message quotes it: one line, at most about MAX_SHOWN characters, and
    never more work than that (reprlib stops early in a huge list or string)."""
    short = reprlib.Repr()
    short.maxstring = short.maxother = MAX_SHOWN
    text = " ".join(short.repr(value).split())
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


# List-valued fields: a missing optional one is an empty tuple, not None.
EMPTY_WHEN_MISSING = frozenset({FieldKind.NAMES, FieldKind.LICENSES, FieldKind.SOURCES})


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
        return () if field.kind in EMPTY_WHEN_MISSING else None
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
    FieldKind.SOURCES: lambda v, f, _: read_sources(v, required=f.required),
    FieldKind.NAMES: lambda v, f, _: read_names(v, f.name),
    FieldKind.BBOX: lambda v, f, _: read_bbox(v, f.name),
    FieldKind.LICENSES: lambda v, f, _: read_licenses(v, f.name),
}
