"""One way to compare names, shared by the "name contains" filter and "Find a place".

Folding ignores case, width, accents and katakana/hiragana; long vowels may be typed the
Hepburn way ("Ōzu"), plain ("Ozu") or doubled ("Oozu", "Ouzu"); dashes count as spaces.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from kumamap.model import LANGS, Feature, Lang, lang_suffix

# Romaji writes a long o/u as ō, oo, ou or uu; folding already made ō plain. Data and query
# are rewritten alike, so English words ("Route") still match themselves. "oh" stays out:
# it is also a syllable boundary ("Kohama").
_LONG_VOWEL = re.compile(r"o[ou]+|u{2,}")
# Hyphens and dashes join romaji parts ("Higo-Ōzu") where readers type a space.
# The katakana long-vowel mark "ー" is a letter, not a dash, and stays.
_DASHES = re.compile(r"[-\u2010-\u2015\u2212]")


def fold(text: str) -> str:
    """Width, case, accents (Ōzu = ozu), katakana = hiragana."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    # Only Latin accents go (U+0300-036F); kana voicing marks (゛゜) stay: バ is not ハ.
    plain = "".join(c for c in decomposed if not "\u0300" <= c <= "\u036f")
    plain = "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in plain)
    return unicodedata.normalize("NFC", plain)


def normalise(text: str) -> str:
    """`fold`, then one spelling of long vowels and dashes, so "Ouzu" = "Ōzu" = "ozu"."""
    folded = _DASHES.sub(" ", fold(text))
    return " ".join(_LONG_VOWEL.sub(lambda m: m.group()[0], folded).split())


# Where a name comes from: the feature's name in one language, its id or an alias.
NameSource = Literal["en", "ja", "zh-TW", "id", "alias"]


def feature_names(feature: Feature, first: Lang = "en") -> tuple[tuple[NameSource, str], ...]:
    """Every text a reader may type to find the feature, the `first` language first (it
    wins ties), then the other languages, the id and the aliases."""
    languages = (first, *(code for code in LANGS if code != first))
    names = tuple((code, getattr(feature.name, lang_suffix(code))) for code in languages)
    return (*names, ("id", feature.id), *(("alias", alias) for alias in feature.aliases))
