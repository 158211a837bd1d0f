"""Start the real app on a free local port; shared by the browser tests and the scripts
that take screenshots or measure speed."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 60
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]


def chromium_path() -> str | None:
    """$KUMAMAP_CHROMIUM, else Debian's Chromium, else None (Playwright's own browser)."""
    path = os.environ.get("KUMAMAP_CHROMIUM")
    if path:
        return path
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def chromium_launcher(folder: Path, raised: bool = False, nice: int = 0) -> str | None:
    """Chromium, unable to raise its own priority (a launcher script in `folder`).

    Run as root, Chromium sets its compositor, IO and display threads to nice -8, so on a
    small machine a test's or a load test's browsers outrank the app they drive (see
    benchmarks/README.md, "Many readers"). Dropping the capability to renice keeps every
    process at the same priority; `raised` keeps Chromium's own behaviour. `nice` lowers
    the browser's priority below the app's (a load test whose readers' browsers would not
    be on the server)."""
    chromium = chromium_path() or None
    renice = not raised and os.geteuid() == 0 and shutil.which("setpriv") is not None
    if chromium is None or not (renice or nice):
        return chromium
    command = f'"{chromium}" "$@"'
    if renice:
        command = f"setpriv --bounding-set -sys_nice --inh-caps -sys_nice {command}"
    if nice:
        command = f"nice -n {int(nice)} {command}"
    wrapper = folder / "chromium"
    wrapper.write_text(f"#!/bin/sh\nexec {command}\n", encoding="utf-8")
    wrapper.chmod(0o755)
    return str(wrapper)


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
            time.sleep(0.2)  # server still starting; polling, not a test wait
    raise RuntimeError(f"streamlit at {url} not healthy after {STARTUP_SECONDS}s")


def start_app(data: Path, script: Path = ROOT / "app.py",
              port: int | None = None) -> tuple[str, subprocess.Popen]:
    """Run `streamlit run` on `script` with KUMAMAP_DATA=data, on `port` or a free one;
    returns (url, process)."""
    port = port or free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.headless=true", f"--server.port={port}", "--server.address=127.0.0.1",
        "--browser.gatherUsageStats=false", "--server.fileWatcherType=none",
    ]
    # From the script's own checkout: its .streamlit/config.toml applies (a baseline run of
    # an earlier commit gets its own settings).
    process = subprocess.Popen(command, cwd=script.parent,
                               env={**os.environ, "KUMAMAP_DATA": str(data)},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process)
    except RuntimeError:
        process.terminate()
        raise
    return url, process
