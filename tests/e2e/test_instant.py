"""Issues 13 and 22's behaviour, not their speed (that is benchmarks/): switching a layer or
filtering sends no features, and a click shows a summary in the map before the server has
answered."""

from __future__ import annotations

from kumamap.model import Status
from tests.builders import GEO
from tests.e2e.helpers import (
    TIMEOUT_MS,
    choose,
    expect_shapes,
    open_app,
    ready_frame,
    toggle_checkbox,
    toggle_layer,
    type_text,
    wait_idle,
)
from tests.e2e.test_map import DEFAULT, predicted

# Counts the map frame's "render" messages: each carries the whole map (base map and
# every feature group), so a switch that sends no features sends none of them.
COUNT_RENDERS = """() => {
    window.kumamapRenders = 0;
    window.addEventListener("message", (event) => {
        if (event.data && event.data.type === "streamlit:render") { window.kumamapRenders += 1; }
    });
}"""


def test_switching_a_layer_or_filtering_sends_no_features_but_the_rings_do(page, serve):
    frame = open_app(page, serve(GEO))
    map_window = ready_frame(page)
    map_window.evaluate(COUNT_RENDERS)
    toggle_layer(page, "jasm")
    layer_ids = DEFAULT.layer_ids - {"jasm"}
    expect_shapes(frame, predicted(layer_ids=layer_ids))
    choose(page, "category", "Station")
    choose(page, "status", "operating")
    type_text(page, "Hikari")
    expect_shapes(frame, predicted(layer_ids=layer_ids, categories=frozenset({"station"}),
                                   statuses=frozenset({Status.OPERATING}), text="Hikari"))
    assert map_window.evaluate("() => window.kumamapRenders") == 0
    # The counter can see a render: the distance rings are drawn by the server's groups.
    toggle_checkbox(page, "rings")
    map_window.wait_for_function("() => window.kumamapRenders > 0", timeout=TIMEOUT_MS)


def test_a_click_shows_its_summary_in_the_map_before_the_server_answers(page, serve):
    open_app(page, serve(GEO))
    frame = ready_frame(page, "() => window.kumamapLayers && window.map_div.eachLayer")
    # Fire the click and read the summary in one turn of the frame's event loop: no
    # message from the server can have arrived in between.
    summary = frame.evaluate("""() => {
        let target = null;
        map_div.eachLayer((layer) => {
            if (layer.feature && layer.feature.properties.id === "jasm-fab1") { target = layer; }
        });
        target.fire("click", {latlng: target.getBounds().getCenter()}, true);
        const box = document.querySelector(".kumamap-summary");
        return [box.hidden, box.textContent];
    }""")
    assert summary[0] is False and "JASM Fab 1" in summary[1], summary
    wait_idle(page)
