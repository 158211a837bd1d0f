"""The reader's uploaded layer: read once, held by their session and by nothing else.

Streamlit keeps an uploaded file's bytes in its upload manager for as long as the session
lives, and the page used to parse them through `st.cache_data` (a pickled copy per entry,
unpickled again on every run). Now the file is read once, the parsed layer is held in the
session's state, the bytes are dropped from the upload manager at once, and the layer's
estimated cost is reserved in a server-wide budget (`budget.UPLOADS`) until the session
lets go of it: another file, no file, or the session itself collected (`housekeeping`).
"""

from __future__ import annotations

import uuid
import weakref
from dataclasses import dataclass

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.uploaded_file_manager import DeletedFile

from kumamap.budget import UPLOADS, upload_cost
from kumamap.i18n import t
from kumamap.model import Lang, Layer, LoadResult, Problem
from kumamap.sidebar import notice_lost_upload, upload_key
from kumamap.upload import (
    MAX_UPLOAD_BYTES,
    TRANSIENT_CODES,
    UPLOAD_SUFFIXES,
    read_upload,
    reads_ahead_of,
)

HELD = "held_upload"


@dataclass(eq=False)
class HeldUpload:
    file_id: str
    layer: Layer | None
    problems: tuple[Problem, ...]
    budget_key: str


def hold(file_id: str, layer: Layer | None, problems: tuple[Problem, ...],
         budget_key: str) -> HeldUpload:
    held = HeldUpload(file_id, layer, problems, budget_key)
    # The budget follows the layer's life: released when the session lets go of it, or
    # when a session that ended without saying so is collected.
    weakref.finalize(held, UPLOADS.release, budget_key)
    st.session_state[HELD] = held
    return held


def held_layer() -> Layer | None:
    """The reader's uploaded layer this session holds, if any."""
    held = st.session_state.get(HELD)
    return held.layer if held is not None else None


def let_go() -> None:
    held = st.session_state.pop(HELD, None)
    if held is not None:
        UPLOADS.release(held.budget_key)


def drop_bytes(file_id: str) -> None:
    """The file is read: Streamlit need not keep its bytes until the session ends."""
    ctx = get_script_run_ctx()
    if ctx is not None:
        ctx.uploaded_file_mgr.remove_file(ctx.session_id, file_id)


def sidebar_upload(result: LoadResult, lang: Lang) -> tuple[Layer | None, tuple[Problem, ...]]:
    """The reader's own layer: kept in this session only, never written anywhere."""
    uploaded = st.sidebar.file_uploader(
        t("upload", lang), type=[s.lstrip(".") for s in UPLOAD_SUFFIXES], key=upload_key(),
        help=t("upload_help", lang).format(mb=MAX_UPLOAD_BYTES // 1_000_000),
    )
    held: HeldUpload | None = st.session_state.get(HELD)
    chosen = st.session_state.get(upload_key())
    # Its bytes were dropped once read (Streamlit then reports the file as deleted): the
    # layer is here. A deleted file this session does not hold was lost with a server.
    if isinstance(chosen, DeletedFile) and held is not None and held.file_id == chosen.file_id:
        return held.layer, held.problems
    notice_lost_upload(uploaded is not None, lang)
    if uploaded is None:
        let_go()
        return None, ()
    if held is not None and held.file_id == uploaded.file_id:
        return held.layer, held.problems
    let_go()
    budget_key = uuid.uuid4().hex
    refusal = UPLOADS.reserve(budget_key, upload_cost(uploaded.size))
    if refusal is not None:
        message = t("upload_budget", lang).format(used=refusal.used // 1_000_000,
                                                   limit=refusal.limit // 1_000_000)
        return None, (Problem(uploaded.name, "busy", message),)
    queued = st.sidebar.empty()
    if ahead := reads_ahead_of(uploaded.name):
        # Else a reader waiting for the sandbox during a burst sees only "Running...".
        queued.info(t("upload_queued", lang).format(ahead=ahead), icon=":material/schedule:")
    taken = {f.id for f in result.features}
    layer, problems = read_upload(uploaded.name, uploaded.getvalue(), taken)
    queued.empty()
    if any(problem.code in TRANSIENT_CODES for problem in problems):
        # "Busy" or "too slow" says nothing about the file: the next run tries again.
        UPLOADS.release(budget_key)
        return layer, problems
    hold(uploaded.file_id, layer, problems, budget_key)
    drop_bytes(uploaded.file_id)
    return layer, problems
