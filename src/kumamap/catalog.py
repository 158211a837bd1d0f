"""layers.toml + the files it lists -> LoadResult(layers, problems).

The only module that reads the data folder. It never writes to it.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import replace
from pathlib import Path
from collections.abc import Callable
from typing import Any

from kumamap.model import LANGS, Catalog, Kind, Layer, LoadResult, Problem, Texts, lang_suffix
from kumamap.validate import ID_PATTERN, Invalid, read_events, read_layer_features

CATALOG_FILE = "layers.toml"
DEFAULT_MAX_BYTES = 1_000_000
WORLD = (-180.0, -90.0, 180.0, 90.0)


def read_titles(raw: Any, what: str) -> Texts:
    """A TOML table {en, ja, zh-TW} -> Texts; every language required."""
    if not isinstance(raw, dict):
        raise Invalid("bad-catalog", f"{what} must be a table of {', '.join(LANGS)}")
    missing = [lang for lang in LANGS if not isinstance(raw.get(lang), str) or not raw[lang]]
    if missing:
        raise Invalid("bad-catalog", f"{what} has no text for {', '.join(missing)}")
    return Texts(**{lang_suffix(lang): raw[lang] for lang in LANGS})


def read_layer_entry(raw: Any) -> Layer:
    if not isinstance(raw, dict):
        raise Invalid("bad-catalog", "is not a table")
    layer_id, file = raw.get("id"), raw.get("file")
    if not isinstance(layer_id, str) or not ID_PATTERN.match(layer_id):
        raise Invalid("bad-catalog", f"id {layer_id!r} must match {ID_PATTERN.pattern}")
    if not isinstance(file, str) or not file or "/" in file or "\\" in file:
        raise Invalid("bad-catalog", f"file {file!r} must be a file name in the data folder")
    kinds = tuple(kind.value for kind in Kind)
    if raw.get("kind") not in kinds:
        raise Invalid("bad-catalog", f"kind {raw.get('kind')!r} not in {kinds}")
    bbox = raw.get("bbox", list(WORLD))
    if not (isinstance(bbox, list) and len(bbox) == 4
            and all(isinstance(v, (int, float)) for v in bbox)):
        raise Invalid("bad-catalog", "bbox must be [min_lon, min_lat, max_lon, max_lat]")
    color = raw.get("color", "#3388ff")
    if not (isinstance(color, str) and len(color) == 7 and color.startswith("#")):
        raise Invalid("bad-catalog", f"color {color!r} must be #rrggbb")
    return Layer(
        id=layer_id,
        file=file,
        kind=Kind(raw["kind"]),
        title=read_titles(raw.get("title"), "title"),
        color=color,
        visible=bool(raw.get("visible", True)),
        order=int(raw.get("order", 0)),
        attribution=str(raw.get("attribution", "")),
        bbox=(float(bbox[0]), float(bbox[1]), float(bbox[2]), float(bbox[3])),
    )


# GeoJSON needs about six levels (collection, features, feature, geometry, rings, points);
# deeper data is not a map and would overflow recursive readers further on.
MAX_DEPTH = 32


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


def unchanged(data: Any) -> Any:
    return data


def read_layer_data(
    data: Any, layer: Layer, taken_ids: set[str], name: str, *,
    require_sources: bool = True, prepare: Callable[[Any], Any] = unchanged,
) -> tuple[Layer, tuple[Problem, ...]]:
    """Parsed GeoJSON -> the layer with its valid features, and the problems of the others.

    Shared by the data folder and uploaded files, so both obey the same rules; an upload
    `prepare`s its plain GeoJSON with the fields our schema needs first.
    """
    features, problems = read_layer_features(
        prepare(data), layer, taken_ids, name, require_sources=require_sources)
    return replace(layer, features=features), problems


def read_layer_bytes(
    raw: bytes, layer: Layer, taken_ids: set[str], max_bytes: int, name: str, *,
    require_sources: bool = True, prepare: Callable[[Any], Any] = unchanged,
) -> tuple[Layer, tuple[Problem, ...]]:
    """A layer file's bytes -> size check, JSON, then `read_layer_data`."""
    problem = size_problem(len(raw), max_bytes, name)
    if problem is None:
        data, problem = parse_json(raw, name)
    if problem:
        return layer, (problem,)
    return read_layer_data(data, layer, taken_ids, name,
                           require_sources=require_sources, prepare=prepare)


