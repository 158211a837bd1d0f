"""Chart data as pure functions, and the charts built from it (Vega-Lite specs, no browser)."""

from dataclasses import replace
from datetime import date

import pytest

from kumamap.catalog import load_catalog
from kumamap.charts import (
    AS_OF_INPUT,
    AS_OF_PARAM,
    Amount,
    as_of_position,
    as_of_positions,
    bar_chart,
    count_amounts,
    event_marks,
    feature_phases,
    layer_colors,
    layer_counts,
    timeline_chart,
    timeline_phases,
    year_position,
    zone_areas,
)
from kumamap.filters import FilterState, apply_filters, count_by
from kumamap.model import Status
from tests.builders import MINI

RESULT = load_catalog(MINI)
EVERY_LAYER = frozenset(layer.id for layer in RESULT.layers)
FAB1 = RESULT.feature("jasm-fab1")[1]
FAB2 = RESULT.feature("jasm-fab2")[1]
TODAY = date(2026, 7, 1)


def view_of(**filters):
    return apply_filters(RESULT.layers, FilterState(layer_ids=filters.pop("layers", EVERY_LAYER),
                                                    **filters))


@pytest.mark.parametrize(("written", "position"), [
    ("2024", 2024.0), ("2024-07", 2024.5), ("2024-01-01", 2024.0),
    ("2024-12-31", 2024 + 11 / 12 + 30 / 365),
])
def test_year_position(written, position):
    assert year_position(written) == pytest.approx(position)


def test_as_of_is_the_end_of_the_year_or_today():
    assert as_of_position(2022, TODAY) == 2023.0
    assert as_of_position(None, TODAY) == pytest.approx(2026.5, abs=0.01)


def test_an_opened_feature_runs_announced_started_open():
    phases = feature_phases(FAB1, "JASM", "en", until=2026.5)
    assert [p.phase for p in phases] == ["announced", "under way", "open / in effect"]
    assert [round(p.start, 2) for p in phases] == [2021.86, 2022.3, 2024.15]
    assert phases[0].end == phases[1].start and phases[1].end == phases[2].start
    assert phases[-1].end == 2026.5
    assert phases[0].dates == "2021-11-09 → 2022-04-21"
    assert {p.name for p in phases} == {"JASM Fab 1"}


def test_a_feature_under_way_runs_to_its_target_year():
    phases = feature_phases(FAB2, "JASM", "ja", until=2026.5)
    assert [p.phase for p in phases] == ["発表後", "着工後"]
    assert phases[-1].end == 2027.0
    assert phases[-1].dates == "2025-10 → 2027"


def test_a_feature_with_only_a_target_year_is_one_bar_in_that_year():
    target_only = replace(FAB2, announced=None, started=None)
    (phase,) = feature_phases(target_only, "JASM", "en", until=2026.5)
    assert (phase.phase, phase.start, phase.end) == ("target year", 2027.0, 2028.0)


def test_undated_features_have_no_bars_and_bars_are_never_empty():
    undated = RESULT.feature("st-haramizu")[1]
    assert feature_phases(undated, "Stations", "en", until=2026.5) == ()
    same_day = replace(FAB1, started="2024-02-24", opened="2024-02-24")
    assert all(p.end - p.start >= 0.25 for p in feature_phases(same_day, "JASM", "en", 2024.2))


def test_timeline_follows_the_filters_earliest_feature_first():
    assert {p.feature_id for p in timeline_phases(view_of(), "en", 2026.5)} == {
        "jasm-fab1", "jasm-fab2", "st-new-kikuyo"}
    ids = [p.feature_id for p in timeline_phases(view_of(), "en", 2026.5)]
    assert ids.index("jasm-fab1") < ids.index("st-new-kikuyo") < ids.index("jasm-fab2")
    assert {p.feature_id for p in timeline_phases(view_of(year=2022), "en", 2023.0)} == {
        "jasm-fab1"}
    assert timeline_phases(view_of(layers=frozenset({"rail"})), "en", 2026.5) == ()


def test_events_up_to_the_as_of_year():
    assert [e.date for e in event_marks(RESULT.events, None, "en")] == ["2021-11-09", "2024-02-06"]
    assert [e.date for e in event_marks(RESULT.events, 2023, "en")] == ["2021-11-09"]


def test_counts_by_layer_leave_empty_layers_out():
    counts = layer_counts(view_of(categories=frozenset({"station"})), "en")
    assert counts == (Amount("Stations", "stations", 2),)


