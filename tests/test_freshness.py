"""Stale statuses: planned to start in a year that began after the last check."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from kumamap.cli import validate
from kumamap.freshness import is_stale, stale_problems
from kumamap.model import Layer, Status
from kumamap.validate import read_feature
from tests.builders import copy_mini, raw_feature

LAYER = Layer("test", "test.geojson", "zone", None, "#000000", True, 0, "", (-180, -90, 180, 90))
PLANNED_2026 = replace(read_feature(raw_feature(), LAYER), status=Status.UNDER_CONSTRUCTION,
                       planned_year=2026, checked="2025-11-28")


@pytest.mark.parametrize(("changes", "today", "expected"), [
    ({}, date(2026, 1, 1), True),  # the planned year has begun since the check
    ({}, date(2025, 12, 31), False),  # not yet
    ({"checked": "2026-01-01"}, date(2026, 12, 3), False),  # checked within the year
    ({"checked": "2025"}, date(2026, 12, 3), True),  # a bare year counts from its first day
    ({"checked": None}, date(2026, 12, 3), True),  # never checked
    ({"status": Status.OPERATING}, date(2026, 12, 3), False),  # it has started
    ({"status": Status.PLANNED}, date(2026, 12, 3), True),
    ({"status": Status.CANDIDATE}, date(2026, 12, 3), False),  # a candidate has no start
    ({"planned_year": None}, date(2026, 12, 3), False),  # no plan to compare with
])
def test_a_status_is_stale_only_after_its_planned_start_and_an_older_check(changes, today,
                                                                         expected):
    assert is_stale(replace(PLANNED_2026, **changes), today) is expected


def test_a_stale_feature_is_a_problem_in_its_layer_file():
    problems = stale_problems((replace(LAYER, features=(PLANNED_2026,)),), date(2026, 12, 3))
    assert [str(problem) for problem in problems] == [
        'test.geojson: feature "test-zone": status "under_construction" planned to change in'
        " 2026, but checked 2025-11-28, before that year: re-check it against a newer source"
        " and set checked"]


def test_kumamap_validate_names_a_stale_status_and_fails(tmp_path, capsys):
    root = copy_mini(tmp_path)
    # The mini data's Fab 2 is planned for 2027 and was checked in 2024.
    assert validate(root, today=date(2026, 12, 31)) == 0
    assert validate(root, today=date(2027, 1, 1)) == 1
    assert ('geo/jasm.geojson: feature "jasm-fab2": status "under_construction" planned to'
            " change in 2027") in capsys.readouterr().out
