"""The page script under Streamlit's AppTest (no browser; st_folium returns its defaults)."""

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kumamap.i18n import t
from kumamap.sidebar import VISIBLE
from kumamap.ui import SELECTED
from tests.builders import MINI, controls_args, copy_mini, filters, set_filters

APP = str(Path(__file__).parent.parent / "app.py")


def run_app(monkeypatch, root: Path) -> AppTest:
    monkeypatch.setenv("KUMAMAP_DATA", str(root))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, [e.message for e in at.exception]
    return map_drawn(at)


def map_drawn(at: AppTest) -> AppTest:
    """The run a page asks for once its map has drawn: the part below the map follows
    (mapfirst; the browser tests show the page asking by itself)."""
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def is_on(at: AppTest, layer_id: str) -> bool:
    return layer_id in at.session_state[VISIBLE]


def switch_layer(at: AppTest, layer_id: str, on: bool) -> AppTest:
    """What the sidebar's layer switch reports after a click (AppTest cannot click in a
    component frame; the browser tests do)."""
    visible = set(at.session_state[VISIBLE])
    at.session_state[VISIBLE] = frozenset(visible | {layer_id} if on else visible - {layer_id})
    return at.run()


def unescape(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def shown_count(at: AppTest, shown: str = "features shown") -> int:
    captions = [m.value for m in at.markdown if shown in m.value]
    assert len(captions) == 1, [m.value for m in at.markdown]
    return int(captions[0].split()[0])


def shown_count_ja(at: AppTest) -> int:
    return shown_count(at, t("shown", "ja"))


def panel_is_open(at: AppTest) -> bool:
    """The panel beside the map is drawn (its close button is its first widget)."""
    return any(button.key == "close_panel" for button in at.button)


def details_heading(at: AppTest) -> str:
    headings = [m.value for m in at.markdown if m.value.startswith("### ")]
    assert len(headings) == 1, headings
    return headings[0]


@pytest.fixture
def app(monkeypatch):
    return run_app(monkeypatch, MINI)


def test_starts_with_sidebar_widgets(app):
    assert app.radio(key="lang").value == "en"
    assert sorted(app.session_state[VISIBLE]) == ["jasm", "stations"]
    assert app.checkbox(key="rings").value is False
    texts = controls_args(app)["texts"]
    assert [choice["name"] for choice in texts["chosen"]] == ["category", "status"]
    assert texts["year"]["options"][-1] == {"value": 0, "label": "Today"}
    assert filters(app) == {"category": [], "status": [], "year": 0, "prefecture": [],
                            "origin": [], "sector": [], "text": ""}
    assert not app.error
    # Rail is hidden by default: 2 fabs + 2 stations.
    assert shown_count(app) == 4


def test_layer_toggle_changes_count(app):
    switch_layer(app, "rail", True)
    assert shown_count(app) == 5
    switch_layer(app, "jasm", False)
    assert shown_count(app) == 3
    assert sorted(app.query_params["layers"]) == ["rail", "stations"]


def test_filters_change_what_is_shown(app):
    set_filters(app, category=["station"])
    assert shown_count(app) == 2
    set_filters(app, text="原水")
    assert shown_count(app) == 1


def test_year_filter(app):
    set_filters(app, year=2022)
    assert shown_count(app) == 2  # fab 1 (under construction) and Haramizu station


def test_language_switch_changes_labels(app):
    assert app.title[0].value == "Kumamoto distributed science park"
    app.radio(key="lang").set_value("ja").run()
    assert app.title[0].value == "くまもと分散型サイエンスパーク"
    assert [c.label for c in app.sidebar.checkbox] == ["JASMからの距離の円"]
    app.radio(key="lang").set_value("zh-TW").run()
    assert controls_args(app)["texts"]["chosen"][1]["legend"] == "狀態"


def test_details_of_selected_feature_open_beside_the_map_and_close(app):
    # Nothing selected: no panel (the map takes its room); the hint is in the title's help.
    assert not panel_is_open(app)
    assert "Click a zone" in app.title[0].proto.help
    app.session_state[SELECTED] = "jasm-fab1"
    app.run()
    details = [m.value for m in app.markdown if m.value.startswith("### ")]
    assert details and details[0].startswith("### JASM Fab 1")
    assert "taiwannews.com.tw" in details[0]
    assert panel_is_open(app)
    app.button(key="close_panel").click().run()
    assert app.session_state[SELECTED] is None
    assert not panel_is_open(app)
    assert not [m for m in app.markdown if m.value.startswith("### JASM")]


def test_broken_layer_is_named_and_the_rest_loads(monkeypatch, tmp_path):
    root = copy_mini(tmp_path)
    (root / "stations.geojson").write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    at = run_app(monkeypatch, root)
    assert len(at.error) == 1
    assert "geo/stations.geojson: is not valid JSON" in unescape(at.error[0].value)
    assert shown_count(at) == 2  # the two fabs still draw


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(root.iterdir()) if p.is_file()}


def test_the_app_never_writes_to_its_data(monkeypatch, tmp_path):
    root = copy_mini(tmp_path)
    before = snapshot(root)
    at = run_app(monkeypatch, root)
    switch_layer(at, "rail", True)
    set_filters(at, category=["fab"])
    set_filters(at, text="<b>")
    at.session_state[SELECTED] = "jasm-fab1"
    at.radio(key="lang").set_value("zh-TW").run()
    assert not at.exception
    assert snapshot(root) == before
    assert sorted(p.name for p in root.iterdir()) == sorted(before)


