"""Query + layers -> ranked matches by name, and where the map should fly. Pure; no Streamlit.

Finds features by id or by their name in any of the three languages, whatever the reader's
language: folding ignores case, width, accents and katakana/hiragana, and long vowels may be
typed the Hepburn way ("Ōzu"), plain ("Ozu") or doubled ("Oozu", "Ouzu").
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

import shapely.geometry

from kumamap.filters import fold
from kumamap.model import LANGS, Feature, Lang, Layer, lang_suffix

# Where a query matched: the feature's id or its name in one language.
MatchedIn = Literal["id", "en", "ja", "zh-TW"]

# Romaji writes a long o/u as ō, oo, ou or uu; folding already made ō plain. Data and query
# are rewritten alike, so English words ("Route") still match themselves. "oh" stays out:
# it is also a syllable boundary ("Kohama").
_LONG_VOWEL = re.compile(r"o[ou]+|u{2,}")
# Hyphens and dashes join romaji parts ("Higo-Ōzu") where readers type a space.
# The katakana long-vowel mark "ー" is a letter, not a dash, and stays.
_DASHES = re.compile(r"[-\u2010-\u2015\u2212]")


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
    matched_in: MatchedIn
    matched_name: str  # the text that matched, as written in the data
    rank: Rank


def normalise(text: str) -> str:
    """`fold`, then one spelling of long vowels and dashes, so "Ouzu" = "Ōzu" = "ozu"."""
    folded = _DASHES.sub(" ", fold(text))
    return " ".join(_LONG_VOWEL.sub(lambda m: m.group()[0], folded).split())


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


def searchable_names(feature: Feature, lang: Lang) -> tuple[tuple[MatchedIn, str], ...]:
    """The texts a query may match, the reader's language first so it wins ties."""
    languages = (lang, *(code for code in LANGS if code != lang))
    names = tuple((code, getattr(feature.name, lang_suffix(code))) for code in languages)
    return (*names, ("id", feature.id))


def match_feature(feature: Feature, wanted: str, lang: Lang) -> Match | None:
    """The best match of the normalised query among the feature's names, or None."""
    best: Match | None = None
    for matched_in, name in searchable_names(feature, lang):
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
