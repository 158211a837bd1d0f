"""kumamap against a naive baseline, both measured in the same run; see benchmarks/README.md.

    .venv/bin/python -m benchmarks.run [--runs 5] [--scale 1000,10000] [--markdown FILE]
                                       [--before CHECKOUT]

--before adds kumamap at another checkout (a `git worktree` of an earlier commit), measured
in the same run, so a change is a ratio to its own before as well as to the baseline.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Locator, Page, sync_playwright
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from streamlit.testing.v1 import AppTest

from benchmarks import browser
from benchmarks.baseline.app import read_layer_entries, read_layers
from benchmarks.figures import (
    BEFORE,
    DEFAULT,
    Samples,
    markdown,
    plain,
    scale_label,
    table_header,
    table_rows,
)
from benchmarks.synthetic import LAYER_ID, write_scaled_copy
from kumamap.catalog import load_catalog
from kumamap.filters import FilterState, apply_filters
from kumamap.sidebar import FILTERS
from kumamap.tabs import chapter_box
from tests.e2e.server import CHROMIUM_ARGS, ROOT, chromium_path, start_app

GEO = ROOT / "geo"
TOGGLED = "jasm"  # a small visible layer: a toggle costs the redraw, not the data
QUERY = "原水"  # matches the same few features in both apps
CLICKED = "jasm-fab1"
MEMORY_TOGGLED = "stations"  # has matches while QUERY is set
# A story step: from this chapter to the next and back (other layers, another place).
STORY_FROM = 3
BIG_LAYER = LAYER_ID  # the synthetic layer of the scale runs, also switched off and on
INTERACTIONS = ("click", "toggle", "toggle_big", "filter")  # samples of a visit that rerun
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
    count: Callable[[Path, frozenset[str], str], int]  # features drawn for (data, hidden, query)
    switch: Callable[[Page, str], Locator]  # where a reader switches a layer
    in_map: str  # what a click shows at once in the map frame
    details: str  # the details panel below or beside the map, after the rerun
    source: Path | None = None  # the package folder it imports, if not the installed one
    tells_story: bool = True  # has the story's chapters (with Next and Previous) beside the map


KUMAMAP = App("kumamap", ROOT / "app.py", kumamap_count, browser.switch,
              ".kumamap-summary", ".st-key-details h3")
BASELINE = App("baseline", Path(__file__).parent / "baseline" / "app.py", baseline_count,
               browser.checkbox, ".leaflet-popup-content", ".st-key-details", tells_story=False)


def apps(before: Path | None) -> tuple[App, ...]:
    """kumamap, the baseline, and kumamap at the checkout `before` (it draws the same data:
    this checkout's count applies)."""
    if before is None:
        return KUMAMAP, BASELINE
    checkout = before.resolve()
    return KUMAMAP, BASELINE, replace(KUMAMAP, name=BEFORE, script=checkout / "app.py",
                                      source=checkout / "src")


@contextlib.contextmanager
def imports_from(source: Path | None) -> Iterator[None]:
    """The app server started inside imports kumamap from `source` (another checkout)."""
    if source is None:
        yield
        return
    saved = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(source)
    try:
        yield
    finally:
        if saved is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = saved


@dataclass(frozen=True)
class Expected:
    """What the page must show; each app's own logic says how many features."""

    opened: int
    toggled: int  # TOGGLED hidden
    filtered: int  # QUERY set
    filtered_toggled: int  # QUERY set, MEMORY_TOGGLED hidden
    big_toggled: int | None  # BIG_LAYER hidden; None: no such layer in the data
    clicked_name: str

    @classmethod
    def of(cls, app: App, data: Path) -> Expected:
        _, feature = load_catalog(data).feature(CLICKED)
        has_big = (data / f"{BIG_LAYER}.geojson").is_file()
        return cls(app.count(data, NO_LAYER, ""), app.count(data, frozenset({TOGGLED}), ""),
                   app.count(data, NO_LAYER, QUERY),
                   app.count(data, frozenset({MEMORY_TOGGLED}), QUERY),
                   app.count(data, frozenset({BIG_LAYER}), "") if has_big else None,
                   feature.name.en)


def check_map(page: Page, expected: int, when: str) -> None:
    """The settled map shows what it should: a wrong state would time the wrong thing."""
    found = browser.map_count(page)
    if found != expected:
        raise RuntimeError(f"{when}: the map shows {found} features, expected {expected}")


def toggles(page: Page, socket: browser.Socket, app: App, layer_id: str, off: int,
            on: int) -> tuple[list[float], float]:
    """Switch `layer_id` off, then on: the two times until the map changed, and the kB of
    map messages sent per toggle (a switch in the browser sends none)."""
    sent = len(socket.map_sizes)
    seconds = []
    for count in (off, on):
        click = browser.click_at(page, app.switch(page, layer_id))
        seconds += browser.timed(page, socket, click,
                                 lambda count=count: browser.wait_for_map(page, count))
        check_map(page, count, f"{layer_id} switched")
    return seconds, sum(socket.map_sizes[sent:]) / 1000 / 2


def open_page(context: BrowserContext, url: str, expected: Expected
              ) -> tuple[Page, browser.Socket, Samples]:
    """Navigate to the app until its first feature and then all of them are drawn."""
    page = context.new_page()
    socket = browser.Socket(page)
    first, drawn = browser.timed(page, socket, lambda: page.goto(url, wait_until="commit"),
                                 lambda: browser.wait_for_map(page, 1, at_least=True),
                                 lambda: browser.wait_for_map(page, expected.opened))
    check_map(page, expected.opened, "opened")
    return page, socket, {"first": [first], "shapes": [drawn],
                          "payload": [sum(socket.map_sizes) / 1000]}


def one_visit(context: BrowserContext, url: str, app: App, expected: Expected) -> Samples:
    """Open the page, click a feature, toggle a layer off and on (and the big one, if
    any), filter by text."""
    page, socket, opened = open_page(context, url, expected)
    name = expected.clicked_name
    in_map, details = browser.timed(
        page, socket, browser.click_on_feature(page, CLICKED),
        lambda: browser.wait_for_text(page, app.in_map, name, in_map=True),
        lambda: browser.wait_for_text(page, app.details, name))
    check_map(page, expected.opened, "clicked")
    toggled, resent = toggles(page, socket, app, TOGGLED, expected.toggled, expected.opened)
    samples = {**opened, "in_map": [in_map], "click": [details], "toggle": toggled,
               "resent": [resent]}
    if expected.big_toggled is not None:
        samples["toggle_big"], _ = toggles(page, socket, app, BIG_LAYER, expected.big_toggled,
                                           expected.opened)
    samples["filter"] = browser.timed(page, socket, browser.search(page, QUERY),
                                      lambda: browser.wait_for_map(page, expected.filtered))
    check_map(page, expected.filtered, "filtered")
    page.close()
    return samples


def interact(context: BrowserContext, url: str, app: App, expected: Expected,
             interactions: int) -> None:
    """Set QUERY, then toggle MEMORY_TOGGLED back and forth: `interactions` reruns in all
    (at least one), each cheap in the browser and a full script run on the server."""
    page = context.new_page()
    socket = browser.Socket(page)
    page.goto(url)
    browser.wait_for_map(page, expected.opened)
    browser.timed(page, socket, browser.search(page, QUERY),
                  lambda: browser.wait_for_map(page, expected.filtered))
    for number in range(interactions - 1):
        count = expected.filtered_toggled if number % 2 == 0 else expected.filtered
        browser.timed(page, socket, browser.click_at(page, app.switch(page, MEMORY_TOGGLED)),
                      lambda count=count: browser.wait_for_map(page, count))
    page.close()


def story_steps(context: BrowserContext, url: str, data: Path, steps: int) -> list[float]:
    """Open the story at chapter STORY_FROM by its link, then step Next and Previous in
    turn: each time until the panel shows the chapter's title and the map has flown to its
    place (kumamap only: the baseline tells no story)."""
    result = load_catalog(data)
    chapters = result.chapters
    page = context.new_page()
    socket = browser.Socket(page)
    page.goto(f"{url}?chapter={chapters[STORY_FROM - 1].id}")
    browser.wait_for_text(page, ".st-key-chapter h3", chapters[STORY_FROM - 1].title.en)
    browser.settle(page, socket)
    seconds = []
    for step in range(steps):
        button, number = (("chapter_next", STORY_FROM + 1) if step % 2 == 0
                          else ("chapter_previous", STORY_FROM))
        chapter = chapters[number - 1]
        south, west, north, east = chapter_box(chapter, result.layers)
        seconds += browser.timed(
            page, socket, browser.click_at(page, page.locator(f".st-key-{button} button")),
            lambda chapter=chapter: browser.wait_for_text(page, ".st-key-chapter h3",
                                                          chapter.title.en),
            lambda s=south, w=west, n=north, e=east: browser.wait_for_centre(
                page, (s + n) / 2, (w + e) / 2))[1:]
    page.close()
    return seconds


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
    with imports_from(app.source):
        url, process = start_app(data, app.script)
    try:
        with browser.offline_context(chromium, offline) as context:
            warm_up = one_visit(context, url, app, expected)  # loads and caches on the server
            visits = [one_visit(context, url, app, expected) for _ in range(runs)]
            done = sum(len(visit.get(key, [])) for visit in [warm_up, *visits]
                       for key in INTERACTIONS)
            interact(context, url, app, expected, interactions - done)
            story = story_steps(context, url, data, runs) if app.tells_story else []
            rss = rss_mib(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)
    samples = {key: [value for visit in visits for value in visit[key]] for key in visits[0]}
    return {**samples, "rss": [rss], **({"story": story} if story else {})}, offline.stubbed


def navigations(chromium: Browser, measured: tuple[App, ...], data: Path, runs: int
                ) -> tuple[dict[str, Samples], dict[str, set[str]]]:
    """Only the page opened (figures a, a2, e), every app's server running at once and the
    visits alternating between them, so that each sees the machine as the others do (a
    shared machine's load changes from minute to minute). A warm-up visit each first.
    Also returns each app's outside URLs that were served empty."""
    offline = {app.name: browser.Offline() for app in measured}
    servers: dict[str, tuple[str, subprocess.Popen, Expected]] = {}
    samples: dict[str, Samples] = {app.name: {} for app in measured}
    try:
        for app in measured:
            with imports_from(app.source):
                url, process = start_app(data, app.script)
            servers[app.name] = (url, process, Expected.of(app, data))
        with contextlib.ExitStack() as stack:
            contexts = {app.name: stack.enter_context(
                browser.offline_context(chromium, offline[app.name])) for app in measured}
            for run in range(runs + 1):  # the first round warms up
                for app in measured:
                    url, _process, expected = servers[app.name]
                    page, _socket, opened = open_page(contexts[app.name], url, expected)
                    page.close()
                    for key, values in opened.items():
                        samples[app.name].setdefault(key, []).extend(values if run else [])
    finally:
        for _url, process, _expected in servers.values():
            process.terminate()
            process.wait(timeout=30)
    return samples, {name: stubs.stubbed for name, stubs in offline.items()}


def rerun_seconds(app: App, data: Path, runs: int) -> list[float]:
    """Script time of the rerun a text filter change causes, in this process (AppTest):
    a text input's in the baseline (and kumamap before issue 22), the report of kumamap's
    sidebar controls (as the tests set it: AppTest cannot type in a component)."""
    os.environ["KUMAMAP_DATA"] = str(data)
    test = AppTest.from_file(str(app.script), default_timeout=APP_TEST_TIMEOUT_S).run()
    seconds = []
    for _ in range(runs):
        boxes = [box for box in test.text_input if box.key == "text"]
        if boxes:
            changed = boxes[0].input("" if boxes[0].value else QUERY)
        else:
            filters = test.session_state[FILTERS]
            test.session_state[FILTERS] = {**filters, "text": "" if filters["text"] else QUERY}
            changed = test
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
    # A rejected feature would leave the map smaller for kumamap alone (the baseline does
    # not validate), and the run would compare different maps.
    for label, data in sets.items():
        problems = load_catalog(data).problems
        if problems:
            raise RuntimeError(f"{label}: the data has {len(problems)} problems, first: {problems[0]}")
    return sets


def describe_checkout(checkout: Path) -> str:
    """A checkout by its commit (its folder is this machine's, not the reader's)."""
    return subprocess.run(["git", "describe", "--always", "--dirty"], cwd=checkout,
                          check=False, capture_output=True, text=True).stdout.strip() or "?"


def machine() -> str:
    memory = next(line.split(":")[1].strip() for line in Path("/proc/meminfo").read_text()
                  .splitlines() if line.startswith("MemTotal"))
    commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT, check=False,
                            capture_output=True, text=True).stdout.strip() or "unknown"
    now = datetime.datetime.now().astimezone()
    load = "/".join(f"{value:.1f}" for value in os.getloadavg())
    return (f"{now:%Y-%m-%d %H:%M %Z}; {os.cpu_count()} CPUs; MemTotal {memory}; "
            f"load average (1/5/15 min) at the end {load}; commit {commit}")


