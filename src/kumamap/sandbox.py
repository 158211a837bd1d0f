"""Read an untrusted zip or GeoPackage in a child process with a memory and a time limit.

Why a child process, not streaming with counters in the server: GDAL (under geopandas) is C
code that allocates as it parses. Counters bound the zip members, not what GDAL builds from
them (a 70 KB zip of 200,000 points grew the server by 873 MB), and a read cannot be stopped
from another thread. A child can: fresh (not forked: the server's threads hold locks), it
loads its readers, then caps its address space (`RLIMIT_AS`), CPU time and file writes. An
allocation over the cap fails in the child (exit `MEMORY_EXIT`, or GDAL aborts), never in the
server, which kills the child after `seconds` or past `output_bytes` of GeoJSON, so it never
holds more than that. Zip members are still counted while read: headers can lie. At most
`readers` children run at once, so many uploads together stay bounded too.

Measured at the limits (10,000 features, 150,000 vertices, 20 MB back): the server grows by
20-65 MB while reading; the child peaks at 180-310 MB (~150 MB of it its libraries).
"""

from __future__ import annotations

import io
import json
import os
import re
import resource
import selectors
import subprocess
import sys
import threading
import time
import zipfile
import zlib
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

PACKAGE_ROOT = Path(__file__).resolve().parents[1]
CHUNK = 1 << 20
MEMORY_EXIT = 3  # the child's exit code when an allocation over its limit failed


@dataclass(frozen=True)
class Limits:
    """Every bound on one upload; the messages name these values."""

    upload_bytes: int = 5_000_000  # the file as uploaded: 5 MB (see .streamlit/config.toml)
    member_bytes: int = 50_000_000  # one zip member, uncompressed
    total_bytes: int = 80_000_000  # all zip members, uncompressed
    members: int = 100  # files in a zip
    layers: int = 10  # layers read from one zip or GeoPackage
    features: int = 10_000
    vertices: int = 150_000
    containers: int = 300_000  # JSON objects and arrays, counted in the bytes before parsing
    seconds: int = 30  # wall time of one read in the child
    memory_bytes: int = 500_000_000  # address space the child may add once its readers load
    readers: int = 2  # children at once, server-wide: one per core
    output_bytes: int = 20_000_000  # GeoJSON text the child may send back


LIMITS = Limits()


class Refused(Exception):
    """A limit stopped the read (child side); becomes a Problem in the server."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def over(amount: int, limit: int, unit: str) -> str:
    return f"{amount:,} {unit}, more than the limit of {limit:,} {unit}"


def shorten(name: str) -> str:
    """A name from the file, cut so that a hostile one cannot flood the message."""
    return name if len(name) <= 80 else f"{name[:77]}..."


def count_problem(features: int, vertices: int, limits: Limits) -> tuple[str, str] | None:
    """(code, message) when a layer has more features or vertices than one upload may."""
    if features > limits.features:
        return "too-many-features", f"has {over(features, limits.features, 'features')}"
    if vertices > limits.vertices:
        return "too-many-vertices", f"has {over(vertices, limits.vertices, 'vertices')}"
    return None


# Shared by every session: together, uploads add at most readers x memory_bytes.
READERS = threading.BoundedSemaphore(LIMITS.readers)


class Pending:
    """How many reads are running or waiting for a reader, server-wide, so that a reader
    who uploads during a burst can be told their file is queued behind them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.count = 0

    def __enter__(self) -> None:
        with self._lock:
            self.count += 1

    def __exit__(self, *_exception: object) -> None:
        with self._lock:
            self.count -= 1


PENDING = Pending()


def reads_ahead(limits: Limits = LIMITS) -> int:
    """Reads that must end before a read started now can begin (0: a reader is free)."""
    return max(0, PENDING.count - limits.readers + 1)


def read_isolated(raw: bytes, suffix: str, limits: Limits = LIMITS) -> tuple[Any, list[list[str]]]:
    """Bytes of a zip, GeoPackage or GeoJSON -> (GeoJSON text or None, [[code, message]])."""
    with PENDING:
        if not READERS.acquire(timeout=limits.seconds):
            return None, [["busy", f"was not read: the server is reading {limits.readers} "
                                   "other uploads; please try again in a minute"]]
        try:
            return read_in_child(raw, suffix, limits)
        finally:
            READERS.release()


