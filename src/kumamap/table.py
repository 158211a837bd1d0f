"""View -> the feature table: one row per shown feature, columns as data. Pure; no Streamlit.

The page hands the columns to a dataframe grid. Grid cells are drawn as plain text (never
Markdown or HTML), so names need no escaping; links are kept only when they are http(s).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from kumamap.details import safe_url
from kumamap.filters import View
from kumamap.i18n import PRECISION_NAMES, STATUS_NAMES
from kumamap.measure import distances_from
from kumamap.model import Catalog, Feature, Lang

# Marks the selected feature's row (the map's selection, seen in the table).
SELECTED_MARK = "●"


@dataclass(frozen=True)
class Row:
    """One shown feature as the table shows it; the field order is the column order."""

    selected: str
    name: str
    layer: str
    category: str
    status: str
    announced: str | None
    started: str | None
    opened: str | None
    planned_year: int | None
    area_ha: float | None
    precision: str
    distance_km: float | None
    source: str | None
    checked: str | None
    # Not shown: what choosing the row selects.
    feature_id: str
    layer_id: str


COLUMNS: tuple[str, ...] = tuple(field.name for field in fields(Row))
HIDDEN_COLUMNS = frozenset({"feature_id", "layer_id"})


def first_link(urls: tuple[str, ...]) -> str | None:
    """The first source URL that is a safe web link, or None."""
    for url in urls:
        link = safe_url(url)
        if link:
            return link
    return None


def table_rows(view: View, catalog: Catalog, lang: Lang, distances_m: Mapping[str, float],
               selected: str | None) -> tuple[Row, ...]:
    """Every shown feature, in the map's layer order, then in the layer file's order.

    `distances_m` holds the distance of each feature from the reach origin in metres; a
    feature it lacks has no distance.
    """
    rows = []
    for layer_view in view.layers:
        layer_title = layer_view.layer.title.pick(lang)
        for shown in layer_view.shown:
            feature = shown.feature
            metres = distances_m.get(feature.id)
            rows.append(Row(
                selected=SELECTED_MARK if feature.id == selected else "",
                name=feature.name.pick(lang),
                layer=layer_title,
                category=catalog.category_title(feature.category, lang),
                status=STATUS_NAMES[shown.status].pick(lang),
                announced=feature.announced,
                started=feature.started,
                opened=feature.opened,
                planned_year=feature.planned_year,
                area_ha=feature.area_ha,
                precision=PRECISION_NAMES[feature.precision].pick(lang),
                # Tenths of a kilometre: no location in the data is better than ±100 m.
                distance_km=None if metres is None else round(metres / 1000, 1),
                source=first_link(tuple(source.url for source in feature.sources)),
                checked=feature.checked,
                feature_id=feature.id,
                layer_id=layer_view.layer.id,
            ))
    return tuple(rows)


def table_columns(rows: tuple[Row, ...]) -> dict[str, list[Any]]:
    """Rows -> {column: values}, the shape a dataframe grid takes (no hidden columns)."""
    return {column: [getattr(row, column) for row in rows]
            for column in COLUMNS if column not in HIDDEN_COLUMNS}


def origin_distances(origin: Feature | None, features: Iterable[Feature]) -> dict[str, float]:
    """Metres from `origin` to each feature, by id; empty when there is no origin.

    One projection centred on the origin serves every feature (`measure.distances_from`),
    so the whole table costs one transformer instead of one per row.
    """
    if origin is None:
        return {}
    features = tuple(features)
    metres = distances_from(origin.geometry, (feature.geometry for feature in features))
    return {feature.id: distance for feature, distance in zip(features, metres, strict=True)}
