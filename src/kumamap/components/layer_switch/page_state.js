// The reader's state of the page in this tab, owned by this script alone: which layers
// are on and the filters (js/lib/filters.js), as set in the sidebar's controls or in the
// map's legend since the server last asked for a state. Both frames load this one file (the
// sidebar's controls beside it, the map inside its bundle, see bundle.py), and read and
// write the state only through it.
//
// The record, in this tab's sessionStorage under STORE:
//   {session: the server session's token, request: the server's request number,
//    layers: ids of the layers that are on, sorted,
//    filters: {category, status, prefecture, origin, sector: [codes], year: 0 or a year,
//              text: what the reader typed}}
// It belongs to one request of one session: a newer request of the server (a link, a
// story chapter, a found place) replaces it, an older one never does.
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

    function copy(record) {
        return {layers: record.layers.slice(), filters: JSON.parse(JSON.stringify(record.filters))};
    }

    // The state of the server's request `request` in session `session` as frame `source`
    // sees it; `requested` is what the server asked for: {layers, filters}.
    function open(session, request, requested, source) {
        function isMine(record) {
            return !!record && record.session === session && record.request === request;
        }
        // A frame of an older request (still on its way out) must not undo a newer one.
        function isOutdated() {
            var record = read();
            return !!record && record.session === session && record.request > request;
        }
        function record(layers, filters) {
            return {session: session, request: request, layers: sorted(layers), filters: filters};
        }
        var current = read();
        if (!isMine(current) || !current.filters) {
            current = record(requested.layers, requested.filters);
            if (!isOutdated()) { write(current); }
        }
        var listeners = [];
        var page = pageDocument();
        function hear(event) {
            var detail = event.detail || {};
            if (detail.source === source || !isMine(detail.record)) { return; }
            current = detail.record;
            listeners.forEach(function (listener) { listener(copy(current), detail.source); });
        }
        if (page) {
            page.addEventListener(EVENT, hear);
            window.addEventListener("pagehide", function () { page.removeEventListener(EVENT, hear); });
        }
        // Keep this state, and tell the other frame.
        function change(next) {
            if (isOutdated()) { return; }
            current = next;
            write(current);
            if (page) {
                page.dispatchEvent(new CustomEvent(EVENT, {detail: {record: current, source: source}}));
            }
        }
        return {
            layers: function () { return current.layers.slice(); },
            filters: function () { return copy(current).filters; },
            // Switch to exactly these layers.
            setLayers: function (ids) { change(record(ids, current.filters)); },
            // Filter by exactly these filters.
            setFilters: function (filters) { change(record(current.layers, filters)); },
            // listener({layers, filters}, source): another frame changed the state.
            onChange: function (listener) { listeners.push(listener); }
        };
    }
    return {open: open};
}());
