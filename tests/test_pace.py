"""The run limiter: a reader's burst passes, a flood is slowed to the refill rate."""

from kumamap.pace import PACE as DEFAULT
from kumamap.pace import Bucket, Pace, admit, pace_from

PACE = Pace(burst=4, per_second=2, max_wait=2)


def waits(times: list[float], pace: Pace = PACE) -> list[float]:
    bucket, result = None, []
    for now in times:
        wait, bucket = admit(bucket, now, pace)
        result.append(wait)
    return result


def test_a_burst_of_clicks_starts_at_once():
    assert waits([0.0, 0.1, 0.2, 0.3]) == [0, 0, 0, 0]


def test_past_the_burst_runs_wait_for_the_refill():
    assert waits([0.0] * 6) == [0, 0, 0, 0, 0.5, 1.0]


def test_a_flood_of_a_thousand_requests_in_a_second_starts_few_runs():
    """A run that waits starts later; requests that came meanwhile merge into it (Streamlit
    with fastReruns off), so the runs started are the requests the bucket lets through."""
    bucket, now, started = None, 0.0, 0
    requests = [i / 1000 for i in range(1000)]
    while requests:
        wait, bucket = admit(bucket, max(now, requests[0]), PACE)
        now = max(now, requests[0]) + wait
        started += 1
        requests = [r for r in requests if r > now]  # merged into the run that starts now
    assert started <= PACE.burst + 2 * PACE.per_second, started


def test_no_run_waits_longer_than_max_wait_and_the_debt_is_bounded():
    result = waits([0.0] * 50)
    assert max(result) == PACE.max_wait
    _, bucket = admit(Bucket(-100.0, 0.0), 0.0, PACE)
    assert bucket.tokens >= -PACE.burst


def test_a_slowed_session_is_a_reader_again_once_the_flood_stops():
    bucket = None
    for _ in range(50):
        _, bucket = admit(bucket, 0.0, PACE)
    recovered = bucket.at + (PACE.burst + 1) / PACE.per_second
    assert admit(bucket, recovered, PACE)[0] == 0


def test_a_pace_setting_is_two_positive_numbers_else_the_default():
    assert pace_from("3,0.5") == Pace(3, 0.5, DEFAULT.max_wait)
    for setting in (None, "", "8", "a,b", "0,2", "8,0", "1,2,3"):
        assert pace_from(setting) == DEFAULT, setting
