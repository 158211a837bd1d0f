"""Give back what readers who left were holding, on time, whoever comes next.

Streamlit keeps a disconnected session for two minutes (a reader whose network blinked
comes back to the same state) in a TTL cache that only drops expired entries when it is
written to: when another session disconnects. A dropped session is never shut down, so
its uploaded files stay in the upload manager, and its send loop keeps the last session it
served referenced until it serves another. With no new reader, a server kept every upload
of readers who had closed their tabs (issue 23: 804 MB for 200 s and more). Once a while
this expires those sessions, shuts them down and clears their state, removes files that no
live session owns, collects the garbage and hands freed heap back to the system.

It reads private attributes of Streamlit's runtime; `tests/test_housekeeping.py`
runs it against a real server, so a Streamlit release that moves them fails a test, and in
the app a missing attribute only stops the sweep (logged once), never a page.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import os
import threading
from dataclasses import dataclass

from streamlit.runtime import Runtime

LOG = logging.getLogger(__name__)
# How often to sweep, and how long a disconnected session is kept for its reader to come
# back (at most Streamlit's own two minutes): settings of the server, in seconds.
SWEEP_ENV, KEEP_ENV = "KUMAMAP_SWEEP_S", "KUMAMAP_SESSION_KEEP_S"
SWEEP_SECONDS = 15.0


def seconds_from_env(name: str, default: float | None) -> float | None:
    value = os.environ.get(name, "")
    try:
        return max(0.0, float(value)) if value else default
    except ValueError:
        LOG.warning("%s=%r is not a number of seconds; using %s", name, value, default)
        return default


@dataclass(frozen=True)
class Swept:
    sessions_expired: int
    files_removed: int


def sweep(runtime: Runtime, keep: float | None = None) -> Swept:
    """Shut down the sessions kept past their time (or disconnected more than `keep`
    seconds ago), as Streamlit does with a session it closes; drop the files of sessions
    that are gone."""
    manager = runtime._session_mgr  # private: see the module's docstring
    with manager._storage_lock:  # the cache is not thread-safe
        cache = manager._session_storage._cache
        # Entries expire `ttl` after they were saved; one saved `keep` ago expires now.
        at = None if keep is None else cache._timer() + max(0.0, cache._ttl - keep)
        expired = cache.expire(at)
    for _, info in expired:
        info.session.shutdown()
        # A shut-down session object can outlive its shutdown: Streamlit's send loop keeps
        # the last session it served in a local variable until another session is served
        # (py-spy and gc.get_referrers). Its state (and so an uploaded layer) goes now, and
        # its fragments, which keep the arguments of their last full run (the layers, an
        # uploaded one too) to run again.
        info.session.session_state.clear()
        info.session._fragment_storage.clear()
    files = runtime.uploaded_file_mgr
    removed = 0
    for session_id in list(getattr(files, "file_storage", {})):
        if manager.get_session_info(session_id) is None:  # neither active nor kept
            removed += len(files.file_storage.get(session_id, {}))
            files.remove_session_files(session_id)
    return Swept(len(expired), removed)


def give_back_memory() -> None:
    """Collect the cycles a session leaves (Streamlit's sessions and folium's elements
    point at each other), then return free heap pages to the system (glibc only)."""
    gc.collect()
    libc = ctypes.util.find_library("c")
    if libc:
        trim = getattr(ctypes.CDLL(libc), "malloc_trim", None)
        if trim is not None:
            trim(0)


def sweep_forever(stop: threading.Event, period: float, keep: float | None) -> None:
    while not stop.wait(period):
        if not Runtime.exists():
            continue
        try:
            swept = sweep(Runtime.instance(), keep)
        except AttributeError:
            LOG.exception("Streamlit's runtime changed: expired sessions are no longer swept")
            return
        if swept.sessions_expired or swept.files_removed:
            give_back_memory()


def start() -> threading.Event:
    """Start the sweep in a daemon thread (once per server process: the caller caches it)."""
    stop = threading.Event()
    period = seconds_from_env(SWEEP_ENV, SWEEP_SECONDS) or SWEEP_SECONDS
    keep = seconds_from_env(KEEP_ENV, None)
    threading.Thread(target=sweep_forever, args=(stop, period, keep),
                     name="kumamap-housekeeping", daemon=True).start()
    return stop
