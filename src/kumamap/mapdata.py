"""The map's feature collections: what each drawn feature carries, built once.

A drawn feature carries only its id, an escaped label and summary line, and a style key;
everything else is looked up by id on the server when it is clicked. Beside its properties
it carries what the browser filters it by (`filter_data`), which a click does not send back. Building the labels
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
from kumamap.filters import Shown, first_year, year_of
from kumamap.mapstyle import style_key
from kumamap.model import Catalog, Feature, Lang
from kumamap.textmatch import feature_names, normalise


def filter_data(feature: Feature) -> dict[str, Any]:
    """What the browser's filters (js/lib/filters.js) read of a feature: its status, the
    years of status_as_of, the values the filters choose among and its names normalised,
    one a line (a normalised name has no line break, so a typed text is found in the lines
    exactly when one name contains it). Empty values are left out, to keep the map small."""
    names = dict.fromkeys(normalise(name) for _, name in feature_names(feature))
    data = {"status": feature.status.value, "first": first_year(feature),
            "started": year_of(feature.started), "opened": year_of(feature.opened),
            "category": feature.category, "prefecture": feature.prefecture,
            "origin": feature.origin, "sector": feature.sector,
            "names": "\n".join(name for name in names if name)}
    return {key: value for key, value in data.items() if value not in (None, "")}


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
                # A foreign member: Leaflet keeps it on the feature, a click's report
                # (the properties) leaves it out.
                "filter": filter_data(shown.feature),
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
