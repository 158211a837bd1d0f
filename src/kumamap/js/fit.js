// Fits the map to its preset view's box at the map's real size (phone or laptop alike),
// and again at each new size (follow_size.js) until the reader touches the map or anything
// else moves it: the frame's first height is not the one the page gives it, but a view
// that jumped after the reader's click (a panel opening beside the map) would be theirs lost.
(function (map, options) {
    var fitting = false;
    var touches = ["pointerdown", "keydown", "wheel"];
    var container = map.getContainer();
    function fit() {
        fitting = true;
        map.fitBounds(options.bounds, {animate: false, maxZoom: options.max_zoom});
        fitting = false;
    }
    function stop() {
        map.off("resize", fit);
        map.off("movestart", moved);
        touches.forEach(function (name) { container.removeEventListener(name, stop, true); });
    }
    // A flight or a view set by the page: the map is theirs now.
    function moved() { if (!fitting) { stop(); } }
    fit();
    map.on("resize", fit);
    map.on("movestart", moved);
    touches.forEach(function (name) { container.addEventListener(name, stop, true); });
})
