// The reader's filters in the browser, the same as the server's (filters.py `shown_status`):
// which features the map shows and with which status, as of the chosen year.
// tests/test_filter_match.py runs one table of filter states against both.
//
// A feature's filter data (mapdata.filter_data) has its status, the years it entered the
// story, started and opened, its category, prefecture, origin and sector, and its names
// normalised (textmatch.normalise), one a line. Filters are named as the link's parameters:
// {category, status, prefecture, origin, sector: [chosen codes], year: 0 (today) or a year,
//  text: what the reader typed}.
var KumamapFilters = (function () {
    "use strict";
    var text = typeof KumamapText !== "undefined" ? KumamapText : require("./textmatch.js");
    // A status that only holds once the feature has opened (or taken effect).
    var ONCE_OPEN = {operating: "planned", designated: "proposed"};
    // Filter name -> the feature's value it restricts to the chosen values.
    var CHOSEN = ["category", "prefecture", "origin", "sector"];

    function has(value) { return value !== undefined && value !== null; }

    // The feature's status in `year` (0: today), or null if it was not yet known then.
    function statusAsOf(feature, year) {
        if (!year) { return feature.status; }
        if (has(feature.first) && feature.first > year) { return null; }
        var opened = feature.opened;
        if (!ONCE_OPEN.hasOwnProperty(feature.status) || !has(opened) || opened <= year) {
            return feature.status;
        }
        if (feature.status === "operating" && has(feature.started) && feature.started <= year) {
            return "under_construction";
        }
        return ONCE_OPEN[feature.status];
    }

    function inChosen(value, chosen) {
        return !chosen || chosen.length === 0 || chosen.indexOf(value) >= 0;
    }

    // A matcher of the typed text, normalised once for every feature.
    function textMatcher(query) {
        var wanted = text.normalise(query || "");
        // Names are normalised, one a line: no normalised text holds a line break.
        return function (feature) { return !wanted || (feature.names || "").indexOf(wanted) >= 0; };
    }

    // shown(feature) -> the status to draw the feature with, or null when hidden.
    function matcher(filters) {
        var matchesText = textMatcher(filters.text);
        return function (feature) {
            var status = statusAsOf(feature, filters.year);
            if (status === null || !inChosen(status, filters.status)) { return null; }
            for (var i = 0; i < CHOSEN.length; i += 1) {
                if (!inChosen(feature[CHOSEN[i]], filters[CHOSEN[i]])) { return null; }
            }
            return matchesText(feature) ? status : null;
        };
    }

    // The style key (status|precision|origin, mapstyle.style_key) with another status.
    function styleKey(key, status) { return status + key.slice(key.indexOf("|")); }

    return {statusAsOf: statusAsOf, matcher: matcher, styleKey: styleKey};
}());
if (typeof module !== "undefined") { module.exports = KumamapFilters; }
