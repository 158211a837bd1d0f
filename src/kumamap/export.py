"""View -> downloadable files: GeoJSON, CSV and a standalone HTML map. No Streamlit.

An export holds exactly what the map shows: the filtered view, each feature with its status
as of the chosen year. The page and the CLI both call `export`.
"""

from __future__ import annotations

import base64
import csv
import enum
import io
import json
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any, Literal

from shapely.geometry import shape

from kumamap.assets import BASEMAP_DIR, BASEMAP_FILES, BUNDLE_DIR, Assets, local_assets
from kumamap.filters import Shown, View
from kumamap.i18n import STATUS_NAMES
from kumamap.mapview import build_map
from kumamap.model import LANGS, Catalog, Lang, Layer, lang_suffix
from kumamap.schema import FEATURE_FIELDS, CsvForm, Field, FieldKind

Format = Literal["geojson", "csv", "html"]
FORMATS: tuple[Format, ...] = ("geojson", "csv", "html")
MIME_TYPES: dict[Format, str] = {
    "geojson": "application/geo+json",  # RFC 7946
    "csv": "text/csv",
    "html": "text/html",
}
# Fixed here rather than from `mimetypes`, which on Windows reads the registry and may say
# text/plain for .js.
ASSET_TYPES = {".js": "text/javascript", ".css": "text/css", ".json": "application/json",
               ".geojson": "application/geo+json"}
# Category titles of a view exported without its catalog (keys shown as written).
NO_CATALOG = Catalog()
# Joins several sources in one CSV cell; the GeoJSON keeps them as a list.
JOINER = " | "
# A spreadsheet runs a cell starting with one of these as a formula (=HYPERLINK(...),
# =cmd|...), so a hostile name in the data could act when a reader opens the CSV. The set,
# tab and CR included, is OWASP's ("CSV Injection"); so is the leading apostrophe as cure.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel reads a CSV without a byte order mark in the system code page (Shift_JIS on a
# Japanese Windows), which garbles the Japanese and Chinese names.
BYTE_ORDER_MARK = "\ufeff"
# Properties the GeoJSON adds; dropped from a feature's extra so a re-export stays current.
ADDED_PROPERTIES = frozenset({"layer", "layer_title", "data_status"})


def shown_features(view: View) -> list[tuple[Shown, Layer]]:
    """Every shown feature with its layer, in drawing order."""
    return [(shown, lv.layer) for lv in view.layers for shown in lv.shown]


def exported_value(field: Field, value: Any) -> Any:
    """A feature's value of one schema field as the GeoJSON export writes it."""
    if field.kind is FieldKind.SOURCES:
        return [asdict(source) for source in value]
    if field.kind is FieldKind.NAMES:
        return list(value)
    return value.value if isinstance(value, enum.Enum) else value


def feature_properties(shown: Shown, layer: Layer, lang: Lang) -> dict[str, Any]:
    """Every property of the schema (`schema.FEATURE_FIELDS`), with the status as shown.

    Missing optional values are null, so every feature has the same keys (GIS tools make
    columns from them); `data_status` appears only where the year filter changed the status.
    """
    feature = replace(shown.feature, status=shown.status)
    properties: dict[str, Any] = {}
    for field in FEATURE_FIELDS:
        value = getattr(feature, field.name)
        if field.kind is FieldKind.TEXTS:
            properties.update({key: getattr(value, lang_suffix(code)) or None
                               for key, code in zip(field.keys, LANGS)})
        else:
            properties[field.name] = exported_value(field, value)
    properties.update({key: value for key, value in feature.extra if key not in ADDED_PROPERTIES})
    properties.update({"layer": layer.id, "layer_title": layer.title.pick(lang)})
    if shown.status is not shown.feature.status:
        properties["data_status"] = shown.feature.status.value
    return properties


def to_geojson(view: View, lang: Lang) -> str:
    """The shown features as one FeatureCollection (RFC 7946), geometry as loaded."""
    collection = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": shown.feature.id, "geometry": shown.feature.geometry,
             "properties": feature_properties(shown, layer, lang)}
            for shown, layer in shown_features(view)
        ],
    }
    return json.dumps(collection, ensure_ascii=False) + "\n"


def format_number(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)


