"""The reader's upload under AppTest: read once, held by the session, bounded server-wide."""

import json

import pytest

from kumamap import budget, held
from tests.builders import MINI
from tests.test_app import run_app, shown_count, unescape

POINT = {"type": "Feature", "properties": {"name": "A plot"},
         "geometry": {"type": "Point", "coordinates": [130.8, 32.9]}}
RAW = json.dumps({"type": "FeatureCollection", "features": [POINT]}).encode()


def upload(at, name: str = "plots.geojson", raw: bytes = RAW):
    return at.file_uploader(key="upload").set_value((name, raw, "application/json")).run()


@pytest.fixture
def reads(monkeypatch):
    """Every parse of an upload, by name."""
    names = []
    real = held.read_upload

    def counted(name, raw, taken):
        names.append(name)
        return real(name, raw, taken)

    monkeypatch.setattr(held, "read_upload", counted)
    return names


def test_an_upload_is_read_once_and_stays_on_the_map(monkeypatch, reads):
    at = run_app(monkeypatch, MINI)
    before = shown_count(at)
    at = upload(at)
    assert shown_count(at) == before + 1
    at.run()
    at.run()
    assert shown_count(at) == before + 1
    assert reads == ["plots.geojson"]
    assert at.session_state[held.HELD].layer is not None


def test_another_file_replaces_the_held_one_and_its_reservation(monkeypatch, reads):
    at = upload(run_app(monkeypatch, MINI))
    first = at.session_state[held.HELD].budget_key
    assert budget.UPLOADS._held.get(first)
    at = upload(at, "other.geojson")
    assert reads == ["plots.geojson", "other.geojson"]
    assert first not in budget.UPLOADS._held
    assert at.session_state[held.HELD].budget_key in budget.UPLOADS._held


def test_a_full_budget_refuses_the_upload_with_a_message_and_the_page_works(monkeypatch, reads):
    monkeypatch.setattr(held, "UPLOADS", budget.Budget(10))
    at = run_app(monkeypatch, MINI)
    before = shown_count(at)
    at = upload(at)
    assert not at.exception, [e.message for e in at.exception]
    errors = "\n".join(unescape(error.value) for error in at.error)
    assert "plots.geojson: was not read: the server holds 0 MB of uploaded layers" in errors
    assert shown_count(at) == before
    assert reads == []


def test_removing_the_file_lets_go_of_the_layer(monkeypatch):
    at = upload(run_app(monkeypatch, MINI))
    key = at.session_state[held.HELD].budget_key
    at = at.file_uploader(key="upload").set_value(None).run()
    assert held.HELD not in at.session_state
    assert key not in budget.UPLOADS._held
