"""The data's schema, written once: every feature property and every catalog key as a row.

Validation (`validate`, `catalog`), exports (`export`), upload completion (`upload`) and the
schema table of geo/README.md all read these rows, so adding a field is adding a row (and,
for a feature, the attribute of the same name on `model.Feature`).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from kumamap.model import LANGS, Kind, Precision, Status, lang_suffix

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"


class FieldKind(enum.StrEnum):
    ID = "id"  # a string of ID_PATTERN
    TEXTS = "texts"  # one text per language: name_en, name_ja, name_zh_tw
    TITLES = "titles"  # the catalog's form of TEXTS: a table {en, ja, zh-TW}
    TEXT = "text"  # one string
    CHOICE = "choice"  # one of `choices`
    VOCABULARY = "vocabulary"  # one key of the catalog table named in `vocabulary`
    PATTERN = "pattern"  # a string matching `pattern`
    DATE = "date"  # YYYY, YYYY-MM or YYYY-MM-DD
    YEAR = "year"  # an integer year
    NUMBER = "number"  # a finite number >= `minimum`
    INTEGER = "integer"  # an integer >= `minimum`
    BOOLEAN = "boolean"  # true or false, never a string
    SOURCES = "sources"  # a list of {url, title, publisher, date}
    NAMES = "names"  # a list of strings
    BBOX = "bbox"  # [min_lon, min_lat, max_lon, max_lat]
    LICENSES = "licenses"  # a list of {name, title, path}


class CsvForm(enum.StrEnum):
    """How a field becomes CSV columns."""

    NONE = "none"
    VALUE = "value"  # one column, the value
    EVERY_LANGUAGE = "every-language"  # name_en, name_ja, name_zh_tw
    READER_LANGUAGE = "reader-language"  # one column in the reader's language
    JOINED = "joined"  # a list joined by " | "
    SOURCE_PARTS = "source-parts"  # source_urls, source_titles, source_publishers, source_dates


@dataclass(frozen=True)
class Field:
    """One property of a feature (or key of a catalog entry) and everything said about it."""

    name: str
    kind: FieldKind
    meaning: str
    required: bool = False
    choices: tuple[str, ...] = ()
    pattern: str = ""
    minimum: float = 0
    vocabulary: str = ""
    csv: CsvForm = CsvForm.VALUE
    # Required of the project's own data only: a reader's upload is theirs and unchecked.
    is_provenance: bool = False
    # What a reader's upload gets when its file lacks this required field.
    upload_default: Any = None

    @property
    def keys(self) -> tuple[str, ...]:
        """The property names this field occupies in a GeoJSON feature."""
        if self.kind is FieldKind.TEXTS:
            return tuple(f"{self.name}_{lang_suffix(lang)}" for lang in LANGS)
        return (self.name,)

    @property
    def type_text(self) -> str:
        """The type as the README's schema table says it."""
        if self.choices:
            return ", ".join(f"`{choice}`" for choice in self.choices)
        if self.pattern:
            return f"string `{self.pattern}`"
        return TYPE_TEXTS[self.kind]


TYPE_TEXTS = {
    FieldKind.ID: f"string `{ID_PATTERN}`",
    FieldKind.TEXTS: "string",
    FieldKind.TITLES: "table of `en`, `ja`, `zh-TW`",
    FieldKind.TEXT: "string",
    FieldKind.VOCABULARY: "string",
    FieldKind.DATE: "string `YYYY`, `YYYY-MM` or `YYYY-MM-DD`",
    FieldKind.YEAR: "integer",
    FieldKind.NUMBER: "number ≥ 0",
    FieldKind.INTEGER: "integer",
    FieldKind.BOOLEAN: "boolean",
    FieldKind.SOURCES: 'list of `{"url", "title", "publisher", "date"}`',
    FieldKind.NAMES: "list of strings",
    FieldKind.BBOX: "`[min_lon, min_lat, max_lon, max_lat]`",
    FieldKind.LICENSES: 'list of `{"name", "title", "path"}`',
}

