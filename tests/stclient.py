"""A reader without a browser: Streamlit's own websocket protocol, spoken from Python.

The page talks to the server over one websocket (`/_stcore/stream`, subprotocol
`streamlit`): it sends `BackMsg` protobufs (`rerun_script` with the query string and the
widgets' values) and receives `ForwardMsg`s (deltas, then `script_finished`). Speaking it
directly measures the server alone (no browser on the same cores) and lets a test play a
hostile client that asks for reruns faster than any page would. The messages are the ones
the installed `streamlit` package ships, so client and server cannot drift apart.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import http.cookiejar
import json
import time
import urllib.request
import uuid
from collections.abc import Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import websockets
from streamlit.components.v2.bidi_component.main import _make_trigger_id
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.runtime.state.common import user_key_from_element_id

T = TypeVar("T")
SUBPROTOCOL = "streamlit"
EARLY = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN


def run_apart(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to its end on an event loop of its own thread: a test process whose
    browser tests (Playwright's sync API) keep a loop running in the main thread cannot
    `asyncio.run` there."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def stream_url(http_url: str) -> str:
    return http_url.replace("http://", "ws://", 1).rstrip("/") + "/_stcore/stream"


@dataclass(frozen=True)
class FileChoice:
    """A file uploader's value as the page sends it once the file is on the server."""

    name: str
    size: int
    file_id: str
    upload_url: str
    delete_url: str


@dataclass(frozen=True)
class Json:
    """A component's value (the map's click, the layer switch): JSON text, as the page's
    component sends it; a plain `str` is a text input's or a radio's value."""

    text: str


@dataclass(frozen=True)
class Trigger:
    """A component's one-off event (st.components.v2's `setTriggerValue`): sent once, on the
    component's trigger id, as the page sends it (the map's click, heard by the panel)."""

    event: str
    value: Any


# A widget's value as the page sends it. Option widgets (radio, selectbox, multiselect,
# select_slider) send the shown labels of their choices, not indices: strings or a
# sequence of strings; a checkbox a bool.
WidgetValue = str | bool | int | float | Sequence[str] | Json | FileChoice | Trigger
Widgets = dict[str, WidgetValue]


def set_widget_value(widget: WidgetState, value: WidgetValue) -> None:
    """Put `value` into the field of `widget` that Streamlit reads for its type."""
    if isinstance(value, FileChoice):
        info = widget.file_uploader_state_value.uploaded_file_info.add()
        info.name, info.size, info.file_id = value.name, value.size, value.file_id
        info.file_urls.file_id = value.file_id
        info.file_urls.upload_url = value.upload_url
        info.file_urls.delete_url = value.delete_url
    elif isinstance(value, Json):
        widget.json_value = value.text
    elif isinstance(value, Trigger):
        # A component's events go on a widget of their own, named after the component.
        widget.id = _make_trigger_id(widget.id, "events")
        widget.json_trigger_value = json.dumps([{"event": value.event, "value": value.value}])
    elif isinstance(value, str):
        widget.string_value = value
    elif isinstance(value, bool):  # before int: a bool is an int to Python
        widget.bool_value = value
    elif isinstance(value, int):
        widget.int_value = value
    elif isinstance(value, float):
        widget.double_value = value
    else:
        widget.string_array_value.data.extend(value)


def rerun_message(query_string: str = "", widgets: Widgets | None = None) -> bytes:
    """A `rerun_script` BackMsg as the page sends it: the URL's query and the widgets'
    values by widget id."""
    message = BackMsg()
    state = message.rerun_script
    state.query_string = query_string
    for widget_id, value in (widgets or {}).items():
        widget = state.widget_states.widgets.add()
        widget.id = widget_id
        set_widget_value(widget, value)
    return message.SerializeToString()


@dataclass(frozen=True)
class Widget:
    """A widget as a run draws it: its id, element type and the labels it offers."""

    id: str
    kind: str
    options: tuple[str, ...] = ()
    args: str = ""  # a component's arguments (JSON), as the server drew it


def widget_name(kind: str, element: object) -> str:
    """How a reader finds a widget: by its key (Streamlit ends a keyed widget's id with
    `-<key>`); a component by its name (streamlit-folium keys the map by a hash)."""
    if kind == "component_instance":
        return element.component_name
    return user_key_from_element_id(element.id) or element.id


def multipart(name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    head = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"'
            "\r\nContent-Type: application/octet-stream\r\n\r\n").encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode(), boundary


@dataclass
class Run:
    """One script run as a reader sees it."""

    seconds: float
    deltas: int
    finished: bool
    text: str  # the markdown and text shown, joined (to read the page's own words)
    starts: int = 1  # script runs the server started meanwhile (runs stopped early count)
    widgets: dict[str, Widget] = field(default_factory=dict)  # key (see widget_name) -> widget


