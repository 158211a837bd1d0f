"""Query + layers -> ranked matches by name, and where the map should fly. Pure; no Streamlit.

Finds features by id, alias or name in any of the three languages, whatever the reader's
language, compared as the name filter compares (`textmatch`): case, width, accents and
katakana/hiragana ignored, long vowels typed "Ōzu", "Ozu", "Oozu" or "Ouzu" alike.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import shapely.geometry

from kumamap.model import Feature, Lang, Layer
from kumamap.textmatch import NameSource, feature_names, normalise


class Rank(enum.IntEnum):
    """How well a name matched; lower is better."""

    EXACT = 0
    PREFIX = 1
    SUBSTRING = 2


@dataclass(frozen=True)
class Match:
    """One feature found by a query."""

    feature_id: str
    layer_id: str
    label: str  # the feature's name in the reader's language, for the result list
    matched_in: NameSource
    matched_name: str  # the text that matched, as written in the data
    rank: Rank


def rank_of(name: str, wanted: str) -> Rank | None:
    """How `name` matches the normalised query `wanted`, or None when it does not."""
    candidate = normalise(name)
    if candidate == wanted:
        return Rank.EXACT
    if candidate.startswith(wanted):
        return Rank.PREFIX
    if wanted in candidate:
        return Rank.SUBSTRING
    return None


def match_feature(feature: Feature, wanted: str, lang: Lang) -> Match | None:
    """The best match of the normalised query among the feature's names, or None."""
    best: Match | None = None
    for matched_in, name in feature_names(feature, lang):
        rank = rank_of(name, wanted) if name else None
        if rank is not None and (best is None or rank < best.rank):
            best = Match(feature.id, feature.layer_id, feature.name.pick(lang),
                         matched_in, name, rank)
    return best


def search(layers: Iterable[Layer], query: str, lang: Lang, limit: int = 10) -> tuple[Match, ...]:
    """Up to `limit` features whose id or any name contains `query`, best first.

    Exact names before prefixes before substrings; then the shorter matched name (the
    query is more of it: "原水" finds 原水駅 before 原水駅周辺土地区画整理), then layer
    order, then label.
    A blank query finds nothing (unlike the filter, where blank means "everything").
    """
    wanted = normalise(query)
    if not wanted:
        return ()
    found = []
    for layer in layers:
        for feature in layer.features:
            match = match_feature(feature, wanted, lang)
            if match is not None:
                found.append((match.rank, len(match.matched_name), layer.order,
                              normalise(match.label), match))
    found.sort(key=lambda entry: entry[:4])  # sort is stable: equal keys keep data order
    return tuple(entry[-1] for entry in found[:limit])


def bounds(geometry: dict[str, Any]) -> tuple[float, float, float, float]:
    """(south, west, north, east) of a GeoJSON geometry; a point gives a zero-size box.

    Ordered for Leaflet's fitBounds([[south, west], [north, east]]); shapely gives
    (west, south, east, north).
    """
    shape = shapely.geometry.shape(geometry)
    if shape.is_empty:
        raise ValueError("an empty geometry has no bounds")
    west, south, east, north = shape.bounds
    return south, west, north, east