def read_in_child(raw: bytes, suffix: str, limits: Limits) -> tuple[Any, list[list[str]]]:
    # -I: no user site or current folder on the path; the package is found where this is.
    start = (f"import sys; sys.path.insert(0, {str(PACKAGE_ROOT)!r}); "
             "import kumamap.sandbox; kumamap.sandbox.main()")
    command = [sys.executable, "-I", "-c", start, json.dumps(asdict(limits)), suffix]
    # One thread per reader library: their pools would only reserve address space.
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
           "MALLOC_ARENA_MAX": "2", "GDAL_NUM_THREADS": "1"}
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, env=env)
    try:
        output, failure = exchange(process, raw, limits)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
    if failure is None and process.returncode != 0:
        failure = ended_failure(process.returncode, limits)
    if failure is not None:
        return None, [failure]
    return output, []


def exchange(process: subprocess.Popen, raw: bytes,
             limits: Limits) -> tuple[bytes, list[str] | None]:
    """Send the upload, collect at most `output_bytes` of answer, within `seconds`."""
    deadline = time.monotonic() + limits.seconds
    pending, received, size = memoryview(raw), [], 0
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdin, selectors.EVENT_WRITE)
        selector.register(process.stdout, selectors.EVENT_READ)
        while selector.get_map():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return b"", ["too-slow", f"takes longer than the limit of {limits.seconds} "
                                         "seconds to read"]
            for key, _ in selector.select(remaining):
                if key.fileobj is process.stdin:
                    pending = send(process, selector, pending)
                    continue
                chunk = os.read(key.fd, CHUNK)
                if not chunk:  # the child closed its end: the answer is complete
                    selector.unregister(key.fileobj)
                size += len(chunk)
                if size > limits.output_bytes:
                    return b"", ["too-large", "gives more than the limit of "
                                              f"{limits.output_bytes:,} bytes of GeoJSON"]
                received.append(chunk)
    return b"".join(received), None


def send(process: subprocess.Popen, selector: selectors.BaseSelector,
         pending: memoryview) -> memoryview:
    try:
        written = os.write(process.stdin.fileno(), pending[:CHUNK])
    except BrokenPipeError:  # the child stopped early; its exit code says why
        written = len(pending)
    pending = pending[written:]
    if not pending:
        selector.unregister(process.stdin)
        process.stdin.close()
    return pending


def ended_failure(returncode: int, limits: Limits) -> list[str]:
    megabytes = limits.memory_bytes // 1_000_000
    if returncode == MEMORY_EXIT:
        return ["too-much-memory",
                f"needs more than the limit of {megabytes:,} MB of memory to read"]
    if returncode < 0:  # a signal: GDAL aborting on a failed allocation, the CPU limit, a crash
        return ["unreadable", f"cannot be read as geodata: the reader stopped (limits: "
                              f"{megabytes:,} MB of memory, {limits.seconds} seconds)"]
    return ["unreadable", "cannot be read as geodata: the reader failed on it"]


