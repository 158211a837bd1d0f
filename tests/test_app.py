"""The page script under Streamlit's AppTest (no browser; st_folium returns its defaults)."""

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kumamap.ui import SELECTED
from tests.builders import MINI, copy_mini

APP = str(Path(__file__).parent.parent / "app.py")


def run_app(monkeypatch, root: Path) -> AppTest:
    monkeypatch.setenv("KUMAMAP_DATA", str(root))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def unescape(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", markdown)


def shown_count(at: AppTest) -> int:
    captions = [c.value for c in at.caption if "features shown" in c.value]
    assert len(captions) == 1, [c.value for c in at.caption]
    return int(captions[0].split()[0])


@pytest.fixture
def app(monkeypatch):
    return run_app(monkeypatch, MINI)


def test_starts_with_sidebar_widgets(app):
    assert app.radio(key="lang").value == "en"
    assert [c.label for c in app.sidebar.checkbox] == ["JASM", "Railways", "Stations"]
    assert app.multiselect(key="category").options
    assert app.multiselect(key="status").options
    assert app.select_slider(key="year").value == 0
    assert app.text_input(key="text").value == ""
    assert not app.error
    # Rail is hidden by default: 2 fabs + 2 stations.
    assert shown_count(app) == 4


def test_layer_toggle_changes_count(app):
    app.checkbox(key="layer_rail").check().run()
    assert shown_count(app) == 5
    app.checkbox(key="layer_jasm").uncheck().run()
    assert shown_count(app) == 3


def test_filters_change_what_is_shown(app):
    app.multiselect(key="category").set_value(["station"]).run()
    assert shown_count(app) == 2
    app.text_input(key="text").input("原水").run()
    assert shown_count(app) == 1


def test_year_filter(app):
    app.select_slider(key="year").set_value(2022).run()
    assert shown_count(app) == 2  # fab 1 (under construction) and Haramizu station


def test_language_switch_changes_labels(app):
    assert app.title[0].value == "Kumamoto distributed science park"
    app.radio(key="lang").set_value("ja").run()
    assert app.title[0].value == "くまもと分散型サイエンスパーク"
    assert [c.label for c in app.sidebar.checkbox] == ["JASM", "鉄道", "駅"]
    app.radio(key="lang").set_value("zh-TW").run()
    assert app.multiselect(key="status").label == "狀態"


def test_details_of_selected_feature(app):
    assert "Click a zone" in app.info[0].value
    app.session_state[SELECTED] = "jasm-fab1"
    app.run()
    details = [m.value for m in app.markdown if m.value.startswith("### ")]
    assert details and details[0].startswith("### JASM Fab 1")
    assert "taiwannews.com.tw" in details[0]


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
    at.checkbox(key="layer_rail").check().run()
    at.multiselect(key="category").set_value(["fab"]).run()
    at.text_input(key="text").input("<b>").run()
    at.session_state[SELECTED] = "jasm-fab1"
    at.radio(key="lang").set_value("zh-TW").run()
    assert not at.exception
    assert snapshot(root) == before
    assert sorted(p.name for p in root.iterdir()) == sorted(before)
