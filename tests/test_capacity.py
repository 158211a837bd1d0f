"""The capacity benchmark's pure parts: how a reader's choices become the values the page
sends, how they are encoded in the protocol, and the percentile it reports."""

from __future__ import annotations

import json

from streamlit.components.v2.bidi_component.main import _make_trigger_id
from streamlit.proto.BackMsg_pb2 import BackMsg

from benchmarks.capacity import Page, Result, click, widget_value
from benchmarks.figures import percentile
from tests.stclient import Json, Widget, rerun_message, widget_name

STATUS = Widget("$$ID-abc-status", "multiselect", ("operating", "planned", "designated"))
LANG = Widget("$$ID-def-lang", "radio", ("繁體中文", "日本語", "English"))


def sent(message: bytes) -> dict[str, tuple[str, object]]:
    """widget id -> (the field set, its value), read back from a rerun BackMsg."""
    back = BackMsg()
    back.ParseFromString(message)
    out = {}
    for widget in back.rerun_script.widget_states.widgets:
        kind = widget.WhichOneof("value")
        value = getattr(widget, kind)
        out[widget.id] = (kind, list(value.data) if hasattr(value, "data") else value)
    return out


def test_each_kind_of_value_goes_into_the_field_streamlit_reads_for_it():
    message = rerun_message("lang=ja", {"t": "JASM", "m": ["operating"], "b": True, "i": 3,
                                        "d": 0.5, "c": Json('{"a": 1}')})
    assert sent(message) == {
        "t": ("string_value", "JASM"), "m": ("string_array_value", ["operating"]),
        "b": ("bool_value", True), "i": ("int_value", 3), "d": ("double_value", 0.5),
        "c": ("json_value", '{"a": 1}')}


def test_option_widgets_send_the_labels_of_the_chosen_positions():
    assert widget_value(STATUS, (2, 0)) == ["designated", "operating"]
    assert widget_value(STATUS, ()) == []
    assert widget_value(LANG, (1,)) == "日本語"
    assert widget_value(Widget("x-text", "text_input"), "ku") == "ku"


def test_a_choice_is_sent_in_the_labels_of_the_latest_run():
    page = Page({"status": STATUS}, {"status": (0,), "gone": "x"})
    assert page.message() == {STATUS.id: ["operating"]}
    page.widgets["status"] = Widget(STATUS.id, "multiselect", ("稼働中", "計画"))
    assert page.message() == {STATUS.id: ["稼働中"]}


def test_a_click_is_sent_once_as_the_hearers_trigger_with_the_feature_id():
    """As the page's hearer of the map's clicks sends it (mapclick): on the component's
    trigger id, the event "clicked" with the id, in the field Streamlit reads triggers from."""
    message = rerun_message("", {"$$ID-abc-map_click": click("jasm-fab1")})
    ((widget_id, (kind, value)),) = sent(message).items()
    assert widget_id == _make_trigger_id("$$ID-abc-map_click", "events")
    assert kind == "json_trigger_value"
    assert json.loads(value) == [{"event": "clicked", "value": "jasm-fab1"}]


def test_widgets_are_named_by_their_key_and_components_by_their_name():
    assert widget_name("radio", LANG) == "lang"

    class Component:
        id = "$$ID-aaf8-2410a1b9"
        component_name = "streamlit_folium.st_folium"

    assert widget_name("component_instance", Component()) == "streamlit_folium.st_folium"


def test_percentile_is_a_measured_value_never_an_interpolation():
    values = [float(n) for n in range(1, 21)]  # 1..20
    assert percentile(values, 0.95) == 19.0
    assert percentile(values, 0.5) in values
    assert percentile([0.3], 0.95) == 0.3


def test_a_level_is_within_only_below_the_limit_and_without_errors():
    def level(actions: list[float], errors: list[str]) -> Result:
        return Result(4, actions, [2.0], errors, 0, server_cpu_s=12.0, client_cpu_s=0.1,
                      wall_s=60.0)

    assert level([0.2] * 19 + [0.9], []).is_within  # one slow action in 20 is the 5 %
    assert not level([0.2] * 18 + [0.9] * 2, []).is_within
    assert not level([0.2] * 20, ["reader 3: refused"]).is_within
    assert not level([], []).is_within
    # 4 readers kept 0.2 of a core busy: a whole core would serve 20 at this pace.
    assert level([0.2], []).readers_per_busy_core == 20.0


def test_a_filter_is_the_controls_report_with_the_filters_chosen_so_far():
    from benchmarks.capacity import ACTIONS, CONTROLS

    args = {"visible": ["jasm"], "request": 3,
            "filters": {"status": [], "year": 0, "text": "", "category": []},
            "texts": {"chosen": [{"name": "status", "options": [{"value": "planned"}]}],
                      "year": {"options": [{"value": 2022}, {"value": 0}]}}}
    controls = Widget("$$ID-c", "component_instance", (), json.dumps(args))
    rng = __import__("random").Random(1)
    name, pick_year = ACTIONS["year"]
    assert name == CONTROLS
    first = pick_year(controls, rng, (), None)
    _, pick_text = ACTIONS["text"]
    report = json.loads(pick_text(controls, rng, (), first).text)
    assert report["request"] == 3 and report["visible"] == ["jasm"]
    assert report["filters"]["year"] == json.loads(first.text)["filters"]["year"] in (2022, 0)
    assert isinstance(report["filters"]["text"], str)
