"""The machine under test, seen from outside the app: the server processes' memory, CPU
time and waits for a CPU, health-check latency with py-spy dumps of slow moments, and
Chromium's priority. Used by benchmarks/load.py and benchmarks/memory.py."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.e2e.server import chromium_launcher

HEALTH_EVERY_S = 1.0
SLOW_HEALTH_S = 2.0  # a health check slower than this gets a py-spy dump of the server
MAX_DUMPS = 6


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def rss_mb(pid: int) -> float:
    return rss_kib(pid) / 1024


class Watch:
    """Samples of the server side while readers work: health-check latency, RSS, CPU, and
    py-spy dumps of the server when a health check is slow."""

    def __init__(self, url: str, pids: list[int], dumps: Path | None) -> None:
        self.url, self.pids, self.dumps = url, pids, dumps
        self.health: list[tuple[float, float, float]] = []  # (since start, latency, CPU wait)
        self.rss: list[int] = []  # KiB, summed over the server processes
        self.started = time.monotonic()
        self.dumped = 0
        self.baseline_kib, self.cpu_before, self.cpu_used = 0, 0.0, 0.0
        self.waited_before = self.waited = self.busy_before = self.busy = 0.0

    def mark(self) -> None:
        """The server's memory and CPU time when warm (the app loaded), before the readers."""
        self.baseline_kib = sum(rss_kib(pid) for pid in self.pids)
        self.cpu_before = sum(cpu_seconds(pid) for pid in self.pids)
        self.waited_before, self.busy_before = run_delay(self.pids), machine_busy()
        self.started = time.monotonic()

    def finish(self) -> None:
        self.cpu_used = self.cpu()
        self.waited = run_delay(self.pids) - self.waited_before
        self.busy = machine_busy() - self.busy_before

    def cpu(self) -> float:
        return sum(cpu_seconds(pid) for pid in self.pids if Path(f"/proc/{pid}").exists()) \
            - self.cpu_before

    def check_health(self) -> float:
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=60) as response:
                response.read()
        except OSError:
            return float("inf")
        return time.perf_counter() - start

    def dump(self, reason: str) -> None:
        # py-spy on the PATH, or installed beside this Python (a venv not activated).
        py_spy = shutil.which("py-spy") or shutil.which("py-spy", path=Path(sys.executable).parent)
        if self.dumps is None or self.dumped >= MAX_DUMPS or not py_spy:
            return
        self.dumped += 1
        for pid in self.pids:
            out = subprocess.run([py_spy, "dump", "--pid", str(pid)], capture_output=True,
                                 text=True, timeout=60, check=False)
            path = self.dumps / f"dump-{self.dumped}-{pid}.txt"
            path.write_text(f"{reason}\n{out.stdout}{out.stderr}")

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            self.rss.append(sum(rss_kib(pid) for pid in self.pids if Path(f"/proc/{pid}").exists()))
            waited = run_delay(self.pids)
            probe = asyncio.create_task(asyncio.to_thread(self.check_health))
            done, _ = await asyncio.wait({probe}, timeout=SLOW_HEALTH_S)
            if not done:
                await asyncio.to_thread(self.dump, f"health check pending > {SLOW_HEALTH_S} s "
                                        f"at {time.monotonic() - self.started:.1f} s")
            latency = await probe
            self.health.append((time.monotonic() - self.started, latency,
                                run_delay(self.pids) - waited))
            try:
                await asyncio.wait_for(stop.wait(), HEALTH_EVERY_S)
            except TimeoutError:
                pass


def run_delay(pids: list[int]) -> float:
    """Seconds the server's threads were ready to run but waited for a CPU (schedstat)."""
    total = 0
    for pid in pids:
        for task in Path(f"/proc/{pid}/task").glob("*"):
            try:
                total += int((task / "schedstat").read_text().split()[1])
            except (OSError, IndexError):
                continue  # a thread that ended meanwhile
    return total / 1e9


def machine_busy() -> float:
    """CPU-seconds the whole machine spent on anything but idle and I/O wait."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(values) - values[3] - values[4]) / os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (clock ticks of /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
