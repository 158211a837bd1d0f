import json

import pytest

from kumamap.catalog import load_catalog
from kumamap.filters import status_as_of
from kumamap.model import Source, Texts
from kumamap.story import Chapter, ChapterView, chapter_number, read_story
from tests.builders import GEO

FILE = "geo/story.json"
LAYERS = ("prefectures", "jasm", "rail")
FEATURES = ("jasm-fab1", "pref-kumamoto")
PRESETS = ("kumamoto", "kyushu", "world")


def raw_chapter(**changes):
    """A valid chapter as in the file; a change set to None removes that key."""
    raw = {
        "id": "fab-one",
        "title_en": "Fab 1", "title_ja": "第1工場", "title_zh_tw": "一廠",
        "text_en": "The first fab opened in 2024.",
        "text_ja": "第1工場は2024年に開所した。",
        "text_zh_tw": "一廠於2024年開幕。",
        "sources": [{"url": "https://example.org/a", "title": "T", "publisher": "P",
                     "date": "2024-02-24"}],
        "view": {"preset": "kumamoto"},
        "layers": ["jasm", "rail"],
        "year": 2024,
        "selected": "jasm-fab1",
    }
    raw.update(changes)
    return {key: value for key, value in raw.items() if value is not None}


def read(*raw_chapters):
    return read_story({"chapters": list(raw_chapters)}, FILE, layer_ids=LAYERS,
                      feature_ids=FEATURES, presets=PRESETS)


def test_valid_chapter_reads_every_field():
    chapters, problems = read(raw_chapter())
    assert problems == ()
    assert chapters == (
        Chapter(
            id="fab-one",
            title=Texts("Fab 1", "第1工場", "一廠"),
            text=Texts("The first fab opened in 2024.", "第1工場は2024年に開所した。", "一廠於2024年開幕。"),
            sources=(Source("https://example.org/a", "T", "P", "2024-02-24"),),
            view=ChapterView(preset="kumamoto"),
            layer_ids=("jasm", "rail"),
            year=2024,
            selected="jasm-fab1",
        ),
    )


def test_bounds_view_null_year_and_no_selection():
    chapters, problems = read(raw_chapter(view={"bounds": [32.8, 130.7, 32.95, 130.9]},
                                          year=None, selected=None, layers=[]))
    assert problems == ()
    assert chapters[0].view == ChapterView(bounds=(32.8, 130.7, 32.95, 130.9))
    assert (chapters[0].year, chapters[0].selected, chapters[0].layer_ids) == (None, None, ())


LONG_EN = " ".join(["word"] * 121)


@pytest.mark.parametrize(
    ("changes", "code", "fragment"),
    [
        ({"layers": ["jasm", "firms"]}, "unknown-layer", "'firms'"),
        ({"layers": "jasm"}, "bad-layers", "list of layer ids"),
        ({"layers": ["jasm", 3]}, "bad-layers", "list of layer ids"),
        ({"layers": ["jasm", "jasm"]}, "bad-layers", "twice"),
        ({"view": {"preset": "europe"}}, "unknown-preset", "'europe'"),
        ({"view": {"preset": ["kyushu"]}}, "unknown-preset", "['kyushu']"),
        ({"view": {"preset": "kyushu", "bounds": [32, 130, 33, 131]}}, "bad-view", "view must"),
        ({"view": {}}, "bad-view", "view must"),
        ({"view": "kyushu"}, "bad-view", "view must"),
        ({"selected": "jasm-fab9"}, "unknown-feature", "'jasm-fab9'"),
        ({"selected": ["jasm-fab1"]}, "unknown-feature", "['jasm-fab1']"),
        ({"year": 1989}, "bad-year", "1989"),
        ({"year": 2101}, "bad-year", "2101"),
        ({"year": "2016"}, "bad-year", "'2016'"),
        ({"year": 2016.0}, "bad-year", "2016.0"),
        ({"year": True}, "bad-year", "True"),
        ({"title_ja": "  "}, "missing-field", '"title_ja"'),
        ({"title_zh_tw": 5}, "missing-field", '"title_zh_tw"'),
        ({"text_en": None}, "missing-field", '"text_en"'),
        ({"text_en": LONG_EN}, "text-too-long", '"text_en" has 121 words'),
        ({"text_ja": "あ" * 301}, "text-too-long", '"text_ja" has 301 characters'),
        ({"text_zh_tw": "字" * 301}, "text-too-long", '"text_zh_tw" has 301'),
        ({"view": {"bounds": [32.8, 130.7, 32.9]}}, "bad-bounds", "4 finite numbers"),
        ({"view": {"bounds": [32.8, 130.7, "32.9", 130.9]}}, "bad-bounds", "4 finite numbers"),
        ({"view": {"bounds": [32.8, 130.7, float("nan"), 130.9]}}, "bad-bounds", "4 finite"),
        ({"view": {"bounds": [32.8, 130.7, True, 130.9]}}, "bad-bounds", "4 finite numbers"),
        ({"view": {"bounds": [32.9, 130.7, 32.8, 130.9]}}, "bad-bounds", "south < north"),
        ({"view": {"bounds": [130.7, 32.8, 130.9, 32.9]}}, "bad-bounds", "swapped"),
        ({"view": {"bounds": [32.8, 130.9, 32.9, 130.7]}}, "bad-bounds", "west < east"),
        ({"view": {"bounds": [32.8, 130.7, 32.9, 190]}}, "bad-bounds", "west < east"),
        ({"sources": []}, "missing-sources", "non-empty list"),
        ({"sources": None}, "missing-sources", "non-empty list"),
        ({"sources": [{"url": "javascript:alert(1)", "title": "t", "publisher": "p",
                       "date": "2024"}]}, "bad-source", "not http(s)"),
        ({"id": "Bad Id"}, "bad-id", "'Bad Id'"),
        ({"selcted": "jasm-fab1"}, "unknown-key", "'selcted'"),
    ],
)
def test_broken_chapter_is_left_out_with_a_named_problem(changes, code, fragment):
    good = raw_chapter(id="good")
    chapters, problems = read(good, raw_chapter(**changes))
    assert [chapter.id for chapter in chapters] == ["good"]
    assert [problem.code for problem in problems] == [code], problems
    text = str(problems[0])
    assert fragment in text, text
    assert text.startswith(f"{FILE}: chapter "), text
    assert "(#1)" in text, text


