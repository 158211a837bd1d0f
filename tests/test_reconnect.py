"""A page that reconnects to a new server process (its replica died, the server restarted)
keeps what the reader did last, though its URL is one action behind. Issue 15, failover.

The new process gets a session it has never seen, whose first run carries the page's
widget values: simulated here by a second AppTest (a new session) run with the widget
states of the first one's page.
"""

import json

from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates
from streamlit.testing.v1 import AppTest

from kumamap.i18n import t
from kumamap.sidebar import LAYER_REQUEST, RECONNECTED, SELECTED, VISIBLE
from tests.builders import controls_args, filters
from tests.test_app import details_heading, run_link, shown_count_ja


def reconnect(page: AppTest, **typed: str) -> AppTest:
    """A new session opened by `page` as it is now: its URL and its widgets' values, its
    controls holding what the reader `typed` (filter -> text) since its last run."""
    again = AppTest.from_file(page._script_path, default_timeout=60)
    for name in page.query_params:
        again.query_params[name] = page.query_params[name]
    states = WidgetStates()
    states.widgets.extend(page._tree.get_widget_states().widgets)
    if typed:
        # The controls' report (AppTest cannot type in a component frame).
        controls = next(element.proto for element in page.get("component_instance")
                        if element.proto.component_name.endswith("layer_switch"))
        report = {"request": page.session_state[LAYER_REQUEST],
                  "visible": sorted(page.session_state[VISIBLE]),
                  "filters": {**controls_args(page)["filters"], **typed}}
        states.widgets.append(WidgetState(id=controls.id, json_value=json.dumps(report)))
    again._run(states)
    assert not again.exception, [e.message for e in again.exception]
    return again


def test_the_action_that_follows_a_reconnect_is_kept(monkeypatch):
    page = run_link(monkeypatch, {"lang": "ja", "sel": "st-haramizu"})
    # The reader types a filter; the server that would run it is gone.
    assert page.query_params.get("text") is None  # the URL does not have it yet

    again = reconnect(page, text="原水")
    assert filters(again)["text"] == "原水"  # the action, kept
    assert controls_args(again)["filters"]["text"] == "原水"  # and the controls follow it
    assert again.radio(key="lang").value == "ja"  # the widgets the page held
    assert again.query_params["text"] == "原水"  # and the URL catches up
    assert shown_count_ja(again) == 1
    # What no widget holds comes from the link: the selection.
    assert again.session_state[SELECTED] == "st-haramizu"
    assert details_heading(again).startswith("### 原水駅")
    assert RECONNECTED not in again.session_state  # for the first run only
    # The page was drawn in full: its first run here draws all of it, tabs too.
    assert [tab.label for tab in again.tabs] == [t(f"tab_{name}", "ja") for name in ("story", "table", "charts")]


def test_a_newly_opened_page_takes_everything_from_its_link(monkeypatch):
    # Were it taken for a reconnect, the link's filter would not reach the empty widget.
    page = run_link(monkeypatch, {"lang": "ja", "text": "原水"})
    assert filters(page)["text"] == "原水"
    assert shown_count_ja(page) == 1
