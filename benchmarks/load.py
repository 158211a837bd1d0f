"""Many readers at once: K browser sessions, each a scripted visit repeated R times, against
one server or N replicas behind nginx (optionally killing one); see benchmarks/README.md.

    .venv/bin/python -m benchmarks.load --sessions 8 --repeats 5
    .venv/bin/python -m benchmarks.load --sessions 8 --repeats 4 --replicas 2 --kill-after 1

Loopback only, bounded: at most 40 sessions and 20 repeats, and the run stops itself
after --max-minutes (what is unfinished then counts as errors).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

from playwright.async_api import Browser, async_playwright
from playwright.async_api import TimeoutError as PlaywrightTimeout

from benchmarks.figures import percentile
from benchmarks.host import Watch, chromium_launcher
from benchmarks.plan import Expect, plans
from benchmarks.visitor import URL_LAG_S, Reader, Record
from deploy.serve import Replicas
from kumamap.catalog import load_catalog
from kumamap.model import LoadResult
from tests.e2e.server import CHROMIUM_ARGS, ROOT, start_app

MAX_SESSIONS = 40
MAX_REPEATS = 20
SESSIONS_PER_BROWSER = 10
RECONNECT_S = 120
LOST_MS = 30_000  # a toggle after the kill not drawn by then counts as lost


def first_line(error: BaseException) -> str:
    return (str(error).splitlines() or [""])[0][:200]


async def one_reader(browser: Browser, url: str, plan, expect: Expect, record: Record,
                     repeats: int, kill: asyncio.Event | None, back: dict,
                     stagger: float) -> None:
    await asyncio.sleep(plan.index * stagger)  # readers arrive one after another
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    reader = Reader(context, url, plan, expect, record)
    try:
        await reader.open()
        if plan.upload:
            await reader.upload()
        for number in range(repeats):
            await reader.repeat(number)
            if kill is not None and number == 0:
                await failover(reader, kill, back)
    except Exception as error:  # noqa: BLE001  a reader's failure is a result, not the end
        record.errors.append(f"{type(error).__name__}: {first_line(error)}")
    finally:
        await context.close()


async def failover(reader: Reader, kill: asyncio.Event, back: dict) -> None:
    """Wait at the barrier for the kill. A reader whose replica died: until its page has a
    new websocket, then check that it still shows this reader's map (widgets, caption,
    URL), then toggle a layer: back when the new replica has drawn the toggled map."""
    back["waiting"] += 1
    await kill.wait()
    if reader.record.replica != back["killed"]:
        return
    opened = reader.socket.opened
    try:
        while reader.socket.opened == opened:
            if time.monotonic() - back["at"] > RECONNECT_S:
                raise TimeoutError(f"no new websocket in {RECONNECT_S} s")
            await asyncio.sleep(0.05)
        reconnected = time.monotonic() - back["at"]
        before = len(reader.record.mismatches)
        await reader.check("reconnected")
        same_map = len(reader.record.mismatches) == before
        try:
            await reader.toggle("toggle after the kill", LOST_MS)
            kept = len(reader.record.mismatches) == before
        except PlaywrightTimeout:  # the page went back to its URL's state: the toggle is lost
            reader.record.mismatches.append(("toggle after the kill: lost", ["lost action"]))
            await reader.check("after the lost toggle")
            kept = False
    except Exception as error:  # noqa: BLE001  likewise
        reader.record.errors.append(f"not back after the kill: {type(error).__name__} "
                                    f"{first_line(error)}")
        return
    back["readers"].append((reconnected, time.monotonic() - back["at"], same_map, kept))


async def readers(url: str, data: Path, sessions: int, repeats: int, browsers: int,
                  watch: Watch, replicas: Replicas | None, kill_after: int | None,
                  chromium: str | None, stagger: float, seconds: float
                  ) -> tuple[list[Record], dict]:
    """Run the readers; at `seconds` the unfinished ones are stopped (and count as errors)."""
    deadline = time.monotonic() + seconds
    result = load_catalog(data)
    records = [Record(i) for i in range(sessions)]
    kill = asyncio.Event() if kill_after is not None else None
    back: dict = {"waiting": 0, "readers": [], "killed": "", "at": 0.0}
    stop = asyncio.Event()
    async with async_playwright() as pw:
        chromiums = [await pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
                     for _ in range(browsers)]
        await warm_up(chromiums[0], url, result)
        watch.mark()
        watcher = asyncio.create_task(watch.run(stop))
        tasks = [asyncio.create_task(one_reader(
            chromiums[p.index % browsers], url, p, Expect.fresh(result), records[p.index],
            repeats, kill, back, stagger)) for p in plans(sessions, result)]
        if kill is not None:
            try:
                await asyncio.wait_for(kill_one(tasks, back, records, replicas, kill),
                                       max(1.0, deadline - time.monotonic()))
            except TimeoutError:
                kill.set()  # nobody is killed: the readers go on, the report says so
        _, pending = await asyncio.wait(tasks, timeout=max(1.0, deadline - time.monotonic()))
        for task, record in zip(tasks, records):
            if task in pending:
                task.cancel()
                record.errors.append("stopped at the time limit (--max-minutes)")
        await asyncio.gather(*tasks, return_exceptions=True)
        stop.set()
        await watcher
        for each in chromiums:
            await each.close()
    return records, back


async def warm_up(browser: Browser, url: str, result: LoadResult) -> None:
    """One visit before measuring: the server loads the app and its data once."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        await Reader(context, url, plans(1, result)[0], Expect.fresh(result),
                     Record(-1)).open()
    finally:
        await context.close()