class Reader:
    """One session: connect, ask for runs, read until the run is over."""

    def __init__(self, http_url: str, open_timeout: float = 30,
                 source: str | None = None) -> None:
        self.http_url = http_url.rstrip("/")
        self.url = stream_url(http_url)
        self.open_timeout = open_timeout
        # A loopback source address (127.0.0.2, ...): nginx limits pages per address, so
        # many simulated readers on one machine are told apart as many readers would be.
        self.local_addr = (source, 0) if source else None
        self.socket = None
        self.session_id = ""

    async def __aenter__(self) -> Reader:
        self.socket = await websockets.connect(
            self.url, subprotocols=[SUBPROTOCOL], max_size=None,
            open_timeout=self.open_timeout, ping_interval=None, local_addr=self.local_addr)
        return self

    async def __aexit__(self, *exc) -> None:
        await self.socket.close()

    async def ask(self, query_string: str = "", widgets: Widgets | None = None) -> None:
        """Ask for a rerun without waiting for it (what a flood does)."""
        await self.socket.send(rerun_message(query_string, widgets))

    async def run(self, query_string: str = "", widgets: Widgets | None = None,
                  timeout: float = 60) -> Run:
        """Ask for a rerun and read until its `script_finished` (or the timeout)."""
        start = time.perf_counter()
        await self.ask(query_string, widgets)
        return await self.until_finished(start, timeout)

    async def open(self, query_string: str = "", timeout: float = 60) -> Run:
        """Open the page as a browser does: its first run draws the map and what is above
        it, and the page asks for the run that draws the rest once the map has drawn
        (kumamap.mapfirst). One Run for both: seconds, deltas and starts added up."""
        first = await self.run(query_string, timeout=timeout)
        if not first.finished:
            return first
        rest = await self.run(query_string, timeout=timeout)
        return Run(first.seconds + rest.seconds, first.deltas + rest.deltas, rest.finished,
                   rest.text, first.starts + rest.starts, {**first.widgets, **rest.widgets})

    async def until_finished(self, start: float, timeout: float) -> Run:
        """Read until a run finishes (not one stopped early for a newer request)."""
        deltas, texts, starts, widgets = 0, [], 0, {}
        deadline = start + timeout
        while (left := deadline - time.perf_counter()) > 0:
            try:
                raw = await asyncio.wait_for(self.socket.recv(), left)
            except TimeoutError:
                break
            message = ForwardMsg()
            message.ParseFromString(raw)
            kind = message.WhichOneof("type")
            if kind == "new_session":
                self.session_id = message.new_session.initialize.session_id
                starts += 1
                deltas, texts = 0, []  # what this run shows, not the runs stopped before it
            elif kind == "delta":
                deltas += 1
                texts.append(delta_text(message))
                element = message.delta.new_element
                element_type = element.WhichOneof("type")
                widget = getattr(element, element_type) if element_type else None
                if getattr(widget, "id", ""):
                    widgets[widget_name(element_type, widget)] = Widget(
                        widget.id, element_type, tuple(getattr(widget, "options", ())),
                        getattr(widget, "json_args", ""))
            elif kind == "script_finished" and message.script_finished != EARLY:
                return Run(time.perf_counter() - start, deltas, True,
                           "\n".join(filter(None, texts)), starts, widgets)
        return Run(time.perf_counter() - start, deltas, False, "\n".join(filter(None, texts)),
                   starts, widgets)

    async def upload(self, name: str, data: bytes) -> FileChoice:
        """Put a file on the server as the page's uploader does: ask for its URLs over the
        websocket, then PUT it (with the XSRF cookie and header the page would send)."""
        request = BackMsg()
        request.file_urls_request.request_id = uuid.uuid4().hex
        request.file_urls_request.file_names.append(name)
        request.file_urls_request.session_id = self.session_id
        await self.socket.send(request.SerializeToString())
        while True:
            message = ForwardMsg()
            message.ParseFromString(await asyncio.wait_for(self.socket.recv(), 60))
            if message.WhichOneof("type") == "file_urls_response":
                urls = message.file_urls_response.file_urls[0]
                break
        await asyncio.to_thread(self._put, urls.upload_url, name, data)
        return FileChoice(name, len(data), urls.file_id, urls.upload_url, urls.delete_url)

    def _put(self, upload_url: str, name: str, data: bytes) -> None:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.open(f"{self.http_url}/_stcore/health", timeout=60).read()  # sets the XSRF cookie
        token = next((c.value for c in jar if c.name == "_streamlit_xsrf"), "")
        body, boundary = multipart(name, data)
        url = upload_url if upload_url.startswith("http") else f"{self.http_url}{upload_url}"
        put = urllib.request.Request(url, data=body, method="PUT", headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}", "X-Xsrftoken": token})
        opener.open(put, timeout=120).read()

    async def drain(self) -> None:
        """Read and drop whatever the server sends, until the socket closes."""
        try:
            async for _ in self.socket:
                pass
        except websockets.ConnectionClosed:
            pass


def delta_text(message: ForwardMsg) -> str:
    element = message.delta.new_element
    kind = element.WhichOneof("type")
    if kind == "markdown":
        return element.markdown.body
    if kind in ("alert", "exception"):
        return getattr(element, kind).body if kind == "alert" else element.exception.message
    return ""


def health_seconds(http_url: str, timeout: float, errors: list[str] | None = None) -> float | None:
    """Seconds `/_stcore/health` took to answer 200, or None if it did not within `timeout`
    (what went wrong is added to `errors`)."""
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(f"{http_url}/_stcore/health", timeout=timeout) as response:
            if response.status == 200:
                return time.perf_counter() - start
            problem = f"status {response.status}"
    except OSError as error:
        problem = str(error)
    if errors is not None:
        errors.append(f"{problem} after {time.perf_counter() - start:.1f} s")
    return None