# An upload's own summary in every language, by property key.
UPLOAD_SUMMARY = {
    "summary_en": "Uploaded by you; not checked by kumamap.",
    "summary_ja": "あなたがアップロードしたデータ（kumamap では未確認）。",
    "summary_zh_tw": "您上傳的資料（kumamap 未查核）。",
}

FEATURE_FIELDS: tuple[Field, ...] = (
    Field("id", FieldKind.ID, "unique across all layers; used in links and permalinks",
          required=True),
    Field("name", FieldKind.TEXTS, "name in English, Japanese, Traditional Chinese (Taiwan "
          "usage: 熊本縣, 菊陽町); a Taiwanese firm's Chinese name, a firm's Japanese name as it "
          "uses it in Japan", required=True, csv=CsvForm.EVERY_LANGUAGE),
    Field("aliases", FieldKind.NAMES, "other names a reader may type (short forms, katakana, "
          "stock names); found by search and the name filter", csv=CsvForm.JOINED),
    # Not held to the catalog's keys: an unknown category is shown as written.
    Field("category", FieldKind.TEXT, "a key of `[categories]` in `layers.toml` (fab, "
          "industrial-park, ...)", required=True, upload_default="upload"),
    Field("status", FieldKind.CHOICE, "what it is now; `existing` for administrative areas",
          required=True, choices=tuple(s.value for s in Status), upload_default=Status.EXISTING.value),
    Field("origin", FieldKind.PATTERN, "ISO 3166-1 alpha-2 code of a firm's home country "
          "(`TW`, `JP`, `US`, ...)", pattern=r"^[A-Z]{2}$"),
    Field("sector", FieldKind.VOCABULARY, "a key of `[sectors]` in `layers.toml` (what a firm "
          "or site does)", vocabulary="sectors"),
    Field("site_type", FieldKind.VOCABULARY, "a key of `[site_types]` in `layers.toml` "
          "(factory, office, warehouse, R&D, training, campus)", vocabulary="site_types"),
    Field("announced", FieldKind.DATE, "when it was announced"),
    Field("started", FieldKind.DATE, "when construction (or the designation process) started"),
    Field("opened", FieldKind.DATE, "when it opened / took effect"),
    Field("planned_year", FieldKind.YEAR, "calendar year in which opening/completion is "
          "targeted (a Japanese fiscal year FYn ends in March n+1; the summary quotes the "
          "source's own wording)"),
    Field("area_ha", FieldKind.NUMBER, "area in hectares as a source states it (never "
          "computed from a schematic shape)"),
    Field("summary", FieldKind.TEXTS, "one to three sentences: what it is and why it matters "
          "here", required=True, csv=CsvForm.READER_LANGUAGE, upload_default=UPLOAD_SUMMARY),
    Field("sources", FieldKind.SOURCES, "at least one; `url` http(s) only, `date` as above",
          required=True, csv=CsvForm.SOURCE_PARTS, is_provenance=True),
    Field("checked", FieldKind.DATE, "when its facts (status, dates, place) were last verified "
          "against its sources; `kumamap validate` names a `planned` or `under_construction` "
          "feature whose `planned_year` has begun since it was checked", required=True,
          is_provenance=True),
    Field("precision", FieldKind.CHOICE, "`exact`: official outline or surveyed point; "
          "`approximate`: real location, good to `precision_m`; `schematic`: outline not "
          "public, a simple shape of the stated area at the best-known location",
          required=True, choices=tuple(p.value for p in Precision), upload_default=Precision.APPROXIMATE.value),
    Field("precision_m", FieldKind.NUMBER, "honest error radius of the geometry, metres",
          required=True, upload_default=0),
    Field("prefecture", FieldKind.PATTERN, 'JIS code of the prefecture it lies in ("35"…"47"),'
          " for the prefecture filter; absent abroad", pattern=r"^\d{2}$"),
    Field("confidence", FieldKind.CHOICE, "how sure the *site* is (candidates, schematic "
          "shapes)", choices=("high", "medium", "low")),
    Field("note", FieldKind.TEXTS, "caveats: disagreeing sources, why schematic, what is "
          "unknown", csv=CsvForm.READER_LANGUAGE),
)

