"""A reader's own file -> a session-only layer, checked by the same rules as geo/.

GeoJSON is read as JSON; a zipped shapefile or a GeoPackage, or GeoJSON that declares
another CRS, goes through geopandas and is reprojected to WGS84 lon/lat first. Nothing is
written anywhere: the bytes come from the upload widget and the layer lives in the session.
"""

from __future__ import annotations

from typing import Any

from kumamap.catalog import WORLD, parse_json, read_layer_data, size_problem
from kumamap.model import Kind, Layer, Problem, Texts
from kumamap.sandbox import LIMITS, Limits, count_problem, over, read_isolated, reads_ahead
from kumamap.schema import upload_defaults
from kumamap.validate import ID_PATTERN

MAX_UPLOAD_BYTES = LIMITS.upload_bytes
UPLOAD_SUFFIXES = (".geojson", ".json", ".zip", ".gpkg")
ARCHIVE_SUFFIXES = (".zip", ".gpkg")  # read in the sandbox, one of `readers` at a time
# Failures that say nothing about the file (the server was busy or slow): worth retrying,
# not worth caching.
TRANSIENT_CODES = frozenset({"busy", "too-slow"})
WGS84_NAMES = {"EPSG:4326", "urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:EPSG::4326", "CRS84"}


def reads_ahead_of(name: str) -> int:
    """Uploads the sandbox reads before this file, if it were sent now (0: none, or the file
    is plain GeoJSON, read at once)."""
    return reads_ahead() if name.lower().endswith(ARCHIVE_SUFFIXES) else 0


def upload_layer(name: str) -> Layer:
    return Layer(
        id="upload",
        file=name,
        kind=Kind.ZONE,
        title=Texts(f"Your layer: {name}", f"あなたのレイヤー: {name}", f"您的圖層：{name}"),
        color="#212121",
        visible=True,
        order=1_000,
        attribution="Your upload (this session only, unverified)",
        bbox=WORLD,
    )


def declared_crs(data: Any) -> str | None:
    """The old-style GeoJSON "crs" member, if it names something other than WGS84."""
    crs = data.get("crs") if isinstance(data, dict) else None
    name = (crs or {}).get("properties", {}).get("name") if isinstance(crs, dict) else None
    return name if isinstance(name, str) and name not in WGS84_NAMES else None


def complete_properties(data: Any) -> Any:
    """Give plain GeoJSON the fields our schema needs, from what the file has.

    Names come from a `name`/`title` property when there is one; everything else is marked
    as the reader's own. Values the file does set are kept, and then checked as usual.
    """
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        return data
    for index, feature in enumerate(features):
        # `"properties": null` is valid GeoJSON: the same as no properties.
        properties = feature.get("properties") if isinstance(feature, dict) else None
        properties = {} if properties is None else properties
        if not isinstance(feature, dict) or not isinstance(properties, dict):
            continue
        label = str(properties.get("name") or properties.get("title") or f"Feature {index + 1}")
        feature_id = properties.get("id")
        defaults = upload_defaults(label)
        defaults["id"] = (feature_id if isinstance(feature_id, str) and ID_PATTERN.match(feature_id)
                          else f"upload-{index + 1}")
        feature["properties"] = {**defaults, **{k: v for k, v in properties.items() if k != "id"}}
    return data


def vertex_count(data: Any) -> int:
    """Positions in every feature's geometry (iterative: nesting is bounded, not trusted)."""
    features = data.get("features") if isinstance(data, dict) else None
    features = features if isinstance(features, list) else []
    stack = [feature.get("geometry") for feature in features if isinstance(feature, dict)]
    count = 0
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            stack.extend((value.get("coordinates"), value.get("geometries")))
        elif isinstance(value, list) and value and isinstance(value[0], (int, float)):
            count += 1
        elif isinstance(value, list):
            stack.extend(value)
    return count


def bounds_problem(data: Any, name: str, limits: Limits) -> Problem | None:
    """More features or vertices than one upload may have -> a problem naming the limit."""
    features = data.get("features") if isinstance(data, dict) else None
    count = len(features) if isinstance(features, list) else 0
    refusal = count_problem(count, vertex_count(data), limits)
    return Problem(name, *refusal) if refusal else None


def read_upload(
    name: str, raw: bytes, taken_ids: set[str], limits: Limits = LIMITS
) -> tuple[Layer, tuple[Problem, ...]]:
    """Uploaded bytes -> a layer of the valid features, and a problem for each other one.

    Every bound is checked before the work it protects: the size before reading, counts
    before validating, and zip/GeoPackage reading happens only in the sandbox.
    """
    layer = upload_layer(name)
    problem = size_problem(len(raw), limits.upload_bytes, name)
    if problem is None and not name.lower().endswith(UPLOAD_SUFFIXES):
        message = ("is not GeoJSON, a zipped shapefile or a GeoPackage "
                   "(.geojson, .json, .zip, .gpkg)")
        problem = Problem(name, "not-geojson", message)
    if problem:
        return layer, (problem,)
    if name.lower().endswith(ARCHIVE_SUFFIXES):
        data, problems = read_other_format(raw, name, limits)
    else:
        data, problems = read_json(raw, name, limits)
    problem = None if data is None else bounds_problem(data, name, limits)
    if data is None or problem:
        return layer, problems + ((problem,) if problem else ())
    loaded, invalid = read_layer_data(data, layer, set(taken_ids), name,
                                      require_provenance=False, prepare=complete_properties)
    return loaded, problems + invalid


def read_json(raw: bytes, name: str, limits: Limits) -> tuple[Any, tuple[Problem, ...]]:
    """GeoJSON is parsed here; GeoJSON in another CRS goes to the sandbox to be reprojected."""
    # Counted before parsing: 5 MB of "{}," parse into 1.7 million dicts, ~250 MB.
    containers = raw.count(b"{") + raw.count(b"[")
    if containers > limits.containers:
        message = f"has {over(containers, limits.containers, 'JSON objects and arrays')}"
        return None, (Problem(name, "too-complex", message),)
    data, problem = parse_json(raw, name)
    if problem:
        return None, (problem,)
    if declared_crs(data):
        return read_other_format(raw, name, limits)
    return data, ()


def read_other_format(raw: bytes, name: str, limits: Limits) -> tuple[Any, tuple[Problem, ...]]:
    """Zip, GeoPackage or projected GeoJSON -> GeoJSON in WGS84, read in the sandbox."""
    suffix = "." + name.lower().rsplit(".", 1)[-1]
    output, failures = read_isolated(raw, suffix, limits)
    if failures:
        return None, tuple(Problem(name, code, message) for code, message in failures)
    envelope, problem = parse_json(output, name)
    if problem:
        return None, (problem,)
    problems = tuple(Problem(name, code, message) for code, message in envelope["problems"])
    return envelope["data"], problems
