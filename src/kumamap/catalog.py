"""layers.toml + the files it lists -> LoadResult(layers, problems).

The only module that reads the data folder. It never writes to it. Every key of the
catalog is read through its row of the schema (`schema.CATALOG_FIELDS`, `LAYER_FIELDS`):
a wrong type is a located problem, never a crash and never a silent default.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Callable, Collection, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from kumamap.model import Catalog, Layer, LoadResult, Problem, Terms
from kumamap.schema import (
    CATALOG_FIELDS,
    FILTER_FIELDS,
    LAYER_DEFAULTS,
    LAYER_FIELDS,
    REACH_FIELDS,
    VOCABULARIES,
    Field,
)
from kumamap.story import Chapter, KnownIds, read_story
from kumamap.validate import Invalid, read_events, read_field, read_layer_features, read_titles
from kumamap.views import PRESETS

CATALOG_FILE = "layers.toml"
DEFAULT_MAX_BYTES = 1_000_000
WORLD = LAYER_DEFAULTS["bbox"]
# GeoJSON needs about six levels (collection, features, feature, geometry, rings, points);
# deeper data is not a map and would overflow recursive readers further on.
MAX_DEPTH = 32
# How many problems of one file are listed; the rest are counted in one more line.
MAX_PROBLEMS_PER_FILE = 50

Vocabularies = Mapping[str, Collection[str]]


def read_fields(raw: Any, fields: tuple[Field, ...], what: str,
                defaults: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The keys of one catalog table, each checked by its schema row."""
    if not isinstance(raw, dict):
        raise Invalid("bad-catalog", f"{what} is not a table")
    values = {}
    for field in fields:
        try:
            value = read_field(raw, field, {})
        except Invalid as err:
            raise Invalid("bad-catalog", f"{what}: {err}") from err
        if value is None and defaults and field.name in defaults:
            value = defaults[field.name]
        values[field.name] = value
    return values


def read_layer_entry(raw: Any, index: int) -> Layer:
    values = read_fields(raw, LAYER_FIELDS, f"layer #{index}", LAYER_DEFAULTS)
    return Layer(**values)


def read_catalog(config: dict, catalog_name: str) -> tuple[Catalog, dict[str, Any], list[Problem]]:
    """The catalog's own settings: vocabularies, [reach], [filters] and top-level keys."""
    problems: list[Problem] = []

    def checked(raw: Any, fields: tuple[Field, ...], what: str) -> dict[str, Any]:
        try:
            return read_fields(raw, fields, what)
        except Invalid as err:
            problems.append(Problem(catalog_name, err.code, str(err)))
            return dict.fromkeys(field.name for field in fields)

    settings = checked(config, CATALOG_FIELDS, "the catalog")
    reach = checked(config.get("reach", {}), REACH_FIELDS, "[reach]")
    filters = checked(config.get("filters", {}), FILTER_FIELDS, "[filters]")
    vocabularies = []
    for table in VOCABULARIES:
        terms, table_problems = read_terms(config.get(table, {}), table, catalog_name)
        vocabularies.append((table, terms))
        problems += table_problems
    catalog = Catalog(vocabularies=tuple(vocabularies), reach_origin=reach["origin"],
                      station_category=reach["station_category"],
                      prefecture_category=filters["prefecture_category"])
    return catalog, settings, problems


def read_terms(raw: Any, table: str, catalog_name: str) -> tuple[Terms, list[Problem]]:
    """One vocabulary table: key -> titles in the three languages."""
    if not isinstance(raw, dict):
        return (), [Problem(catalog_name, "bad-catalog", f"[{table}] is not a table")]
    terms, problems = [], []
    for key, titles in raw.items():
        try:
            terms.append((key, read_titles(titles, f'{table} "{key}"')))
        except Invalid as err:
            problems.append(Problem(catalog_name, "bad-catalog", str(err)))
    return tuple(terms), problems


