// Hands the server's newest flight (a chapter, a found place, "show on map", a table row,
// a timeline bar) to the map's frame through the page state, so that moving the map sends
// no map. A component without a frame: it runs in the page itself, after page_state.js
// (flights.py puts both in one module). Every run draws it with the newest flight; the
// page state lets each flight's number be flown once.
export default function (component) {
    const flight = component.data;
    if (flight) { KumamapPageState.askFlight(flight); }
}
