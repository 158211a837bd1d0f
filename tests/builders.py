"""Small builders of raw data for tests: one valid feature, then break one thing."""

from __future__ import annotations

import copy
import json
import re
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

MINI = Path(__file__).parent / "data" / "mini"
GEO = Path(__file__).parent.parent / "geo"  # the real data

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
    "checked": "2024-03-01",
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


HOSTILE_URL = "javascript:alert(5)"
# Every HTML/JS/Markdown trick we know, with one marker per payload so a hit is traceable.
PAYLOADS = (
    '<img src=x onerror=alert(1)>',
    '<script>alert(2)</script>',
    '"><svg onload=alert(3)>',
    '${alert(4)} `backtick` $x^2$ [link](javascript:alert(6))',
    # folium compiles rendered scripts as Jinja templates: these must stay text.
    '{{ 7*7 }} {% if x %} {# comment',
)
HOSTILE_TEXT = " ".join(PAYLOADS)


def write_hostile(destination: Path) -> Path:
    """A data folder whose every text field is hostile (one more feature has a js: URL)."""
    root = copy_mini(destination)
    hostile_source = {"url": "https://example.org/source", "title": HOSTILE_TEXT,
                      "publisher": HOSTILE_TEXT, "date": "2024"}
    texts = {f"{base}_{lang}": HOSTILE_TEXT
             for base in ("name", "summary", "note") for lang in ("en", "ja", "zh_tw")}
    features = [
        raw_feature(id="hostile", category=HOSTILE_TEXT, sources=[hostile_source],
                    role_en=HOSTILE_TEXT, **texts),
        raw_feature(geometry={"type": "Point", "coordinates": [130.80, 32.95]}, id="js-link",
                    sources=[{"url": HOSTILE_URL, "title": HOSTILE_TEXT, "publisher": "p",
                              "date": "2024"}]),
    ]
    write_json(root / "jasm.geojson", {"type": "FeatureCollection", "features": features})
    timeline = {"events": []}
    write_json(root / "timeline.json", timeline)
    return root


def _edit_feature(root: Path, file: str, index: int, change) -> None:
    data = json.loads((root / file).read_text(encoding="utf-8"))
    change(data["features"][index])
    write_json(root / file, data)


def _truncate(root: Path) -> None:
    text = (root / "stations.geojson").read_text(encoding="utf-8")
    (root / "stations.geojson").write_text(text[: len(text) // 2], encoding="utf-8")


def _swap(feature: dict) -> None:
    feature["geometry"]["coordinates"] = feature["geometry"]["coordinates"][::-1]


def _bow_tie(feature: dict) -> None:
    (a, b, c, d, _) = feature["geometry"]["coordinates"][0]
    feature["geometry"]["coordinates"] = [[a, c, b, d, a]]


def _oversize(root: Path) -> None:
    padding = [raw_feature(id=f"pad-{i}") for i in range(2_000)]
    write_json(root / "rail.geojson", {"type": "FeatureCollection", "features": padding})


# name -> (break the mini copy, text the problem line must contain)
BREAKAGES = {
    "truncated-json": (_truncate, "geo/stations.geojson: is not valid JSON"),
    "no-geometry": (lambda root: _edit_feature(root, "stations.geojson", 0,
                                               lambda f: f.pop("geometry")),
                    'geo/stations.geojson: feature "st-haramizu" (#0): has no geometry'),
    "self-intersecting": (lambda root: _edit_feature(root, "jasm.geojson", 0, _bow_tie),
                          'geo/jasm.geojson: feature "jasm-fab1" (#0): geometry is invalid: Self-intersection'),
    "swapped-lat-lon": (lambda root: _edit_feature(root, "stations.geojson", 1, _swap),
                        'geo/stations.geojson: feature "st-new-kikuyo" (#1): coordinate [32.865287, 130.809609] is outside'),
    "duplicate-id": (lambda root: _edit_feature(root, "stations.geojson", 1,
                                                lambda f: f["properties"].update(id="jasm-fab2")),
                     'geo/stations.geojson: feature "jasm-fab2" (#1): id is already used'),
    "missing-file": (lambda root: (root / "rail.geojson").unlink(),
                     'geo/rail.geojson: does not exist (layer "rail")'),
    "too-large": (_oversize, "geo/rail.geojson: is 1,442,933 bytes, more than the limit"),
}


def drawn_widget(elements: Sequence[Any], name: str) -> Any:
    """The widget named `name` among `elements` (an AppTest list): a widget the server
    sets is drawn under its name, then under a new key each time (`chapter_pick_2`)."""
    return next(element for element in elements
                if element.key == name or re.fullmatch(rf"{re.escape(name)}_\d+", element.key or ""))


def set_filters(at: Any, **changes: Any) -> Any:
    """What the sidebar's controls report after the reader filtered (AppTest cannot click in
    a component frame; the browser tests do): lists of codes, the year or the text."""
    from kumamap.sidebar import FILTERS  # Streamlit only for the tests that use it

    at.session_state[FILTERS] = {**at.session_state[FILTERS], **{
        name: frozenset(value) if isinstance(value, list) else value
        for name, value in changes.items()}}
    return at.run()


def filters(at: Any) -> dict[str, Any]:
    """The filters as the server knows them, codes sorted."""
    from kumamap.sidebar import FILTERS

    return {name: sorted(value) if isinstance(value, frozenset) else value
            for name, value in at.session_state[FILTERS].items()}


def controls_args(at: Any) -> dict[str, Any]:
    """What the server drew the sidebar's controls with (the component's arguments)."""
    found = [element.proto for element in at.get("component_instance")
             if element.proto.component_name.endswith("layer_switch")]
    assert len(found) == 1, found
    return json.loads(found[0].json_args)
