// The map follows its container's size. In the page the frame starts at st_folium's
// height and the page then gives it the window's (page.css, map.css), a change Leaflet's
// own window "resize" listener does not always hear: without this the map would keep
// drawing, centring and fitting for its first size.
(function (map) {
    if (typeof ResizeObserver === "undefined") { return; }
    new ResizeObserver(function () { map.invalidateSize({pan: false}); })
        .observe(map.getContainer());
})
