"""What a page and the app's server say on Streamlit's websocket, read with Streamlit's own
message classes: when a run has finished, and how many the server has finished for a page.

The page's own display of its script state (`data-test-script-state`) cannot count runs:
it is React state, and when a run's "running" and "not running" reach a busy page
together, React renders them at once, so "running" never reaches the page and the run
ends unseen (issue 19: a settled action waited 15 s for a run that had long ended).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from playwright.sync_api import Page, WebSocket, WebSocketRoute
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from tests.e2e.helpers import TIMEOUT_MS

STREAM = "**/_stcore/stream"
POLL_MS = 50
# A run stopped for a newer request is followed by that request's run: it answers nothing.
REPLACED = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN
MAP_COMPONENT = "streamlit_folium.st_folium"  # the map's component (its frame's title)


def is_run_finished(message: bytes) -> bool:
    """The server's message that a run has finished (and was not replaced by a newer one)."""
    forward = ForwardMsg.FromString(message)
    return forward.WhichOneof("type") == "script_finished" and forward.script_finished != REPLACED


def is_run_request(message: bytes) -> bool:
    """The page's message asking for a run (a widget changed, a history step, a reload)."""
    return BackMsg.FromString(message).WhichOneof("type") == "rerun_script"


@dataclass(frozen=True)
class RunMark:
    """How many runs the server had finished and the page had asked for, at one moment."""

    finished: int
    requests: int


class ServerRuns:
    """The runs the server has finished for a page, and the runs the page has asked for,
    counted off its websocket (a new socket after a reload counts on)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.finished = 0
        self.requests = 0
        page.on("websocket", self.follow)

    def follow(self, socket: WebSocket) -> None:
        socket.on("framereceived", self.on_received)
        socket.on("framesent", self.on_sent)

    def on_received(self, payload: str | bytes) -> None:
        if isinstance(payload, bytes) and is_run_finished(payload):
            self.finished += 1

    def on_sent(self, payload: str | bytes) -> None:
        if isinstance(payload, bytes) and is_run_request(payload):
            self.requests += 1

    def mark(self) -> RunMark:
        return RunMark(self.finished, self.requests)

    def wait_past(self, mark: RunMark, timeout_ms: int) -> None:
        """Wait until a run has finished since `mark`; else fail, saying whether the page
        has asked for one (a request lost in the page) or the server has not answered."""
        if not wait_for(self.page, lambda: self.finished > mark.finished, timeout_ms):
            raise AssertionError(
                f"no run finished within {timeout_ms} ms of {mark}: the page asked for "
                f"{self.requests - mark.requests} since, the server finished "
                f"{self.finished - mark.finished}")


@dataclass(frozen=True)
class Run:
    """What one finished run sent: how it finished, and the kind of each delta (the
    element's or block's type) with the part of the page it went to (0 main, 1 sidebar)."""

    status: int
    deltas: tuple[tuple[int, str], ...]

    def sent(self, kind: str) -> bool:
        return any(sent == kind for _, sent in self.deltas)

    def roots(self) -> set[int]:
        return {root for root, _ in self.deltas}


def delta_kind(forward: ForwardMsg) -> str:
    delta = forward.delta
    part = delta.WhichOneof("type")
    if part == "new_element":
        return delta.new_element.WhichOneof("type") or part
    if part == "add_block":
        return delta.add_block.WhichOneof("type") or part
    return part or ""


class SentRuns:
    """Every run the server finished for a page, with what it sent (see `Run`)."""

    def __init__(self, page: Page) -> None:
        self.runs: list[Run] = []
        self.deltas: list[tuple[int, str]] = []
        page.on("websocket", lambda socket: socket.on("framereceived", self.on_received))

    def on_received(self, payload: str | bytes) -> None:
        if not isinstance(payload, bytes):
            return
        forward = ForwardMsg.FromString(payload)
        kind = forward.WhichOneof("type")
        if kind in {"delta", "ref_hash"}:
            root = forward.metadata.delta_path[0] if forward.metadata.delta_path else -1
            self.deltas.append((root, delta_kind(forward) if kind == "delta" else kind))
        elif kind == "script_finished" and forward.script_finished != REPLACED:
            self.runs.append(Run(forward.script_finished, tuple(self.deltas)))
            self.deltas = []


class MapSends:
    """How often the server has sent a page the map in full (its base map and every
    feature group, one component message): a run that leaves the map as it was sends a
    reference to the page's cached copy instead (`ref_hash`)."""

    def __init__(self, page: Page) -> None:
        self.count = 0
        page.on("websocket", lambda socket: socket.on("framereceived", self.on_received))

    def on_received(self, payload: str | bytes) -> None:
        if isinstance(payload, bytes) and is_map_message(payload):
            self.count += 1


def is_map_message(message: bytes) -> bool:
    forward = ForwardMsg.FromString(message)
    if forward.WhichOneof("type") != "delta" or forward.delta.WhichOneof("type") != "new_element":
        return False
    element = forward.delta.new_element
    return (element.WhichOneof("type") == "component_instance"
            and element.component_instance.component_name == MAP_COMPONENT)


class HeldRun:
    """The page's websocket, with the server's messages held back from the moment
    `is_holding` is set until the run they belong to has finished and `release` is
    called: then they reach the page together, as they do a page that was busy."""

    def __init__(self) -> None:
        self.is_holding = False
        self.is_finished = False
        self.held: list[str | bytes] = []

    def route(self, page_side: WebSocketRoute) -> None:
        server_side = page_side.connect_to_server()
        self.page_side = page_side
        page_side.on_message(server_side.send)
        server_side.on_message(self.from_server)

    def from_server(self, message: str | bytes) -> None:
        if not self.is_holding:
            self.page_side.send(message)
            return
        self.held.append(message)
        self.is_finished |= isinstance(message, bytes) and is_run_finished(message)

    def release(self) -> None:
        self.is_holding = False
        for message in self.held:
            self.page_side.send(message)
        self.held = []


def wait_for(page: Page, condition: Callable[[], bool], timeout_ms: int = TIMEOUT_MS) -> bool:
    """Let Playwright handle the page's traffic (its events update `condition`'s inputs)
    until `condition` holds; whether it did within `timeout_ms`."""
    for _ in range(timeout_ms // POLL_MS):
        if condition():
            return True
        page.wait_for_timeout(POLL_MS)
    return condition()


class HeldReports:
    """The page's websocket, with the page's messages to the server (its reports, asking
    for runs) held back while `is_holding` is set, until `release` sends them in order: what
    the page does meanwhile, it does without the server."""

    def __init__(self) -> None:
        self.is_holding = False
        self.held: list[str | bytes] = []

    def route(self, page_side: WebSocketRoute) -> None:
        self.server_side = page_side.connect_to_server()
        page_side.on_message(self.from_page)
        self.server_side.on_message(page_side.send)

    def from_page(self, message: str | bytes) -> None:
        if self.is_holding:
            self.held.append(message)
        else:
            self.server_side.send(message)

    def release(self) -> None:
        self.is_holding = False
        for message in self.held:
            self.server_side.send(message)
        self.held = []
