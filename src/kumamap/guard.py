"""One client must not take the service from the others: the page's side of it.

Each run first waits while its session asks for runs faster than a reader can (`pace`),
and the first run of the server process starts the housekeeping that gives back what
readers who left were holding (`housekeeping`). The limits in front of the app are nginx's
(deploy/README.md, "Limits").
"""

from __future__ import annotations

import os
import time

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.scriptrunner_utils.script_run_context import ThreadState

from kumamap import housekeeping
from kumamap.i18n import t
from kumamap.model import Lang
from kumamap.pace import admit, pace_from

RUN_BUCKET, SLOWED_AT = "run_bucket", "slowed_at"
# A server setting: "burst,per_second" (deploy/README.md, "Limits").
PACE_ENV = "KUMAMAP_PACE"
PACE = pace_from(os.environ.get(PACE_ENV))
# The notice stays this long after a run was held back: the run that was held is often
# replaced by a newer request before it shows anything.
SLOWED_NOTICE_S = 10.0


def pace_run() -> None:
    """Hold this run back while its session asks for runs faster than a reader can.

    It sleeps before doing any work, holding no lock: the requests that come meanwhile are
    merged into the newest, which the run then shows (see `pace`)."""
    session = st.session_state
    wait, session[RUN_BUCKET] = admit(session.get(RUN_BUCKET), time.monotonic(), PACE)
    if wait > 0:
        session[SLOWED_AT] = time.monotonic()
        time.sleep(wait)


def pace_part_run() -> None:
    """`pace_run` for a run of one part of the page (a fragment: the map and its panel, the
    panel alone, the table), which does not run `page` and its `pace_run`; a full run was
    paced already, and so was a part run inside a part that was asked for (the panel
    within the stage): one run asked for is paced once."""
    context = get_script_run_ctx()
    # The part being run (ThreadState): Streamlit has no public call for it.
    if context is not None and context.fragment_ids_this_run \
            and ThreadState.get().fragment_id in context.fragment_ids_this_run:
        pace_run()


@st.cache_resource(show_spinner=False)
def start_housekeeping() -> object:
    """Once per server process: give back what readers who left were holding."""
    return housekeeping.start()


def show_slowed_notice(lang: Lang) -> None:
    if time.monotonic() - st.session_state.get(SLOWED_AT, -SLOWED_NOTICE_S) < SLOWED_NOTICE_S:
        st.info(t("slowed", lang))
