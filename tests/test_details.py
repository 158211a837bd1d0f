import re

import pytest

from kumamap.catalog import load_catalog
from kumamap.details import (
    escape_markdown,
    escape_text,
    map_label,
    render_details,
    render_event,
    safe_url,
)
from kumamap.filters import Shown
from kumamap.model import Kind, Layer, Texts
from kumamap.validate import read_feature
from tests.builders import HOSTILE, MINI, raw_feature

RESULT = load_catalog(MINI)
LAYER = Layer("parks", "parks.geojson", Kind.ZONE, Texts("Parks", "公園", "園區"), "#ff0000", True, 1,
              "", (130.55, 32.7, 131.05, 33.05))
HOSTILE_SOURCE = {"url": "https://example.org/a(b) c", "title": HOSTILE, "publisher": HOSTILE, "date": "2024"}


def hostile_feature():
    texts = {f"{base}_{lang}": HOSTILE for base in ("name", "summary", "note") for lang in ("en", "ja", "zh_tw")}
    return read_feature(raw_feature(category=HOSTILE, sources=[HOSTILE_SOURCE], extra=HOSTILE, **texts), LAYER)


def test_escape_text_neutralises_html_and_template_literals():
    escaped = escape_text(HOSTILE)
    assert "<" not in escaped and ">" not in escaped and '"' not in escaped
    assert "${" not in escaped and "`" not in escaped
    assert escaped.startswith("&lt;img src=x onerror=alert(1)&gt; &#36;&#123;alert(2)&#125;")
    assert "{" not in escaped and "}" not in escaped  # folium compiles scripts as templates


def test_escape_markdown_leaves_no_active_markup():
    escaped = escape_markdown(HOSTILE)
    # Every Markdown/HTML/LaTeX trigger is preceded by a backslash.
    assert not re.search(r"(?<!\\)[<>\[\]()$`]", escaped), escaped
    assert "\n" not in escape_markdown("two\nlines")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a b", "https://example.org/a%20b"),
        ("https://example.org/x_(y)", "https://example.org/x_%28y%29"),
        ("http://example.org/?q=1&r=2#f", "http://example.org/?q=1&r=2#f"),
        ("javascript:alert(1)", None),
        ("data:text/html,<b>", None),
        ("//example.org", None),
    ],
)
def test_safe_url(url, expected):
    assert safe_url(url) == expected


def test_details_of_hostile_feature_are_inert():
    feature = hostile_feature()
    text = render_details(Shown(feature, feature.status), LAYER, RESULT.catalog, "en")
    assert not re.search(r"(?<!\\)[<>$`]", text), text
    assert "](https://example.org/a%28b%29%20c)" in text
    # The only link targets are the escaped http(s) source URLs.
    assert re.findall(r"\]\(([^)]*)\)", text) == ["https://example.org/a%28b%29%20c"]


def test_javascript_source_is_shown_as_text_not_link():
    feature = read_feature(raw_feature(), LAYER)
    bad = feature.sources[0].__class__("javascript:alert(1)", "Bad", "P", "2024")
    shown = Shown(feature.__class__(**{**feature.__dict__, "sources": (bad,)}), feature.status)
    text = render_details(shown, LAYER, RESULT.catalog, "en")
    assert "](javascript" not in text
    assert "not a web link: javascript\\:alert\\(1\\)" in text


def test_details_follow_language_and_list_sources():
    layer, fab1 = RESULT.feature("jasm-fab1")
    ja = render_details(Shown(fab1, fab1.status), layer, RESULT.catalog, "ja", RESULT.events)
    assert ja.startswith("### JASM 熊本第1工場")
    assert "**出典:**" in ja and "稼働・供用中" in ja and "21\\.3 ha" in ja
    assert "2021\\-11\\-09 JASM 発表" in ja
    en = render_details(Shown(fab1, fab1.status), layer, RESULT.catalog, "en")
    assert "**Sources:**\n- [TSMC, Sony announce Kumamoto fab](https://www.taiwannews.com.tw/news/4341008)" in en


def test_map_label_is_escaped_and_marks_schematic():
    feature = hostile_feature()
    assert map_label(feature, "en") == escape_text(HOSTILE)
    fab2 = RESULT.feature("jasm-fab2")[1]
    assert map_label(fab2, "zh-TW") == "台積電熊本二廠 (示意)"


def test_event_line_links_only_http_sources():
    line = render_event(RESULT.events[0], "en")
    assert line == "- 2021\\-11\\-09 — JASM announced ([Taiwan News](https://www.taiwannews.com.tw/news/4341008))"


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "*checked 2024\\-03\\-01*"), ("ja", "*2024\\-03\\-01 確認*"), ("zh-TW", "*2024\\-03\\-01 查核*")])
def test_details_say_when_the_facts_were_checked(lang, expected):
    layer, fab1 = RESULT.feature("jasm-fab1")
    text = render_details(Shown(fab1, fab1.status), layer, RESULT.catalog, lang)
    assert text.splitlines()[-1] == expected


def test_an_unchecked_upload_says_nothing_about_checking():
    feature = read_feature(raw_feature(checked=None), LAYER, require_provenance=False)
    assert "checked" not in render_details(Shown(feature, feature.status), LAYER, RESULT.catalog, "en")
