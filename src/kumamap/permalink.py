"""The page URL as a permalink: one table of link parameters, read by the page (widget keys),
the permalink (URL <-> state) and the map script (the view). Pure: no Streamlit.

A link carries the language, preset, visible layers, every filter, the distance rings and
the selected feature as codes (`category=fab`, `status=planned`, `prefecture=43`), never as
translated labels, so a link made in Japanese opens the same map in Chinese. Only what
differs from the default goes into the URL. The map view (`lat`, `lon`, `z`) is written by
the map itself in the browser (no rerun on pan) and read back here. Every parameter of an
opened link is checked: what is ignored is said (briefly, and at most a few), never a crash.

The filters are the browser's (the sidebar's controls, js/lib/filters.js): the page's
controls report them to the server, which takes them only through `read_filters`.

Adding a filter: one `Param` row here, its `FilterState` field and pure test in `filters`,
the same in js/lib/filters.js (tests/data/filter_cases.json), and its control in
components/layer_switch.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from kumamap.filters import FilterState

# The "as of year" value meaning today, i.e. no year filter (in the URL, the widget and
# the state alike).
TODAY = 0
MAX_ZOOM = 19
# Longer free text is not a search anyone typed; cut it off rather than echo it back.
MAX_TEXT = 200
# Shown back to the reader inside a notice, so keep it short and few.
MAX_SHOWN_VALUE = 60
MAX_NOTICES = 8

State = Mapping[str, Any]  # parameter name -> value, in the types of ParamKind
Choices = Mapping[str, Sequence[Any]]  # parameter name -> the values the page offers


class ParamKind(enum.StrEnum):
    ONE = "one"  # one of the choices, or None (str)
    MANY = "many"  # a set of the choices (frozenset[str])
    YEAR = "year"  # one of the choices, TODAY meaning no year filter (int)
    TEXT = "text"  # free text up to MAX_TEXT characters (str)
    FLAG = "flag"  # true or false (bool)
    NUMBER = "number"  # a number in [low, high]: the map view, written by the map


@dataclass(frozen=True)
class Param:
    """One link parameter: its URL name, what it holds and which widget shows it."""

    name: str
    kind: ParamKind
    # Session-state key of its widget ("" = the name; None = no single widget: the layer
    # checkboxes, the map view).
    key: str | None = ""
    # The FilterState field it sets ("" = not a filter).
    filter_field: str = ""
    default: Any = None
    low: float = -math.inf
    high: float = math.inf
    is_integer: bool = False

    @property
    def widget_key(self) -> str | None:
        return self.name if self.key == "" else self.key


PARAMS: tuple[Param, ...] = (
    Param("lang", ParamKind.ONE, default="en"),
    Param("preset", ParamKind.ONE, default="kumamoto"),
    Param("layers", ParamKind.MANY, key=None, filter_field="layer_ids", default=frozenset()),
    Param("category", ParamKind.MANY, key=None, filter_field="categories", default=frozenset()),
    Param("status", ParamKind.MANY, key=None, filter_field="statuses", default=frozenset()),
    Param("year", ParamKind.YEAR, key=None, filter_field="year", default=TODAY),
    Param("prefecture", ParamKind.MANY, key=None, filter_field="prefectures", default=frozenset()),
    Param("origin", ParamKind.MANY, key=None, filter_field="origins", default=frozenset()),
    Param("sector", ParamKind.MANY, key=None, filter_field="sectors", default=frozenset()),
    Param("text", ParamKind.TEXT, key=None, filter_field="text", default=""),
    Param("rings", ParamKind.FLAG, default=False),
    Param("sel", ParamKind.ONE, key="selected_feature", default=None),
    # The id of the story chapter being read ("transit"; an older link's number, "3", is
    # read too), None when none is open.
    Param("chapter", ParamKind.ONE, default=None),
)
VIEW_PARAMS: tuple[Param, ...] = (
    Param("lat", ParamKind.NUMBER, key=None, low=-90, high=90),
    Param("lon", ParamKind.NUMBER, key=None, low=-180, high=180),
    Param("z", ParamKind.NUMBER, key=None, low=0, high=MAX_ZOOM, is_integer=True),
)
BY_NAME = {param.name: param for param in PARAMS + VIEW_PARAMS}
# The filters the browser applies (every filter but the layers, which have their own switch).
FILTER_PARAMS: tuple[Param, ...] = tuple(param for param in PARAMS
                                         if param.filter_field and param.key is None
                                         and param.name != "layers")


@dataclass(frozen=True)
class Notice:
    """A query parameter that was ignored, and why."""

    param: str
    value: str
    reason: Literal["unknown", "invalid", "more"]

    @property
    def shown_param(self) -> str:
        return shorten(self.param)

    @property
    def shown_value(self) -> str:
        return shorten(self.value)


def shorten(text: str) -> str:
    return text if len(text) <= MAX_SHOWN_VALUE else text[:MAX_SHOWN_VALUE] + "…"


@dataclass(frozen=True)
class MapView:
    lat: float
    lon: float
    zoom: int

    @property
    def center(self) -> tuple[float, float]:
        return self.lat, self.lon


@dataclass(frozen=True)
class OpenedLink:
    state: dict[str, Any]
    notices: tuple[Notice, ...]
    view: MapView | None


def default_state(visible_layers: frozenset[str], **overrides: Any) -> dict[str, Any]:
    """What the page shows when opened without parameters."""
    return {**{param.name: param.default for param in PARAMS}, "layers": visible_layers,
            **overrides}


def is_valid(param: Param, value: str, choices: Choices) -> bool:
    """Whether one URL value of `param` is one the page can take."""
    if param.kind is ParamKind.TEXT:
        return len(value) <= MAX_TEXT
    if param.kind is ParamKind.FLAG:
        return value in ("true", "false")
    if param.kind is ParamKind.NUMBER:
        try:
            number = int(value) if param.is_integer else float(value)
        except ValueError:
            return False
        return math.isfinite(number) and param.low <= number <= param.high
    return value in {str(choice) for choice in choices.get(param.name, ())}


def decode(param: Param, values: list[str], default: Any) -> Any:
    """The state value of a parameter's valid URL values (the link sets it)."""
    if param.kind is ParamKind.MANY:
        return frozenset(values)
    if not values:
        return default
    last = values[-1]
    if param.kind is ParamKind.YEAR:
        return int(last)
    if param.kind is ParamKind.FLAG:
        return last == "true"
    return last


