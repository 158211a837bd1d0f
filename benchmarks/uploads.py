"""Readers who each hold the largest upload the app accepts, and the server's memory.

Issue 23's audit: 10 readers, one after another, each uploaded a 10,000-polygon GeoJSON just
under the limit and kept the page open (server RSS +60 MB a reader), then closed it (RSS
stayed). This plays those readers over Streamlit's websocket protocol (tests/stclient.py),
no browser, and reports the server's RSS after each upload and after all pages closed.

    .venv/bin/python -m benchmarks.uploads --readers 10 --after 200

It starts the app itself in the environment the replicas get (`deploy/serve.py`
`replica_env`: MALLOC_ARENA_MAX=2, PYTHONMALLOC=malloc), or `--plain` in the default one;
`--app` serves another checkout, for a before/after in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from pathlib import Path

from benchmarks.host import rss_mb
from deploy.serve import replica_env
from kumamap.sandbox import LIMITS
from tests.e2e.server import ROOT, start_app
from tests.stclient import Reader

POLYGONS = 10_000


def largest_upload(limit: int = LIMITS.upload_bytes, polygons: int = POLYGONS) -> bytes:
    """A FeatureCollection of `polygons` small squares, padded to just under `limit` bytes."""
    features = []
    for number in range(polygons):
        x, y = 128 + (number % 100) * 0.05, 30 + (number // 100) * 0.05
        ring = [[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]
        features.append({"type": "Feature", "properties": {"name": f"Plot {number}"},
                         "geometry": {"type": "Polygon", "coordinates": [ring]}})
    data = {"type": "FeatureCollection", "features": features, "pad": ""}
    raw = json.dumps(data).encode()
    data["pad"] = "x" * (limit - len(raw) - 1)
    return json.dumps(data).encode()


def shown_count(text: str) -> int:
    """The page's count line ("10,039 features shown"), in English."""
    for line in text.splitlines():
        if line.endswith("features shown"):
            return int(line.split()[0].replace(",", ""))
    return 0


class Refused(Exception):
    """The server said it holds too many uploaded layers (its budget): not an error."""


async def hold_upload(url: str, raw: bytes, number: int) -> tuple[Reader, float]:
    """A reader that opens the page, uploads `raw` and waits until its layer is drawn."""
    reader = Reader(url)
    await reader.__aenter__()
    first = await reader.open(timeout=120)
    choice = await reader.upload(f"plots-{number}.geojson", raw)
    start = time.perf_counter()
    run = await reader.run("", {first.widgets["upload"].id: choice}, timeout=300)
    shown = shown_count(run.text)
    if run.finished and "the server holds" in run.text:  # the budget's message
        await reader.__aexit__(None, None, None)
        raise Refused(number)
    if not run.finished or shown < POLYGONS:
        raise RuntimeError(f"reader {number}: the upload was not shown ({shown} features): "
                           f"{run.text[:1500]}")
    return reader, time.perf_counter() - start


async def measure(url: str, readers: int, after: float, pid: int) -> dict:
    raw = largest_upload()
    async with Reader(url) as warm:  # the app and its data loaded, as in service
        await warm.run("", timeout=120)
    await asyncio.sleep(3)
    figures = {"file_bytes": len(raw), "rss_start_mb": round(rss_mb(pid), 1),
               "rss_after_each_mb": [], "upload_s": [], "rss_after_close_mb": [],
               "refused": 0}
    held = []
    for number in range(readers):
        try:
            reader, seconds = await hold_upload(url, raw, number)
        except Refused:
            figures["refused"] += 1
            continue
        held.append(reader)
        figures["upload_s"].append(round(seconds, 2))
        figures["rss_after_each_mb"].append(round(rss_mb(pid), 1))
    figures["rss_peak_mb"] = max(figures["rss_after_each_mb"])
    for reader in held:
        await reader.__aexit__(None, None, None)
    closed = time.monotonic()
    while (elapsed := time.monotonic() - closed) < after:
        await asyncio.sleep(10)
        figures["rss_after_close_mb"].append([round(elapsed), round(rss_mb(pid), 1)])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app", type=Path, default=ROOT, help="checkout whose app.py to serve")
    parser.add_argument("--readers", type=int, default=10)
    parser.add_argument("--after", type=float, default=200, help="seconds to watch after closing")
    parser.add_argument("--plain", action="store_true", help="not the replicas' environment")
    args = parser.parse_args()
    if not args.plain:
        os.environ.update({name: value for name, value in replica_env({}, ROOT, "").items()
                           if name.startswith(("MALLOC", "PYTHONMALLOC"))})
    if args.app != ROOT:
        os.environ["PYTHONPATH"] = str(args.app.resolve() / "src")
    url, process = start_app(ROOT / "geo", script=args.app / "app.py")
    try:
        figures = asyncio.run(measure(url, args.readers, args.after, process.pid))
    finally:
        process.kill()
        process.wait(30)
    print(json.dumps({"app": str(args.app), "readers": args.readers, "plain": args.plain,
                      **figures}, indent=1))


if __name__ == "__main__":
    main()
