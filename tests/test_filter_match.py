"""The browser's filters (js/lib/filters.js) show the features the server's do
(filters.shown_status), with the same status as of the year: one table of filter states,
tests/data/filter_cases.json, run against both over the real data and features made to
sit on every edge of status_as_of."""

import json
import subprocess
from pathlib import Path

import pytest

from kumamap.bundle import FILTERS_SCRIPT
from kumamap.catalog import load_catalog
from kumamap.filters import FilterState, shown_status, status_as_of
from kumamap.mapdata import filter_data
from kumamap.model import Feature, Status
from kumamap.permalink import TODAY, filter_state
from kumamap.validate import read_feature
from tests.builders import GEO, raw_feature
from tests.node import NODE, in_node, needs_node
from tests.test_details import LAYER

CASES = json.loads((Path(__file__).parent / "data" / "filter_cases.json")
                   .read_text(encoding="utf-8"))
NO_FILTER = {"category": [], "status": [], "year": TODAY, "prefecture": [], "origin": [],
             "sector": [], "text": ""}


def made(**changes) -> Feature:
    return read_feature(raw_feature(**changes), LAYER)


# Every branch of status_as_of: dates missing, in the future, started but not opened.
EDGES = (
    made(id="operating-dated"),
    made(id="operating-not-started", started=None),
    made(id="operating-undated", announced=None, started=None, opened=None),
    made(id="designated-opened-later", status="designated", started=None),
    made(id="planned-announced", status="planned", opened=None, started=None),
    made(id="existing-old", status="existing", announced=None, started=None,
         opened="1970-01-01"),
)


def features() -> list[Feature]:
    return [f for layer in load_catalog(GEO).layers for f in layer.features] + list(EDGES)


def state_of(filters: dict) -> FilterState:
    values = {**NO_FILTER, **filters}
    state = {name: frozenset(value) if isinstance(value, list) else value
             for name, value in values.items()}
    return filter_state({**state, "layers": frozenset()})


def in_python(feature: Feature, filters: dict) -> str | None:
    status = shown_status(feature, state_of(filters))
    return None if status is None else status.value


def in_javascript(data: list[dict], cases: list[dict]) -> list[list[str | None]]:
    """filters.js's status of each feature (null: hidden) under each case's filters."""
    return in_node(FILTERS_SCRIPT, """(filters, {data, cases}) => cases.map((filter) => {
        const shown = filters.matcher(filter); return data.map(shown); })""",
                   {"data": data, "cases": cases})


def test_the_cases_reach_every_edge():
    """Each case shows something of the data (unless it is meant to hide all), and the
    years reach every status status_as_of can give."""
    every = features()
    for case in CASES:
        shown = [in_python(f, case["filters"]) for f in every]
        assert any(shown) or "hides all" in case["why"], case["why"]
    years = {case["filters"].get("year") for case in CASES}
    assert {status_as_of(f, year) for f in EDGES for year in years if year} >= {
        None, Status.PLANNED, Status.UNDER_CONSTRUCTION, Status.PROPOSED, Status.OPERATING}


@needs_node
def test_javascript_shows_what_python_shows_in_every_case():
    every = features()
    cases = [{**NO_FILTER, **case["filters"]} for case in CASES]
    found = in_javascript([filter_data(f) for f in every], cases)
    wrong = [(case["why"], feature.id, in_python(feature, case["filters"]), got)
             for case, statuses in zip(CASES, found)
             for feature, got in zip(every, statuses)
             if got != in_python(feature, case["filters"])]
    assert not wrong, wrong[:10]


@pytest.mark.parametrize(("key", "status", "expected"), [
    ("operating|exact|TW", "planned", "planned|exact|TW"),
    ("designated|schematic|", "proposed", "proposed|schematic|"),
])
@needs_node
def test_javascript_style_key_takes_the_status_of_the_year(key, status, expected):
    program = ("const f = require(process.argv[1]);"
               "process.stdout.write(f.styleKey(process.argv[2], process.argv[3]));")
    done = subprocess.run([NODE or "node", "-e", program, str(FILTERS_SCRIPT), key, status],
                          capture_output=True, text=True, check=True, timeout=60)
    assert done.stdout == expected