def depth_of(data: Any) -> int:
    """How deeply lists and objects nest in parsed JSON (iterative: no recursion limit)."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list):
            deepest = max(deepest, depth)
            stack.extend((item, depth + 1) for item in value if isinstance(item, (dict, list)))
    return deepest


def parse_json(raw: bytes, name: str) -> tuple[Any, Problem | None]:
    """Bytes -> parsed JSON, or a problem naming the line and column (or the nesting)."""
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as err:
        return None, Problem(name, "bad-json", f"is not UTF-8 text: {err.reason}")
    except json.JSONDecodeError as err:
        where = f"line {err.lineno}, column {err.colno}"
        return None, Problem(name, "bad-json", f"is not valid JSON ({err.msg} at {where})")
    except RecursionError:
        return None, Problem(name, "too-deep", f"nests deeper than {MAX_DEPTH} levels")
    if depth_of(data) > MAX_DEPTH:
        return None, Problem(name, "too-deep", f"nests deeper than {MAX_DEPTH} levels")
    return data, None


def size_problem(size: int, limit: int, name: str) -> Problem | None:
    """The one size check of every layer file and upload, made before reading it."""
    if size <= limit:
        return None
    return Problem(name, "too-large", f"is {size:,} bytes, more than the limit of {limit:,} bytes")


def bounded(problems: tuple[Problem, ...], name: str) -> tuple[Problem, ...]:
    """At most MAX_PROBLEMS_PER_FILE problems of one file, then one line counting the rest."""
    if len(problems) <= MAX_PROBLEMS_PER_FILE:
        return problems
    rest = len(problems) - MAX_PROBLEMS_PER_FILE
    return (*problems[:MAX_PROBLEMS_PER_FILE],
            Problem(name, "more-problems", f"and {rest:,} more problems not listed"))


def unchanged(data: Any) -> Any:
    return data


def read_layer_data(
    data: Any, layer: Layer, taken_ids: set[str], name: str,
    vocabularies: Vocabularies | None = None, *,
    require_provenance: bool = True, prepare: Callable[[Any], Any] = unchanged,
) -> tuple[Layer, tuple[Problem, ...]]:
    """Parsed GeoJSON -> the layer with its valid features, and the problems of the others.

    Shared by the data folder and uploaded files, so both obey the same rules; an upload
    `prepare`s its plain GeoJSON with the fields our schema needs first.
    """
    features, problems = read_layer_features(
        prepare(data), layer, taken_ids, name, vocabularies, require_provenance=require_provenance)
    return replace(layer, features=features), bounded(problems, name)


def read_layer_bytes(
    raw: bytes, layer: Layer, taken_ids: set[str], max_bytes: int, name: str,
    vocabularies: Vocabularies | None = None, *,
    require_provenance: bool = True, prepare: Callable[[Any], Any] = unchanged,
) -> tuple[Layer, tuple[Problem, ...]]:
    """A layer file's bytes -> size check, JSON, then `read_layer_data`."""
    problem = size_problem(len(raw), max_bytes, name)
    if problem is None:
        data, problem = parse_json(raw, name)
    if problem:
        return layer, (problem,)
    return read_layer_data(data, layer, taken_ids, name, vocabularies,
                           require_provenance=require_provenance, prepare=prepare)


def vocabulary_keys(catalog: Catalog) -> dict[str, frozenset[str]]:
    """The allowed values of each vocabulary field, as the validator wants them."""
    return {table: frozenset(key for key, _ in terms) for table, terms in catalog.vocabularies}


def load_layer_file(root: Path, label: str, layer: Layer, budget: int, taken_ids: set[str],
                    vocabularies: Vocabularies) -> tuple[Layer, tuple[Problem, ...]]:
    """One listed file -> its layer (empty if the file is unusable) and its problems."""
    name = f"{label}/{layer.file}"
    path = root / layer.file
    if not path.is_file():
        return layer, (Problem(name, "missing-file", f'does not exist (layer "{layer.id}")'),)
    # Checked before reading, so a huge file is never loaded into memory.
    problem = size_problem(path.stat().st_size, budget, name)
    if problem:
        return layer, (problem,)
    return read_layer_bytes(path.read_bytes(), layer, taken_ids, budget, name, vocabularies)


def read_config(root: Path, catalog_name: str) -> tuple[dict | None, Problem | None]:
    try:
        return tomllib.loads((root / CATALOG_FILE).read_text(encoding="utf-8")), None
    except FileNotFoundError:
        return None, Problem(catalog_name, "missing-file", "does not exist")
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        return None, Problem(catalog_name, "bad-catalog", f"cannot be read: {err}")


