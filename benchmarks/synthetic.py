"""A copy of the data folder with one synthetic layer of N features, for the scale runs.

Half small squares, half points, spread over Kyushu at random (seeded, so every run draws
the same map). Every feature is valid per geo/README.md and says it is synthetic. The
source folder is only read.
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path
from typing import Any

LAYER_ID = "synthetic"
# Kyushu, lon/lat; the layer's bbox in the catalog leaves a margin around it.
LON_RANGE, LAT_RANGE = (129.6, 131.9), (31.2, 33.9)
BBOX = [129.0, 30.5, 132.5, 34.5]
HALF_SIDE = 0.002  # degrees: squares of about 400 m
STATUSES = ("operating", "planned", "candidate")
SOURCE = {"url": "https://example.org/kumamap-benchmark", "title": "Synthetic benchmark data",
          "publisher": "kumamap benchmarks", "date": "2025-01-01"}


def catalog_entry(max_bytes: int) -> str:
    """The layer's [[layers]] entry; its file may exceed the catalog's default size budget."""
    return f"""
[[layers]]
id = "{LAYER_ID}"
file = "{LAYER_ID}.geojson"
kind = "zone"
title = {{ en = "Synthetic (benchmark)", ja = "合成データ", zh-TW = "合成資料" }}
color = "#9e9e9e"
visible = true
order = 99
bbox = {BBOX}
attribution = ""
max_bytes = {max_bytes}
"""


def square(lon: float, lat: float) -> dict[str, Any]:
    west, east = round(lon - HALF_SIDE, 5), round(lon + HALF_SIDE, 5)
    south, north = round(lat - HALF_SIDE, 5), round(lat + HALF_SIDE, 5)
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def synthetic_feature(number: int, lon: float, lat: float) -> dict[str, Any]:
    point = {"type": "Point", "coordinates": [lon, lat]}
    return {
        "type": "Feature",
        "geometry": square(lon, lat) if number % 2 else point,
        "properties": {
            "id": f"synthetic-{number:05d}",
            "name_en": f"Synthetic site {number}",
            "name_ja": f"合成地点 {number}",
            "name_zh_tw": f"合成地點 {number}",
            "category": "industrial-park",
            "status": STATUSES[number % len(STATUSES)],
            "summary_en": "Generated for benchmarks; not a real place.",
            "summary_ja": "ベンチマーク用に生成したもので、実在しません。",
            "summary_zh_tw": "為基準測試而生成，並非真實地點。",
            "sources": [SOURCE],
            "precision": "schematic",
            "precision_m": 500,
            "checked": SOURCE["date"],
        },
    }


def synthetic_layer(count: int, seed: int = 7) -> dict[str, Any]:
    rng = random.Random(seed)
    features = []
    for number in range(1, count + 1):
        lon, lat = round(rng.uniform(*LON_RANGE), 5), round(rng.uniform(*LAT_RANGE), 5)
        features.append(synthetic_feature(number, lon, lat))
    return {"type": "FeatureCollection", "features": features}


def write_scaled_copy(source: Path, target: Path, count: int) -> Path:
    """Copy `source` to `target` and add the synthetic layer, visible by default."""
    shutil.copytree(source, target)
    raw = json.dumps(synthetic_layer(count), ensure_ascii=False).encode("utf-8")
    (target / f"{LAYER_ID}.geojson").write_bytes(raw)
    with (target / "layers.toml").open("a", encoding="utf-8") as catalog:
        catalog.write(catalog_entry(len(raw)))
    return target