FILE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"  # a file name in the data folder, no path

# Top-level keys of layers.toml, and the keys of its [reach] and [filters] tables.
CATALOG_FIELDS: tuple[Field, ...] = (
    Field("max_bytes", FieldKind.INTEGER, "largest layer file accepted, bytes", minimum=1),
    Field("timeline", FieldKind.PATTERN, "the policy timeline file", pattern=FILE_PATTERN),
    Field("story", FieldKind.PATTERN, "the guided story file", pattern=FILE_PATTERN),
)
REACH_FIELDS: tuple[Field, ...] = (
    Field("origin", FieldKind.ID, "distances and rings are measured from this feature"),
    Field("station_category", FieldKind.TEXT, "the nearest feature of this category is named"),
)
FILTER_FIELDS: tuple[Field, ...] = (
    Field("prefecture_category", FieldKind.TEXT, "features of this category name the "
          "prefectures of the prefecture filter"),
)

LAYER_FIELDS: tuple[Field, ...] = (
    Field("id", FieldKind.ID, "the layer's id, in links", required=True),
    Field("file", FieldKind.PATTERN, "its GeoJSON file in the data folder", required=True,
          pattern=FILE_PATTERN),
    Field("kind", FieldKind.CHOICE, "how it is drawn", required=True, choices=tuple(k.value for k in Kind)),
    Field("title", FieldKind.TITLES, "its name in the three languages", required=True),
    Field("color", FieldKind.PATTERN, "its colour", pattern=r"^#[0-9a-fA-F]{6}$"),
    Field("visible", FieldKind.BOOLEAN, "shown when the page opens"),
    Field("order", FieldKind.INTEGER, "drawing order, lowest first", minimum=-1_000_000),
    Field("bbox", FieldKind.BBOX, "where its features may lie (catches swapped lat/lon)"),
    Field("attribution", FieldKind.TEXT, "the credit its licence asks for on the map"),
    Field("licenses", FieldKind.LICENSES, "the licences of the layer as a whole"),
    Field("max_bytes", FieldKind.INTEGER, "largest file accepted, bytes", minimum=1),
    Field("cluster", FieldKind.BOOLEAN, "group points that sit close together at low zoom"),
)

# Defaults of the optional catalog keys (a missing key; a wrong-typed one is a problem).
LAYER_DEFAULTS: dict[str, Any] = {
    "color": "#3388ff", "visible": True, "order": 0, "bbox": (-180.0, -90.0, 180.0, 90.0),
    "attribution": "", "licenses": (), "cluster": False,
}

# Tables of layers.toml that name and translate the values of a field.
VOCABULARIES = ("categories", "sectors", "site_types")


def upload_defaults(name: str) -> dict[str, Any]:
    """What a feature of a reader's plain GeoJSON gets for the required fields it lacks:
    `name` in every language, each row's `upload_default` (a TEXTS field's by key)."""
    defaults: dict[str, Any] = {}
    for field in FEATURE_FIELDS:
        if field.name == "name":
            defaults.update(dict.fromkeys(field.keys, name))
        elif isinstance(field.upload_default, dict):
            defaults.update(field.upload_default)
        elif field.upload_default is not None:
            defaults[field.name] = field.upload_default
    return defaults


def markdown_table(fields: tuple[Field, ...] = FEATURE_FIELDS) -> str:
    """The schema table of geo/README.md (a test keeps the README equal to it)."""
    rows = ["| key | required | type | meaning |", "|---|---|---|---|"]
    for field in fields:
        keys = ", ".join(f"`{key}`" for key in field.keys)
        required = "yes" if field.required else "no"
        rows.append(f"| {keys} | {required} | {field.type_text} | {field.meaning} |")
    return "\n".join(rows)
