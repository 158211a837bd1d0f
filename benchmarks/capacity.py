"""Capacity without browsers (issue 22): how many readers a server holds at p95 <= 0.5 s.

K simulated readers, each one websocket session in Streamlit's own protocol
(tests/stclient.py: no browser on the machine's cores), arrive spread over one think time
and then act as a person would: open the page, then, with a think time between actions,
pick statuses, a year, type part of a name (in the sidebar's controls, which report the
filters as one component value), click a feature on the map, switch the language.
An action is timed from the request sent to its run finished. K climbs level by level until
an action's 95th percentile passes the limit (or a reader fails); the largest K within it,
divided by the cores the server can use, is its readers per core. The server's CPU per
action is read from /proc for its processes (the replicas, nginx and their children).

    .venv/bin/python -m benchmarks.capacity                  # one replica, alone
    .venv/bin/python -m benchmarks.capacity --nginx 2        # two replicas behind nginx

Every reader connects from its own loopback address (127.0.1.x): nginx allows 10 pages per
address, and its real config is what is measured. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import websockets

from benchmarks.figures import percentile
from benchmarks.flood import serve
from benchmarks.host import cpu_seconds
from kumamap.catalog import load_catalog
from kumamap.i18n import UI_LANGS, t
from kumamap.mapclick import HEARER
from tests.e2e.server import ROOT
from tests.stclient import Json, Reader, Run, Trigger, Widget, Widgets, WidgetValue

LIMIT_S = 0.5  # the p95 per action
TIMEOUT_S = 30.0  # an action still unfinished by then counts as a failure
MAP = HEARER  # the panel's hearer of the map's clicks, found by its key
CONTROLS = "kumamap.controls.layer_switch"  # the sidebar's layers, filters and year
SINGLE_CHOICE = {"radio", "selectbox"}
MANY_CHOICES = {"multiselect", "slider"}  # sent as a list of labels
NAME_PARTS = ("", "ku", "JASM", "park", "Sony", "fab", "熊本", "台")
SLOWED = tuple(t("slowed", lang) for lang in UI_LANGS)

# A reader's choice: positions among a widget's options (their labels change with the
# language, so the label is looked up when sent), or the value itself (text, click).
Choice = tuple[int, ...] | str | Json | Trigger


def widget_value(widget: Widget, choice: Choice) -> WidgetValue:
    """The value the page sends for a choice: option widgets send their shown labels."""
    if widget.kind in SINGLE_CHOICE:
        return widget.options[choice[0]]
    if widget.kind in MANY_CHOICES:
        return [widget.options[position] for position in choice]
    return choice


def click(feature_id: str) -> Trigger:
    """What the page sends of a click on a feature: the id the map announced, as the
    panel's hearer reports it (mapclick)."""
    return Trigger("clicked", feature_id)


@dataclass
class Page:
    """What a reader's browser holds: the widgets the last run drew, the reader's choices."""

    widgets: dict[str, Widget]
    choices: dict[str, Choice] = field(default_factory=dict)  # by widget name

    def message(self) -> Widgets:
        return {self.widgets[name].id: widget_value(self.widgets[name], choice)
                for name, choice in self.choices.items() if name in self.widgets}


def filter_in_controls(name: str, pick: Callable[[list[Any], random.Random], Any]) -> Chooser:
    """A reader's change of one filter in the sidebar's controls: their report (as
    page_controls.js sends it) with the filters chosen so far and `name` set to `pick`
    of its option values (the drawn controls' arguments)."""
    def choose(widget: Widget, rng: random.Random, _: Sequence[str],
               before: Choice | None) -> Choice:
        args = json.loads(widget.args)
        report = json.loads(before.text) if isinstance(before, Json) else {
            "visible": args["visible"], "filters": args["filters"]}
        options = {choice["name"]: [option["value"] for option in choice["options"]]
                   for choice in args["texts"]["chosen"]}
        options["year"] = [option["value"] for option in args["texts"]["year"]["options"]]
        options["text"] = list(NAME_PARTS)
        report["filters"][name] = pick(options[name], rng)
        report["request"] = args["request"]
        return Json(json.dumps(report))
    return choose


