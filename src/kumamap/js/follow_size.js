// The map follows its container's size. In the page the frame starts at st_folium's
// height and the page then gives it the window's (page.css, map.css), a change Leaflet's
// own window "resize" listener does not always hear: without this the map would keep
// drawing, centring and fitting for its first size. Leaflet's default (pan) keeps the
// centre, so a view opened from a link stays on the linked point as the frame grows.
(function (map) {
    if (typeof ResizeObserver === "undefined") { return; }
    new ResizeObserver(function () { map.invalidateSize(); })
        .observe(map.getContainer());
})
