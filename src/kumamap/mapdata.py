"""The map's feature collections: what each drawn feature carries, built once.

A drawn feature carries only its id, an escaped label and summary line, and a style key;
everything else is looked up by id on the server when it is clicked. Building the labels
and summaries is per feature and per language, so the collections of the catalog's data
are cached by data version, language and what the filters show: a language flipped back
and forth, or a filter set again, builds nothing anew, in any session.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kumamap.details import Encoded, map_info, map_label, script_json
from kumamap.filters import Shown
from kumamap.mapstyle import style_key
from kumamap.model import Catalog, Lang


def layer_geojson(shown_features: Sequence[Shown], catalog: Catalog,
                  lang: Lang) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": shown.feature.id,
                "geometry": shown.feature.geometry,
                "properties": {
                    "id": shown.feature.id,
                    "label": map_label(shown.feature, lang),
                    "info": map_info(shown, catalog, lang),
                    "style": style_key(shown.status, shown.feature.precision,
                                       shown.feature.origin),
                },
            }
            for shown in shown_features
        ],
    }


@dataclass(frozen=True)
class Collection:
    """What a layer's map collection is made from, compared and hashed by `key` only: the
    data version, the language and each shown feature's id and status."""

    key: tuple[Any, ...]
    shown: Sequence[Shown] = field(compare=False)
    catalog: Catalog = field(compare=False)
    lang: Lang = field(compare=False)


@functools.lru_cache(maxsize=256)
def cached_collection(collection: Collection) -> dict[str, Any]:
    """Built once per data version, language and filter, shared by every session: a
    language flipped back and forth, or a filter set again, builds no labels or summaries
    anew. The map only serialises the dict (mapview.MapScript), it never changes it."""
    return layer_geojson(collection.shown, collection.catalog, collection.lang)


def collection_key(shown_features: Sequence[Shown], catalog: Catalog, lang: Lang,
                   version: str) -> Collection:
    key = (version, lang, tuple((shown.feature.id, shown.status) for shown in shown_features))
    return Collection(key, shown_features, catalog, lang)


def collection_for(shown_features: Sequence[Shown], catalog: Catalog, lang: Lang,
                   version: str | None) -> dict[str, Any]:
    """The map collection of these features: cached for the catalog's data (`version`),
    built afresh for a reader's upload (its ids are not unique across sessions, and a cache
    would keep the memory the session gives back)."""
    if version is None:
        return layer_geojson(shown_features, catalog, lang)
    return cached_collection(collection_key(shown_features, catalog, lang, version))


# Few entries, as each holds a whole layer's encoded text (3.5 MB at 10,000 features): the
# map gets every feature whatever the filters, so a data version has one per language.
@functools.lru_cache(maxsize=16)
def cached_encoding(collection: Collection) -> Encoded:
    """Encoding a collection for the page's script walks every value (1.2 s of CPU per run
    at 10,000 features, measured): done once per collection, shared by every session."""
    return Encoded(script_json(cached_collection(collection)))


def encoded_collection(shown_features: Sequence[Shown], catalog: Catalog, lang: Lang,
                       version: str | None) -> Encoded:
    """`collection_for`, encoded for the map's script; cached likewise."""
    if version is None:
        return Encoded(script_json(layer_geojson(shown_features, catalog, lang)))
    return cached_encoding(collection_key(shown_features, catalog, lang, version))