def confine(limits: Limits) -> None:
    """Cap this process: address space beyond what is loaded now, CPU time, no file writes."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        loaded = int(statm.read().split()[0]) * resource.getpagesize()
    resource.setrlimit(resource.RLIMIT_AS, (loaded + limits.memory_bytes,) * 2)
    resource.setrlimit(resource.RLIMIT_CPU, (limits.seconds, limits.seconds + 1))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))


def unpacked(raw: bytes, limits: Limits) -> bytes:
    """A zip -> the same members stored uncompressed, each bounded as declared and as read."""
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        if len(members) > limits.members:
            raise Refused("too-many-members",
                          f"has {over(len(members), limits.members, 'members')}")
        for info in members:
            if info.file_size > limits.member_bytes:
                raise Refused("too-large", f'member "{shorten(info.filename)}" expands to '
                                           f'{over(info.file_size, limits.member_bytes, "bytes")}')
        declared = sum(info.file_size for info in members)
        if declared > limits.total_bytes:
            raise Refused("too-large",
                          f"members expand to {over(declared, limits.total_bytes, 'bytes')} in all")
        copy, total = io.BytesIO(), 0
        with zipfile.ZipFile(copy, "w", zipfile.ZIP_STORED) as stored:
            for info in members:
                data = read_member(archive, info, limits, limits.total_bytes - total)
                total += len(data)
                stored.writestr(info.filename, data)
    return copy.getvalue()


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits,
                room: int) -> bytes:
    """Decompress one member counting bytes, whatever its header says."""
    parts, size = [], 0
    with archive.open(info) as member:
        while chunk := member.read(CHUNK):
            size += len(chunk)
            if size > limits.member_bytes:
                raise Refused("too-large", f'member "{shorten(info.filename)}" expands to more '
                                           f"than the limit of {limits.member_bytes:,} bytes")
            if size > room:
                raise Refused("too-large", f"members expand to more than the limit of "
                                           f"{limits.total_bytes:,} bytes in all")
            parts.append(chunk)
    return b"".join(parts)


def named_left_out(names: list[str], limits: Limits) -> str:
    shown = ", ".join(f'"{shorten(name)}"' for name in names[:20])
    more = f" and {len(names) - 20:,} more" if len(names) > 20 else ""
    return (f"has {len(names) + limits.layers:,} layers, more than the limit of {limits.layers}: "
            f"read the first {limits.layers}, left out {shown}{more}")


def read_layers(source: bytes, limits: Limits) -> tuple[str, list[list[str]]]:
    """Every layer up to the limit -> one GeoJSON text in WGS84, and what was left out."""
    import geopandas  # loaded before confine(): see main()
    import pandas
    import pyogrio
    import shapely

    names = [str(name) for name, _ in pyogrio.list_layers(io.BytesIO(source))]
    if not names:
        raise Refused("unreadable", "cannot be read as geodata: it holds no layers")
    problems = []
    if len(names) > limits.layers:
        problems.append(["too-many-layers", named_left_out(names[limits.layers:], limits)])
        names = names[:limits.layers]
    # Layers by position: a lone GeoJSON's layer name changes with every opening.
    counted = sum(pyogrio.read_info(io.BytesIO(source), layer=index, force_feature_count=True)
                  ["features"] for index in range(len(names)))
    refusal = count_problem(counted, 0, limits)
    if refusal:
        raise Refused(*refusal)
    frames = []
    for index in range(len(names)):
        frame = geopandas.read_file(io.BytesIO(source), layer=index)
        # No CRS: GeoJSON's own default, WGS84 lon/lat.
        frames.append(frame.set_crs(4326) if frame.crs is None else frame.to_crs(4326))
    frame = geopandas.GeoDataFrame(pandas.concat(frames, ignore_index=True), crs=4326)
    vertices = int(shapely.get_num_coordinates(frame.geometry.values).sum())
    refusal = count_problem(len(frame), vertices, limits)
    if refusal:
        raise Refused(*refusal)
    return frame.to_json(na="drop"), problems


def gdal_says(err: Exception) -> str:
    """GDAL's message without its in-memory path and its advice on drivers."""
    return shorten(re.sub(r"'?/vsi[^\s']*'?\s*", "", str(err)).split(";")[0].rstrip("."))


def read_geodata(raw: bytes, suffix: str, limits: Limits) -> str:
    """The child's whole job -> '{"problems": [[code, message]], "data": GeoJSON or null}'."""
    try:
        source = unpacked(raw, limits) if suffix == ".zip" else raw
        data, problems = read_layers(source, limits)
    except Refused as refusal:
        data, problems = "null", [[refusal.code, str(refusal)]]
    except (zipfile.BadZipFile, zlib.error, EOFError) as err:  # damaged, or not as declared
        data, problems = "null", [["bad-archive", f"is not a readable zip archive: {err}"]]
    except (RuntimeError, ValueError, OSError) as err:  # GDAL's errors are RuntimeErrors
        data, problems = "null", [["unreadable", f"cannot be read as geodata: {gdal_says(err)}"]]
    return f'{{"problems": {json.dumps(problems)}, "data": {data}}}'


def main() -> None:
    limits, suffix = Limits(**json.loads(sys.argv[-2])), sys.argv[-1]
    # Load the readers first: the limit is then on what reading the file adds.
    import geopandas  # noqa: F401
    import pyogrio  # noqa: F401

    confine(limits)
    raw = sys.stdin.buffer.read(limits.upload_bytes + 1)
    try:
        answer = read_geodata(raw, suffix, limits).encode("utf-8")
    except MemoryError:
        os._exit(MEMORY_EXIT)  # no clean-up: it could need memory too
    sys.stdout.buffer.write(answer)
