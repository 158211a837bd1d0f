"""Assertions that say what is wrong and where."""

from kumamap.model import LoadResult


def assert_no_problems(result: LoadResult) -> None:
    assert not result.problems, "data problems:\n" + "\n".join(map(str, result.problems))


def assert_one_problem(result: LoadResult, code: str, *fragments: str) -> str:
    """Exactly one problem with `code`, whose text contains every fragment; returns it."""
    found = [p for p in result.problems if p.code == code]
    listing = "\n".join(map(str, result.problems))
    assert len(found) == 1, f"expected one {code!r} problem, got:\n{listing}"
    text = str(found[0])
    for fragment in fragments:
        assert fragment in text, f"{fragment!r} not in {text!r}"
    return text
