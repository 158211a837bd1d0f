// One kind of shape (areas, lines or points) of one layer, in the layer's pane for it
// (mapstyle.panes). Each feature carries only its style key: its Leaflet style comes from
// the map's table (styles.js). A big layer draws on a canvas of its own pane, since one
// canvas draws in one pane. Points are circles, styled like their layer, needing no images.
(function (parent, options) {
    var table = window.kumamapStyles || {styles: [], keys: {}, highlight: {}};
    var keys = table.keys[options.layer] || {};
    var renderer = options.canvas ? L.canvas({pane: options.pane, padding: 0.5}) : undefined;
    function style(feature) {
        var place = keys[feature.properties.style];
        return place === undefined ? {} : table.styles[place];
    }
    var shapes = L.geoJSON(options.collection, {
        pane: options.pane,
        renderer: renderer,
        style: style,
        pointToLayer: function (feature, latlng) {
            return L.circleMarker(latlng, L.extend(
                {radius: options.radius, pane: options.pane, renderer: renderer}, style(feature)));
        }
    });
    // One pair of listeners for the whole layer, not one per feature.
    shapes.on("mouseover", function (event) {
        (event.propagatedFrom || event.layer).setStyle(table.highlight);
    });
    shapes.on("mouseout", function (event) {
        shapes.resetStyle(event.propagatedFrom || event.layer);
    });
    shapes.addTo(parent);
})