def folder_label(root: Path) -> str:
    """How problems name the data folder: `geo/jasm.geojson`, whatever path was given."""
    return root.name or str(root)


def load_catalog(root: Path) -> LoadResult:
    """Read the catalog and every layer it lists; never raises on bad data."""
    label = folder_label(root)
    catalog_name = f"{label}/{CATALOG_FILE}"
    config, problem = read_config(root, catalog_name)
    if config is None:
        return LoadResult((), (problem,))
    catalog, settings, problems = read_catalog(config, catalog_name)
    vocabularies = vocabulary_keys(catalog)
    layers: list[Layer] = []
    taken_ids: set[str] = set()
    entries = config.get("layers", [])
    if not isinstance(entries, list):
        problems.append(Problem(catalog_name, "bad-catalog", "[[layers]] is not a list of tables"))
        entries = []
    for index, raw in enumerate(entries):
        try:
            layer = read_layer_entry(raw, index)
            if any(layer.id == seen.id for seen in layers):
                raise Invalid("bad-catalog", f'layer #{index}: id "{layer.id}" is listed twice')
        except Invalid as err:
            problems.append(Problem(catalog_name, err.code, str(err)))
            continue
        budget = layer.max_bytes or settings["max_bytes"] or DEFAULT_MAX_BYTES
        loaded, layer_problems = load_layer_file(root, label, layer, budget, taken_ids,
                                                 vocabularies)
        layers.append(loaded)
        problems.extend(layer_problems)

    events, event_problems = load_timeline(root, settings["timeline"], label, taken_ids)
    known = KnownIds(layer_ids=[layer.id for layer in layers], feature_ids=taken_ids,
                     presets=tuple(PRESETS))
    chapters, chapter_problems = load_story(root, settings["story"], label, known)
    return LoadResult(
        layers=tuple(sorted(layers, key=lambda layer: layer.order)),
        problems=tuple(problems) + event_problems + chapter_problems,
        catalog=catalog,
        events=events,
        chapters=chapters,
    )


def load_story(root: Path, file: str | None, label: str,
               known: KnownIds) -> tuple[tuple[Chapter, ...], tuple[Problem, ...]]:
    if not file:
        return (), ()
    data, problem = load_json_file(root, file, label, "story")
    if problem:
        return (), (problem,)
    name = f"{label}/{file}"
    chapters, problems = read_story(data, name, layer_ids=known.layer_ids,
                                    feature_ids=known.feature_ids, presets=known.presets)
    return chapters, bounded(problems, name)


def load_json_file(root: Path, file: str, label: str, what: str) -> tuple[Any, Problem | None]:
    """A JSON file of the data folder (timeline, story), bounded like a layer file."""
    name = f"{label}/{file}"
    path = root / file
    if not path.is_file():
        return None, Problem(name, "missing-file", f"does not exist ({what})")
    problem = size_problem(path.stat().st_size, DEFAULT_MAX_BYTES, name)
    if problem:
        return None, problem
    return parse_json(path.read_bytes(), name)


def load_timeline(
    root: Path, file: str | None, label: str, known_ids: set[str]
) -> tuple[tuple[Any, ...], tuple[Problem, ...]]:
    if not file:
        return (), ()
    name = f"{label}/{file}"
    data, problem = load_json_file(root, file, label, "timeline")
    if problem:
        return (), (problem,)
    events, problems = read_events(data, name)
    unknown = [
        Problem(name, "unknown-feature", f'refers to unknown feature "{feature_id}"',
                event.id, item="event")
        for event in events
        for feature_id in event.feature_ids
        if feature_id not in known_ids
    ]
    return events, bounded(problems + tuple(unknown), name)


def data_version(root: Path) -> str:
    """Cache key of the data folder: changes when a file is changed, added, deleted or
    restored (names, sizes and modification times; a deleted file changes the set)."""
    digest = hashlib.sha256()
    try:
        entries = sorted((p.name, p.stat()) for p in root.iterdir() if p.is_file())
    except OSError:
        return "unreadable"
    for name, stat in entries:
        digest.update(f"{name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()