def encode(param: Param, value: Any) -> list[str]:
    """The URL values of a state value; an empty value keeps "nothing chosen" apart from
    "the default"."""
    if param.kind is ParamKind.MANY:
        return sorted(str(item) for item in value) or [""]
    if param.kind is ParamKind.FLAG:
        return [str(bool(value)).lower()]
    return ["" if value is None else str(value)]


def check(params: Mapping[str, Sequence[str]], choices: Choices) -> tuple[Notice, ...]:
    """What of these query parameters the page will ignore; an empty value means "none".

    At most MAX_NOTICES are named; the rest are counted in one more notice."""
    notices = []
    for name, values in params.items():
        param = BY_NAME.get(name)
        if param is None:
            notices.append(Notice(name, ", ".join(values), "unknown"))
        else:
            notices += [Notice(name, value, "invalid") for value in values
                        if value != "" and not is_valid(param, value, choices)]
    if len(notices) > MAX_NOTICES:
        rest = str(len(notices) - MAX_NOTICES)
        notices = [*notices[:MAX_NOTICES], Notice("…", rest, "more")]
    return tuple(notices)


def open_link(params: Mapping[str, Sequence[str]], choices: Choices,
              default: State) -> OpenedLink:
    """The state a link asks for: valid values taken, the rest named in notices."""
    state = dict(default)
    for param in PARAMS:
        given = params.get(param.name, ())
        valid = [value for value in given if value != "" and is_valid(param, value, choices)]
        # Only an empty value asks for "none"; a value that is ignored leaves the default
        # (`layers=nope` must not switch every layer off).
        if valid or (given and all(value == "" for value in given)):
            state[param.name] = decode(param, valid, default[param.name])
    return OpenedLink(state, check(params, choices), read_view(params))


def ignored_names(params: Mapping[str, Sequence[str]]) -> frozenset[str]:
    """Parameters of an opened link to drop from the URL once they are noticed, so that a
    copy of the link does not carry them on: unknown names, and the map view when it is not
    usable. The page's own parameters are written again from its state."""
    unknown = {name for name in params if name not in BY_NAME}
    view = set() if read_view(params) else {param.name for param in VIEW_PARAMS} & set(params)
    return frozenset(unknown | view)


def link_params(state: State, default: State) -> dict[str, list[str]]:
    """The query parameters of a state: only what differs from the default, as codes."""
    return {param.name: encode(param, state[param.name]) for param in PARAMS
            if state[param.name] != default[param.name]}


def filter_state(state: State) -> FilterState:
    """The filters a page state asks for."""
    values = {param.filter_field: state[param.name] for param in PARAMS if param.filter_field}
    values["year"] = values["year"] or None  # TODAY: no year filter
    return FilterState(**values)


def read_view(params: Mapping[str, Sequence[str]]) -> MapView | None:
    """The map view of a link, when all of lat, lon and z are there and valid."""
    values = [(params.get(param.name) or [""])[-1] for param in VIEW_PARAMS]
    if not all(is_valid(param, value, {}) for param, value in zip(VIEW_PARAMS, values)):
        return None
    lat, lon, zoom = values
    return MapView(float(lat), float(lon), int(zoom))


def filters_of(state: State) -> dict[str, Any]:
    """The filters of a page state as the browser holds them (js/lib/filters.js): lists of
    codes, the year (TODAY: none) and the text."""
    return {param.name: sorted(state[param.name]) if param.kind is ParamKind.MANY
            else state[param.name] for param in FILTER_PARAMS}


def read_filters(reported: Any, choices: Choices) -> dict[str, Any] | None:
    """The filters the page's controls reported, in the page state's types; None when the
    report is not one (it comes from the browser: untrusted). Codes the page does not offer
    (the data changed under an open page) are dropped; text is cut at MAX_TEXT."""
    if not isinstance(reported, Mapping):
        return None
    filters: dict[str, Any] = {}
    for param in FILTER_PARAMS:
        if param.name not in reported:
            filters[param.name] = param.default
            continue
        value = reported[param.name]
        if param.kind is ParamKind.MANY:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                return None
            filters[param.name] = frozenset(v for v in value if is_valid(param, v, choices))
        elif param.kind is ParamKind.YEAR:
            if type(value) is not int or value not in choices.get(param.name, ()):
                return None
            filters[param.name] = value
        else:
            if not isinstance(value, str):
                return None
            filters[param.name] = value[:MAX_TEXT]
    return filters
