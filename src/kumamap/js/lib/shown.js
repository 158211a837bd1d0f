// How many features the page's map shows, told to the rest of the page at once: after each
// change of the page state (page_state.js) the map frame counts the features it shows and
// publishes the count with the state it counted (js/page_sync.js); the header's count
// (components/shown_count) follows it, and moves the timeline chart's "as of year" rule to
// the same year, with no server run in between (issue 22: ▶ plays faster than the server
// may run, controls.PLAY_REPORT_MS).
//
// A publication: {session, request: the page state's, state: {layers, filters} as the page
// state holds them, count}. It travels as JSON text, in an event on the page's document and
// kept on its <html> for a header drawn later: nothing of a map frame that is gone (its
// objects) stays reachable from the page.
var KumamapShown = (function () {
    "use strict";
    var EVENT = "kumamap:shown";
    var KEPT = "kumamapShown";  // the <html> element's data-kumamap-shown

    function parse(text) {
        try { return JSON.parse(text); } catch (e) { return null; }
    }
    function publish(page, shown) {
        var text = JSON.stringify(shown);
        page.documentElement.dataset[KEPT] = text;
        page.dispatchEvent(new CustomEvent(EVENT, {detail: text}));
    }
    function latest(page) {
        return parse(page.documentElement.dataset[KEPT] || "null");
    }
    // listener(publication) on each one; returns what stops listening.
    function listen(page, listener) {
        function hear(event) {
            var shown = parse(event.detail);
            if (shown) { listener(shown); }
        }
        page.addEventListener(EVENT, hear);
        return function () { page.removeEventListener(EVENT, hear); };
    }

    // A state as text that is the same whatever the order of its keys and chosen codes.
    function canonical(state) {
        var filters = state.filters || {};
        var named = Object.keys(filters).sort().map(function (name) {
            var value = filters[name];
            return [name, Array.isArray(value) ? value.slice().sort() : value];
        });
        return JSON.stringify([(state.layers || []).slice().sort(), named]);
    }

    // What the header shows: the map's count and year while the map is ahead of the server
    // run that drew the header (a newer request, or the same one in another state: the
    // reader filtered or played on since; the server only learns states from the page, so
    // within a request the page's is the newer), else the server's own. `server`: {session,
    // request, state, count}, as the server drew the header; `shown`: a publication or null.
    function current(server, shown) {
        var isAhead = !!shown && shown.session === server.session &&
            (shown.request > server.request ||
             (shown.request === server.request &&
              canonical(shown.state) !== canonical(server.state)));
        var source = isAhead ? shown : server;
        return {count: source.count, year: source.state.filters.year};
    }

    return {publish: publish, latest: latest, listen: listen, current: current};
}());
if (typeof module !== "undefined") { module.exports = KumamapShown; }