# A choice made in the page: the widget, what was chosen there before (None: nothing).
Chooser = Callable[[Widget, random.Random, Sequence[str], Choice | None], Choice]
ACTIONS: dict[str, tuple[str, Chooser]] = {  # action -> (widget name, what a reader picks)
    "status": (CONTROLS, filter_in_controls(
        "status", lambda codes, rng: sorted(rng.sample(codes, rng.randint(0, 2))))),
    "year": (CONTROLS, filter_in_controls("year", lambda years, rng: rng.choice(years))),
    "text": (CONTROLS, filter_in_controls("text", lambda parts, rng: rng.choice(parts))),
    "map": (MAP, lambda _w, rng, feature_ids, _: click(rng.choice(feature_ids))),
    "lang": ("lang", lambda w, rng, _ids, _: (rng.randrange(len(w.options)),)),
}


@dataclass
class Level:
    """One level of K readers: what they measured, and the window it counts."""

    readers: int
    opened: int = 0
    start: float = float("inf")  # every reader has opened its page: actions count from here
    stop: float = float("inf")
    opens: list[float] = field(default_factory=list)
    actions: list[float] = field(default_factory=list)  # seconds, actions sent in the window
    errors: list[str] = field(default_factory=list)
    slowed: int = 0  # runs that showed the run limiter's notice: not a human pace
    all_open: asyncio.Event = field(default_factory=asyncio.Event)

    def count_open(self, seconds_after: float) -> None:
        self.opened += 1
        if self.opened == self.readers:
            self.start = time.monotonic()
            self.stop = self.start + seconds_after
            self.all_open.set()

    def record(self, sent: float, run: Run) -> None:
        if self.start <= sent < self.stop:
            self.actions.append(run.seconds if run.finished else TIMEOUT_S)
            if not run.finished:
                self.errors.append(f"unfinished after {TIMEOUT_S:.0f} s")
        self.slowed += any(notice in run.text for notice in SLOWED)


@dataclass(frozen=True)
class Plan:
    url: str
    seconds: float  # of actions counted, once every reader has opened
    think: tuple[float, float]  # seconds between two actions of a reader, uniform
    feature_ids: tuple[str, ...]


async def act(client: Reader, first: Run, plan: Plan, level: Level,
              rng: random.Random) -> None:
    """Think, act, wait for the page, until the level's window closes."""
    page = Page(dict(first.widgets))
    while True:
        await asyncio.sleep(rng.uniform(*plan.think))
        if time.monotonic() >= level.stop:
            return
        name, chooser = ACTIONS[rng.choice([action for action, (name, _) in ACTIONS.items()
                                            if name in page.widgets])]
        page.choices[name] = chooser(page.widgets[name], rng, plan.feature_ids,
                                     page.choices.get(name))
        sent = time.monotonic()
        run = await client.run("", page.message(), timeout=TIMEOUT_S)
        level.record(sent, run)
        page.widgets.update(run.widgets)
        # A trigger is sent once (the page clears it after its run).
        page.choices = {name: choice for name, choice in page.choices.items()
                        if not isinstance(choice, Trigger)}


async def reader(number: int, plan: Plan, level: Level) -> None:
    rng = random.Random(number)
    await asyncio.sleep(rng.uniform(0, plan.think[1]))  # readers arrive, not all at once
    is_counted = False
    try:
        async with Reader(plan.url, TIMEOUT_S, source=f"127.0.1.{number % 250 + 1}") as client:
            first = await client.open(timeout=TIMEOUT_S)
            level.opens.append(first.seconds)
            level.count_open(plan.seconds)
            is_counted = True
            if not first.finished:
                raise TimeoutError("page not opened")
            await act(client, first, plan, level, rng)
    except (OSError, TimeoutError, websockets.WebSocketException) as error:
        level.errors.append(f"reader {number}: {error!r}")  # refused (429), dropped, slow
        if not is_counted:
            level.count_open(plan.seconds)


def tree_cpu_seconds(pids: Sequence[int]) -> float:
    """CPU seconds of these processes and their children (nginx's worker, a sandbox)."""
    total = 0.0
    for pid in pids:
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            total += cpu_seconds(pid) + tree_cpu_seconds([int(child) for child in children])
        except FileNotFoundError:  # a child that ended meanwhile
            continue
    return total


@dataclass(frozen=True)
class Result:
    readers: int
    actions: list[float]
    opens: list[float]
    errors: list[str]
    slowed: int
    server_cpu_s: float
    client_cpu_s: float
    wall_s: float

    @property
    def p95(self) -> float:
        return percentile(self.actions, 0.95) if self.actions else float("inf")

    @property
    def readers_per_busy_core(self) -> float:
        """The CPU ceiling: readers at this pace that one core kept fully busy would serve
        (queueing sets the p95 limit below it; a loaded machine's other work does too)."""
        return self.readers * self.wall_s / self.server_cpu_s if self.server_cpu_s else 0.0

    @property
    def is_within(self) -> bool:
        return not self.errors and self.p95 <= LIMIT_S


