"""Real app, real Chromium: one Streamlit server per data folder, started once per session.

Every request that would leave the machine is stopped: tile requests get an empty tile
(so the map still works and the console stays clean), anything else fails the test.
"""

from __future__ import annotations

import base64
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Route, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
# Set by the test command; unset means Playwright's own browser download.
CHROMIUM = os.environ.get("KUMAMAP_CHROMIUM") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
LOOPBACK = {"localhost", "127.0.0.1", "[::1]", "::1"}
TILE_HOSTS = {"tile.openstreetmap.org", "cyberjapandata.gsi.go.jp"}
# A 1x1 transparent PNG, served in place of every map tile.
EMPTY_TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
STARTUP_SECONDS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)  # server still starting; this is polling, not a test wait
    raise RuntimeError(f"streamlit at {url} not healthy after {STARTUP_SECONDS}s")


@pytest.fixture(scope="session")
def serve() -> Iterator:
    """serve(data_dir) -> base URL of a running app on that data (one server per folder)."""
    servers: dict[Path, tuple[str, subprocess.Popen]] = {}

    def start(data: Path) -> str:
        if data not in servers:
            port = free_port()
            env = {**os.environ, "KUMAMAP_DATA": str(data)}
            command = [
                sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
                "--server.headless=true", f"--server.port={port}", "--server.address=127.0.0.1",
                "--browser.gatherUsageStats=false", "--server.fileWatcherType=none",
            ]
            process = subprocess.Popen(command, cwd=ROOT, env=env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            url = f"http://127.0.0.1:{port}"
            wait_healthy(url, process)
            servers[data] = (url, process)
        return servers[data][0]

    yield start
    for _, process in servers.values():
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if CHROMIUM and not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run the README's test command, "
                    "or set KUMAMAP_CHROMIUM")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--disable-quic"],
        )
        yield browser
        browser.close()


@dataclass
class Traffic:
    """What the page tried to fetch, and what went wrong in it."""

    tiles: list[str] = field(default_factory=list)
    forbidden: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    responses: list[tuple[str, str]] = field(default_factory=list)


@pytest.fixture
def traffic() -> Traffic:
    return Traffic()


@pytest.fixture
def page(browser: Browser, traffic: Traffic) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})

    def route(request_route: Route) -> None:
        url = request_route.request.url
        host = urlsplit(url).hostname or ""
        if url.startswith(("data:", "blob:", "about:")) or host in LOOPBACK:
            request_route.continue_()
        elif host in TILE_HOSTS:
            traffic.tiles.append(url)
            request_route.fulfill(status=200, content_type="image/png", body=EMPTY_TILE)
        else:
            traffic.forbidden.append(url)
            request_route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("pageerror", lambda error: traffic.errors.append(f"pageerror: {error}"))
    page.on("console", lambda message: traffic.errors.append(f"console: {message.text}")
            if message.type == "error" else None)
    page.on("dialog", lambda dialog: (traffic.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("response", lambda response: traffic.responses.append(
        (response.url, response.headers.get("content-type", ""))))
    yield page
    context.close()
    assert not traffic.forbidden, f"requests left the machine: {traffic.forbidden}"
    assert not traffic.dialogs, f"a script ran: {traffic.dialogs}"
    assert not traffic.errors, f"errors in the page: {traffic.errors}"
