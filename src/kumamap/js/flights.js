// Moves the map where the page asks (a chapter, a found place, "show on map", a table row,
// a timeline bar): the page hands each flight to this frame through the page state
// (page_state.js), so a flight sends no map. Only the page adds this; an exported map has
// no flights. A flight asked before this frame was there is where the map starts: no
// animation from a place the reader never saw.
(function (map, options) {
    KumamapPageState.onFlight(options.session, function (flight, wasWaiting) {
        var how = {maxZoom: options.max_zoom, padding: [40, 40]};
        if (wasWaiting) {
            map.fitBounds(flight.bounds, Object.assign(how, {animate: false}));
        } else {
            map.flyToBounds(flight.bounds, Object.assign(how, {duration: options.seconds}));
        }
    });
})
