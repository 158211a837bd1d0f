// Fits the map to its preset view's box at the map's real size (phone or laptop alike).
(function (map, options) {
    map.fitBounds(options.bounds, {animate: false, maxZoom: options.max_zoom});
})