async def kill_one(tasks: list, back: dict, records: list[Record], replicas: Replicas,
                   kill: asyncio.Event) -> None:
    """Once every reader has done its first round, kill the replica most of them are on."""
    while back["waiting"] < sum(not t.done() for t in tasks) or back["waiting"] == 0:
        await asyncio.sleep(0.2)
    on = Counter(r.replica for r in records if r.replica)
    back["killed"], back["on_killed"] = on.most_common(1)[0]
    back["at"] = time.monotonic()
    replicas.kill(back["killed"])
    kill.set()


def span(values: list[float]) -> str:
    return f"{min(values):.1f}-{max(values):.1f} s" if values else "-"


def report(records: list[Record], watch: Watch, back: dict, wall: float,
           sessions: int) -> list[str]:
    baseline_kib, cpu = watch.baseline_kib, watch.cpu_used
    lines = ["| action | n | p50 s | p95 s | max s |", "| --- | --- | --- | --- | --- |"]
    steps = sorted({name for r in records for name in r.times})
    for name in steps:
        values = [v for r in records for v in r.times.get(name, [])]
        lines.append(f"| {name} | {len(values)} | {statistics.median(values):.2f} | "
                     f"{percentile(values, 0.95):.2f} | {max(values):.2f} |")
    latencies = [latency for _, latency, _ in watch.health]
    slowest = max(watch.health, key=lambda probe: probe[1], default=(0, 0, 0))
    errors = [f"reader {r.index}: {e}" for r in records for e in r.errors]
    mismatches = [f"reader {r.index}: {m}" for r in records for m, _ in r.mismatches]
    wrong = Counter(part for r in records for _, parts in r.mismatches for part in parts)
    lags = [lag for r in records for lag in r.lags]
    trailing = Counter(kind for _, kinds in lags for kind in kinds.split(", "))
    peak = max(watch.rss, default=0)
    lines += [
        "",
        (f"- errors: {len(errors)}; readers that finished: "
         f"{sum(not r.errors for r in records)}/{len(records)}"),
        (f"- not this reader's state {URL_LAG_S} s after settling: {len(mismatches)} "
         f"({', '.join(f'{part}: {n}' for part, n in wrong.most_common()) or 'none'})"),
        (f"- trailing the settled page: {len(lags)} times ({dict(trailing)}), max "
         f"{max((lag for lag, _ in lags), default=0):.2f} s"),
        (f"- health check: {len(latencies)} probes, p50 {statistics.median(latencies or [0]):.3f}"
         f" s, max {slowest[1]:.2f} s at {slowest[0]:.0f} s, while the server's threads (summed) "
         f"waited {slowest[2]:.2f} s for a CPU"),
        (f"- server RSS: {baseline_kib / 1024:.0f} MiB before, peak {peak / 1024:.0f} MiB; "
         f"{(peak - baseline_kib) / 1024 / max(sessions, 1):.1f} MiB per session"),
        (f"- server CPU: {cpu:.0f} s in {wall:.0f} s ({cpu / max(wall, 1):.0%} of one core); "
         f"its threads waited {watch.waited:.0f} s in all for a CPU; the machine was busy "
         f"{watch.busy:.0f} of {wall * (os.cpu_count() or 1):.0f} CPU-seconds"),
        f"- outside requests stopped: {sum(len(r.forbidden) for r in records)}",
    ]
    if back.get("killed"):
        came = back["readers"]
        lines.append(
            f"- failover: killed {back['killed']} with {back['on_killed']} readers on it; "
            f"{len(came)} reconnected to another replica ({span([r[0] for r in came])} after "
            f"the kill); {sum(r[2] for r in came)} showed their own map then (language, layers, "
            f"filters, selection in widgets, caption and URL); their next toggle was done "
            f"{span([r[1] for r in came])} after the kill and kept by {sum(r[3] for r in came)}")
    return lines + [f"  - {line}" for line in (errors + mismatches)[:20]]


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--replicas", type=int, default=0, help="0: one server, no proxy")
    parser.add_argument("--kill-after", type=int, help="kill a replica after this round")
    parser.add_argument("--max-minutes", type=float, default=20)
    parser.add_argument("--stagger", type=float, default=0.0,
                        help="seconds between two readers' arrivals (0: all at once)")
    parser.add_argument("--dumps", type=Path, help="folder for py-spy dumps of slow moments")
    parser.add_argument("--app", type=Path, metavar="CHECKOUT",
                        help="serve another checkout of kumamap (e.g. a `git worktree` of an "
                             "earlier commit), to compare in the same hour; one server only")
    parser.add_argument("--browser-nice", type=int, default=0, metavar="N",
                        help="run the readers' browsers at nice N (the server stays at 0), "
                             "as if they were not on the server's machine")
    parser.add_argument("--raised-priority", action="store_true",
                        help="let Chromium (run as root) raise its threads' priority")
    args = parser.parse_args(argv)
    if not (1 <= args.sessions <= MAX_SESSIONS and 1 <= args.repeats <= MAX_REPEATS):
        parser.error(f"at most {MAX_SESSIONS} sessions and {MAX_REPEATS} repeats")
    if args.kill_after is not None and args.replicas < 2:
        parser.error("--kill-after needs --replicas 2 or more")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kumamap-load-")))
        data = Path(shutil.copytree(ROOT / "geo", workdir / "geo"))  # others may edit geo/
        if args.replicas:
            replicas = stack.enter_context(Replicas(args.replicas, data, workdir / "nginx"))
            url, pids = replicas.url, replicas.pids()
        else:
            replicas = None
            if args.app:
                # Its own package first: the installed kumamap is this checkout's.
                os.environ["PYTHONPATH"] = str(args.app.resolve() / "src")
            url, process = start_app(data, args.app.resolve() / "app.py" if args.app else
                                     ROOT / "app.py")
            stack.callback(process.wait, 30)
            stack.callback(process.terminate)
            pids = [process.pid]
        if args.dumps:
            args.dumps.mkdir(parents=True, exist_ok=True)
        watch = Watch(url, pids, args.dumps)
        started, load = time.monotonic(), os.getloadavg()[0]
        browsers = -(-args.sessions // SESSIONS_PER_BROWSER)
        records, back = asyncio.run(readers(
            url, data, args.sessions, args.repeats, browsers, watch, replicas, args.kill_after,
            chromium_launcher(workdir, args.raised_priority, args.browser_nice), args.stagger,
            args.max_minutes * 60))
        wall = time.monotonic() - started
        watch.finish()
    now = datetime.datetime.now(datetime.UTC)
    print(f"{now:%Y-%m-%d %H:%M} UTC; {os.cpu_count()} CPUs; {args.sessions} sessions x "
          f"{args.repeats} rounds, arriving {args.stagger:g} s apart; replicas "
          f"{args.replicas or 'none (one server)'}; Chromium "
          f"{'raising' if args.raised_priority else 'not raising'} its priority, at nice "
          f"{args.browser_nice}; load average "
          f"{load:.1f} at the start; app {args.app or 'this checkout'}; "
          f"{wall:.0f} s")
    print("\n".join(report(records, watch, back, wall, args.sessions)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
