// The reader's state of the page in this tab, owned by this script alone: which layers
// are on, as switched in the sidebar or in the map's legend since the server last asked
// for layers. Both frames load this one file (the sidebar's layer switch beside it, the
// map inside its bundle, see bundle.py), and read and write the state only through it.
//
// The record, in this tab's sessionStorage under STORE:
//   {session: the server session's token, request: the server's request number,
//    layers: ids of the layers that are on, sorted}
// It belongs to one request of one session: a newer request of the server (a link, a
// story chapter, a found place) replaces it, an older one never does. More parts of the
// state (filters) go in as more fields beside `layers`.
// A change is announced on the page's own document (both frames are its children) with
// the frame that made it, so that frame does not take its own change again.
var KumamapPageState = (function () {
    "use strict";
    var STORE = "kumamap.page";
    var EVENT = "kumamap:page-state";

    function read() {
        try { return JSON.parse(sessionStorage.getItem(STORE)); } catch (e) { return null; }
    }
    function write(record) {
        // A browser that refuses storage: the frames still hear each other's events.
        try { sessionStorage.setItem(STORE, JSON.stringify(record)); } catch (e) {}
    }
    function pageDocument() {
        try { return window.parent.document; } catch (e) { return null; }
    }
    function sorted(ids) { return Array.from(new Set(ids)).sort(); }

    // The state of the server's request `request` in session `session` as frame `source`
    // sees it; `requested` are the layers the server asked for.
    function open(session, request, requested, source) {
        function isMine(record) {
            return !!record && record.session === session && record.request === request;
        }
        // A frame of an older request (still on its way out) must not undo a newer one.
        function isOutdated() {
            var record = read();
            return !!record && record.session === session && record.request > request;
        }
        var current = read();
        if (!isMine(current)) {
            current = {session: session, request: request, layers: sorted(requested)};
            if (!isOutdated()) { write(current); }
        }
        var listeners = [];
        var page = pageDocument();
        function hear(event) {
            var detail = event.detail || {};
            if (detail.source === source || !isMine(detail.record)) { return; }
            current = detail.record;
            listeners.forEach(function (listener) { listener(current.layers.slice(), detail.source); });
        }
        if (page) {
            page.addEventListener(EVENT, hear);
            window.addEventListener("pagehide", function () { page.removeEventListener(EVENT, hear); });
        }
        return {
            layers: function () { return current.layers.slice(); },
            // Switch to exactly these layers, and tell the other frame.
            setLayers: function (ids) {
                if (isOutdated()) { return; }
                current = {session: session, request: request, layers: sorted(ids)};
                write(current);
                if (page) {
                    page.dispatchEvent(new CustomEvent(EVENT, {detail: {record: current, source: source}}));
                }
            },
            // listener(layers, source): another frame changed the layers.
            onChange: function (listener) { listeners.push(listener); }
        };
    }
    return {open: open};
}());
