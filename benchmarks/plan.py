"""What each reader of the load test does, and what its page should then show: its own
state (language, layers, name filter, year, selection) and the link the page writes for it."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace

from shapely.geometry import shape

from kumamap.filters import FilterState, View, apply_filters, first_year, status_as_of
from kumamap.i18n import DEFAULT_LANG
from kumamap.model import Layer, LoadResult

# Readers click points that nothing covers, and toggle layers that hold none of them.
TARGET_LAYERS = ("stations", "trade-centres")
TOGGLED = ("jasm", "rail", "southern-district", "prefectures", "special-zones")


@dataclass(frozen=True)
class Plan:
    """What one reader does: its click targets, its layer, its upload (or none)."""

    index: int
    targets: tuple[str, str]
    toggled: str
    upload: tuple[str, bytes] | None


def upload_file(index: int, result: LoadResult) -> tuple[str, bytes]:
    """A small square near JASM, named after the reader, so another reader would see it."""
    lon, lat = 130.77 + 0.002 * index, 32.88
    ring = [[lon, lat], [lon + 0.003, lat], [lon + 0.003, lat + 0.003], [lon, lat + 0.003],
            [lon, lat]]
    feature = {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
               "properties": {"name": f"Reader {index} square"}}
    raw = json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()
    return f"reader-{index}.geojson", raw


def plans(count: int, result: LoadResult) -> list[Plan]:
    """Targets are points shown at every year: a change of language moved the year slider
    to the earliest year by itself (see benchmarks/README.md), and a reader's target must
    stay on the map for its click to be timed."""
    points = [f.id for layer in result.layers if layer.id in TARGET_LAYERS
              for f in layer.features if f.geometry["type"] == "Point"
              and status_as_of(f, earliest_year(result)) is not None]
    return [Plan(i, (points[(2 * i) % len(points)], points[(2 * i + 1) % len(points)]),
                 TOGGLED[i % len(TOGGLED)], upload_file(i, result) if i % 2 else None)
            for i in range(count)]


def earliest_year(result: LoadResult) -> int:
    """The first option of the year slider: the earliest year of any feature."""
    years = [year for layer in result.layers for f in layer.features if (year := first_year(f))]
    return min([*years, *(int(e.date[:4]) for e in result.events)], default=0)


@dataclass(frozen=True)
class Wanted:
    """The part of the page state a reader changes, as it set it."""

    lang: str
    layers: frozenset[str]
    text: str = ""
    year: int | None = None
    selected: str | None = None

    @classmethod
    def default(cls, result: LoadResult) -> Wanted:
        return cls(DEFAULT_LANG, frozenset(layer.id for layer in result.layers if layer.visible))

    def params(self, default: Wanted) -> dict[str, list[str]]:
        """Its link as the README documents it: what differs from the default, as codes.
        (Written here, not taken from kumamap.permalink: the URL is the contract.)"""
        pairs = (("lang", self.lang != default.lang, [self.lang]),
                 ("layers", self.layers != default.layers, sorted(self.layers) or [""]),
                 ("year", self.year != default.year, [str(self.year or 0)]),
                 ("text", self.text != default.text, [self.text]),
                 ("sel", self.selected != default.selected, [self.selected or ""]))
        return {name: values for name, differs, values in pairs if differs}


@dataclass
class Expect:
    """This reader's state, as the page should show it."""

    result: LoadResult
    state: Wanted
    default: Wanted
    upload: Layer | None = None

    @classmethod
    def fresh(cls, result: LoadResult) -> Expect:
        return cls(result, Wanted.default(result), Wanted.default(result))

    def layers(self) -> tuple[Layer, ...]:
        return self.result.layers + ((self.upload,) if self.upload else ())

    def view(self) -> View:
        upload = {self.upload.id} if self.upload else set()
        return apply_filters(self.layers(), FilterState(
            layer_ids=self.state.layers | upload, year=self.state.year, text=self.state.text))

    def shapes(self) -> int:
        geometries = [shape(s.feature.geometry) for lv in self.view().layers for s in lv.shown]
        return sum(len(g.geoms) if g.geom_type == "MultiPoint" else 1 for g in geometries)

    def heading(self) -> str | None:
        found = self.result.feature(self.state.selected) if self.state.selected else None
        return found[1].name.pick(self.state.lang) if found else None

    def params(self) -> dict[str, list[str]]:
        return self.state.params(self.default)

    def change(self, **values: object) -> None:
        self.state = replace(self.state, **values)
