"""Hostile archives, made here, against the child process and its limits."""

import io
import struct
import threading
import tomllib
import zipfile
from pathlib import Path

import geopandas
import pytest
from shapely.geometry import Point, Polygon

from kumamap.sandbox import LIMITS, READERS, Limits, Refused, read_isolated, read_member
from kumamap.upload import MAX_UPLOAD_BYTES, read_upload, reads_ahead_of

ROOT = Path(__file__).parent.parent


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def messages(problems) -> list[str]:
    return [str(problem) for problem in problems]


def test_zip_bomb_is_refused_from_the_directory():
    bomb = zipped({"a.geojson": b"[" + b" " * (LIMITS.member_bytes + 10)})
    assert len(bomb) < 200_000  # small upload, huge member
    layer, problems = read_upload("roads.zip", bomb, set())
    assert messages(problems) == [
        'roads.zip: member "a.geojson" expands to 50,000,011 bytes, '
        "more than the limit of 50,000,000 bytes"]
    assert layer.features == ()


def test_members_together_are_bounded():
    small = Limits(member_bytes=1_000, total_bytes=1_500)
    archive = zipped({"a.json": b"x" * 1_000, "b.json": b"x" * 1_000})
    _, problems = read_upload("two.zip", archive, set(), small)
    assert messages(problems) == [
        "two.zip: members expand to 2,000 bytes, more than the limit of 1,500 bytes in all"]


def lying(data: bytes, declared: int) -> bytes:
    """A zip of one member whose headers say it is `declared` bytes long."""
    raw = bytearray(zipped({"a.geojson": data}))
    local = raw.index(b"PK\x03\x04")
    raw[local + 22:local + 26] = struct.pack("<I", declared)
    central = raw.index(b"PK\x01\x02")
    raw[central + 24:central + 28] = struct.pack("<I", declared)
    return bytes(raw)


def test_a_header_that_lies_about_the_size_is_caught_while_reading():
    archive = lying(b"x" * 3_000_000, declared=1_000)
    _, problems = read_upload("liar.zip", archive, set(), Limits(member_bytes=100_000))
    assert messages(problems) == [
        "liar.zip: is not a readable zip archive: Bad CRC-32 for file 'a.geojson'"]


@pytest.mark.parametrize(("limits", "message"), [
    (Limits(member_bytes=100), 'member "a.geojson" expands to more than the limit of 100 bytes'),
    (Limits(total_bytes=100), "members expand to more than the limit of 100 bytes in all"),
])
def test_the_counters_hold_whatever_the_directory_says(limits, message):
    with zipfile.ZipFile(io.BytesIO(zipped({"a.geojson": b"x" * 5_000}))) as archive:
        with pytest.raises(Refused, match=message):
            read_member(archive, archive.infolist()[0], limits, limits.total_bytes)


def test_a_zip_without_geodata_says_so():
    _, problems = read_upload("notes.zip", zipped({"notes.txt": b"hello"}), set())
    assert [p.code for p in problems] == ["unreadable"]
    assert messages(problems)[0].startswith("notes.zip: cannot be read as geodata")


def test_member_count_is_bounded():
    archive = zipped({f"{index}.txt": b"" for index in range(LIMITS.members + 1)})
    _, problems = read_upload("many.zip", archive, set())
    assert messages(problems) == ["many.zip: has 101 members, more than the limit of 100 members"]


def test_many_points_are_refused_before_reading(tmp_path):
    points = geopandas.GeoDataFrame(
        geometry=geopandas.points_from_xy([130.0 + i * 1e-5 for i in range(LIMITS.features + 1)],
                                          [32.0] * (LIMITS.features + 1)), crs=4326)
    points.to_file(tmp_path / "p.shp", engine="pyogrio")
    archive = zipped({part.name: part.read_bytes() for part in tmp_path.glob("p.*")})
    _, problems = read_upload("points.zip", archive, set())
    assert messages(problems) == [
        "points.zip: has 10,001 features, more than the limit of 10,000 features"]


def gpkg(path: Path, layers: int) -> bytes:
    for index in range(layers):
        frame = geopandas.GeoDataFrame({"name": [f"site {index}"]},
                                       geometry=[Point(130.8, 32.9 + index * 1e-3)], crs=4326)
        frame.to_file(path, layer=f"layer_{index:02d}", engine="pyogrio")
    return path.read_bytes()


