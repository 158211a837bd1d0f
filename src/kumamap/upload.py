"""A reader's own file -> a session-only layer, checked by the same rules as geo/.

GeoJSON is read as JSON; a zipped shapefile or a GeoPackage, or GeoJSON that declares
another CRS, goes through geopandas and is reprojected to WGS84 lon/lat first. Nothing is
written anywhere: the bytes come from the upload widget and the layer lives in the session.
"""

from __future__ import annotations

import io
import json
from dataclasses import replace
from typing import Any

from kumamap.catalog import WORLD, parse_json
from kumamap.model import Kind, Layer, Problem, Texts
from kumamap.validate import ID_PATTERN, read_layer_features

MAX_UPLOAD_BYTES = 5_000_000
UPLOAD_SUFFIXES = (".geojson", ".json", ".zip", ".gpkg")
WGS84_NAMES = {"EPSG:4326", "urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:EPSG::4326", "CRS84"}


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


def read_with_geopandas(raw: bytes) -> dict[str, Any]:
    """Any format GDAL reads -> a GeoJSON dict in WGS84."""
    import geopandas  # imported here: only uploads in other formats need it

    frame = geopandas.read_file(io.BytesIO(raw))
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    return json.loads(frame.to_json(na="drop"))


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
        if not isinstance(feature, dict) or not isinstance(feature.get("properties", {}), dict):
            continue
        properties = feature.get("properties") or {}
        label = str(properties.get("name") or properties.get("title") or f"Feature {index + 1}")
        feature_id = properties.get("id")
        defaults = {
            "id": feature_id if isinstance(feature_id, str) and ID_PATTERN.match(feature_id)
            else f"upload-{index + 1}",
            "name_en": label, "name_ja": label, "name_zh_tw": label,
            "category": "upload", "status": "existing",
            "summary_en": "Uploaded by you; not checked by kumamap.",
            "summary_ja": "あなたがアップロードしたデータ（kumamap では未確認）。",
            "summary_zh_tw": "您上傳的資料（kumamap 未查核）。",
            "precision": "approximate", "precision_m": 0,
        }
        feature["properties"] = {**defaults, **{k: v for k, v in properties.items() if k != "id"}}
    return data


def read_upload(name: str, raw: bytes, taken_ids: set[str]) -> tuple[Layer, tuple[Problem, ...]]:
    """Uploaded bytes -> a layer of the valid features, and a problem for each other one."""
    layer = upload_layer(name)
    if len(raw) > MAX_UPLOAD_BYTES:
        message = f"is {len(raw):,} bytes, more than the upload limit of {MAX_UPLOAD_BYTES:,} bytes"
        return layer, (Problem(name, "too-large", message),)
    if not name.lower().endswith(UPLOAD_SUFFIXES):
        message = "is not GeoJSON, a zipped shapefile or a GeoPackage (.geojson, .json, .zip, .gpkg)"
        return layer, (Problem(name, "not-geojson", message),)
    if name.lower().endswith((".zip", ".gpkg")):
        data, problem = read_other_format(raw, name)
    else:
        data, problem = parse_json(raw, name)
        if problem is None and declared_crs(data):
            data, problem = read_other_format(raw, name)
    if problem:
        return layer, (problem,)
    features, problems = read_layer_features(
        complete_properties(data), layer, set(taken_ids), name, require_sources=False)
    return replace(layer, features=features), problems


def read_other_format(raw: bytes, name: str) -> tuple[Any, Problem | None]:
    try:
        return read_with_geopandas(raw), None
    except (RuntimeError, ValueError, OSError) as err:  # GDAL's errors are RuntimeErrors
        return None, Problem(name, "unreadable", f"cannot be read as geodata: {err}")