def csv_cell(value: str | float | None) -> str:
    """One value as CSV text; text from the data cannot start a spreadsheet formula."""
    if value is None:
        return ""
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, int):
        return str(value)
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def csv_columns(field: Field) -> tuple[str, ...]:
    """The CSV columns of one schema field."""
    if field.csv is CsvForm.EVERY_LANGUAGE:
        return field.keys
    if field.csv is CsvForm.SOURCE_PARTS:
        return tuple(f"source_{part}s" for part in SOURCE_PARTS)
    return () if field.csv is CsvForm.NONE else (field.name,)


def csv_values(field: Field, value: Any, lang: Lang) -> tuple[str | float | None, ...]:
    """The CSV cells of one schema field's value, in `csv_columns` order."""
    if field.csv is CsvForm.EVERY_LANGUAGE:
        return tuple(getattr(value, lang_suffix(code)) for code in LANGS)
    if field.csv is CsvForm.READER_LANGUAGE:
        return (value.pick(lang),)
    if field.csv is CsvForm.SOURCE_PARTS:
        return tuple(JOINER.join(getattr(source, part) for source in value)
                     for part in SOURCE_PARTS)
    if field.csv is CsvForm.JOINED:
        return (JOINER.join(value),)
    return (exported_value(field, value),)


SOURCE_PARTS = ("url", "title", "publisher", "date")
# The schema's columns, and what the export adds: where the row belongs, the name and
# status in the reader's language, the status in the data where the year changed it, a point.
CSV_COLUMNS = ("layer", "name", *(column for field in FEATURE_FIELDS
                                  for column in csv_columns(field)),
               "status_label", "data_status", "lon", "lat")


def csv_row(shown: Shown, layer: Layer, lang: Lang) -> list[str]:
    feature = replace(shown.feature, status=shown.status)
    # A point inside the shape (a centroid can fall outside an L-shaped park).
    point = shape(feature.geometry).representative_point()
    values: dict[str, str | float | None] = {
        "layer": layer.id,
        "name": feature.name.pick(lang),
        "status_label": STATUS_NAMES[shown.status].pick(lang),
        "data_status": None if shown.status is shown.feature.status
        else shown.feature.status.value,
        "lon": round(point.x, 6),
        "lat": round(point.y, 6),
    }
    for field in FEATURE_FIELDS:
        values.update(zip(csv_columns(field), csv_values(field, getattr(feature, field.name),
                                                         lang)))
    return [csv_cell(values[column]) for column in CSV_COLUMNS]


def to_csv(view: View, lang: Lang) -> str:
    """One row per shown feature: names, status as shown, dates, precision, a point, sources."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_row(shown, layer, lang) for shown, layer in shown_features(view))
    return BYTE_ORDER_MARK + buffer.getvalue()


def data_url(path: Path) -> str:
    """A local asset file as a base64 data URL (the bundled stylesheet has its images
    inside already: bundle.inline_css_urls)."""
    content = base64.b64encode(path.read_bytes()).decode("ascii")
    return f"data:{ASSET_TYPES[path.suffix]};base64,{content}"


def inline_assets(assets: Assets) -> Assets:
    """File-path assets -> the same assets as data URLs, the outline basemap's files too
    (fetch() reads data URLs even in a page opened from disk)."""
    return Assets(
        js=tuple((name, data_url(Path(path))) for name, path in assets.js),
        css=tuple((name, data_url(Path(path))) for name, path in assets.css),
        outline_files={name: data_url(BASEMAP_DIR / name) for name in BASEMAP_FILES},
    )


def to_html(view: View, lang: Lang, preset: str = "kumamoto",
            catalog: Catalog = NO_CATALOG) -> str:
    """A map page that works opened from disk without a network (tiles, when they fail,
    give way to the outline basemap inside the file)."""
    files = local_assets(str(BUNDLE_DIR))
    return build_map(view, catalog, lang, inline_assets(files), preset).get_root().render()


def export(view: View, lang: Lang, fmt: Format, preset: str = "kumamoto",
           catalog: Catalog = NO_CATALOG) -> tuple[str, str, str]:
    """(text, file name, mime type) of the shown features in `fmt`."""
    if fmt == "geojson":
        text = to_geojson(view, lang)
    elif fmt == "csv":
        text = to_csv(view, lang)
    elif fmt == "html":
        text = to_html(view, lang, preset, catalog)
    else:
        raise ValueError(f"format {fmt!r} not in {FORMATS}")
    return (text, *export_file(fmt))


def export_file(fmt: Format) -> tuple[str, str]:
    """(file name, mime type) of an export, known before the export is made."""
    return f"kumamap.{fmt}", MIME_TYPES[fmt]
