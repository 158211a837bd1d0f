"""View -> chart data (pure functions) and the Vega-Altair charts drawn from it.

Altair lives here only. Years are fractional numbers (2024-07-01 -> 2024.5), so the axis
shows plain years in every language and no time zone shifts a date into the year before.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import date

import altair as alt
import pandas as pd

from kumamap.filters import View, events_until
from kumamap.i18n import STATUS_NAMES, t
from kumamap.model import Event, Feature, Kind, Lang

# The three milestones of a feature, in order, and the phase each one starts.
MILESTONES: tuple[tuple[str, str], ...] = (
    ("announced", "phase_planning"), ("started", "phase_building"), ("opened", "phase_open"))
# A bar is at least this long (in years), so a phase that starts and ends in one month shows.
MIN_BAR = 0.25
ROW_PX = 24  # one row of a chart: room for one line of label
EVENT_COLOR = "#455a64"
# Fit the width of the page, keep the height: the plot gets ROW_PX per row and the legends
# come on top (Streamlit's default "fit" would squeeze the rows to make room for them).
FIT_WIDTH = alt.AutoSizeParams(type="fit-x", contains="padding")
LABEL_LIMIT = 160
AS_OF_COLOR = "#b71c1c"
# The id of the page's input that the "as of year" rule follows in the browser (the header's
# count, shown.py, sets it as the map moves to another year): the rule moves with the map
# while the server hears the year only now and then (▶ play). Vega reads the input's value
# whenever it draws the chart anew, so a chart the server sends later starts there too.
AS_OF_INPUT = "kumamap-as-of"
AS_OF_PARAM = "as_of"


@dataclass(frozen=True)
class Phase:
    """One bar of the timeline: a feature from one milestone to the next."""

    feature_id: str
    name: str
    layer: str
    phase: str  # translated phase name
    start: float
    end: float
    dates: str  # the milestone dates as written in the data, for the tooltip


@dataclass(frozen=True)
class EventMark:
    date: str
    position: float
    title: str


@dataclass(frozen=True)
class Amount:
    """One bar of a summary chart: a value of `group` within `label`."""

    label: str
    group: str
    value: float


def year_position(value: str) -> float:
    """"2024", "2024-07" or "2024-07-01" -> 2024.0, 2024.5, 2024.5 (a fractional year)."""
    parts = [int(part) for part in value.split("-")]
    year, month, day = (parts + [1, 1])[:3]
    return year + (month - 1) / 12 + (day - 1) / 365


def today_position(today: date) -> float:
    return year_position(today.isoformat())


def as_of_position(year: int | None, today: date) -> float:
    """Where the "as of year" rule stands: the end of that year, or today."""
    return float(year + 1) if year is not None else today_position(today)


def as_of_positions(years: Iterable[int], today: date) -> dict[int, float]:
    """Where the rule stands for each year option (0: today), for the browser to look up."""
    return {year: as_of_position(year or None, today) for year in years}


def feature_phases(feature: Feature, layer: str, lang: Lang, until: float) -> tuple[Phase, ...]:
    """A feature's bars: each milestone to the next one; the last to the target year when
    that is later, else to `until` (an opened feature stays open, a planned one planned)."""
    name = feature.name.pick(lang)
    known = [(getattr(feature, key), phase) for key, phase in MILESTONES if getattr(feature, key)]
    if not known:
        if feature.planned_year is None:
            return ()
        target = float(feature.planned_year)
        return (Phase(feature.id, name, layer, t("phase_target", lang), target, target + 1,
                      str(feature.planned_year)),)
    phases = []
    for index, (written, phase) in enumerate(known):
        start = year_position(written)
        if index + 1 < len(known):
            end_written = known[index + 1][0]
            end = year_position(end_written)
        elif phase != "phase_open" and feature.planned_year and feature.planned_year > start:
            end_written, end = str(feature.planned_year), float(feature.planned_year)
        else:
            end_written, end = "", until
        dates = f"{written} → {end_written}" if end_written else f"{written} →"
        phases.append(Phase(feature.id, name, layer, t(phase, lang), start,
                            max(end, start + MIN_BAR), dates))
    return tuple(phases)


def timeline_phases(view: View, lang: Lang, until: float) -> tuple[Phase, ...]:
    """The bars of every shown feature that has a date, the earliest feature first."""
    phases = [phase for layer_view in view.layers for shown in layer_view.shown
              for phase in feature_phases(shown.feature, layer_view.layer.title.pick(lang),
                                          lang, until)]
    first: dict[str, float] = {}
    for phase in phases:
        first[phase.feature_id] = min(first.get(phase.feature_id, phase.start), phase.start)
    return tuple(sorted(phases, key=lambda p: (first[p.feature_id], p.feature_id, p.start)))


def event_marks(events: Iterable[Event], year: int | None, lang: Lang) -> tuple[EventMark, ...]:
    """The policy events up to the "as of year", as points on the timeline."""
    return tuple(EventMark(event.date, year_position(event.date), event.title.pick(lang))
                 for event in events_until(tuple(events), year))


def layer_counts(view: View, lang: Lang) -> tuple[Amount, ...]:
    """How many features each layer shows (layers showing none are left out)."""
    return tuple(Amount(lv.layer.title.pick(lang), lv.layer.id, len(lv.shown))
                 for lv in view.layers if lv.shown)


def zone_areas(view: View, lang: Lang) -> tuple[Amount, ...]:
    """Hectares of the shown zones by status (as of the chosen year) for each zone layer."""
    totals: dict[tuple[str, str], float] = defaultdict(float)
    for layer_view in view.layers:
        if layer_view.layer.kind is not Kind.ZONE:
            continue
        for shown in layer_view.shown:
            if shown.feature.area_ha:
                status = STATUS_NAMES[shown.status].pick(lang)
                totals[layer_view.layer.title.pick(lang), status] += shown.feature.area_ha
    return tuple(Amount(label, group, round(value, 1)) for (label, group), value in totals.items())


def layer_colors(view: View, lang: Lang) -> tuple[list[str], list[str]]:
    """(layer titles, their map colours), so a chart colours each layer as the map does."""
    return ([lv.layer.title.pick(lang) for lv in view.layers],
            [lv.layer.color for lv in view.layers])


def frame(rows: Iterable[object]) -> pd.DataFrame:
    return pd.DataFrame([asdict(row) for row in rows])


def timeline_chart(phases: tuple[Phase, ...], events: tuple[EventMark, ...], as_of: float,
                   colors: tuple[list[str], list[str]], lang: Lang,
                   as_of_input: str | None = None) -> alt.LayerChart | None:
    """Bars per feature phase coloured by layer, events in their own row, the "as of year"
    as a rule; None when there is nothing to draw (no empty axes). With `as_of_input` (the
    id of an input in the page, AS_OF_INPUT) the rule stands where that input says once it
    holds a value, at `as_of` until then; the bars and events stay as of `as_of`."""
    if not phases and not events:
        return None
    events_row = t("chart_events", lang)
    names = list(dict.fromkeys(phase.name for phase in phases))
    y_sort = [events_row, *names] if events else names
    x_scale = alt.Scale(zero=False, nice=False)
    x_axis = alt.Axis(format="d", tickMinStep=1, title=t("chart_year", lang))
    y = alt.Y("row:N", sort=y_sort, title=None, axis=alt.Axis(labelLimit=LABEL_LIMIT))
    layers: list[alt.Chart] = []
    if phases:
        data = frame(phases).assign(row=lambda df: df["name"])
        domain, color_range = colors
        layers.append(alt.Chart(data).mark_bar(height=ROW_PX - 6).encode(
            x=alt.X("start:Q", scale=x_scale, axis=x_axis), x2="end:Q", y=y,
            color=alt.Color("layer:N", title=t("layer", lang),
                            scale=alt.Scale(domain=domain, range=color_range),
                            legend=alt.Legend(orient="bottom", columns=2, labelLimit=LABEL_LIMIT)),
            # Explained in the caption: a second legend does not fit beside the first on a phone.
            opacity=alt.Opacity("phase:N", legend=None,
                                sort=[t(phase, lang) for _, phase in MILESTONES]),
            tooltip=[alt.Tooltip("name:N", title=t("table_name", lang)),
                     alt.Tooltip("layer:N", title=t("layer", lang)),
                     alt.Tooltip("phase:N", title=t("chart_phase", lang)),
                     alt.Tooltip("dates:N", title=t("chart_dates", lang))],
        ).add_params(alt.selection_point(name="pick", fields=["feature_id"])))
    if events:
        data = frame(events).assign(row=events_row)
        layers.append(alt.Chart(data).mark_point(shape="diamond", filled=True, size=70,
                                                 color=EVENT_COLOR).encode(
            x=alt.X("position:Q", scale=x_scale, axis=x_axis), y=y,
            tooltip=[alt.Tooltip("date:N", title=t("chart_date", lang)),
                     alt.Tooltip("title:N", title=t("chart_event", lang))]))
    layers.append(as_of_rule(as_of, as_of_input, x_scale, x_axis, lang))
    return alt.layer(*layers).properties(height=ROW_PX * len(y_sort), autosize=FIT_WIDTH)


def as_of_rule(as_of: float, as_of_input: str | None, x_scale: alt.Scale, x_axis: alt.Axis,
               lang: Lang) -> alt.Chart:
    """The "as of year" rule at `as_of`, or where the page's input `as_of_input` says."""
    rule = alt.Chart(pd.DataFrame([{"position": as_of, "label": t("year", lang)}]))
    if as_of_input is not None:
        # The input's value is text, empty until the page has set it.
        bound = alt.param(name=AS_OF_PARAM, bind=alt.BindDirect(element=f"#{as_of_input}"))
        rule = rule.add_params(bound).transform_calculate(
            position=f"{AS_OF_PARAM} ? toNumber({AS_OF_PARAM}) : datum.position")
    return rule.mark_rule(color=AS_OF_COLOR, strokeDash=[5, 3], size=2).encode(
        x=alt.X("position:Q", scale=x_scale, axis=x_axis),
        tooltip=alt.Tooltip("label:N", title=t("year", lang)))


