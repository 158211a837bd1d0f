"""Which features may tell a stale status: planned to open in a year that has begun since
their facts were last checked. Pure; today is an argument, so tests can fix it.

A feature gives only `planned_year`, not the day of its planned start, so the earliest day
the start can have happened is 1 January of that year: a check before that day cannot
have seen it, a check on or after it may have.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from kumamap.model import Feature, Layer, Problem, Status

# The statuses that say "not started yet".
PRE_START = frozenset({Status.PLANNED, Status.UNDER_CONSTRUCTION})


def planned_start(feature: Feature) -> date | None:
    """The first day the planned start can fall on, or None without a planned year."""
    return None if feature.planned_year is None else date(feature.planned_year, 1, 1)


def checked_on(feature: Feature) -> date | None:
    """The `checked` date as a day; a bare year or month counts from its first day."""
    if feature.checked is None:
        return None
    parts = [int(part) for part in feature.checked.split("-")]
    return date(*parts, *[1] * (3 - len(parts)))


def is_stale(feature: Feature, today: date) -> bool:
    """Still planned or under construction after its planned start, checked before it."""
    start = planned_start(feature)
    if feature.status not in PRE_START or start is None or start > today:
        return False
    checked = checked_on(feature)
    return checked is None or checked < start


def stale_problems(layers: Iterable[Layer], today: date, folder: str = "") -> tuple[Problem, ...]:
    """One problem per stale feature, located in its layer file (inside `folder`, named as
    the loader names it)."""
    return tuple(
        Problem(f"{folder}/{layer.file}" if folder else layer.file, "stale-status",
                f'status "{feature.status.value}" planned to change in {feature.planned_year},'
                f" but checked {feature.checked or 'never'}, before that year: re-check it"
                " against a newer source and set checked", feature.id)
        for layer in layers for feature in layer.features if is_stale(feature, today))
