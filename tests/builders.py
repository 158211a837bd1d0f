"""Small builders of raw data for tests: one valid feature, then break one thing."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

MINI = Path(__file__).parent / "data" / "mini"

HOSTILE = '<img src=x onerror=alert(1)> ${alert(2)} `x` "><svg onload=alert(3)> $x^2$ [a](javascript:alert(4))'

VALID_PROPERTIES: dict[str, Any] = {
    "id": "test-zone",
    "name_en": "Test zone",
    "name_ja": "テスト区域",
    "name_zh_tw": "測試區域",
    "category": "fab",
    "status": "operating",
    "announced": "2021-11-09",
    "started": "2022-04-21",
    "opened": "2024-02-24",
    "area_ha": 21.3,
    "summary_en": "A zone for tests.",
    "summary_ja": "テスト用の区域。",
    "summary_zh_tw": "測試用區域。",
    "sources": [
        {"url": "https://example.org/a", "title": "A", "publisher": "P", "date": "2024-02-24"}
    ],
    "precision": "approximate",
    "precision_m": 1500,
    "prefecture": "43",
}

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[130.83, 32.88], [130.84, 32.88], [130.84, 32.89], [130.83, 32.89], [130.83, 32.88]]],
}


def raw_feature(geometry: Any = SQUARE, **changes: Any) -> dict[str, Any]:
    """A valid raw feature; `changes` set properties, a value of None removes one."""
    properties = copy.deepcopy(VALID_PROPERTIES)
    for key, value in changes.items():
        if value is None:
            properties.pop(key, None)
        else:
            properties[key] = value
    return {"type": "Feature", "geometry": copy.deepcopy(geometry), "properties": properties}


def copy_mini(destination: Path) -> Path:
    """A writable copy of the small valid data folder."""
    target = destination / "geo"
    shutil.copytree(MINI, target)
    return target


def write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
