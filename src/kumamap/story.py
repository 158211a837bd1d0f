"""The guided story: chapters of the policy story, each a sourced text and a map state.

Pure: the caller reads the file and passes the parsed JSON with the ids that exist (layers,
features, view presets). A broken chapter is left out and reported; the others still load.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from kumamap.model import Problem, Source, Texts
from kumamap.readers import shown
from kumamap.validate import ID_PATTERN, Invalid, read_sources, read_texts

# How long a chapter text may be, per language suffix: a chapter must fit beside the map.
TEXT_LIMITS: dict[str, tuple[Literal["words", "characters"], int]] = {
    "en": ("words", 120),
    "ja": ("characters", 300),
    "zh_tw": ("characters", 300),
}
YEARS = range(1990, 2101)
CHAPTER_KEYS = frozenset(
    {"id", "sources", "view", "layers", "year", "selected"}
    | {f"{base}_{suffix}" for base in ("title", "text") for suffix in TEXT_LIMITS}
)


@dataclass(frozen=True)
class ChapterView:
    """Where the map looks: a named preset or bounds as (south, west, north, east)."""

    preset: str | None = None
    bounds: tuple[float, float, float, float] | None = None

    def __post_init__(self) -> None:
        if (self.preset is None) == (self.bounds is None):
            raise ValueError("ChapterView needs exactly one of preset and bounds")


@dataclass(frozen=True)
class Chapter:
    id: str
    title: Texts
    text: Texts
    sources: tuple[Source, ...]
    view: ChapterView
    layer_ids: tuple[str, ...]
    # None: today's map, no year filter.
    year: int | None
    selected: str | None


@dataclass(frozen=True)
class KnownIds:
    """The ids a chapter may refer to."""

    layer_ids: Collection[str]
    feature_ids: Collection[str]
    presets: Collection[str]


def read_story(
    data: Any, file: str, *, layer_ids: Collection[str], feature_ids: Collection[str],
    presets: Collection[str],
) -> tuple[tuple[Chapter, ...], tuple[Problem, ...]]:
    """The parsed story file -> its valid chapters in file order, and located problems."""
    raw_chapters = data.get("chapters") if isinstance(data, dict) else None
    if not isinstance(raw_chapters, list) or not raw_chapters:
        message = '"chapters" is not a non-empty list'
        return (), (Problem(file, "not-a-story", message, item="chapter"),)
    known = KnownIds(layer_ids, feature_ids, presets)
    chapters: list[Chapter] = []
    problems: list[Problem] = []
    for index, raw in enumerate(raw_chapters):
        raw_id = raw.get("id") if isinstance(raw, dict) else None
        label = raw_id if isinstance(raw_id, str) and raw_id else None
        try:
            chapter = read_chapter(raw, known)
            if any(earlier.id == chapter.id for earlier in chapters):
                raise Invalid("duplicate-id", "id is already used by an earlier chapter")
        except Invalid as err:
            problems.append(Problem(file, err.code, str(err), label, index, item="chapter"))
            continue
        chapters.append(chapter)
    return tuple(chapters), tuple(problems)


def read_chapter(raw: Any, known: KnownIds) -> Chapter:
    """One raw chapter -> Chapter; raises Invalid on the first thing wrong."""
    if not isinstance(raw, dict):
        raise Invalid("not-a-chapter", "is not an object")
    chapter_id = raw.get("id")
    if not isinstance(chapter_id, str) or not ID_PATTERN.match(chapter_id):
        raise Invalid("bad-id", f"id {shown(chapter_id)} must match {ID_PATTERN.pattern}")
    unknown = sorted(str(key) for key in raw if key not in CHAPTER_KEYS)
    if unknown:
        raise Invalid("unknown-key", f"unknown keys {shown(unknown)} (typo?)")
    return Chapter(
        id=chapter_id,
        title=read_texts(raw, "title", required=True),
        text=read_chapter_text(raw),
        sources=read_sources(raw.get("sources")),
        view=read_view(raw.get("view"), known.presets),
        layer_ids=read_layers(raw.get("layers"), known.layer_ids),
        year=read_year(raw.get("year")),
        selected=read_selected(raw.get("selected"), known.feature_ids),
    )


def read_chapter_text(raw: Mapping[str, Any]) -> Texts:
    texts = read_texts(raw, "text", required=True)
    for suffix, (unit, limit) in TEXT_LIMITS.items():
        value: str = getattr(texts, suffix)
        # Japanese and Chinese have no spaces between words: count their characters.
        length = len(value.split()) if unit == "words" else len("".join(value.split()))
        if length > limit:
            raise Invalid(
                "text-too-long", f'"text_{suffix}" has {length} {unit}, at most {limit} allowed'
            )
    return texts


def read_view(value: Any, presets: Collection[str]) -> ChapterView:
    if not isinstance(value, dict) or len(value) != 1 or not {"preset", "bounds"} & set(value):
        raise Invalid("bad-view", 'view must be {"preset": name} or {"bounds": [s, w, n, e]}')
    if "bounds" in value:
        return ChapterView(bounds=read_bounds(value["bounds"]))
    preset = value["preset"]
    if not isinstance(preset, str) or preset not in presets:
        raise Invalid("unknown-preset", f"view preset {shown(preset)} not in {sorted(presets)}")
    return ChapterView(preset=preset)


def read_bounds(value: Any) -> tuple[float, float, float, float]:
    """[south, west, north, east] in degrees -> a tuple, or Invalid saying what is wrong."""
    if not (isinstance(value, list) and len(value) == 4 and all(
        isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
        for v in value
    )):
        raise Invalid("bad-bounds", f"bounds {shown(value)} must be 4 finite numbers [s, w, n, e]")
    south, west, north, east = (float(v) for v in value)
    if not (-90 <= south < north <= 90):
        raise Invalid("bad-bounds", f"bounds need -90 <= south < north <= 90, got {shown(value)}"
                      " (latitude and longitude swapped?)")
    if not (-180 <= west < east <= 180):
        raise Invalid("bad-bounds", f"bounds need -180 <= west < east <= 180, got {shown(value)}")
    return south, west, north, east


def read_layers(value: Any, layer_ids: Collection[str]) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Invalid("bad-layers", "layers must be a list of layer ids")
    if len(set(value)) != len(value):
        raise Invalid("bad-layers", f"layers {shown(value)} name a layer twice")
    unknown = [v for v in value if v not in layer_ids]
    if unknown:
        raise Invalid("unknown-layer", f"unknown layer ids {shown(unknown)}")
    return tuple(value)


def read_year(value: Any) -> int | None:
    if value is None:
        return None
    # bool is an int in Python, but `true` is no year.
    if type(value) is not int or value not in YEARS:
        raise Invalid(
            "bad-year", f"year {shown(value)} must be an integer {YEARS[0]}..{YEARS[-1]} or null"
        )
    return value


def read_selected(value: Any, feature_ids: Collection[str]) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or value not in feature_ids:
        raise Invalid("unknown-feature", f"selected feature {shown(value)} does not exist")
    return value


def chapter_choices(chapters: Sequence[Chapter]) -> list[str]:
    """What a link's `chapter=` may name: a chapter's id, or its number (older links)."""
    return [chapter.id for chapter in chapters] + [str(n) for n in range(1, len(chapters) + 1)]


def chapter_number(chapters: Sequence[Chapter], value: str) -> int | None:
    """The 1-based number of the chapter a link's `chapter=` names by its id, or None.

    Links and open sessions name a chapter by its id, so they keep it when a chapter before
    it is added, moved or left out as invalid; a number ("3") still works for older links.
    Only its plain spelling counts ("3", not "03", "+3" or " 3"), so each chapter has one.
    """
    for number, chapter in enumerate(chapters, start=1):
        if chapter.id == value:
            return number
    if not isinstance(value, str) or not value.isascii() or not value.isdigit():
        return None
    # A long digit string is no chapter; int() of a huge one would also be slow.
    if len(value) > 6 or value != str(int(value)):
        return None
    number = int(value)
    return number if 1 <= number <= len(chapters) else None
