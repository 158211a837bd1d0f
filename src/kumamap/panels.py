"""The page's panels beside and below the map: details of the selected feature, downloads,
the cluster summary, data problems, link notices and the policy timeline.

Streamlit lives here as in `ui`, `sidebar` and `tabs`; every text from the data is escaped
by `details` before it reaches Markdown.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from streamlit.errors import StreamlitAPIException

from kumamap.details import escape_markdown, render_details, render_event, render_reach
from kumamap.export import FORMATS, export, export_file
from kumamap.filters import Shown, View, count_by, events_until
from kumamap.i18n import country_name, t
from kumamap.measure import reach
from kumamap.model import Catalog, Feature, Lang, Layer, LoadResult, Problem, find_feature
from kumamap.permalink import Notice
from kumamap.sidebar import LAYER_REQUEST, SELECTED, select

# The map and its panel: a fragment (ui.show_stage) that reruns alone on a selection made
# below the map, and on the panel's "show on map".
STAGE = "stage"
# The panel and the link, a fragment inside the stage (ui.show_sidecar): it reruns alone
# on a click on the map (mapclick) and on the panel's "close"; the map stays as it is.
SIDECAR = "sidecar"
# The feature table (tabs.show_table), a fragment too: it marks the selected feature.
FEATURE_TABLE = "feature_table"


def show_selection(part: str = STAGE) -> None:
    """From a widget callback that changed the selection: rerun `part` of the page (the map
    and its panel, or the panel alone), and the feature table while its tab is open, not
    the whole page."""
    try:
        st.rerun([part, FEATURE_TABLE])
    except StreamlitAPIException:  # no table drawn: its tab is closed
        st.rerun(part)


def select_on_stage(feature_id: str, layer_id: str | None = None) -> None:
    """Select a feature and fly the map to it, from a widget callback (a table row, a
    chart's bar, the panel's "show on map"). A selection that turned its layer on reruns
    the whole page: the sidebar's switch and the count must show that layer too."""
    request = st.session_state.get(LAYER_REQUEST)
    select(feature_id, layer_id)
    if st.session_state.get(LAYER_REQUEST) != request:
        st.rerun()
    show_selection()


def reach_origin(result: LoadResult) -> Feature | None:
    found = result.feature(result.catalog.reach_origin)
    return found[1] if found else None


def stations(result: LoadResult) -> list[Feature]:
    category = result.catalog.station_category
    return [f for f in result.features if f.category == category]


def selected_item(layers: tuple[Layer, ...], view: View) -> tuple[Shown, Layer, bool] | None:
    """The selected feature as shown, or as in the data when filters hide it (False)."""
    feature_id = st.session_state.get(SELECTED)
    shown = view.find(feature_id)
    if shown is not None:
        return (*shown, True)
    found = find_feature(layers, feature_id)
    if found is None:
        return None
    layer, feature = found
    return Shown(feature, feature.status), layer, False


def show_details(result: LoadResult, item: tuple[Shown, Layer, bool], lang: Lang) -> None:
    """The selected feature's details; `item` as `selected_item` gives it."""
    # The same elements in the same places for every feature, filled or empty: when a
    # click's run of the panel came right after a chapter's full run, the page kept an
    # element of the longer panel before it (an old feature's heading beside the new one;
    # test_random_actions, 2 of 6 runs of one seed before, 0 of 4 after).
    with st.container(key="details"):
        shown, layer, on_map = item
        not_shown = st.empty()
        if not on_map:
            not_shown.markdown(t("not_shown", lang))
        # The panel is a part of the page of its own: the flight needs the map's run too.
        st.button(t("locate", lang), key="locate", on_click=select_on_stage,
                  args=(shown.feature.id,))
        st.markdown(render_details(shown, layer, result.catalog, lang, result.events))
        origin = reach_origin(result)
        distances = st.empty()
        text = render_reach(reach(shown.feature, origin, stations(result)), origin, lang)
        if text:
            distances.markdown(text)


def show_downloads(view: View, catalog: Catalog, lang: Lang, preset: str) -> None:
    """Download what is shown; each file is made only when its button is pressed."""
    st.markdown(t("export_help", lang))
    for column, fmt in zip(st.columns(len(FORMATS)), FORMATS):
        file_name, mime = export_file(fmt)
        column.download_button(
            t(f"export_{fmt}", lang), key=f"export_{fmt}", file_name=file_name, mime=mime,
            data=lambda fmt=fmt: export(view, lang, fmt, preset, catalog)[0], on_click="ignore",
        )


def show_cluster_summary(view: View, catalog: Catalog, lang: Lang) -> None:
    """Counts of the shown firms and sites by home country and by sector (follows filters)."""
    by_origin, by_sector = count_by(view, "origin"), count_by(view, "sector")
    if not by_origin and not by_sector:
        return

    def line(counts: tuple[tuple[str, int], ...], name: Callable[[str], str]) -> str:
        return " · ".join(f"{escape_markdown(name(key))}: {t('sites', lang).format(count=count)}"
                          for key, count in counts)

    with st.container(key="cluster-summary"):
        st.markdown(f"**{t('cluster_summary', lang)}** — {t('origin', lang)}: "
                   f"{line(by_origin, lambda code: country_name(code, lang))}")
        if by_sector:
            st.markdown(f"{t('sector', lang)}: "
                       f"{line(by_sector, lambda key: catalog.term('sectors', key, lang))}")


def show_problems(problems: tuple[Problem, ...], lang: Lang) -> None:
    if problems:
        lines = "\n".join(f"- {escape_markdown(str(problem))}" for problem in problems)
        st.error(f"**{t('problems', lang)}**\n\n{lines}")


def show_timeline(result: LoadResult, year: int | None, lang: Lang) -> None:
    with st.expander(t("timeline", lang), expanded=False):
        events = events_until(result.events, year)
        st.markdown("\n".join(render_event(event, lang) for event in events))


def show_link_notices(notices: tuple[Notice, ...], lang: Lang) -> None:
    if notices:
        items = "\n".join(
            f"- {escape_markdown(f'{n.shown_param}={n.shown_value}')}: "
            f"{t(f'link_{n.reason}', lang)}"
            for n in notices
        )
        st.warning(f"{t('link_ignored', lang)}\n\n{items}")
