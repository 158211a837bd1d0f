"""Typed model of the data: what a validated layer, feature and problem are.

Everything here is frozen and picklable, so the one cached loader can hand it out safely.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any, Literal

Lang = Literal["en", "ja", "zh-TW"]
LANGS: tuple[Lang, ...] = ("en", "ja", "zh-TW")


def lang_suffix(lang: Lang) -> str:
    """Property suffix of a language: "zh-TW" -> "zh_tw"."""
    return lang.lower().replace("-", "_")


class Status(enum.StrEnum):
    OPERATING = "operating"
    UNDER_CONSTRUCTION = "under_construction"
    PLANNED = "planned"
    CANDIDATE = "candidate"
    DESIGNATED = "designated"
    PROPOSED = "proposed"
    EXISTING = "existing"

    @property
    def is_prospective(self) -> bool:
        """Not there yet: drawn dashed on the map."""
        return self in PROSPECTIVE


PROSPECTIVE = frozenset({Status.PLANNED, Status.CANDIDATE, Status.PROPOSED})


class Precision(enum.StrEnum):
    EXACT = "exact"
    APPROXIMATE = "approximate"
    SCHEMATIC = "schematic"


class Kind(enum.StrEnum):
    ZONE = "zone"
    LINE = "line"
    POINT = "point"
    BOUNDARY = "boundary"


@dataclass(frozen=True)
class Texts:
    """One text in the three languages; missing ones are empty strings."""

    en: str = ""
    ja: str = ""
    zh_tw: str = ""

    def pick(self, lang: Lang) -> str:
        """The text in `lang`, falling back to English, then to any language."""
        wanted = getattr(self, lang_suffix(lang))
        return wanted or self.en or self.ja or self.zh_tw


@dataclass(frozen=True)
class Source:
    url: str
    title: str
    publisher: str
    date: str


@dataclass(frozen=True)
class Feature:
    id: str
    layer_id: str
    name: Texts
    category: str
    status: Status
    summary: Texts
    sources: tuple[Source, ...]
    precision: Precision
    precision_m: float
    geometry: dict[str, Any] = field(hash=False, compare=False)
    announced: str | None = None
    started: str | None = None
    opened: str | None = None
    planned_year: int | None = None
    area_ha: float | None = None
    prefecture: str | None = None
    confidence: str | None = None
    note: Texts = Texts()
    aliases: tuple[str, ...] = ()
    origin: str | None = None
    sector: str | None = None
    site_type: str | None = None
    checked: str | None = None  # None only in a reader's upload
    extra: tuple[tuple[str, Any], ...] = ()

    @property
    def geometry_type(self) -> str:
        return str(self.geometry["type"])


@dataclass(frozen=True)
class License:
    """A licence of a whole layer (Frictionless Data's `licenses` entry)."""

    name: str
    title: str
    path: str


@dataclass(frozen=True)
class Layer:
    id: str
    file: str
    kind: Kind
    title: Texts
    color: str
    visible: bool
    order: int
    attribution: str
    bbox: tuple[float, float, float, float]
    features: tuple[Feature, ...] = ()
    licenses: tuple[License, ...] = ()
    max_bytes: int | None = None  # None: the catalog's own limit
    cluster: bool = False  # group close points at low zoom


@dataclass(frozen=True)
class Event:
    """A dated policy event of the timeline."""

    id: str
    date: str
    title: Texts
    feature_ids: tuple[str, ...]
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class Problem:
    """Something wrong in the data, located as precisely as possible."""

    file: str
    code: str
    message: str
    feature_id: str | None = None
    index: int | None = None
    item: Literal["feature", "event", "chapter"] = "feature"

    def __str__(self) -> str:
        where = self.file
        if self.feature_id is not None or self.index is not None:
            label = f'"{self.feature_id}"' if self.feature_id else "without id"
            position = f" (#{self.index})" if self.index is not None else ""
            where += f": {self.item} {label}{position}"
        return f"{where}: {self.message}"


Terms = tuple[tuple[str, Texts], ...]


@dataclass(frozen=True)
class Catalog:
    """What the catalog says beyond the layers: the titles of categories, sectors and site
    types (its vocabularies), where distances are measured from, which category holds the
    prefectures."""

    vocabularies: tuple[tuple[str, Terms], ...] = ()
    # Distances in the details are measured from this feature and to the nearest feature
    # of this category (the catalog's [reach] table); None switches them off.
    reach_origin: str | None = None
    station_category: str | None = None
    # Features of this category name the prefectures of the prefecture filter.
    prefecture_category: str | None = None

    def terms(self, vocabulary: str) -> Terms:
        return dict(self.vocabularies).get(vocabulary, ())

    def term(self, vocabulary: str, key: str, lang: Lang) -> str:
        """The title of `key` in a vocabulary; an unknown key is shown as written."""
        return dict(self.terms(vocabulary)).get(key, Texts(en=key)).pick(lang)

    def category_title(self, category: str, lang: Lang) -> str:
        return self.term("categories", category, lang)


@dataclass(frozen=True)
class LoadResult:
    layers: tuple[Layer, ...]
    problems: tuple[Problem, ...]
    catalog: Catalog = Catalog()
    events: tuple[Event, ...] = ()
    # The guided story (story.Chapter; typed loosely here: the model comes first).
    chapters: tuple[Any, ...] = ()

    def feature(self, feature_id: str | None) -> tuple[Layer, Feature] | None:
        return find_feature(self.layers, feature_id)

    @property
    def default_layer_ids(self) -> frozenset[str]:
        """The layers the catalog shows when the page opens."""
        return frozenset(layer.id for layer in self.layers if layer.visible)

    @property
    def features(self) -> list[Feature]:
        """Every feature of every layer, in layer order."""
        return [feature for layer in self.layers for feature in layer.features]


def find_feature(layers: tuple[Layer, ...], feature_id: str | None) -> tuple[Layer, Feature] | None:
    """The feature with this id and its layer, or None."""
    for layer in layers:
        for feature in layer.features:
            if feature.id == feature_id:
                return layer, feature
    return None
