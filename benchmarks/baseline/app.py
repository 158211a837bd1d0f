"""Naive baseline: kumamap's data shown the tutorial way, to measure kumamap against.

Every rerun reads every layer file with geopandas and sends a whole new folium map
(popups, tooltips, full properties, CDN assets, default markers); st_folium returns all
its default values, so pans and zooms rerun the script too. Not part of the app.
Widget keys match kumamap's (`layer_<id>`, `text`, `details`), so one driver measures both.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

NAME_FIELDS = ["name_en", "name_ja", "name_zh_tw"]
# The same opening view as kumamap's default preset.
CENTER_LAT_LON = (32.887, 130.835)
ZOOM = 12


def read_layer_entries(root: Path) -> list[dict[str, Any]]:
    catalog = tomllib.loads((root / "layers.toml").read_text(encoding="utf-8"))
    return sorted(catalog["layers"], key=lambda entry: entry.get("order", 0))


def name_matches(frame: pd.DataFrame, query: str) -> pd.Series:
    """Rows whose id or any name contains the query, ignoring case."""
    wanted = query.strip().casefold()
    columns = frame[["id", *NAME_FIELDS]].astype(str)
    found = columns.apply(lambda column: column.str.casefold().str.contains(wanted, regex=False))
    return found.any(axis=1)


def read_layers(root: Path, query: str) -> dict[str, gpd.GeoDataFrame]:
    """Layer id -> its features whose names match, read from disk on every call."""
    frames = {}
    for entry in read_layer_entries(root):
        frame = gpd.read_file(root / entry["file"])
        frames[entry["id"]] = frame[name_matches(frame, query)]
    return frames


def add_layer(fmap: folium.Map, entry: dict[str, Any], frame: gpd.GeoDataFrame) -> None:
    color = entry.get("color", "#3388ff")
    folium.GeoJson(
        frame.to_json(default=str),  # dates are Timestamps, which json.dumps refuses
        name=entry["title"]["en"],
        style_function=lambda _feature: {"color": color, "fillColor": color, "weight": 2},
        tooltip=folium.GeoJsonTooltip(fields=NAME_FIELDS),
        popup=folium.GeoJsonPopup(fields=NAME_FIELDS),
    ).add_to(fmap)


def main(root: Path) -> None:
    st.set_page_config(page_title="kumamap baseline", layout="wide")
    entries = read_layer_entries(root)
    shown = [
        entry for entry in entries
        if st.sidebar.checkbox(entry["title"]["en"], value=entry.get("visible", True),
                               key=f"layer_{entry['id']}")
    ]
    query = st.sidebar.text_input("Search names", key="text")
    frames = read_layers(root, query)
    st.title("Kumamoto science park (baseline)")
    fmap = folium.Map(location=CENTER_LAT_LON, zoom_start=ZOOM)
    for entry in shown:
        if len(frames[entry["id"]]):  # folium cannot build a tooltip for no features
            add_layer(fmap, entry, frames[entry["id"]])
    folium.LayerControl().add_to(fmap)
    returned = st_folium(fmap, height=600, use_container_width=True)
    clicked = (returned or {}).get("last_active_drawing")
    with st.container(key="details"):
        if clicked:
            st.json(clicked.get("properties") or {})


# `streamlit run` executes this file as __main__; benchmarks/run.py imports its helpers.
if __name__ == "__main__":
    main(Path(os.environ.get("KUMAMAP_DATA", Path(__file__).resolve().parents[2] / "geo")))
