"""Each broken input: a clear line naming file and feature, in the page and from the CLI,
while the rest of the data still loads and draws."""

import pytest

from kumamap.catalog import load_catalog
from kumamap.cli import main
from tests.builders import BREAKAGES, copy_mini
from tests.test_app import run_app, shown_count, unescape


@pytest.fixture(params=sorted(BREAKAGES))
def broken(request, tmp_path):
    breakage, expected = BREAKAGES[request.param]
    root = copy_mini(tmp_path)
    breakage(root)
    return root, expected


def test_cli_names_the_problem(broken, capsys):
    root, expected = broken
    assert main(["validate", str(root)]) == 1
    assert any(line.startswith(expected) for line in capsys.readouterr().out.splitlines())


def test_page_names_the_problem_and_draws_the_rest(broken, monkeypatch):
    root, expected = broken
    at = run_app(monkeypatch, root)
    assert len(at.error) == 1
    assert expected in unescape(at.error[0].value)
    result = load_catalog(root)
    visible = sum(len(layer.features) for layer in result.layers if layer.visible)
    assert shown_count(at) == visible > 0


def test_too_large_file_message_states_the_budget(tmp_path):
    root = copy_mini(tmp_path)
    BREAKAGES["too-large"][0](root)
    problem = next(p for p in load_catalog(root).problems if p.code == "too-large")
    assert "more than the limit of 1,000,000 bytes" in str(problem)
