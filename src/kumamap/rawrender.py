"""folium's map elements, rendered without compiling their output as templates.

branca hands a figure each rendered part of an element as `Element(text)`, which compiles
the text (scripts, whole layers) as a Jinja template: on every rerun, for output
that streamlit-folium builds again from the elements' macros anyway. Measured: ~90
compiles per page, two thirds of `st_folium`'s time on the default data (benchmarks/README.md).
The classes here render the same bytes without it, and a feature's text such as
`{{ broken {% if` cannot stop the page.
"""

from __future__ import annotations

from typing import Any

import folium
from branca.element import Element, Figure, MacroElement
from folium.plugins import Fullscreen, MarkerCluster, MeasureControl


class RawElement(Element):
    """Text already rendered, kept as it is: never compiled as a Jinja template."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class RawRenderMixin(MacroElement):
    """branca's `MacroElement.render`, without compiling what it rendered.

    branca hands the figure each rendered part as `Element(text)`, which compiles the text
    (scripts, whole layers) as a template on every rerun: a large share of the
    server's time, for output that streamlit-folium builds again from the macros anyway.
    Put it after the folium class (`class RawMap(folium.Map, RawRenderMixin)`): then
    folium's own render steps (`addTo`, asset links) run first and end here, not in branca.
    """

    def render(self, **kwargs: Any) -> None:
        render_raw(self, kwargs)


def render_raw(element: MacroElement, kwargs: dict[str, Any]) -> None:
    """Add the element's header, html and script to its figure as branca does (same names,
    same order), as raw text; then render its children."""
    figure = element.get_root()
    if not isinstance(figure, Figure):
        raise TypeError(f"{element.get_name()} can only be rendered inside a Figure")
    macros = element._template.module.__dict__
    for part in ("header", "html", "script"):
        if macros.get(part) is not None:
            getattr(figure, part).add_child(RawElement(macros[part](element, kwargs)),
                                            name=element.get_name())
    for child in element._children.values():
        # folium's plain helpers (the `addTo` each layer adds to itself) have nothing to do
        # but render their macros: they are rendered raw as well.
        if type(child).render is MacroElement.render:
            render_raw(child, kwargs)
        else:
            child.render(**kwargs)


class RawMap(folium.Map, RawRenderMixin):
    """folium.Map, rendered raw; so are the classes below."""


class RawFeatureGroup(folium.FeatureGroup, RawRenderMixin):
    pass


class RawMarkerCluster(MarkerCluster, RawRenderMixin):
    pass


class RawFullscreen(Fullscreen, RawRenderMixin):
    pass


class RawMeasureControl(MeasureControl, RawRenderMixin):
    pass
