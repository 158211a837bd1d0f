from dataclasses import replace

import pytest

from kumamap.catalog import load_catalog
from kumamap.model import Kind, Layer, Texts
from kumamap.search import Rank, bounds, search
from kumamap.textmatch import fold, normalise
from kumamap.validate import read_feature
from tests.builders import GEO, SQUARE, raw_feature

BBOX = (130.55, 32.7, 131.05, 33.05)
POINT = {"type": "Point", "coordinates": [130.829029, 32.870625]}


def layer_of(layer_id: str, order: int, *features: dict) -> Layer:
    empty = Layer(layer_id, f"{layer_id}.geojson", Kind.ZONE, Texts(layer_id), "#000000", True,
                  order, "", BBOX)
    return replace(empty, features=tuple(read_feature(raw, empty) for raw in features))


def named(feature_id: str, en: str, ja: str = "日本語名", zh_tw: str = "中文名") -> dict:
    return raw_feature(id=feature_id, name_en=en, name_ja=ja, name_zh_tw=zh_tw)


def found_ids(layers, query, lang="en", limit=10):
    return [match.feature_id for match in search(layers, query, lang, limit)]


OZU = layer_of(
    "parks", 40,
    named("ozu-estate", "Ōzu Town industrial estate", "大津町の工業団地", "大津町工業區"),
    named("hohi", "JR Hōhi Main Line", "JR豊肥本線", "JR豐肥本線"),
    named("station", "Haramizu Station", "ハラミズ駅", "原水站"),
)


@pytest.mark.parametrize("query", ["ozu", "OZU", "Oozu", "Ouzu", "ＯＺＵ", "ōzu town"])
def test_romaji_finds_macron_name(query):
    assert found_ids([OZU], query) == ["ozu-estate"]


def test_long_vowel_spelling_inside_a_word():
    assert found_ids([OZU], "houhi") == ["hohi"]


def test_dash_and_space_are_the_same():
    layers = [layer_of("stations", 90, named("st-higo-ozu", "Higo-Ōzu Station"))]
    assert found_ids(layers, "higo ozu") == ["st-higo-ozu"]


@pytest.mark.parametrize(("query", "lang", "matched_in"), [
    ("大津町", "ja", "ja"), ("大津町工業", "en", "zh-TW"), ("ozu-estate", "ja", "id"),
])
def test_every_language_and_the_id_are_searched(query, lang, matched_in):
    (match,) = search([OZU], query, lang)
    assert match.feature_id == "ozu-estate"
    assert match.matched_in == matched_in


def test_label_is_in_the_reader_language_whatever_matched():
    (match,) = search([OZU], "ozu", "zh-TW")
    assert match.label == "大津町工業區"
    assert match.matched_name == "Ōzu Town industrial estate"


def test_katakana_query_finds_hiragana_and_back():
    assert found_ids([OZU], "はらみず") == ["station"]


def test_reader_language_wins_a_tie():
    layers = [layer_of("x", 1, named("same", "Same", "same", "same"))]
    assert search(layers, "same", "ja")[0].matched_in == "ja"


@pytest.mark.parametrize("query", ["", "   ", "\t\n"])
def test_blank_query_finds_nothing(query):
    assert search([OZU], query, "en") == ()


def test_no_match_finds_nothing():
    assert search([OZU], "Fukuoka", "en") == ()


def test_exact_before_prefix_before_substring():
    layer = layer_of("x", 1, named("sub", "Old Kikuyo"), named("prefix", "Kikuyo Town"),
                     named("exact", "Kikuyo"))
    matches = search([layer], "kikuyo", "en")
    assert [m.feature_id for m in matches] == ["exact", "prefix", "sub"]
    assert [m.rank for m in matches] == [Rank.EXACT, Rank.PREFIX, Rank.SUBSTRING]


def test_best_name_of_a_feature_counts():
    # Substring in English, but exact in Japanese: ranked as exact.
    layer = layer_of("x", 1, named("a", "Kikuyo A"), named("b", "Town of Kikuyo", "kikuyo"))
    assert found_ids([layer], "kikuyo") == ["b", "a"]


def test_ties_by_layer_order_then_label():
    late = layer_of("late", 90, named("late-a", "Haramizu A"))
    early = layer_of("early", 10, named("early-b", "Haramizu B"), named("early-a", "Haramizu A"))
    assert found_ids([late, early], "haramizu") == ["early-a", "early-b", "late-a"]


def test_limit():
    layer = layer_of("x", 1, *(named(f"park-{i}", f"Park {i}") for i in range(5)))
    assert found_ids([layer], "park", limit=3) == ["park-0", "park-1", "park-2"]


def test_normalise_keeps_katakana_long_vowel_mark():
    # "ー" lengthens kana as "ō" does romaji, but it is not a dash: "パーク" is not "パ ク".
    assert normalise("テクノパーク") == fold("テクノパーク")
    assert "ー" in normalise("テクノパーク")


def test_bounds_are_south_west_north_east():
    assert bounds(SQUARE) == (32.88, 130.83, 32.89, 130.84)


def test_point_bounds_have_zero_size():
    assert bounds(POINT) == (32.870625, 130.829029, 32.870625, 130.829029)


def test_line_bounds():
    line = {"type": "LineString", "coordinates": [[130.9, 32.8], [130.7, 32.95]]}
    assert bounds(line) == (32.8, 130.7, 32.95, 130.9)


def test_empty_geometry_has_no_bounds():
    with pytest.raises(ValueError, match="empty"):
        bounds({"type": "MultiPoint", "coordinates": []})


REAL = load_catalog(GEO)


def test_real_station_by_japanese_name():
    assert found_ids(REAL.layers, "原水", "ja")[0] == "st-haramizu"


def test_real_kikuyo_in_traditional_chinese():
    matches = search(REAL.layers, "菊陽", "zh-TW")
    assert matches and all(m.matched_in == "zh-TW" for m in matches)
    assert "kubota-plateau" in [m.feature_id for m in matches]


def test_real_ozu_estate_by_romaji_comes_first():
    assert found_ids(REAL.layers, "ozu")[0] == "ozu-sugimizu-estate"


def test_real_search_results_fly_somewhere_on_the_map():
    for match in search(REAL.layers, "jasm", "en"):
        south, west, north, east = bounds(REAL.feature(match.feature_id)[1].geometry)
        assert 32.8 < south <= north < 33.0 and 130.7 < west <= east < 130.9
