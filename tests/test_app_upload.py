"""Hostile uploads under AppTest: the page names the file and the limit and keeps working."""

import io
import json
import zipfile

from tests.builders import MINI
from tests.test_app import run_app, shown_count, switch_layer, unescape


def bomb() -> bytes:
    """A small zip whose one member expands past the member limit (50 MB)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.geojson", b" " * 50_000_001)
    return buffer.getvalue()


def upload(at, name: str, raw: bytes, mime: str):
    return at.file_uploader(key="upload").set_value((name, raw, mime)).run()


def errors(at) -> str:
    return "\n".join(unescape(error.value) for error in at.error)


def test_zip_bomb_is_named_with_the_limit_and_the_page_still_works(monkeypatch):
    at = upload(run_app(monkeypatch, MINI), "roads.zip", bomb(), "application/zip")
    assert not at.exception, [e.message for e in at.exception]
    assert ('roads.zip: member "a.geojson" expands to 50,000,001 bytes, '
            "more than the limit of 50,000,000 bytes") in errors(at)
    assert shown_count(at) == 4
    switch_layer(at, "rail", True)
    assert shown_count(at) == 5


def test_deep_json_is_a_message_not_a_traceback(monkeypatch):
    at = upload(run_app(monkeypatch, MINI), "deep.geojson", b"[" * 100_000, "application/json")
    assert not at.exception, [e.message for e in at.exception]
    assert "deep.geojson: nests deeper than 32 levels" in errors(at)
    assert shown_count(at) == 4


def test_null_properties_are_drawn(monkeypatch):
    feature = {"type": "Feature", "properties": None,
               "geometry": {"type": "Point", "coordinates": [130.8, 32.9]}}
    raw = json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()
    at = upload(run_app(monkeypatch, MINI), "null.geojson", raw, "application/json")
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error
    assert shown_count(at) == 5
