"""The test browser may not outrank the app it tests: run as root, Chromium raises its own
threads to nice -8, and on a 2-core machine the app then waits for the CPU (issue 15)."""

import os
from pathlib import Path

from tests.builders import MINI
from tests.e2e.helpers import open_app


def descendants(pid: int) -> set[int]:
    """Every process started, directly or not, by `pid`."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # a process that ended meanwhile
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def thread_niceness(pid: int) -> list[int]:
    values = []
    for stat in Path(f"/proc/{pid}/task").glob("*/stat"):
        try:
            values.append(int(stat.read_text().rsplit(")", 1)[1].split()[16]))
        except (OSError, IndexError):
            continue
    return values


def test_the_browser_threads_keep_normal_priority(page, serve):
    open_app(page, serve(MINI))  # a page drawn: Chromium has set up its threads by now
    browsers = [pid for pid in descendants(os.getpid())
                if "chrom" in Path(f"/proc/{pid}/comm").read_text(errors="replace")]
    assert browsers, "no Chromium process found under this test run"
    niceness = [nice for pid in browsers for nice in thread_niceness(pid)]
    assert min(niceness) >= 0, f"Chromium threads at nice {sorted(set(niceness))}"
