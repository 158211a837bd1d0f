// Moves the map to a box once, when its group is added: after a search or "show on map".
// options.request numbers the flights, so asking twice for the same place still changes
// the script's text (streamlit-folium re-runs a group's script only when it changes).
(function (group, options) {
    group.once("add", function () {
        group._map.flyToBounds(options.bounds,
            {maxZoom: options.max_zoom, padding: [40, 40], duration: 0.6});
    });
})
