// The reader's state of the page in this tab, owned by this script alone: which layers
// are on and the filters (js/lib/filters.js), as set in the sidebar's controls or in the
// map's legend since the server last asked for a state; and the map's flights. The
// sidebar's controls load this one file beside them, the map frame inside its bundle (see
// bundle.py) and the page itself with its flight component (components/map_flight); each
// reads and writes the state only through it.
//
// The record, in this tab's sessionStorage under STORE:
//   {session: the server session's token, request: the server's request number,
//    layers: ids of the layers that are on, sorted,
//    filters: {category, status, prefecture, origin, sector: [codes], year: 0 or a year,
//              text: what the reader typed}}
// It belongs to one request of one session: a newer request of the server (a link, a
// story chapter, a found place) replaces it, an older one never does. The request reaches
// the browser by one way only, the sidebar's controls, which are drawn with its number;
// the map frame holds no number (so the server's requests leave it as it is, and it is
// not sent again) and follows the newest request of its session.
// A change is announced on the page's own document (the frames are its children) with
// the frame that made it, so that frame does not take its own change again.
var KumamapPageState = (function () {
    "use strict";
    var STORE = "kumamap.page";
    var EVENT = "kumamap:page-state";
    // The newest flight the page asked for, {session, number, bounds}, and the newest a
    // map frame flew, {session, number}: numbered per session, each is flown once.
    var FLIGHT = "kumamap.flight";
    var FLOWN = "kumamap.flown";
    var FLIGHT_EVENT = "kumamap:flight";

    function read(key) {
        try { return JSON.parse(sessionStorage.getItem(key || STORE)); } catch (e) { return null; }
    }
    function write(record, key) {
        // A browser that refuses storage: the frames still hear each other's events.
        try { sessionStorage.setItem(key || STORE, JSON.stringify(record)); } catch (e) {}
    }
    function pageDocument() {
        try { return window.parent.document; } catch (e) { return null; }
    }
    function announce(event, detail) {
        var page = pageDocument();
        if (page) { page.dispatchEvent(new CustomEvent(event, {detail: detail})); }
    }
    // Hear `event` on the page's document until this frame leaves the page.
    function listen(event, hear) {
        var page = pageDocument();
        if (!page) { return; }
        page.addEventListener(event, hear);
        window.addEventListener("pagehide", function () { page.removeEventListener(event, hear); });
    }
    function sorted(ids) { return Array.from(new Set(ids)).sort(); }

    function copy(record) {
        return {layers: record.layers.slice(), filters: JSON.parse(JSON.stringify(record.filters))};
    }

    // The state of session `session` as frame `source` sees it. A frame drawn for one
    // request of the server (the sidebar's controls) gives its number `request`, and
    // `requested` is what the server asked for: {layers, filters}; it makes that request
    // the page's newest, and the other frames follow. The map's frame gives null: it
    // takes the newest request of its session that it finds or hears of, and shows
    // `requested` (what the session started with) until there is one.
    function open(session, request, requested, source) {
        var follows = request === null;
        var current = {session: session, request: follows ? -1 : request,
                       layers: sorted(requested.layers), filters: requested.filters};
        function isOfSession(record) { return !!record && record.session === session; }
        function isMine(record) {
            return isOfSession(record) && !!record.filters
                && (follows ? record.request >= current.request : record.request === request);
        }
        // A frame of an older request (still on its way out) must not undo a newer one.
        function isOutdated() {
            var stored = read();
            return isOfSession(stored) && stored.request > current.request;
        }
        function record(layers, filters) {
            return {session: session, request: current.request, layers: sorted(layers),
                    filters: filters};
        }
        var stored = read();
        if (isMine(stored)) {
            current = stored;
        } else if (!follows && !isOutdated()) {
            write(current);
            announce(EVENT, {record: current, source: source});
        }
        var listeners = [];
        listen(EVENT, function (event) {
            var detail = event.detail || {};
            if (detail.source === source || !isMine(detail.record)) { return; }
            current = detail.record;
            listeners.forEach(function (listener) { listener(copy(current), detail.source); });
        });
        // Keep this state, and tell the other frames.
        function change(next) {
            if (isOutdated()) { return; }
            current = next;
            write(current);
            announce(EVENT, {record: current, source: source});
        }
        return {
            layers: function () { return current.layers.slice(); },
            filters: function () { return copy(current).filters; },
            // The server's request this state belongs to (-1: none heard of yet).
            request: function () { return current.request; },
            // Switch to exactly these layers.
            setLayers: function (ids) { change(record(ids, current.filters)); },
            // Filter by exactly these filters.
            setFilters: function (filters) { change(record(current.layers, filters)); },
            // listener({layers, filters}, source): another frame changed the state.
            onChange: function (listener) { listeners.push(listener); }
        };
    }

    // The page asks the map to fly to `flight.bounds` (a chapter, a found place, "show on
    // map", a table row, a timeline bar). A flight asked again (the same one drawn by a
    // later run, or by a page reconnected to its session) is not asked twice.
    function askFlight(flight) {
        var asked = read(FLIGHT);
        if (isSameOrNewer(asked, flight)) { return; }
        write(flight, FLIGHT);
        announce(FLIGHT_EVENT, flight);
    }
    function isSameOrNewer(known, flight) {
        return !!known && known.session === flight.session && known.number >= flight.number;
    }
    // A frame taken out of the page (a new map frame replaces it) flies nothing and marks
    // nothing flown: the frame that replaces it takes the flight.
    function isInPage() {
        try { return !window.frameElement || window.frameElement.isConnected; } catch (e) { return true; }
    }
    // The map frame of session `session`: fly(flight, wasWaiting) once for each flight not
    // flown yet, one asked before this frame was there (`wasWaiting`), and each asked after.
    function onFlight(session, fly) {
        function take(flight, wasWaiting) {
            if (!flight || flight.session !== session || isSameOrNewer(read(FLOWN), flight)
                    || !isInPage()) {
                return;
            }
            write({session: session, number: flight.number}, FLOWN);
            fly(flight, wasWaiting);
        }
        take(read(FLIGHT), true);
        listen(FLIGHT_EVENT, function (event) { take(event.detail, false); });
    }
    return {open: open, askFlight: askFlight, onFlight: onFlight};
}());