def bar_chart(amounts: tuple[Amount, ...], value_title: str, label_title: str,
              group_title: str | None = None,
              colors: tuple[list[str], list[str]] | None = None) -> alt.Chart | None:
    """Horizontal bars of `amounts`, stacked and coloured by group when `group_title` is
    given, coloured by label with `colors` (titles, colours); None when there is nothing."""
    if not amounts:
        return None
    if colors is not None:
        color = alt.Color("label:N", scale=alt.Scale(domain=colors[0], range=colors[1]),
                          legend=None)
    elif group_title is not None:
        color = alt.Color("group:N", title=group_title,
                          legend=alt.Legend(orient="bottom", columns=2, labelLimit=LABEL_LIMIT))
    else:
        color = alt.value(EVENT_COLOR)
    tooltip = [alt.Tooltip("label:N", title=label_title)]
    if group_title is not None:
        tooltip.append(alt.Tooltip("group:N", title=group_title))
    tooltip.append(alt.Tooltip("value:Q", title=value_title))
    labels = list(dict.fromkeys(amount.label for amount in amounts))
    return alt.Chart(frame(amounts)).mark_bar().encode(
        x=alt.X("value:Q", stack=True, title=value_title),
        y=alt.Y("label:N", sort=labels, title=None, axis=alt.Axis(labelLimit=LABEL_LIMIT)),
        color=color, tooltip=tooltip,
    ).properties(height=ROW_PX * len(labels), autosize=FIT_WIDTH)


def count_amounts(counts: tuple[tuple[str, int], ...],
                  name: Callable[[str], str]) -> tuple[Amount, ...]:
    """`filters.count_by` counts -> bars, each key shown by its translated name."""
    return tuple(Amount(name(key), key, count) for key, count in counts)