class OverBudget(Exception):
    """The run took longer than --budget-minutes."""


def over_budget(_signal: int, _frame: object) -> None:
    raise OverBudget("the run took longer than --budget-minutes; servers are stopped")


def measure(sizes: list[int], runs: int, interactions: int, measured: tuple[App, ...],
            navigation_only: bool = False
            ) -> tuple[dict[str, dict[str, Samples]], dict[str, set[str]], str]:
    """data set -> app -> samples, app -> outside URLs served empty, and a note if the
    time budget stopped the run (the data sets finished by then are kept)."""
    results: dict[str, dict[str, Samples]] = {}
    stubbed: dict[str, set[str]] = {app.name: set() for app in measured}
    with tempfile.TemporaryDirectory(prefix="kumamap-bench-") as workdir, sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        where = "copying the data"
        try:
            for label, data in data_sets(Path(workdir), sizes).items():
                if navigation_only:
                    where = f"{label}: navigation"
                    print(f"{where} ...", file=sys.stderr, flush=True)
                    results[label], served_empty = navigations(chromium, measured, data, runs)
                    for name, urls in served_empty.items():
                        stubbed[name] |= urls
                    continue
                by_app = {}
                for app in measured:
                    where = f"{label}: {app.name}"
                    print(f"{where} ...", file=sys.stderr, flush=True)
                    samples, served_empty = in_browser(chromium, app, data, runs, interactions)
                    # AppTest runs in this process, which imports this checkout's kumamap.
                    reruns = {} if app.source else {"rerun": rerun_seconds(app, data, runs)}
                    by_app[app.name] = {**samples, **reruns}
                    stubbed[app.name] |= served_empty
                results[label] = by_app
        except OverBudget as stop:
            return results, stubbed, f"{stop} (during {where})"
        finally:
            chromium.close()
    return results, stubbed, ""


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed visits per app and data set")
    parser.add_argument("--scale", default="", help="synthetic layer sizes, e.g. 1000,10000")
    parser.add_argument("--interactions", type=int, default=50,
                        help="reruns before the memory is read, the timed ones included")
    parser.add_argument("--markdown", type=Path, help="also write the table here")
    parser.add_argument("--before", type=Path, metavar="CHECKOUT",
                        help="also measure kumamap at this checkout (e.g. a git worktree)")
    parser.add_argument("--navigation-only", action="store_true",
                        help="only open the page (a, a2, e), the apps' visits alternating")
    parser.add_argument("--budget-minutes", type=float, default=40,
                        help="stop the whole run after this long (every wait has its own bound)")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    print(f"load average (1/5/15 min) at the start: {os.getloadavg()}", file=sys.stderr)
    signal.signal(signal.SIGALRM, over_budget)
    signal.alarm(max(1, round(args.budget_minutes * 60)))
    # The biggest data set first after the default: its targets matter most if the
    # budget stops the run.
    sizes = sorted((int(s) for s in args.scale.split(",") if s), reverse=True)
    results, stubbed, stopped = measure(sizes, args.runs, args.interactions, apps(args.before),
                                        args.navigation_only)
    signal.alarm(0)
    header, rows = table_header(results), table_rows(results)
    notes = [f"{machine()}; {time.perf_counter() - started:.0f} s for the whole run",
             *([f"{BEFORE}: kumamap at {describe_checkout(args.before)}"] if args.before else []),
             *(f"{name}: outside files served empty: {', '.join(sorted(urls)) or 'none'}"
               for name, urls in stubbed.items()), *([stopped] if stopped else [])]
    print(plain(header, rows), *notes, sep="\n")
    if args.markdown:
        text = markdown(header, rows) + "\n\n" + "".join(f"- {note}\n" for note in notes)
        args.markdown.write_text(text, encoding="utf-8")
    return 2 if stopped else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