def load_layer_file(
    root: Path, label: str, layer: Layer, budget: int, taken_ids: set[str]
) -> tuple[Layer, tuple[Problem, ...]]:
    """One listed file -> its layer (empty if the file is unusable) and its problems."""
    name = f"{label}/{layer.file}"
    path = root / layer.file
    if not path.is_file():
        return layer, (Problem(name, "missing-file", f'does not exist (layer "{layer.id}")'),)
    # Checked before reading, so a huge file is never loaded into memory.
    problem = size_problem(path.stat().st_size, budget, name)
    if problem:
        return layer, (problem,)
    return read_layer_bytes(path.read_bytes(), layer, taken_ids, budget, name)


def read_categories(config: dict, catalog_name: str) -> tuple[Catalog, list[Problem]]:
    """Category titles and the `[reach]` settings (where distances are measured from)."""
    categories, problems = [], []
    for key, titles in config.get("categories", {}).items():
        try:
            categories.append((key, read_titles(titles, f'category "{key}"')))
        except Invalid as err:
            problems.append(Problem(catalog_name, err.code, str(err)))
    reach = config.get("reach", {})
    origin, station_category = reach.get("origin"), reach.get("station_category")
    if not all(value is None or isinstance(value, str) for value in (origin, station_category)):
        problems.append(Problem(catalog_name, "bad-catalog",
                                "[reach] origin and station_category must be strings"))
        origin = station_category = None
    catalog = Catalog(categories=tuple(categories), reach_origin=origin,
                      station_category=station_category)
    return catalog, problems


def load_catalog(root: Path) -> LoadResult:
    """Read the catalog and every layer it lists; never raises on bad data."""
    label = root.name or str(root)
    catalog_name = f"{label}/{CATALOG_FILE}"
    try:
        config = tomllib.loads((root / CATALOG_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return LoadResult((), (Problem(catalog_name, "missing-file", "does not exist"),))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        return LoadResult((), (Problem(catalog_name, "bad-catalog", f"cannot be read: {err}"),))

    catalog, problems = read_categories(config, catalog_name)
    max_bytes = int(config.get("max_bytes", DEFAULT_MAX_BYTES))
    layers: list[Layer] = []
    taken_ids: set[str] = set()
    for index, raw in enumerate(config.get("layers", [])):
        try:
            layer = read_layer_entry(raw)
            if any(layer.id == seen.id for seen in layers):
                raise Invalid("bad-catalog", f'layer id "{layer.id}" is listed twice')
        except Invalid as err:
            problems.append(Problem(catalog_name, err.code, f"layer #{index}: {err}"))
            continue
        budget = int(raw.get("max_bytes", max_bytes))
        loaded, layer_problems = load_layer_file(root, label, layer, budget, taken_ids)
        layers.append(loaded)
        problems.extend(layer_problems)

    events, event_problems = load_timeline(root, config.get("timeline"), label, taken_ids)
    return LoadResult(
        layers=tuple(sorted(layers, key=lambda layer: layer.order)),
        problems=tuple(problems) + event_problems,
        catalog=catalog,
        events=events,
    )


def load_timeline(
    root: Path, file: Any, label: str, known_ids: set[str]
) -> tuple[tuple[Any, ...], tuple[Problem, ...]]:
    if not file:
        return (), ()
    name = f"{label}/{file}"
    path = root / str(file)
    if not path.is_file():
        return (), (Problem(name, "missing-file", "does not exist (timeline)"),)
    data, problem = parse_json(path.read_bytes(), name)
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
    return events, problems + tuple(unknown)


def newest_mtime(root: Path) -> float:
    """Cache key: changes when any data file changes."""
    return max((p.stat().st_mtime for p in root.glob("*") if p.is_file()), default=0.0)
