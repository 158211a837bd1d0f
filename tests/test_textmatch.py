"""Text matching gives the same answer on the server (textmatch.py) and in the browser
(js/lib/textmatch.js): one table of cases, run against both."""

import json
from pathlib import Path

import pytest

from kumamap.bundle import TEXTMATCH_SCRIPT
from kumamap.catalog import load_catalog
from kumamap.textmatch import feature_names, normalise
from tests.node import in_node, needs_node

CASES = json.loads((Path(__file__).parent / "data" / "textmatch_cases.json")
                   .read_text(encoding="utf-8"))
GEO = Path(__file__).parent.parent / "geo"


def normalised_in_javascript(texts: list[str]) -> list[str]:
    """js/lib/textmatch.js's normalise of each text, run by node in one process."""
    return in_node(TEXTMATCH_SCRIPT, "(text, texts) => texts.map(text.normalise)", texts)


@pytest.mark.parametrize("case", CASES, ids=[case["why"] for case in CASES])
def test_python_normalises_each_case(case):
    assert normalise(case["text"]) == case["normalised"]


@needs_node
def test_javascript_normalises_each_case_as_python_does():
    found = normalised_in_javascript([case["text"] for case in CASES])
    wrong = [(case["why"], case["text"], case["normalised"], got)
             for case, got in zip(CASES, found) if got != case["normalised"]]
    assert not wrong, wrong


@needs_node
def test_javascript_normalises_every_name_in_the_data_as_python_does():
    texts = sorted({text for layer in load_catalog(GEO).layers for feature in layer.features
                    for _source, text in feature_names(feature) if text})
    wrong = [(text, normalise(text), got)
             for text, got in zip(texts, normalised_in_javascript(texts)) if got != normalise(text)]
    assert not wrong, wrong[:5]