async def measure(readers: int, plan: Plan, pids: Sequence[int]) -> Result:
    level = Level(readers)
    tasks = [asyncio.create_task(reader(number, plan, level)) for number in range(readers)]
    await level.all_open.wait()
    server, client = tree_cpu_seconds(pids), time.process_time()
    await asyncio.sleep(max(0.0, level.stop - time.monotonic()))
    server, client = tree_cpu_seconds(pids) - server, time.process_time() - client
    await asyncio.gather(*tasks)
    return Result(readers, level.actions, level.opens, level.errors, level.slowed,
                  server, client, level.stop - level.start)


def table(results: Sequence[Result]) -> list[str]:
    lines = ["| readers | actions | p50 s | p95 s | max s | open p50 s | open p95 s | errors "
             "| slowed | server CPU s/action | server cores busy | readers per busy core "
             "| load generator cores busy |",
             "|" + " --- |" * 13]
    for r in results:
        actions = r.actions or [float("nan")]
        lines.append(
            f"| {r.readers} | {len(r.actions)} | {statistics.median(actions):.2f} "
            f"| {r.p95:.2f} | {max(actions):.2f} | {statistics.median(r.opens):.2f} "
            f"| {percentile(r.opens, 0.95):.2f} | {len(r.errors)} | {r.slowed} "
            f"| {r.server_cpu_s / max(1, len(r.actions)):.3f} | {r.server_cpu_s / r.wall_s:.2f} "
            f"| {r.readers_per_busy_core:.0f} | {r.client_cpu_s / r.wall_s:.2f} |")
    return lines


def summary(results: Sequence[Result], replicas: int) -> str:
    within = [r.readers for r in results if r.is_within]
    # A replica is one Python process: its script runs share one interpreter lock, so it
    # uses about one core; the machine's cores bound the rest.
    cores = min(replicas, os.cpu_count() or 1)
    if not within:
        return f"no level kept p95 <= {LIMIT_S} s"
    best = max(within)
    return (f"largest K with p95 <= {LIMIT_S} s and no errors: {best} readers on {cores} "
            f"core(s) = {best / cores:.1f} readers per core")


async def climb(levels: Sequence[int], plan: Plan, pids: Sequence[int]) -> list[Result]:
    """Measure each level in turn; stop after two in a row miss the limit (a p95 of a few
    dozen actions is near their slowest: one miss on a shared machine may be its noise)."""
    results: list[Result] = []
    for readers in levels:
        results.append(await measure(readers, plan, pids))
        print(table(results)[-1], flush=True)
        if len(results) >= 2 and not (results[-1].is_within or results[-2].is_within):
            break
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="measure this server instead of starting one")
    parser.add_argument("--pids", help="its process ids, comma-separated (for its CPU)")
    parser.add_argument("--nginx", type=int, default=0, metavar="N",
                        help="N replicas behind nginx (deploy/serve.py); 0: one, alone")
    parser.add_argument("--readers", default="2,4,6,8,12,16,24,32",
                        help="the levels of K, comma-separated")
    parser.add_argument("--seconds", type=float, default=60, help="of actions per level")
    parser.add_argument("--think", default="2,8", help="min,max seconds between actions")
    args = parser.parse_args()
    think = tuple(float(value) for value in args.think.split(","))
    if think[0] < 1:
        parser.error("--think: a reader thinks at least 1 s (the app paces faster sessions)")
    feature_ids = tuple(f.id for layer in load_catalog(ROOT / "geo").layers
                        for f in layer.features)
    with contextlib.ExitStack() as stack:
        if args.url:
            url, pids = args.url, [int(pid) for pid in (args.pids or "").split(",") if pid]
        else:
            url, pids = serve(stack, ROOT, args.nginx)
        plan = Plan(url, args.seconds, think, feature_ids)
        print(f"{url}: {max(1, args.nginx)} replica(s){' behind nginx' if args.nginx else ''}, "
              f"think {think[0]:g}-{think[1]:g} s, {args.seconds:g} s a level, "
              f"load average before {os.getloadavg()[0]:.1f}", flush=True)
        print("\n".join(table([])), flush=True)
        results = asyncio.run(climb([int(k) for k in args.readers.split(",")], plan, pids))
    print(f"load average after {os.getloadavg()[0]:.1f}")
    print(summary(results, max(1, args.nginx)))


if __name__ == "__main__":
    main()
