"""Issue 23: what readers who left were holding goes back, without a new reader arriving.

A real server (its own process, in the environment the replicas get) with a short
reconnect window: readers upload the largest file the app accepts over Streamlit's
protocol, see it drawn, close their pages; the server's RSS must come back near where it
was before, with no other session opening meanwhile. Before the fix it stayed up (the
audit: 804 MB for 200 s after 10 readers), and the upload manager kept every file.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from benchmarks.host import rss_mb
from benchmarks.uploads import hold_upload, largest_upload
from deploy.serve import replica_env
from kumamap.housekeeping import KEEP_ENV, SWEEP_ENV
from tests.builders import GEO
from tests.e2e.server import start_app
from tests.stclient import Reader, run_apart

READERS = 3
WITHIN = 1.10  # the bound: RSS within 10 % of its start


@pytest.fixture
def server(monkeypatch):
    for name, value in replica_env({}, GEO, "secret").items():
        if name.startswith(("MALLOC", "PYTHONMALLOC")):
            monkeypatch.setenv(name, value)
    monkeypatch.setenv(SWEEP_ENV, "1")
    monkeypatch.setenv(KEEP_ENV, "1")
    url, process = start_app(GEO)
    yield url, process
    process.kill()
    process.wait(30)


async def settle(pid: int, seconds: float) -> float:
    await asyncio.sleep(seconds)
    return rss_mb(pid)


def test_memory_of_readers_who_left_with_uploads_comes_back(server):
    url, process = server

    async def visit() -> tuple[float, float, list[float]]:
        async with Reader(url) as warm:  # the app and its data loaded once, as in service
            await warm.open(timeout=120)
        start = await settle(process.pid, 3)
        raw = largest_upload()
        readers = [(await hold_upload(url, raw, number))[0] for number in range(READERS)]
        held = rss_mb(process.pid)
        for reader in readers:
            await reader.__aexit__(None, None, None)
        after = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            after.append(await settle(process.pid, 1))
            if after[-1] <= start * WITHIN:
                break
        return start, held, after

    start, held, after = run_apart(visit())
    assert held > start * WITHIN, (start, held)  # the uploads did take memory
    assert after[-1] <= start * WITHIN, f"RSS {start:.0f} MB -> {held:.0f} held -> {after}"
