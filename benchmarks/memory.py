"""Memory over time: the server's RSS through 300 reruns in one session, then through 100
sessions opened and closed; growth after warm-up must stay under 10 %. See
benchmarks/README.md, "Memory over time".

    .venv/bin/python -m benchmarks.memory [--reruns 300] [--sessions 100]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from playwright.async_api import Browser, BrowserContext, async_playwright

from benchmarks.host import chromium_launcher, rss_kib
from benchmarks.plan import Expect, plans
from benchmarks.visitor import Reader, Record
from kumamap.catalog import load_catalog
from kumamap.model import LoadResult
from tests.e2e.server import CHROMIUM_ARGS, ROOT, start_app

WARM_RERUNS = 50  # the run: flat after rerun 50
WARM_SESSIONS = 10
LIMIT = 0.10  # growth after warm-up
TTL_S = 120  # Streamlit's server.disconnectedSessionTTL default: closed sessions kept so long


def mib(pid: int) -> float:
    return rss_kib(pid) / 1024


async def reruns(context: BrowserContext, url: str, result: LoadResult, pid: int,
                 count: int) -> list[tuple[int, float]]:
    """One session: a layer toggled `count` times (each a rerun); RSS every 25 reruns."""
    record = Record(0)
    reader = Reader(context, url, plans(1, result)[0], Expect.fresh(result), record)
    await reader.open()
    samples = [(0, mib(pid))]
    for number in range(1, count + 1):
        await reader.toggle()
        if number % 25 == 0 or number in (WARM_RERUNS, count):
            samples.append((number, mib(pid)))
    await reader.page.close()
    if record.errors or record.mismatches:
        raise RuntimeError(f"the session went wrong: {record.errors} {record.mismatches}")
    return samples


async def sessions(context: BrowserContext, url: str, result: LoadResult, pid: int,
                   count: int) -> list[tuple[int, float]]:
    """`count` sessions one after another: open the page (a script run), close it."""
    samples = []
    for number in range(1, count + 1):
        record = Record(number)
        reader = Reader(context, url, plans(1, result)[0], Expect.fresh(result), record)
        await reader.open()
        await reader.page.close()
        if record.errors or record.mismatches:
            raise RuntimeError(f"session {number} went wrong: {record.errors} {record.mismatches}")
        if number % 10 == 0 or number in (WARM_SESSIONS, count):
            samples.append((number, mib(pid)))
    return samples


async def measure(url: str, data: Path, pid: int, args: argparse.Namespace,
                  chromium: str | None) -> dict[str, list[tuple[int, float]]]:
    result = load_catalog(data)
    async with async_playwright() as pw:
        browser: Browser = await pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        # One context: its pages share the browser cache (quick opens); every page is a new
        # websocket, so a new session on the server.
        context = await browser.new_context(viewport={"width": 1400, "height": 1000})
        one = await reruns(context, url, result, pid, args.reruns)
        many = await sessions(context, url, result, pid, args.sessions)
        await context.close()
        await browser.close()
    await asyncio.sleep(args.ttl_wait)  # closed sessions are dropped after the TTL
    later = [*many, (args.sessions, mib(pid))]
    return {"reruns": one, "sessions": many, "later": later}


def growth(samples: list[tuple[int, float]], warm: int) -> tuple[float, float, float]:
    """RSS after warm-up, at the end, and the growth between."""
    after_warm = next(value for number, value in samples if number == warm)
    end = samples[-1][1]
    return after_warm, end, (end - after_warm) / after_warm


def report(results: dict[str, list[tuple[int, float]]], args: argparse.Namespace,
           started: float, start_rss: float) -> list[str]:
    now = datetime.datetime.now(datetime.UTC)
    lines = [(f"{now:%Y-%m-%d %H:%M} UTC; {os.cpu_count()} CPUs; {time.monotonic() - started:.0f}"
              f" s; server RSS {start_rss:.0f} MiB after start")]
    runs = (("reruns", WARM_RERUNS, f"{args.reruns} reruns in one session"),
            ("sessions", WARM_SESSIONS, f"{args.sessions} sessions opened and closed"),
            ("later", WARM_SESSIONS, (f"the same, {args.ttl_wait:.0f} s after the last closed "
                                      "(Streamlit drops a closed session after "
                                      "server.disconnectedSessionTTL)")))
    for name, warm, what in runs:
        samples = results[name]
        after_warm, end, grown = growth(samples, warm)
        verdict = "met" if grown < LIMIT else "MISSED"
        lines.append(f"- {what}: {after_warm:.0f} MiB after {warm} -> {end:.0f} MiB at the end "
                     f"({grown:+.1%}; target < {LIMIT:.0%}: {verdict})")
        if name != "later":
            lines.append("  - MiB after N: " + ", ".join(f"{n}: {v:.0f}" for n, v in samples))
    return lines


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reruns", type=int, default=300)
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--ttl-wait", type=float, default=TTL_S + 10,
                        help="seconds to wait after the last session before the last reading")
    args = parser.parse_args(argv)
    if not (WARM_RERUNS < args.reruns <= 1000 and WARM_SESSIONS < args.sessions <= 300):
        parser.error(f"--reruns in ({WARM_RERUNS}, 1000], --sessions in ({WARM_SESSIONS}, 300]")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="kumamap-memory-") as workdir:
        data = Path(shutil.copytree(ROOT / "geo", Path(workdir) / "geo"))
        url, process = start_app(data)
        try:
            start_rss = mib(process.pid)
            results = asyncio.run(measure(url, data, process.pid, args,
                                          chromium_launcher(Path(workdir), raised=False)))
        finally:
            process.terminate()
            process.wait(timeout=30)
    print("\n".join(report(results, args, started, start_rss)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
