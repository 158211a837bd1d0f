"""kumamap against a naive baseline, both measured in the same run; see benchmarks/README.md.

    .venv/bin/python -m benchmarks.run [--runs 5] [--scale 1000,10000] [--markdown FILE]
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, sync_playwright
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from streamlit.testing.v1 import AppTest

from benchmarks import browser
from benchmarks.baseline.app import read_layer_entries, read_layers
from benchmarks.figures import DEFAULT, Samples, markdown, plain, scale_label, table_rows
from benchmarks.synthetic import write_scaled_copy
from kumamap.catalog import load_catalog
from kumamap.filters import FilterState, apply_filters
from tests.e2e.server import CHROMIUM_ARGS, ROOT, chromium_path, start_app

GEO = ROOT / "geo"
TOGGLED = "jasm"  # a small visible layer: a toggle costs the redraw, not the data
QUERY = "原水"  # matches the same few features in both apps
CLICKED = "jasm-fab1"
MEMORY_TOGGLED = "stations"  # has matches while QUERY is set
INTERACTIONS = ("click", "toggle", "filter")  # the samples of a visit that are reruns
APP_TEST_TIMEOUT_S = 300
NO_LAYER: frozenset[str] = frozenset()


def drawn_count(geometries: Iterable[BaseGeometry]) -> int:
    """Shapes Leaflet draws: one per geometry, one per point of a MultiPoint."""
    return sum(len(g.geoms) if g.geom_type == "MultiPoint" else 1 for g in geometries)


def kumamap_count(data: Path, hidden: frozenset[str], query: str) -> int:
    result = load_catalog(data)
    shown = frozenset(layer.id for layer in result.layers if layer.visible) - hidden
    view = apply_filters(result.layers, FilterState(layer_ids=shown, text=query))
    return drawn_count(shape(s.feature.geometry) for lv in view.layers for s in lv.shown)


def baseline_count(data: Path, hidden: frozenset[str], query: str) -> int:
    frames = read_layers(data, query)
    shown = [e["id"] for e in read_layer_entries(data) if e.get("visible", True)]
    return drawn_count(g for layer_id in shown if layer_id not in hidden
                       for g in frames[layer_id].geometry)


@dataclass(frozen=True)
class App:
    name: str
    script: Path
    count: Callable[[Path, frozenset[str], str], int]  # shapes drawn for (data, hidden, query)


APPS = (App("kumamap", ROOT / "app.py", kumamap_count),
        App("baseline", Path(__file__).parent / "baseline" / "app.py", baseline_count))


@dataclass(frozen=True)
class Expected:
    """What the page must show; each app's own logic says how many shapes."""

    opened: int
    toggled: int  # TOGGLED hidden
    filtered: int  # QUERY set
    filtered_toggled: int  # QUERY set, MEMORY_TOGGLED hidden
    clicked_name: str

    @classmethod
    def of(cls, app: App, data: Path) -> Expected:
        _, feature = load_catalog(data).feature(CLICKED)
        return cls(app.count(data, NO_LAYER, ""), app.count(data, frozenset({TOGGLED}), ""),
                   app.count(data, NO_LAYER, QUERY),
                   app.count(data, frozenset({MEMORY_TOGGLED}), QUERY), feature.name.en)


def one_visit(context: BrowserContext, url: str, expected: Expected) -> Samples:
    """Open the page, click a feature, toggle a layer off and on, filter by text."""
    page = context.new_page()
    sizes = browser.watch_map_messages(page)
    shapes = browser.timed(page, lambda: page.goto(url, wait_until="commit"),
                           lambda: browser.wait_for_map(page, expected.opened))
    click = browser.timed(page, browser.click_on_feature(page, CLICKED),
                          lambda: browser.wait_for_details(page, expected.clicked_name))
    toggles = [browser.timed(page, lambda: browser.toggle(page, TOGGLED),
                             lambda count=count: browser.wait_for_map(page, count))
               for count in (expected.toggled, expected.opened)]
    filtered = browser.timed(page, lambda: browser.search(page, QUERY),
                             lambda: browser.wait_for_map(page, expected.filtered))
    page.close()
    return {"shapes": [shapes], "click": [click], "toggle": toggles, "filter": [filtered],
            "payload": [sizes[0] / 1000]}


