"""Server memory through many reruns and sessions, spoken over Streamlit's protocol.

The browser version (`memory.py`) is the reader's view; this one needs no browser, so it
can compare server settings quickly: the same reruns and sessions with `--config
runner.postScriptGC=true` (Streamlit's default, a full garbage collection after every run)
and without it (kumamap's `.streamlit/config.toml`).

    .venv/bin/python -m benchmarks.reruns --reruns 300 --sessions 100
    .venv/bin/python -m benchmarks.reruns --config runner.postScriptGC=true
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os

from streamlit.config_option import ConfigOption

from benchmarks.host import cpu_seconds, rss_mb
from deploy.serve import replica_env
from tests.e2e.server import ROOT, start_app
from tests.stclient import Reader

PACED_S = 0.6  # between reruns: a reader's pace, under the run limiter's 2 a second


async def measure(url: str, pid: int, reruns: int, sessions: int) -> dict:
    figures: dict = {"rss_reruns_mb": [], "rss_sessions_mb": []}
    async with Reader(url) as reader:
        await reader.run("", timeout=120)
        cpu = cpu_seconds(pid)
        for number in range(1, reruns + 1):
            await reader.run(f"text=x{number % 7}", timeout=60)
            if number % 25 == 0:
                figures["rss_reruns_mb"].append(round(rss_mb(pid), 1))
            await asyncio.sleep(PACED_S)
        figures["cpu_per_rerun_ms"] = round((cpu_seconds(pid) - cpu) / reruns * 1000, 1)
    for number in range(1, sessions + 1):
        async with Reader(url) as reader:
            await reader.run("", timeout=120)
        if number % 10 == 0:
            figures["rss_sessions_mb"].append(round(rss_mb(pid), 1))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reruns", type=int, default=300)
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--config", action="append", default=[],
                        help="a Streamlit option for the server, e.g. runner.postScriptGC=true")
    args = parser.parse_args()
    os.environ.update({name: value for name, value in replica_env({}, ROOT, "").items()
                       if name.startswith(("MALLOC", "PYTHONMALLOC"))})
    for option in args.config:  # Streamlit reads STREAMLIT_<SECTION>_<NAME> from the env
        name, value = option.split("=", 1)
        os.environ[ConfigOption(name, default_val="").env_var] = value
    url, process = start_app(ROOT / "geo")
    try:
        figures = asyncio.run(measure(url, process.pid, args.reruns, args.sessions))
    finally:
        process.kill()
        process.wait(30)
    print(json.dumps({"config": args.config, **figures}))


if __name__ == "__main__":
    main()
