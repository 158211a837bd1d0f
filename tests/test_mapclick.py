"""What a browser reports as a click on the map selects only a known feature."""

import pytest

from kumamap.catalog import load_catalog
from kumamap.mapclick import MAX_ID_LENGTH, clicked_feature
from tests.builders import MINI

LAYERS = load_catalog(MINI).layers


def test_a_known_feature_id_is_the_clicked_feature():
    assert clicked_feature("jasm-fab1", LAYERS) == "jasm-fab1"


@pytest.mark.parametrize("reported", [
    "no-such-feature", "", "JASM-FAB1", " jasm-fab1", None, 7, 7.5, True, ["jasm-fab1"],
    {"id": "jasm-fab1"}, "x" * (MAX_ID_LENGTH + 1), "<img src=x onerror=alert(1)>"])
def test_anything_else_is_no_click(reported):
    assert clicked_feature(reported, LAYERS) is None


def test_an_id_longer_than_any_may_be_is_refused_before_it_is_looked_up(monkeypatch):
    looked_up = []
    monkeypatch.setattr("kumamap.mapclick.find_feature",
                        lambda layers, feature_id: looked_up.append(feature_id))
    assert clicked_feature("a" * (MAX_ID_LENGTH + 1), LAYERS) is None
    assert clicked_feature("a" * MAX_ID_LENGTH, LAYERS) is None
    assert looked_up == ["a" * MAX_ID_LENGTH]