def test_zone_areas_by_status_in_hectares():
    assert zone_areas(view_of(), "en") == (Amount("JASM", "operating", 21.3),)
    assert zone_areas(view_of(year=2022), "zh-TW") == (Amount("JASM", "興建中", 21.3),)
    # Lines and points are no zones, even with an area.
    assert zone_areas(view_of(layers=frozenset({"stations"})), "en") == ()


def test_counts_by_origin_use_the_translated_names():
    view = view_of()
    assert count_amounts(count_by(view, "origin"), str.upper) == ()
    amounts = count_amounts((("TW", 3), ("JP", 1)), {"TW": "台湾", "JP": "日本"}.get)
    assert amounts == (Amount("台湾", "TW", 3), Amount("日本", "JP", 1))


def test_layer_colours_are_the_map_colours():
    assert layer_colors(view_of(), "en") == (
        ["JASM", "Railways", "Stations"], ["#d32f2f", "#1565c0", "#0d47a1"])


def spec_of(chart) -> dict:
    return chart.to_dict()


def test_timeline_chart_has_bars_events_and_the_as_of_rule():
    view = view_of()
    chart = timeline_chart(timeline_phases(view, "en", 2026.5),
                           event_marks(RESULT.events, None, "en"), 2026.5,
                           layer_colors(view, "en"), "en")
    spec = spec_of(chart)
    marks = [layer["mark"]["type"] for layer in spec["layer"]]
    assert marks == ["bar", "point", "rule"]
    bars = spec["layer"][0]["encoding"]
    assert bars["color"]["scale"]["range"] == ["#d32f2f", "#1565c0", "#0d47a1"]
    assert [tip["title"] for tip in bars["tooltip"]] == ["Name", "Layer", "Phase", "Dates"]
    assert [param["name"] for param in spec["params"]] == ["pick"]
    assert spec["layer"][0]["encoding"]["x"]["axis"]["title"] == "Year"
    rule = spec["datasets"][spec["layer"][2]["data"]["name"]]
    assert rule == [{"position": 2026.5, "label": "As of year"}]


def test_the_rule_follows_the_pages_input_once_it_holds_a_value():
    view = view_of()
    spec = spec_of(timeline_chart(timeline_phases(view, "en", 2023.0), (), 2023.0,
                                  layer_colors(view, "en"), "en", AS_OF_INPUT))
    bound = [param for param in spec["params"] if param["name"] == AS_OF_PARAM]
    assert bound == [{"name": AS_OF_PARAM, "bind": {"element": f"#{AS_OF_INPUT}"}}]
    rule = spec["layer"][-1]
    assert rule["mark"]["type"] == "rule" and rule["encoding"]["x"]["field"] == "position"
    # The input's text when it has one, else the server's position (an empty input).
    assert rule["transform"] == [{"calculate": f"{AS_OF_PARAM} ? toNumber({AS_OF_PARAM}) "
                                               ": datum.position", "as": "position"}]
    assert spec["datasets"][rule["data"]["name"]] == [{"position": 2023.0, "label": "As of year"}]


def test_the_rule_has_a_position_for_every_year_option():
    positions = as_of_positions([2021, 2022, 0], TODAY)
    assert positions == {2021: 2022.0, 2022: 2023.0, 0: as_of_position(None, TODAY)}


def test_timeline_chart_labels_follow_the_language():
    view = view_of()
    spec = spec_of(timeline_chart(timeline_phases(view, "ja", 2026.5), (), 2026.5,
                                  layer_colors(view, "ja"), "ja"))
    assert spec["layer"][0]["encoding"]["x"]["axis"]["title"] == "年"
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["bar", "rule"]


def test_no_chart_without_anything_to_draw():
    assert timeline_chart((), (), 2026.5, ([], []), "en") is None
    assert bar_chart((), "Features", "Layer") is None


def test_summary_bars_colour_by_group_or_by_layer():
    stacked = spec_of(bar_chart((Amount("JASM", "operating", 21.3),), "Area (ha)", "Layer",
                                "Status"))
    assert stacked["encoding"]["color"]["field"] == "group"
    assert stacked["encoding"]["x"]["title"] == "Area (ha)"
    by_layer = spec_of(bar_chart(layer_counts(view_of(), "en"), "Features", "Layer",
                                 colors=(["JASM"], ["#d32f2f"])))
    assert by_layer["encoding"]["color"]["scale"]["range"] == ["#d32f2f"]


def test_statuses_as_of_year_feed_the_areas():
    fab1_status = [s.status for lv in view_of(year=2022).layers for s in lv.shown
                   if s.feature.id == "jasm-fab1"]
    assert fab1_status == [Status.UNDER_CONSTRUCTION]
