"""Samples -> median and spread, the issue's targets, and the results table."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

Samples = dict[str, list[float]]  # figure key -> measured values


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of `values` lie (the nearest one measured, no
    interpolation: a p95 is a time some reader waited)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    unit: str
    digits: int
    is_time: bool  # a time: "no slower than the baseline" applies


FIGURES = (
    Figure("first", "(a) navigation -> first feature drawn", "s", 2, True),
    Figure("shapes", "(a2) navigation -> all features drawn", "s", 2, True),
    Figure("toggle", "(b) layer toggle -> map changed", "s", 2, True),
    Figure("toggle_big", "(b2) toggle of the synthetic layer -> map changed", "s", 2, True),
    Figure("resent", "(b3) map message bytes per toggle", "kB", 0, False),
    Figure("filter", "(c) text filter -> map updated", "s", 2, True),
    Figure("in_map", "(d) click -> details in the map", "s", 2, True),
    Figure("click", "(d2) click -> details panel", "s", 2, True),
    Figure("story", "(h) story step -> map moved and text shown", "s", 2, True),
    Figure("payload", "(e) map messages, first load (all, until settled)", "kB", 0, False),
    Figure("rerun", "(f) server time per filter rerun (AppTest)", "s", 3, True),
    Figure("rss", "(g) server RSS after interactions", "MiB", 0, False),
)


@dataclass(frozen=True)
class Target:
    figure: str
    datasets: tuple[str, ...] | None  # None: every data set
    limit: float | None = None  # kumamap's median must stay at or below, in the figure's unit
    speedup: float | None = None  # the baseline's median / kumamap's must be at least this

    def describe(self, unit: str) -> str:
        if self.limit is not None:
            return f"<= {self.limit:g} {unit}"
        return f"{self.speedup:g}x faster" if self.speedup > 1 else "no slower"


DEFAULT = "default"
BEFORE = "before"  # kumamap at an earlier checkout, measured in the same run (--before)


def scale_label(size: int) -> str:
    """The data set: the default data plus a synthetic layer of `size` features."""
    return f"+{size}"


BIG = scale_label(10_000)
# Issue 13's targets. Toggle and filter: a ratio to the baseline at every size and 0.3 s
# at 10,000 features (also asked of the other sizes); the first map: 1.5 s and no slower
# than the baseline on the default data, 2 s at 10,000 features; a click: its details
# within 0.3 s (in the map; the panel after the rerun is held to the same bound).
TARGETS = (
    Target("first", (DEFAULT,), limit=1.5),
    Target("shapes", (DEFAULT,), limit=1.5),
    Target("shapes", (BIG,), limit=2.0),
    Target("toggle", None, limit=0.3),
    Target("toggle_big", None, limit=0.3),
    Target("filter", None, limit=0.3),
    Target("in_map", None, limit=0.3),
    Target("click", (DEFAULT,), limit=0.3),
    Target("payload", (DEFAULT,), limit=250),
    # Issue 22: the first feature 1.25x faster than the baseline; +10,000 all drawn in 2.5 s.
    Target("first", (DEFAULT,), speedup=1.25),
    Target("shapes", (BIG,), limit=2.5),
    Target("story", None, limit=0.5),
    Target("toggle", None, speedup=5.0),
    Target("toggle_big", None, speedup=5.0),
    Target("filter", None, speedup=3.0),
    *(Target(figure.key, None, speedup=1.0) for figure in FIGURES
      if figure.is_time and figure.key not in {"toggle", "toggle_big", "filter"}),
)


def median(values: list[float]) -> float:
    return statistics.median(values)


def spread(values: list[float], digits: int) -> str:
    if len(values) < 2:
        return ""
    return f" ({min(values):.{digits}f}-{max(values):.{digits}f})"


def cell(values: list[float], figure: Figure) -> str:
    return f"{median(values):.{figure.digits}f} {figure.unit}{spread(values, figure.digits)}"


def verdicts(dataset: str, figure: Figure, ours: float, theirs: float | None) -> str:
    """Each target that applies to this row: "met" or "MISSED", with its bound."""
    found = []
    for target in TARGETS:
        if target.figure != figure.key or dataset not in (target.datasets or (dataset,)):
            continue
        if target.limit is not None:
            is_met = ours <= target.limit
        elif theirs is None:
            continue  # a speed-up needs a baseline
        else:
            is_met = ours == 0 or theirs / ours >= target.speedup
        found.append(f"{'met' if is_met else 'MISSED'} {target.describe(figure.unit)}")
    return "; ".join(found)


def ratio(ours: list[float], theirs: list[float]) -> str:
    return f"{median(ours) / median(theirs):.2f}" if median(theirs) else "nan"


def table_rows(results: dict[str, dict[str, Samples]]) -> list[list[str]]:
    """results: data set -> app ("kumamap", "baseline", and "before" if measured) ->
    samples. With "before", two more columns: its median and kumamap/before."""
    rows = []
    for dataset, by_app in results.items():
        for figure in FIGURES:
            if figure.key not in by_app["kumamap"]:
                continue  # e.g. the synthetic layer's toggle on the default data
            ours, theirs = by_app["kumamap"][figure.key], by_app["baseline"].get(figure.key)
            # A figure of kumamap's own (the story) has no baseline to compare with.
            row = [dataset, figure.label, cell(ours, figure),
                   *([cell(theirs, figure), ratio(ours, theirs)] if theirs else ["n/a", ""])]
            if BEFORE in by_app:
                before = by_app[BEFORE].get(figure.key)
                row += ([cell(before, figure), ratio(ours, before)] if before else ["n/a", ""])
            rows.append([*row, verdicts(dataset, figure, median(ours),
                                        median(theirs) if theirs else None)])
    return rows


def table_header(results: dict[str, dict[str, Samples]]) -> list[str]:
    has_before = any(BEFORE in by_app for by_app in results.values())
    return ["data", "figure", "kumamap median (min-max)", "baseline median (min-max)",
            "kumamap/baseline",
            *(["before median (min-max)", "kumamap/before"] if has_before else []), "target"]


def markdown(header: list[str], rows: list[list[str]]) -> str:
    lines = [header, ["---"] * len(header), *rows]
    return "\n".join("| " + " | ".join(line) + " |" for line in lines)


def plain(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(line[i]) for line in [header, *rows]) for i in range(len(header))]
    return "\n".join("  ".join(text.ljust(width) for text, width in zip(line, widths, strict=True))
                     for line in [header, *rows])
