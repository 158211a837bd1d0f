"""How often one session may start a script run: a token bucket, pure.

A reader who clicks quickly asks for a handful of runs in a second, then reads. A client
that asks for runs in a loop would keep a core busy for itself alone. Each session gets a
bucket of `burst` runs that refills at `per_second`: within it a run starts at once; past
it the run waits until the bucket has refilled. While it waits, the requests that arrive
meanwhile are merged by Streamlit into the newest one (`runner.fastReruns = false`), so a
thousand requests cost about as many runs as the refill rate allows, and the last one
asked is the one shown.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Pace:
    burst: float = 8.0  # runs a reader may ask for at once (a quick series of clicks)
    per_second: float = 2.0  # runs per second, sustained, after the burst
    max_wait: float = 2.0  # a run never waits longer than this (the page stays responsive)


PACE = Pace()


def pace_from(setting: str | None, default: Pace = PACE) -> Pace:
    """A pace from a server setting "burst,per_second" (e.g. "8,2"); the default when it is
    unset or not two positive numbers."""
    try:
        burst, per_second = (float(part) for part in (setting or "").split(","))
    except ValueError:
        return default
    if burst < 1 or per_second <= 0:
        return default
    return Pace(burst, per_second, default.max_wait)


@dataclass(frozen=True)
class Bucket:
    tokens: float
    at: float  # the time (time.monotonic) the tokens were counted


def admit(bucket: Bucket | None, now: float, pace: Pace = PACE) -> tuple[float, Bucket]:
    """(seconds this run waits before it starts, the bucket once it has started)."""
    if bucket is None:
        bucket = Bucket(pace.burst, now)
    # A run asked while an earlier one still waits counts from when that one starts.
    counted = max(now, bucket.at)
    tokens = min(pace.burst, bucket.tokens + (counted - bucket.at) * pace.per_second)
    ready = counted + max(0.0, (1.0 - tokens) / pace.per_second)
    wait = min(pace.max_wait, ready - now)
    start = now + wait
    # Runs that hit max_wait take the bucket below zero, but never below -burst: a flood
    # does not dig a debt that would slow its reader long after it stopped.
    after = max(-pace.burst, tokens + (start - counted) * pace.per_second - 1.0)
    return wait, Bucket(after, start)
