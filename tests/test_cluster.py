"""The cluster layers on the page: origin and sector filters, the summary, details, search."""


import pytest

from kumamap.catalog import load_catalog
from kumamap.details import render_details
from kumamap.filters import FilterState, Shown, apply_filters, count_by
from kumamap.search import search
from tests.builders import GEO, controls_args, set_filters
from tests.test_app import run_app, shown_count, switch_layer, unescape

DATA = load_catalog(GEO)
CLUSTER = frozenset({"firms", "silicon-island"})
FEATURES = [f for layer in DATA.layers for f in layer.features if f.layer_id in CLUSTER]


def shown(**filters):
    return apply_filters(DATA.layers, FilterState(layer_ids=CLUSTER, **filters))


def test_origin_filter_keeps_only_that_home_country():
    view = shown(origins=frozenset({"TW"}))
    assert view.feature_count == sum(f.origin == "TW" for f in FEATURES) >= 12
    assert {s.feature.origin for lv in view.layers for s in lv.shown} == {"TW"}


def test_sector_and_origin_filters_combine():
    view = shown(origins=frozenset({"JP"}), sectors=frozenset({"education"}))
    expected = {f.id for f in FEATURES if f.origin == "JP" and f.sector == "education"}
    assert view.ids() == expected and expected


def test_year_filter_shows_the_cluster_growing():
    counts = [shown(year=year).feature_count for year in (2020, 2022, 2024, None)]
    assert counts == sorted(counts) and counts[0] < counts[-1]


def test_count_by_counts_what_is_shown_most_first():
    counts = count_by(shown(), "origin")
    assert dict(counts)["TW"] == sum(f.origin == "TW" for f in FEATURES)
    assert [n for _, n in counts] == sorted((n for _, n in counts), reverse=True)
    assert count_by(shown(origins=frozenset({"KR"})), "origin") == (("KR", 1),)
    assert count_by(apply_filters(DATA.layers, FilterState(layer_ids=frozenset({"jasm"}))),
                    "origin") == ()


@pytest.mark.parametrize("query", ["家登", "Gudeng", "玉山銀行", "ハーメスエピテック", "日月光"])
def test_a_taiwanese_firm_is_found_by_any_of_its_names(query):
    found = search(DATA.layers, query, "en", 3)
    assert found and found[0].layer_id == "firms", (query, found)


def test_details_of_a_firm_say_who_what_and_where_from():
    layer, firm = DATA.feature("firm-gudeng-kurume")
    text = unescape(render_details(Shown(firm, firm.status), layer, DATA.catalog, "ja"))
    assert "台湾" in text and "製造装置・部品" in text and "工場" in text and "家登" in text


def test_page_filters_by_origin_and_sums_up_by_origin_and_sector(monkeypatch):
    at = run_app(monkeypatch, GEO)
    switch_layer(at, "firms", True)
    set_filters(at, origin=["TW"])
    # Like the prefecture filter, a home-country filter shows only what has one.
    taiwanese = sum(f.origin == "TW" for f in FEATURES if f.layer_id == "firms")
    assert shown_count(at) == taiwanese
    summary = " ".join(m.value for m in at.markdown if "Firms and sites shown" in m.value)
    assert f"Taiwan: {taiwanese} sites" in summary
    assert [c["name"] for c in controls_args(at)["texts"]["chosen"]][-2:] == ["origin", "sector"]
    assert not at.exception
