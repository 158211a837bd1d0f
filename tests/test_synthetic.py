"""The benchmarks' synthetic layer is valid data: a field the schema starts to require must
be added there too, or the scale runs would time a map without the layer (every feature
rejected, the run still "passing" because both sides of its check count the same)."""

from __future__ import annotations

from benchmarks.synthetic import LAYER_ID, write_scaled_copy
from kumamap.catalog import load_catalog
from tests.builders import GEO


def test_a_scaled_copy_loads_every_synthetic_feature_without_a_problem(tmp_path):
    result = load_catalog(write_scaled_copy(GEO, tmp_path / "scaled", 40))
    assert [p for p in result.problems if LAYER_ID in p.file] == []
    layer = next(layer for layer in result.layers if layer.id == LAYER_ID)
    assert len(layer.features) == 40