def test_every_layer_up_to_the_limit_is_read_and_the_rest_named(tmp_path):
    layer, problems = read_upload("many.gpkg", gpkg(tmp_path / "many.gpkg", 50), set())
    assert [f.name.en for f in layer.features] == [f"site {index}" for index in range(10)]
    left_out = ", ".join(f'"layer_{index:02d}"' for index in range(10, 30))
    assert messages(problems) == [
        f"many.gpkg: has 50 layers, more than the limit of 10: read the first 10, "
        f"left out {left_out} and 20 more"]


def test_too_many_vertices(tmp_path):
    ring = [(130.8 + i * 1e-4, 32.9 + (i % 2) * 1e-4) for i in range(200)]
    frame = geopandas.GeoDataFrame(geometry=[Polygon(ring)], crs=4326)
    frame.to_file(tmp_path / "big.gpkg", engine="pyogrio")
    raw = (tmp_path / "big.gpkg").read_bytes()
    _, problems = read_upload("big.gpkg", raw, set(), Limits(vertices=100))
    assert messages(problems) == ["big.gpkg: has 201 vertices, more than the limit of 100 vertices"]


def test_memory_limit_in_the_child_is_a_clean_problem():
    archive = zipped({"a.geojson": b" " * 40_000_000})
    _, problems = read_upload("hungry.zip", archive, set(), Limits(memory_bytes=20_000_000))
    assert messages(problems) == [
        "hungry.zip: needs more than the limit of 20 MB of memory to read"]


def test_time_limit_kills_the_child():
    output, failures = read_isolated(zipped({"a.json": b"{}"}), ".zip", Limits(seconds=0))
    assert (output, failures) == (None, [
        ["too-slow", "takes longer than the limit of 0 seconds to read"]])


def test_readers_at_once_are_bounded():
    taken = [READERS.acquire(timeout=60) for _ in range(LIMITS.readers)]
    try:
        output, failures = read_isolated(zipped({"a.json": b"{}"}), ".zip", Limits(seconds=0))
    finally:
        for _ in taken:
            READERS.release()
    assert (output, failures) == (None, [["busy", "was not read: the server is reading 2 other "
                                                  "uploads; please try again in a minute"]])


def test_output_is_capped(tmp_path):
    raw = gpkg(tmp_path / "one.gpkg", 1)
    _, problems = read_upload("one.gpkg", raw, set(), Limits(output_bytes=100))
    assert messages(problems) == ["one.gpkg: gives more than the limit of 100 bytes of GeoJSON"]


def test_streamlit_refuses_what_we_refuse():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    # server.maxUploadSize is read as 10**6 bytes by the browser on Linux and macOS and as
    # 2**20 on Windows and by the server: the app's limit is the smallest of them.
    assert config["server"]["maxUploadSize"] * 10**6 == MAX_UPLOAD_BYTES


class WatchedReaders:
    """The readers' semaphore, telling the test each time a read has arrived at it."""

    def __init__(self, readers: int) -> None:
        self.semaphore = threading.BoundedSemaphore(readers)
        self.arrived = threading.Semaphore(0)

    def acquire(self, timeout: float) -> bool:
        self.arrived.release()
        return self.semaphore.acquire(timeout=timeout)

    def release(self) -> None:
        self.semaphore.release()


def test_a_file_waiting_for_a_reader_knows_how_many_are_ahead(monkeypatch):
    """A burst of four archive uploads on two readers: the next one waits behind three."""
    release, readers = threading.Event(), WatchedReaders(LIMITS.readers)
    monkeypatch.setattr("kumamap.sandbox.READERS", readers)
    monkeypatch.setattr("kumamap.sandbox.read_in_child",
                        lambda *_args: (b"{}", []) if release.wait(timeout=30) else (None, []))
    burst = [threading.Thread(target=read_isolated, args=(b"", ".zip")) for _ in range(4)]
    assert reads_ahead_of("mine.zip") == 0  # a reader is free: not queued
    for upload in burst:
        upload.start()
    try:
        for _ in burst:
            assert readers.arrived.acquire(timeout=30)
        assert reads_ahead_of("mine.zip") == 3  # two being read, two waiting
        assert reads_ahead_of("mine.gpkg") == 3
        assert reads_ahead_of("mine.geojson") == 0  # plain GeoJSON is read at once
    finally:
        release.set()
        for upload in burst:
            upload.join(timeout=30)
    assert reads_ahead_of("mine.zip") == 0