def test_duplicate_chapter_id_keeps_the_first():
    chapters, problems = read(raw_chapter(year=2021), raw_chapter(year=2024))
    assert [chapter.year for chapter in chapters] == [2021]
    assert [(p.code, p.feature_id, p.index, p.item) for p in problems] == [
        ("duplicate-id", "fab-one", 1, "chapter")
    ]


def test_chapters_keep_file_order():
    chapters, _ = read(raw_chapter(id="c"), raw_chapter(id="a"), raw_chapter(id="b"))
    assert [chapter.id for chapter in chapters] == ["c", "a", "b"]


@pytest.mark.parametrize(
    "data",
    [None, [], "story", 3, {}, {"chapters": None}, {"chapters": {}}, {"chapters": []},
     {"chapters": "abc"}],
)
def test_not_a_story_is_one_problem(data):
    chapters, problems = read_story(data, FILE, layer_ids=LAYERS, feature_ids=FEATURES,
                                    presets=PRESETS)
    assert chapters == ()
    assert [problem.code for problem in problems] == ["not-a-story"]


@pytest.mark.parametrize(
    "junk",
    [None, 3, "x", [], [[[]]], {"id": None}, {"id": ["a"]}, {"id": {"id": "a"}},
     {"id": "ok", "view": {"bounds": [[1], {}, None, "n"]}, "layers": [[], {}]},
     {"id": "ok", "title_en": {"x": [1, [2]]}, "year": [2016], "sources": [None]}],
)
def test_junk_chapter_is_a_problem_not_an_exception(junk):
    chapters, problems = read(junk, raw_chapter(id="good"))
    assert [chapter.id for chapter in chapters] == ["good"]
    assert len(problems) == 1
    assert problems[0].index == 0 and problems[0].item == "chapter"


def test_problem_quotes_a_huge_value_shortened():
    _, problems = read(raw_chapter(view={"bounds": ["x" * 100_000, [[[0]] * 1000]]}))
    assert [problem.code for problem in problems] == ["bad-bounds"]
    assert len(problems[0].message) < 300, problems[0].message


def test_chapter_view_needs_exactly_one_of_preset_and_bounds():
    with pytest.raises(ValueError, match="exactly one"):
        ChapterView()
    with pytest.raises(ValueError, match="exactly one"):
        ChapterView(preset="kyushu", bounds=(32.0, 130.0, 33.0, 131.0))


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", 1), ("3", 3), ("0", None), ("4", None), ("-1", None), ("+1", None), ("01", None),
     (" 1", None), ("1.0", None), ("", None), ("abc", None), ("٣", None), ("9" * 5000, None),
     (None, None)],
)
def test_chapter_number_of_a_link(value, expected):
    chapters, _ = read(raw_chapter(id="a"), raw_chapter(id="b"), raw_chapter(id="c"))
    assert chapter_number(chapters, value) == expected


def test_chapter_number_of_a_link_by_id_follows_the_chapter():
    chapters, _ = read(raw_chapter(id="a"), raw_chapter(id="b"), raw_chapter(id="c"))
    assert chapter_number(chapters, "c") == 3
    assert chapter_number(chapters[1:], "c") == 2  # an earlier chapter left out
    assert chapter_number(chapters, "d") is None


def real_story():
    result = load_catalog(GEO)
    layer_ids = {layer.id for layer in result.layers}
    feature_ids = {feature.id for layer in result.layers for feature in layer.features}
    data = json.loads((GEO / "story.json").read_text(encoding="utf-8"))
    return result, read_story(data, FILE, layer_ids=layer_ids, feature_ids=feature_ids,
                              presets=PRESETS)


def test_real_story_loads_against_the_real_catalog():
    _, (chapters, problems) = real_story()
    assert not problems, "story problems:\n" + "\n".join(map(str, problems))
    assert len(chapters) >= 8
    assert all(1 <= len(chapter.sources) <= 3 for chapter in chapters), [
        chapter.id for chapter in chapters if not 1 <= len(chapter.sources) <= 3
    ]


def test_real_story_selects_features_its_chapter_shows():
    result, (chapters, _) = real_story()
    hidden = []
    for chapter in chapters:
        found = result.feature(chapter.selected) if chapter.selected else None
        if chapter.selected and (found is None or found[0].id not in chapter.layer_ids
                                 or status_as_of(found[1], chapter.year) is None):
            hidden.append(chapter.id)
    assert not hidden, f"selected feature not on the map of chapters {hidden}"
