"""The page URL as a permalink: state <-> query parameters. Pure: no Streamlit.

A link carries the language, preset, visible layers, every filter, the distance rings
and the selected feature as codes (`category=fab`, `status=planned`, `prefecture=43`),
never as translated labels, so a link made in Japanese opens the same map in Chinese.
Only what differs from the default goes into the URL. The map view (`lat`, `lon`, `z`)
is written by the map itself in the browser (no rerun on pan) and read back here.
Every parameter of an opened link is checked: what is ignored is said, never a crash.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, cast

from kumamap.filters import FilterState
from kumamap.model import Lang, LoadResult, Status

Rule = Callable[[str], bool]

SELECTED_PARAM = "sel"
# The parameters the page writes; the map view (VIEW_PARAMS) is written by the map.
LINK_PARAMS = ("lang", "preset", "layers", "category", "status", "year", "prefecture", "text",
               "rings", SELECTED_PARAM)
MAX_ZOOM = 19
# Longer free text is not a search anyone typed; cut it off rather than echo it back.
MAX_TEXT = 200
# Shown back to the reader inside a notice, so keep it short.
MAX_SHOWN_VALUE = 60


@dataclass(frozen=True)
class Notice:
    """A query parameter that was ignored, and why."""

    param: str
    value: str
    reason: Literal["unknown", "invalid"]

    @property
    def shown_value(self) -> str:
        value = self.value
        return value if len(value) <= MAX_SHOWN_VALUE else value[:MAX_SHOWN_VALUE] + "…"


@dataclass(frozen=True)
class MapView:
    lat: float
    lon: float
    zoom: int

    @property
    def center(self) -> tuple[float, float]:
        return self.lat, self.lon


def one_of(options: Iterable[object]) -> Rule:
    allowed = frozenset(str(option) for option in options)
    return allowed.__contains__


def number_in(low: float, high: float, *, integer: bool = False) -> Rule:
    def rule(value: str) -> bool:
        try:
            number = int(value) if integer else float(value)
        except ValueError:
            return False
        return math.isfinite(number) and low <= number <= high

    return rule


def any_text(value: str) -> bool:
    return len(value) <= MAX_TEXT


BOOLEAN = one_of(("true", "false"))
VIEW_RULES: dict[str, Rule] = {
    "lat": number_in(-90, 90),
    "lon": number_in(-180, 180),
    "z": number_in(0, MAX_ZOOM, integer=True),
}
VIEW_PARAMS = tuple(VIEW_RULES)


@dataclass(frozen=True)
class Choices:
    """The options the page offers, i.e. the values a link may carry."""

    langs: Sequence[str]
    presets: Sequence[str]
    years: Sequence[int]
    categories: Sequence[str]
    prefectures: Sequence[str]


@dataclass(frozen=True)
class LinkState:
    """Everything a link restores besides the map view."""

    lang: Lang
    preset: str
    filters: FilterState
    rings: bool = False
    selected: str | None = None


@dataclass(frozen=True)
class OpenedLink:
    state: LinkState
    notices: tuple[Notice, ...]
    view: MapView | None


def default_state(result: LoadResult, lang: Lang, preset: str) -> LinkState:
    """What the page shows when opened without parameters."""
    visible = frozenset(layer.id for layer in result.layers if layer.visible)
    return LinkState(lang, preset, FilterState(layer_ids=visible))


def page_rules(result: LoadResult, choices: Choices) -> dict[str, Rule]:
    """Every query parameter the page understands, with what a valid value is."""
    features = [feature for layer in result.layers for feature in layer.features]
    return {
        "lang": one_of(choices.langs),
        "preset": one_of(choices.presets),
        "layers": one_of(layer.id for layer in result.layers),
        "category": one_of(choices.categories),
        "status": one_of(Status),
        "year": one_of(choices.years),
        "prefecture": one_of(choices.prefectures),
        "text": any_text,
        "rings": BOOLEAN,
        SELECTED_PARAM: one_of(feature.id for feature in features),
        **VIEW_RULES,
    }


def check(params: Mapping[str, Sequence[str]], rules: Mapping[str, Rule]) -> tuple[Notice, ...]:
    """What of these query parameters the page will ignore; an empty value means "none"."""
    notices = []
    for param, values in params.items():
        rule = rules.get(param)
        if rule is None:
            notices.append(Notice(param, ", ".join(values), "unknown"))
            continue
        notices += [Notice(param, value, "invalid") for value in values
                    if value != "" and not rule(value)]
    return tuple(notices)


def open_link(params: Mapping[str, Sequence[str]], result: LoadResult, choices: Choices,
              default: LinkState) -> OpenedLink:
    """The state a link asks for: valid values taken, the rest named in notices."""
    rules = page_rules(result, choices)

    def valid(name: str) -> list[str] | None:
        """The valid values of a parameter, or None when the link does not set it."""
        if name not in params:
            return None
        return [value for value in params[name] if value != "" and rules[name](value)]

    def last(name: str) -> str | None:
        values = valid(name)
        return values[-1] if values else None

    def chosen(name: str, current: frozenset) -> frozenset[str]:
        values = valid(name)
        return current if values is None else frozenset(values)

    filters = default.filters
    year = last("year")
    filters = FilterState(
        layer_ids=chosen("layers", filters.layer_ids),
        categories=chosen("category", filters.categories),
        statuses=frozenset(Status(s) for s in chosen("status", filters.statuses)),
        year=(int(year) or None) if year is not None else filters.year,
        prefectures=chosen("prefecture", filters.prefectures),
        text=last("text") or filters.text,
    )
    rings = last("rings")
    state = LinkState(
        lang=cast(Lang, last("lang") or default.lang),
        preset=last("preset") or default.preset,
        filters=filters,
        rings=default.rings if rings is None else rings == "true",
        selected=last(SELECTED_PARAM) or default.selected,
    )
    return OpenedLink(state, check(params, rules), read_view(params))


def link_params(state: LinkState, default: LinkState) -> dict[str, list[str]]:
    """The query parameters of a state: only what differs from the default, as codes
    (not translated labels), so a link works in every language."""
    now, usual = state.filters, default.filters
    pairs: list[tuple[str, object, object, list[str]]] = [
        ("lang", state.lang, default.lang, [state.lang]),
        ("preset", state.preset, default.preset, [state.preset]),
        # An empty value keeps "nothing chosen" apart from "the default".
        ("layers", now.layer_ids, usual.layer_ids, sorted(now.layer_ids) or [""]),
        ("category", now.categories, usual.categories, sorted(now.categories) or [""]),
        ("status", now.statuses, usual.statuses, sorted(str(s) for s in now.statuses) or [""]),
        ("year", now.year, usual.year, [str(now.year or 0)]),
        ("prefecture", now.prefectures, usual.prefectures, sorted(now.prefectures) or [""]),
        ("text", now.text, usual.text, [now.text]),
        ("rings", state.rings, default.rings, [str(state.rings).lower()]),
        (SELECTED_PARAM, state.selected, default.selected, [state.selected or ""]),
    ]
    return {name: values for name, value, usual_value, values in pairs if value != usual_value}


def read_view(params: Mapping[str, Sequence[str]]) -> MapView | None:
    """The map view of a link, when all of lat, lon and z are there and valid."""
    values = [(params.get(name) or [""])[-1] for name in VIEW_PARAMS]
    if not all(VIEW_RULES[name](value) for name, value in zip(VIEW_PARAMS, values)):
        return None
    lat, lon, zoom = values
    return MapView(float(lat), float(lon), int(zoom))