def run_link(monkeypatch, params: dict[str, str | list[str]], root: Path = MINI) -> AppTest:
    """The page on `root`'s data, opened from a link with these query parameters."""
    monkeypatch.setenv("KUMAMAP_DATA", str(root))
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return map_drawn(at)


def test_a_link_restores_language_filters_layers_and_selection(monkeypatch):
    at = run_link(monkeypatch, {"lang": "ja", "category": "station", "layers": ["rail", "stations"],
                                "year": "2022", "sel": "st-haramizu", "text": "原水"})
    assert at.title[0].value == "くまもと分散型サイエンスパーク"
    assert filters(at)["category"] == ["station"]
    assert is_on(at, "rail") and not is_on(at, "jasm")
    assert filters(at)["year"] == 2022
    # The browser's controls and map are drawn with the link's filters as a request.
    assert controls_args(at)["filters"] == {**filters(at), "text": "原水"}
    assert shown_count_ja(at) == 1
    assert details_heading(at).startswith("### 原水駅")
    assert not at.warning


def test_a_tampered_link_is_ignored_with_a_notice_and_the_page_works(monkeypatch):
    at = run_link(monkeypatch, {"status": ["planned", "<b>bogus</b>"], "sel": "no-such-id",
                                "utm_source": "x", "lat": "abc", "lon": "130.8", "z": "12",
                                "year": "1066"})
    notice = unescape(at.warning[0].value)
    for part in ("status=<b>bogus</b>", "sel=no-such-id", "utm_source=x", "lat=abc", "year=1066"):
        assert part in notice
    assert "<b>" not in at.warning[0].value  # escaped, shown literally
    assert filters(at)["status"] == ["planned"]
    assert not panel_is_open(at)  # the unknown selection is not selected


def test_an_ignored_layers_value_leaves_the_default_layers(monkeypatch):
    at = run_link(monkeypatch, {"layers": "nope"})
    assert "layers=nope" in unescape(at.warning[0].value)
    assert sorted(at.session_state[VISIBLE]) == ["jasm", "stations"]
    assert shown_count(at) == 4
    assert "layers" not in at.query_params  # not `layers=`, which means "none"


def test_ignored_view_and_unknown_parameters_leave_the_url_after_the_notice(monkeypatch):
    at = run_link(monkeypatch, {"lat": "abc", "lon": "130.8", "z": "12", "utm_source": "x",
                                "status": "planned"})
    notice = unescape(at.warning[0].value)
    assert "lat=abc" in notice and "utm_source=x" in notice
    assert sorted(at.query_params) == ["status"]
    at.run()
    assert sorted(at.query_params) == ["status"]
    assert at.warning  # this reader still sees what was ignored


def test_a_valid_map_view_stays_in_the_url(monkeypatch):
    at = run_link(monkeypatch, {"lat": "32.9", "lon": "130.8", "z": "12"})
    assert not at.warning
    assert sorted(at.query_params) == ["lat", "lon", "z"]


def test_the_selection_goes_into_the_link(app):
    app.session_state[SELECTED] = "jasm-fab2"
    app.run()
    assert app.query_params["sel"] == "jasm-fab2"


def test_find_selects_the_best_match_and_turns_its_layer_on(app):
    assert not is_on(app, "rail")
    app.text_input(key="find").input("hohi").run()
    assert app.session_state[SELECTED] == "rail-hohi"
    assert is_on(app, "rail")
    assert details_heading(app).startswith("### JR Hohi Line")


def test_find_offers_the_other_matches(app):
    app.text_input(key="find").input("station").run()
    assert app.session_state[SELECTED] == "st-haramizu"
    others = [b for b in app.sidebar.button if b.key and b.key.startswith("found_")]
    assert [b.key for b in others] == ["found_st-new-kikuyo"]
    others[0].click().run()
    assert app.session_state[SELECTED] == "st-new-kikuyo"


def test_find_says_when_nothing_matches(app):
    app.text_input(key="find").input("Hsinchu").run()
    assert any("No place" in m.value for m in app.sidebar.markdown)


def test_details_give_distances_from_jasm_and_the_nearest_station(app):
    app.session_state[SELECTED] = "jasm-fab2"
    app.run()
    reach = [m.value for m in app.markdown if "Distance from" in m.value]
    assert len(reach) == 1
    assert re.search(r"Distance from JASM Fab 1.*:\*\* \d+ m|\d+\.\d km", unescape(reach[0]))
    assert "Nearest station" in reach[0]


def test_rings_and_downloads_are_offered(app):
    app.checkbox(key="rings").check().run()
    assert not app.exception
    downloads = app.get("download_button")
    assert len(downloads) == 3


def test_a_language_switch_keeps_every_filter(app):
    set_filters(app, year=2022)
    set_filters(app, category=["station"])
    app.radio(key="lang").set_value("ja").run()
    assert filters(app)["year"] == 2022
    assert filters(app)["category"] == ["station"]
    assert app.query_params["year"] == "2022"
