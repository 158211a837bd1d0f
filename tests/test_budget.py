"""The server-wide budget for uploaded layers."""

import gc

from kumamap.budget import Budget, upload_cost


def test_a_reservation_within_the_limit_is_held_and_released():
    budget = Budget(100)
    assert budget.reserve("a", 60) is None
    assert budget.used == 60
    budget.release("a")
    assert budget.used == 0


def test_past_the_limit_the_next_is_refused_with_what_is_held():
    budget = Budget(100)
    budget.reserve("a", 60)
    refusal = budget.reserve("b", 50)
    assert refusal is not None and (refusal.used, refusal.limit) == (60, 100)
    assert budget.used == 60
    budget.release("a")
    assert budget.reserve("b", 50) is None


def test_a_key_reserving_again_replaces_its_own_amount():
    budget = Budget(100)
    budget.reserve("a", 60)
    assert budget.reserve("a", 90) is None
    assert budget.used == 90


def test_releasing_twice_or_an_unknown_key_is_harmless():
    budget = Budget(100)
    budget.reserve("a", 10)
    budget.release("a")
    budget.release("a")
    budget.release("nope")
    assert budget.used == 0


def test_a_held_layer_collected_with_its_session_releases_its_reservation():
    """What `held.hold` relies on: the finalizer runs when the session's state is gone."""
    import weakref

    class Held:
        pass

    budget = Budget(100)
    held = Held()
    budget.reserve("k", 40)
    weakref.finalize(held, budget.release, "k")
    del held
    gc.collect()
    assert budget.used == 0


def test_the_cost_grows_with_the_file():
    assert upload_cost(2_000_000) == 2 * upload_cost(1_000_000) > 2_000_000
