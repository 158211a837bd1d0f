"""FilterState + layers -> View: what the map shows. Pure; no Streamlit, no folium."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from kumamap.model import Event, Feature, Layer, Status
from kumamap.textmatch import feature_names, normalise

# A status that only holds once the feature has opened (or taken effect).
_ONCE_OPEN = {Status.OPERATING: Status.PLANNED, Status.DESIGNATED: Status.PROPOSED}


@dataclass(frozen=True)
class FilterState:
    """What the reader asked to see. Empty sets mean "no restriction"."""

    layer_ids: frozenset[str]
    categories: frozenset[str] = frozenset()
    statuses: frozenset[Status] = frozenset()
    year: int | None = None
    prefectures: frozenset[str] = frozenset()
    origins: frozenset[str] = frozenset()
    sectors: frozenset[str] = frozenset()
    text: str = ""


@dataclass(frozen=True)
class Shown:
    """A feature on the map with its status as of the chosen year."""

    feature: Feature
    status: Status


@dataclass(frozen=True)
class LayerView:
    layer: Layer
    shown: tuple[Shown, ...]


@dataclass(frozen=True)
class View:
    layers: tuple[LayerView, ...]

    @property
    def feature_count(self) -> int:
        return sum(len(layer_view.shown) for layer_view in self.layers)

    def ids(self) -> frozenset[str]:
        return frozenset(s.feature.id for lv in self.layers for s in lv.shown)

    def find(self, feature_id: str | None) -> tuple[Shown, Layer] | None:
        """The shown feature with this id and its layer, or None when it is not shown."""
        for layer_view in self.layers:
            for shown in layer_view.shown:
                if shown.feature.id == feature_id:
                    return shown, layer_view.layer
        return None


def year_of(date: str | None) -> int | None:
    return int(date[:4]) if date else None


def first_year(feature: Feature) -> int | None:
    """Year the feature first entered the story (announced, started or opened)."""
    years = [year_of(d) for d in (feature.announced, feature.started, feature.opened) if d]
    return min(years) if years else None


def status_as_of(feature: Feature, year: int | None) -> Status | None:
    """The feature's status in `year`, or None if it was not yet known then.

    Features without dates (prefectures, long-standing stations) are always there.
    """
    if year is None:
        return feature.status
    first = first_year(feature)
    if first is not None and first > year:
        return None
    opened = year_of(feature.opened)
    if feature.status not in _ONCE_OPEN or opened is None or opened <= year:
        return feature.status
    started = year_of(feature.started)
    if feature.status is Status.OPERATING and started is not None and started <= year:
        return Status.UNDER_CONSTRUCTION
    return _ONCE_OPEN[feature.status]


def matches_text(feature: Feature, query: str) -> bool:
    """Whether any name, alias or the id contains the query (as "Find a place" compares)."""
    wanted = normalise(query)
    if not wanted:
        return True
    return any(wanted in normalise(name) for _, name in feature_names(feature))


def in_chosen(value: str | None, chosen: frozenset[str]) -> bool:
    return not chosen or value in chosen


# FilterState field -> the feature attribute it restricts to the chosen values.
CHOSEN_VALUES = {"categories": "category", "prefectures": "prefecture", "origins": "origin",
                 "sectors": "sector"}


def shown_status(feature: Feature, state: FilterState) -> Status | None:
    """Status to draw the feature with, or None when a filter hides it."""
    status = status_as_of(feature, state.year)
    if status is None:
        return None
    if not in_chosen(status, state.statuses):
        return None
    for field, attribute in CHOSEN_VALUES.items():
        if not in_chosen(getattr(feature, attribute), getattr(state, field)):
            return None
    if not matches_text(feature, state.text):
        return None
    return status


def apply_filters(layers: Iterable[Layer], state: FilterState) -> View:
    views = []
    for layer in layers:
        if layer.id not in state.layer_ids:
            continue
        shown = tuple(
            Shown(feature, status)
            for feature in layer.features
            if (status := shown_status(feature, state)) is not None
        )
        views.append(LayerView(layer, shown))
    return View(tuple(views))


def events_until(events: Iterable[Event], year: int | None) -> tuple[Event, ...]:
    """Timeline events up to and including `year` (all when no year is set)."""
    return tuple(e for e in events if year is None or int(e.date[:4]) <= year)


def count_by(view: View, attribute: str) -> tuple[tuple[str, int], ...]:
    """How many shown features have each value of `attribute` (origin, sector), most first;
    features without a value are not counted."""
    counts = Counter(value for layer_view in view.layers for shown in layer_view.shown
                     if (value := getattr(shown.feature, attribute)))
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
