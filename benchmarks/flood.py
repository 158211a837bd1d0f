"""A rerun flood, as issue 23's audit ran it, and how the server lives through it.

`sessions` websocket sessions each ask for a rerun every `interval` seconds (a new query
string each time, the language alternating) for `seconds`, without reading what the server
sends back, as a hostile client would. Meanwhile a prober asks `/_stcore/health` once a
second. Before the flood and after it, one well-behaved reader opens the page (its first
full run) to compare the quiet time with the time right after the flood.

    .venv/bin/python -m benchmarks.flood --sessions 20 --seconds 250
    .venv/bin/python -m benchmarks.flood --nginx 1   # through nginx, one replica

Without `--url` it starts the app itself, alone or (`--nginx N`) as N replicas behind
nginx as `scripts/serve` runs them; `--app` serves another checkout, for a before/after in
the same run. Prints one JSON object of figures.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from benchmarks.host import cpu_seconds, rss_mb
from deploy.serve import Replicas
from tests.e2e.server import ROOT, start_app
from tests.stclient import Reader, health_seconds

HEALTH_TIMEOUT = 10.0


@dataclass
class Figures:
    quiet_load_s: float | None = None
    reruns_asked: int = 0
    flood_connect_errors: int = 0  # flooding sessions refused (nginx: 429) or dropped
    flood_dropped: int = 0  # of those, dropped after connecting (e.g. a send queue full)
    health_during_ok: int = 0
    health_during_failed: int = 0
    health_during_max_s: float = 0.0
    health_errors: list[str] = field(default_factory=list)
    health_after_s: float | None = None  # first answer after the flood, from its end
    load_after_s: float | None = None  # a new reader's first run, from the flood's end
    load_after_run_s: float | None = None  # that run alone
    server_rss_mb: list[float] = field(default_factory=list)
    server_cpu_s: float | None = None


async def flooder(url: str, number: int, stop: float, interval: float, figures: Figures) -> None:
    connected = False
    try:
        async with Reader(url) as reader:
            connected = True
            asked = 0  # and nothing is read: a hostile client
            while time.monotonic() < stop:
                lang = "en" if asked % 2 else "ja"
                await reader.ask(f"text=f{number}-{asked}&lang={lang}")
                asked += 1
                figures.reruns_asked += 1
                await asyncio.sleep(interval)
    except Exception:  # noqa: BLE001 - refused or dropped by the server: counted
        figures.flood_connect_errors += 1
        figures.flood_dropped += connected


async def prober(url: str, stop: float, figures: Figures) -> None:
    while time.monotonic() < stop:
        seconds = await asyncio.to_thread(health_seconds, url, HEALTH_TIMEOUT,
                                          figures.health_errors)
        if seconds is None:
            figures.health_during_failed += 1
        else:
            figures.health_during_ok += 1
            figures.health_during_max_s = max(figures.health_during_max_s, seconds)
        await asyncio.sleep(1)


async def first_load(url: str, timeout: float) -> float | None:
    try:
        async with Reader(url, open_timeout=timeout) as reader:
            run = await reader.run("", timeout=timeout)
    except (OSError, TimeoutError):
        return None
    return run.seconds if run.finished else None


async def flood(url: str, sessions: int, seconds: float, interval: float,
                pid: int | None, recover_timeout: float = 120) -> Figures:
    figures = Figures()
    figures.quiet_load_s = await first_load(url, 60)
    cpu_before = cpu_seconds(pid) if pid else None
    stop = time.monotonic() + seconds
    tasks = [flooder(url, number, stop, interval, figures) for number in range(sessions)]
    watch = [prober(url, stop, figures)]
    if pid:
        figures.server_rss_mb.append(round(rss_mb(pid), 1))
    await asyncio.gather(*tasks, *watch)
    ended = time.monotonic()
    if pid:
        figures.server_rss_mb.append(round(rss_mb(pid), 1))
    while time.monotonic() - ended < recover_timeout:
        if await asyncio.to_thread(health_seconds, url, 1.0) is not None:
            figures.health_after_s = round(time.monotonic() - ended, 2)
            break
    run = await first_load(url, recover_timeout)
    if run is not None:
        figures.load_after_run_s = round(run, 2)
        figures.load_after_s = round(time.monotonic() - ended, 2)
    if pid:
        figures.server_rss_mb.append(round(rss_mb(pid), 1))
        figures.server_cpu_s = round(cpu_seconds(pid) - cpu_before, 1)
    return figures


def serve(stack: contextlib.ExitStack, app: Path, nginx: int) -> tuple[str, list[int]]:
    """Start `app` alone (nginx 0) or as `nginx` replicas behind nginx, stopped when `stack`
    closes; returns its URL and the server's process ids (the replicas first, then nginx)."""
    if nginx:
        prefix = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        replicas = stack.enter_context(Replicas(nginx, ROOT / "geo", prefix,
                                                script=app / "app.py"))
        return replicas.url, [*replicas.pids(), replicas.nginx.pid]
    url, process = start_app(ROOT / "geo", script=app / "app.py")
    stack.callback(process.wait, 30)
    stack.callback(process.kill)  # a flooded server may not stop on SIGTERM
    return url, [process.pid]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="flood this server instead of starting one")
    parser.add_argument("--app", type=Path, default=ROOT, help="checkout whose app.py to serve")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=250)
    parser.add_argument("--interval", type=float, default=0.03)
    parser.add_argument("--nginx", type=int, default=0, metavar="N",
                        help="N replicas behind nginx (deploy/serve.py)")
    args = parser.parse_args()
    if args.app != ROOT:
        # Its own package first: the installed kumamap is this checkout's.
        os.environ["PYTHONPATH"] = str(args.app.resolve() / "src")
    with contextlib.ExitStack() as stack:
        url, pid = args.url, None
        if url is None:
            url, pids = serve(stack, args.app, args.nginx)
            pid = pids[0]
        figures = asyncio.run(flood(url, args.sessions, args.seconds, args.interval, pid))
    print(json.dumps({"url": url, "app": str(args.app), "nginx": args.nginx,
                      "sessions": args.sessions, "seconds": args.seconds,
                      "interval": args.interval, **asdict(figures)}, indent=1))


if __name__ == "__main__":
    main()
