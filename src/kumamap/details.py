"""Feature -> escaped text for the page and the map. Escaping happens here and only here."""

from __future__ import annotations

import html
import itertools
import json
import re
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from kumamap.filters import Shown
from kumamap.i18n import PRECISION_NAMES, STATUS_NAMES, country_name, t
from kumamap.measure import Reach, format_distance
from kumamap.model import LANGS, Catalog, Event, Feature, Lang, Layer, Precision, Source
from kumamap.validate import is_web_url

# Characters that Markdown (CommonMark + GFM + Streamlit's $...$ LaTeX) gives meaning to.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>$~&:=\"'^])")
# Everything a URL may keep inside a Markdown link destination: no spaces, no brackets.
_URL_SAFE = "/:?#@!$&'*+,;=%~-._"


def escape_text(text: str) -> str:
    """Plain text -> HTML-safe text, also inert inside JS template literals and inside a
    Jinja template (braces): plain folium elements compile their rendered output as one
    (ours no longer do, see `rawrender`; this stays as the defence at the sink)."""
    escaped = html.escape(text, quote=True)
    for char, entity in (("`", "&#96;"), ("$", "&#36;"), ("\\", "&#92;"), ("{", "&#123;"),
                         ("}", "&#125;")):
        escaped = escaped.replace(char, entity)
    return escaped


# Stand-ins for braces inside strings (Unicode private use), swapped for \u escapes after
# json.dumps has placed the structural braces.
_BRACES = {"{": "\ue000", "}": "\ue001"}


@dataclass(frozen=True)
class Encoded:
    """A value already made safe by `script_json`: put into a larger value as it is, so a
    big part that does not change between runs (a layer's map collection) is encoded once."""

    text: str


def script_json(value: Any) -> str:
    """A value as JSON that is safe inside a <script>, also one later compiled as a Jinja
    template (see `escape_text`): like Jinja's `tojson` (<, >, &, ' escaped) and with every
    brace inside a string escaped as well, so "{{", "{%" or "{#" from the data is neither
    evaluated nor a template error; a backtick too, so no raw text from the data (the
    names the browser filters by) could close a template literal around the script.
    `Encoded` parts go in unchanged."""
    encoded: dict[str, str] = {}
    # Stands for an Encoded part until the rest is encoded; unguessable, so no string
    # from the data can be taken for one.
    nonce = secrets.token_hex(8)
    numbers = itertools.count()

    def hide(item: Any) -> Any:
        if isinstance(item, str):
            return item.replace("{", _BRACES["{"]).replace("}", _BRACES["}"])
        if isinstance(item, Encoded):
            token = f"encoded-{nonce}-{next(numbers)}"
            encoded[token] = item.text
            return token
        if isinstance(item, dict):
            return {hide(key): hide(inner) for key, inner in item.items()}
        if isinstance(item, (list, tuple)):
            return [hide(inner) for inner in item]
        return item

    text = json.dumps(hide(value), ensure_ascii=True, sort_keys=True)
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027"),
                       ("`", "\\u0060"), ("\\ue000", "\\u007b"), ("\\ue001", "\\u007d")):
        text = text.replace(char, code)
    for token, part in encoded.items():
        text = text.replace(f'"{token}"', part, 1)
    return text


