"""One reader in Chromium (async Playwright) for the load test: a scripted visit whose
every step is timed, and checks that the page shows this reader's own state (map, details,
widgets and URL), not another's. See benchmarks/README.md, "Many readers"."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qs, urlsplit

from playwright.async_api import BrowserContext, Page, Route, WebSocket
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks.browser import FEATURE_POINT, IDLE, MAP_SHOWS, QUIET_S
from benchmarks.plan import Expect, Plan, Wanted
from kumamap.i18n import LANGUAGE_NAMES, UI_LANGS, t
from kumamap.upload import read_upload
from tests.e2e.conftest import EMPTY_TILE, LOOPBACK, TILE_HOSTS
from tests.e2e.helpers import MAP_FRAME, SWITCH_FRAME

WAIT_MS = 120_000  # one action under load; longer counts as an error
VIEW_PARAMS = ("lat", "lon", "z")  # written by the map in the browser, not checked here
URL_LAG_S = 30  # how long widgets, caption and URL may trail the settled page
# What the page shows, read in one go: language, layer boxes, name filter and year (in the
# sidebar's controls), details heading.
READ_WIDGETS = """(switchFrame) => {
    const checked = document.querySelector('.st-key-lang input:checked');
    const layers = {};
    const frame = document.querySelector(switchFrame);
    const doc = frame && frame.contentDocument;
    for (const box of (doc ? doc.querySelectorAll('input[data-layer]') : [])) {
        layers[box.dataset.layer] = box.checked;
    }
    const text = doc && doc.querySelector('#text');
    const heading = document.querySelector('.st-key-details h3');
    const year = doc && doc.querySelector('#year');
    // The count line ("39 features shown") is a markdown paragraph: every one is collected.
    const captions = [...document.querySelectorAll('[data-testid="stMarkdownContainer"]')]
        .map((c) => c.innerText.trim());
    return {lang: checked ? checked.closest('label').innerText.trim() : null, layers,
            text: text ? text.value : null, heading: heading ? heading.innerText.trim() : null,
            captions, year: year ? year.getAttribute('aria-valuetext') : null};
}"""
HEADING_IS = """(name) => {
    const heading = document.querySelector('.st-key-details h3');
    return Boolean(heading) && heading.innerText.trim() === name;
}"""


@dataclass
class Socket:
    """Script runs finished in this page, counted from the websocket's messages."""

    finished: int = 0
    opened: int = 0  # websocket connections: more than one after a reconnect
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    last_frame: float = field(default_factory=time.monotonic)

    def on_socket(self, socket: WebSocket) -> None:
        self.opened += 1
        socket.on("framereceived", self.on_frame)
        socket.on("framesent", self.on_sent)

    def on_sent(self, _payload: str | bytes) -> None:
        self.last_frame = time.monotonic()

    def on_frame(self, payload: str | bytes) -> None:
        self.last_frame = time.monotonic()
        if isinstance(payload, str):
            return
        message = ForwardMsg()
        message.ParseFromString(payload)
        if message.WhichOneof("type") == "script_finished":
            self.finished += 1
            self.changed.set()

    async def wait_past(self, count: int, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while self.finished <= count:
            self.changed.clear()
            await asyncio.wait_for(self.changed.wait(), max(0.01, deadline - time.monotonic()))


@dataclass
class Record:
    """What one reader measured and saw."""

    index: int
    times: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    # Widgets, caption or URL not this reader's: what, and "<where> <param>" parts.
    mismatches: list[tuple[str, list[str]]] = field(default_factory=list)
    lags: list[tuple[float, str]] = field(default_factory=list)  # s, what trailed the page
    forbidden: list[str] = field(default_factory=list)
    replica: str = ""


def offline(record: Record) -> Callable[[Route], Awaitable[None]]:
    async def route(route: Route) -> None:
        url = route.request.url
        host = urlsplit(url).hostname or ""
        if url.startswith(("data:", "blob:", "about:")) or host in LOOPBACK:
            await route.continue_()
        elif host in TILE_HOSTS:
            await route.fulfill(status=200, content_type="image/png", body=EMPTY_TILE)
        else:
            record.forbidden.append(url)
            await route.abort()

    return route


def url_params(url: str) -> dict[str, list[str]]:
    params = parse_qs(urlsplit(url).query, keep_blank_values=True)
    return {name: values for name, values in params.items() if name not in VIEW_PARAMS}


def widget_state(shown: dict, expect: Expect) -> Wanted:
    """The state the widgets show (the selection as its details heading)."""
    names = {name: lang for lang, name in LANGUAGE_NAMES.items()}
    selected = expect.state.selected if shown["heading"] == expect.heading() else shown["heading"]
    year = int(shown["year"]) if (shown["year"] or "").isdigit() else None
    return Wanted(names.get(shown["lang"], shown["lang"]),
                  frozenset(layer for layer, on in shown["layers"].items() if on),
                  shown["text"] or "", year, selected)


class Reader:
    """One browser context, one page: the visit, step by step."""

    def __init__(self, context: BrowserContext, url: str, plan: Plan, expect: Expect,
                 record: Record) -> None:
        self.context, self.url, self.plan, self.expect, self.record = (
            context, url, plan, expect, record)
        self.socket = Socket()
        self.page: Page | None = None

    async def open(self) -> None:
        await self.context.route("**/*", offline(self.record))
        self.page = await self.context.new_page()
        self.page.on("websocket", self.socket.on_socket)
        response = await self.timed("open", lambda: self.page.goto(self.url, wait_until="commit",
                                                                timeout=WAIT_MS))
        self.record.replica = (response.headers.get("x-kumamap-replica", "")
                               if response else "")

    async def timed(self, name: str, action: Callable[[], Awaitable[object]],
                    wait_ms: int = WAIT_MS, needs_run: bool = True) -> object:
        """Run an action, wait until a script run ended after it and the page shows the
        expected map (and details), note the seconds, then let it settle and check the URL."""
        page, before = self.page, self.socket.finished
        start = time.perf_counter()
        value = await action()
        if needs_run:
            await self.socket.wait_past(before, wait_ms / 1000)
        await page.wait_for_function(MAP_SHOWS, arg=[MAP_FRAME, self.expect.shapes(), False],
                                     polling="raf", timeout=wait_ms)
        if heading := self.expect.heading():
            await page.wait_for_function(HEADING_IS, arg=heading, polling="raf", timeout=wait_ms)
        self.record.times.setdefault(name, []).append(time.perf_counter() - start)
        await self.settle()
        await self.check(name)
        return value

    async def settle(self) -> None:
        """Until the script run is over, one map frame is left and the websocket has been
        quiet for QUIET_S (a switched layer's rerun follows the switch shown)."""
        deadline = time.monotonic() + WAIT_MS / 1000
        while True:
            await self.page.wait_for_function(IDLE, arg=MAP_FRAME, polling=50, timeout=WAIT_MS)
            quiet = time.monotonic() - self.socket.last_frame
            if quiet >= QUIET_S and await self.page.evaluate(IDLE, MAP_FRAME):
                return
            if time.monotonic() > deadline:
                raise TimeoutError("the page did not settle")
            await asyncio.sleep(max(0.05, QUIET_S - quiet))

    async def check(self, step: str) -> None:
        """The settled page must show this reader's state: widgets, caption and URL. What
        trails behind is waited for (up to URL_LAG_S) and its delay noted. When the page
        still differs then, that is noted, and the widgets' state becomes the expected one
        (so one lost action is counted once, not again in every later step)."""
        wanted = self.expect.params()
        caption = f"{self.expect.view().feature_count} {t('shown', self.expect.state.lang)}"
        start, trailing = time.perf_counter(), None
        while True:
            shown = await self.page.evaluate(READ_WIDGETS, SWITCH_FRAME)
            # The year is the reader's own unless the slider moved by itself: follow_year.
            widgets = replace(widget_state(shown, self.expect), year=self.expect.state.year)
            seen = {"widgets": widgets.params(self.expect.default),
                    "URL": url_params(self.page.url), "caption": caption in shown["captions"]}
            late = {kind for kind, value in seen.items()
                    if value != (True if kind == "caption" else wanted)}
            lag = time.perf_counter() - start
            trailing = trailing if trailing is not None else late
            if not late:
                break
            if lag > URL_LAG_S:
                parts = sorted(f"{kind} {name}" for kind in late - {"caption"}
                               for name in set(seen[kind]) | set(wanted)
                               if seen[kind].get(name) != wanted.get(name))
                what = (f"{step}: {', '.join(sorted(late))} not this reader's after {lag:.0f} s: "
                        f"{ {kind: seen[kind] for kind in late} } (own: {wanted}, {caption!r})")
                self.record.mismatches.append(
                    (what, parts + (["caption"] if "caption" in late else [])))
                self.expect.state = widgets
                break
            await asyncio.sleep(0.05)
        if trailing and not (lag > URL_LAG_S):
            self.record.lags.append((lag, ", ".join(sorted(trailing))))
        self.follow_year(step, shown["year"])

    def follow_year(self, step: str, shown: str | None) -> None:
        """The reader never moves the year slider; when the page's slider moved by itself
        (it did after a language change), note it, and expect what the page will send."""
        year = int(shown) if shown and shown.isdigit() else None
        if year != self.expect.state.year:
            what = (f"{step}: the year slider shows {shown!r}, this reader's year is "
                    f"{self.expect.state.year or 'today'}")
            self.record.mismatches.append((what, ["widgets year"]))
            self.expect.change(year=year)

    def sidebar(self, key: str):
        return self.page.locator(f".st-key-{key}")

    async def upload(self) -> None:
        name, raw = self.plan.upload
        taken = {f.id for layer in self.expect.result.layers for f in layer.features}
        self.expect.upload = read_upload(name, raw, taken)[0]
        box = self.sidebar("upload").locator('input[type="file"]')
        await self.timed("upload", lambda: box.set_input_files(
            files=[{"name": name, "mimeType": "application/geo+json", "buffer": raw}]))

    async def toggle(self, name: str = "toggle", wait_ms: int = WAIT_MS) -> None:
        layer = self.plan.toggled
        self.expect.change(layers=self.expect.state.layers ^ {layer})
        # Switched in the browser (the sidebar's component frame): the map shows it at
        # once; the rerun that tells the server follows.
        box = self.page.frame_locator(SWITCH_FRAME).locator(f'input[data-layer="{layer}"]')
        await self.timed(name, box.click, wait_ms, needs_run=False)

    async def search(self, target: str) -> None:
        """Name filter: the target's English name, so it stays on the map."""
        text = self.expect.result.feature(target)[1].name.en
        self.expect.change(text=text)
        box = self.page.frame_locator(SWITCH_FRAME).locator("#text")

        async def type_in() -> None:
            await box.fill(text)

        # The map filters as it is typed; the run that tells the server follows (settle).
        await self.timed("filter", type_in, needs_run=False)

    async def click(self, target: str) -> None:
        frame = await (await self.page.locator(MAP_FRAME).element_handle()).content_frame()
        await frame.evaluate("""(id) => map_div.eachLayer((layer) => {
            if (layer.feature && layer.feature.properties.id === id) {
                map_div.setView(layer.getLatLng(), map_div.getZoom(), {animate: false});
            }})""", target)
        point = await frame.evaluate(FEATURE_POINT, target)
        box = await self.page.locator(MAP_FRAME).bounding_box()
        self.expect.change(selected=target)
        await self.timed("click", lambda: self.page.mouse.click(box["x"] + point["x"],
                                                                box["y"] + point["y"]))

    async def language(self) -> None:
        lang = UI_LANGS[(UI_LANGS.index(self.expect.state.lang) + 1) % len(UI_LANGS)]
        self.expect.change(lang=lang)
        label = self.sidebar("lang").get_by_text(LANGUAGE_NAMES[lang], exact=True)
        await self.timed("language", label.click)

    async def repeat(self, number: int) -> None:
        """One round: language, toggle, filter, click. (The language first: a change of
        language moved the year slider by itself, and the next step shows its effect.)"""
        target = self.plan.targets[number % 2]
        await self.language()
        await self.toggle()
        await self.search(target)
        await self.click(target)


#END