def interact(context: BrowserContext, url: str, expected: Expected, interactions: int) -> None:
    """Set QUERY, then toggle MEMORY_TOGGLED back and forth: `interactions` reruns in all
    (at least one), each cheap in the browser and a full script run on the server."""
    page = context.new_page()
    page.goto(url)
    browser.wait_for_map(page, expected.opened)
    browser.timed(page, lambda: browser.search(page, QUERY),
                  lambda: browser.wait_for_map(page, expected.filtered))
    for number in range(interactions - 1):
        count = expected.filtered_toggled if number % 2 == 0 else expected.filtered
        browser.timed(page, lambda: browser.toggle(page, MEMORY_TOGGLED),
                      lambda count=count: browser.wait_for_map(page, count))
    page.close()


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def in_browser(chromium: Browser, app: App, data: Path, runs: int,
               interactions: int) -> tuple[Samples, set[str]]:
    """Timed visits after a warm-up visit; then more reruns, up to `interactions` in all,
    and the server's memory. Also returns the outside URLs that were served empty."""
    expected = Expected.of(app, data)
    offline = browser.Offline()
    url, process = start_app(data, app.script)
    try:
        with browser.offline_context(chromium, offline) as context:
            warm_up = one_visit(context, url, expected)  # loads and caches on the server
            visits = [one_visit(context, url, expected) for _ in range(runs)]
            done = sum(len(visit[key]) for visit in [warm_up, *visits] for key in INTERACTIONS)
            interact(context, url, expected, interactions - done)
            rss = rss_mib(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)
    samples = {key: [value for visit in visits for value in visit[key]] for key in visits[0]}
    return {**samples, "rss": [rss]}, offline.stubbed


def rerun_seconds(app: App, data: Path, runs: int) -> list[float]:
    """Script time of the rerun a layer toggle causes, in this process (AppTest)."""
    os.environ["KUMAMAP_DATA"] = str(data)
    test = AppTest.from_file(str(app.script), default_timeout=APP_TEST_TIMEOUT_S).run()
    seconds = []
    for _ in range(runs):
        box = test.checkbox(key=f"layer_{TOGGLED}")
        changed = box.uncheck() if box.value else box.check()
        start = time.perf_counter()
        changed.run()
        seconds.append(time.perf_counter() - start)
    if test.exception:
        raise RuntimeError(f"{app.name}: {[e.message for e in test.exception]}")
    return seconds


def data_sets(workdir: Path, sizes: list[int]) -> dict[str, Path]:
    """A private copy of geo/ (others may edit it meanwhile), and one per synthetic size."""
    sets = {DEFAULT: Path(shutil.copytree(GEO, workdir / DEFAULT))}
    for size in sizes:
        sets[scale_label(size)] = write_scaled_copy(GEO, workdir / f"synthetic-{size}", size)
    return sets


def machine() -> str:
    memory = next(line.split(":")[1].strip() for line in Path("/proc/meminfo").read_text()
                  .splitlines() if line.startswith("MemTotal"))
    commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip() or "unknown"
    now = datetime.datetime.now().astimezone()
    return f"{now:%Y-%m-%d %H:%M %Z}; {os.cpu_count()} CPUs; MemTotal {memory}; commit {commit}"


def measure(sizes: list[int], runs: int, interactions: int
            ) -> tuple[dict[str, dict[str, Samples]], dict[str, set[str]]]:
    """data set -> app -> samples, and app -> outside URLs served empty."""
    results: dict[str, dict[str, Samples]] = {}
    stubbed: dict[str, set[str]] = {app.name: set() for app in APPS}
    with tempfile.TemporaryDirectory(prefix="kumamap-bench-") as workdir, sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        for label, data in data_sets(Path(workdir), sizes).items():
            results[label] = {}
            for app in APPS:
                print(f"{label}: {app.name} ...", file=sys.stderr, flush=True)
                samples, served_empty = in_browser(chromium, app, data, runs, interactions)
                results[label][app.name] = {**samples, "rerun": rerun_seconds(app, data, runs)}
                stubbed[app.name] |= served_empty
        chromium.close()
    return results, stubbed


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed visits per app and data set")
    parser.add_argument("--scale", default="", help="synthetic layer sizes, e.g. 1000,10000")
    parser.add_argument("--interactions", type=int, default=50,
                        help="reruns before the memory is read, the timed ones included")
    parser.add_argument("--markdown", type=Path, help="also write the table here")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    results, stubbed = measure([int(s) for s in args.scale.split(",") if s], args.runs,
                               args.interactions)
    rows = table_rows(results)
    notes = [f"{machine()}; {time.perf_counter() - started:.0f} s for the whole run",
             *(f"{name}: outside files served empty: {', '.join(sorted(urls)) or 'none'}"
               for name, urls in stubbed.items())]
    print(plain(rows), *notes, sep="\n")
    if args.markdown:
        text = markdown(rows) + "\n\n" + "".join(f"- {note}\n" for note in notes)
        args.markdown.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