def escape_markdown(text: str) -> str:
    """Plain text -> Markdown that Streamlit shows literally (no HTML, links or LaTeX)."""
    one_line = " ".join(text.split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", one_line)


def safe_url(url: str) -> str | None:
    """An http(s) URL made safe for a Markdown link destination, else None."""
    if not is_web_url(url):
        return None
    return quote(url, safe=_URL_SAFE)


def render_source(source: Source, lang: Lang) -> str:
    title = escape_markdown(source.title)
    credit = escape_markdown(f"{source.publisher}, {source.date}")
    url = safe_url(source.url)
    if url is None:
        shown = escape_markdown(source.url)
        return f"- {title} ({t('not_a_link', lang)}: {shown}) — {credit}"
    return f"- [{title}]({url}) — {credit}"


def format_area(area_ha: float) -> str:
    return f"{area_ha:,.1f} ha".replace(".0 ha", " ha")


def render_details(
    shown: Shown, layer: Layer, catalog: Catalog, lang: Lang, events: tuple[Event, ...] = ()
) -> str:
    """Everything known about one feature, as Markdown safe for st.markdown."""
    feature = shown.feature
    lines = [f"### {escape_markdown(feature.name.pick(lang))}", ""]
    names = " · ".join(escape_markdown(feature.name.pick(code)) for code in LANGS)
    lines.append(f"**{t('names', lang)}:** {names}  ")
    kind = escape_markdown(
        f"{layer.title.pick(lang)} · {catalog.category_title(feature.category, lang)}"
    )
    lines.append(f"**{t('layer', lang)}:** {kind}  ")
    lines += firm_lines(feature, catalog, lang)
    lines.append(f"**{t('status', lang)}:** {STATUS_NAMES[shown.status].pick(lang)}  ")
    for key in ("announced", "started", "opened", "planned_year"):
        value = getattr(feature, key)
        if value is not None:
            lines.append(f"**{t(key, lang)}:** {escape_markdown(str(value))}  ")
    if feature.area_ha is not None:
        lines.append(f"**{t('area', lang)}:** {escape_markdown(format_area(feature.area_ha))}  ")
    precision = PRECISION_NAMES[feature.precision].pick(lang)
    lines.append(f"**{t('precision', lang)}:** {precision} (± {feature.precision_m:,.0f} m)  ")
    if feature.confidence:
        lines.append(f"**{t('confidence', lang)}:** {escape_markdown(feature.confidence)}  ")
    lines += ["", escape_markdown(feature.summary.pick(lang))]
    if feature.precision is Precision.SCHEMATIC:
        lines += ["", f"*{t('legend_schematic', lang)}*"]
    note = feature.note.pick(lang)
    if note:
        lines += ["", f"**{t('note', lang)}:** {escape_markdown(note)}"]
    if feature.extra:
        lines += ["", f"**{t('more', lang)}:**"]
        lines += [f"- {escape_markdown(f'{key}: {value}')}" for key, value in feature.extra]
    related = [e for e in events if feature.id in e.feature_ids]
    if related:
        lines += ["", f"**{t('timeline', lang)}:**"]
        lines += [f"- {escape_markdown(f'{e.date} {e.title.pick(lang)}')}" for e in related]
    lines += ["", f"**{t('sources', lang)}:**"]
    lines += [render_source(source, lang) for source in feature.sources]
    if feature.checked:
        lines += ["", f"*{escape_markdown(t('checked_on', lang).format(date=feature.checked))}*"]
    return "\n".join(lines)


def firm_lines(feature: Feature, catalog: Catalog, lang: Lang) -> list[str]:
    """Who and what a firm's site is: home country, sector, kind of site, other names."""
    values = (
        ("origin", country_name(feature.origin, lang) if feature.origin else None),
        ("sector", catalog.term("sectors", feature.sector, lang) if feature.sector else None),
        ("site_type",
         catalog.term("site_types", feature.site_type, lang) if feature.site_type else None),
        ("aliases", " · ".join(feature.aliases) or None),
    )
    return [f"**{t(key, lang)}:** {escape_markdown(value)}  " for key, value in values if value]


def render_reach(reach: Reach, origin: Feature | None, lang: Lang) -> str:
    """Straight-line distances of a feature, one Markdown line each ("" when none apply)."""
    lines = []
    if origin is not None and reach.from_origin_m is not None:
        name = escape_markdown(origin.name.pick(lang))
        distance = format_distance(reach.from_origin_m)
        lines.append(f"**{t('distance_from', lang).format(name=name)}:** {distance}  ")
    if reach.nearest_station is not None and reach.station_m is not None:
        station = reach.nearest_station
        name = escape_markdown(station.name.pick(lang))
        if station.status.is_prospective:
            name += f" ({STATUS_NAMES[station.status].pick(lang)})"
        distance = format_distance(reach.station_m)
        lines.append(f"**{t('nearest_station', lang)}:** {name}, {distance}  ")
    if lines:
        lines.append(f"*{t('straight_line', lang)}*")
    return "\n".join(lines)


def render_event(event: Event, lang: Lang) -> str:
    """One timeline line: date, title and its first source as a link."""
    text = escape_markdown(f"{event.date} — {event.title.pick(lang)}")
    links = []
    for source in event.sources:
        url = safe_url(source.url)
        if url:
            links.append(f"[{escape_markdown(source.publisher)}]({url})")
    return f"- {text}" + (f" ({', '.join(links)})" if links else "")


def map_info(shown: Shown, catalog: Catalog, lang: Lang) -> str:
    """One escaped line about a feature, shown in the map at once when it is clicked:
    category, status (as of the year), home country, its latest date, area."""
    feature = shown.feature
    parts = [catalog.category_title(feature.category, lang),
             STATUS_NAMES[shown.status].pick(lang)]
    if feature.origin:
        parts.append(country_name(feature.origin, lang))
    dated = next(((key, value) for key in ("opened", "started", "announced")
                  if (value := getattr(feature, key))), None)
    if dated:
        parts.append(f"{t(dated[0], lang)} {dated[1]}")
    if feature.area_ha is not None:
        parts.append(format_area(feature.area_ha))
    return escape_text(" · ".join(parts))


def map_label(feature: Feature, lang: Lang) -> str:
    """The tooltip text, escaped: the map gets nothing else from the data's free text."""
    label = feature.name.pick(lang)
    if feature.precision is Precision.SCHEMATIC:
        label += f" ({t('schematic_mark', lang)})"
    return escape_text(label)
