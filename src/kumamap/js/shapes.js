// One kind of shape (areas, lines or points) of one layer, in the layer's pane for it
// (mapstyle.panes). Each feature carries only its style key: its Leaflet style comes from
// the map's table (styles.js). A big layer draws on a canvas of its own pane, since one
// canvas draws in one pane. Points are circles, styled like their layer, needing no images.
// The filters (layers.js) show some of the features, each with the style key of its status
// in the chosen year (`feature.styleKey`). Every feature gets its tooltip, the name escaped
// by the server: bound on each feature, not on a group, as Leaflet's keyboard-focus
// handling of a group's tooltip expects every member to be a drawn shape.
(function (parent, options) {
    var table = window.kumamapStyles || {styles: [], keys: {}, highlight: {}};
    var keys = table.keys[options.layer] || {};
    var renderer = options.canvas ? L.canvas({pane: options.pane, padding: 0.5}) : undefined;
    function style(feature) {
        var place = keys[feature.styleKey || feature.properties.style];
        return place === undefined ? {} : table.styles[place];
    }
    var shapes = L.geoJSON(options.collection, {
        pane: options.pane,
        renderer: renderer,
        style: style,
        onEachFeature: function (feature, shape) {
            shape.bindTooltip(function () { return feature.properties.label; },
                              {sticky: options.sticky});
        },
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
    // A marker cluster group (it has addLayers) shows the features itself, one by one.
    var isCluster = typeof parent.addLayers === "function";
    if (!isCluster) { shapes.addTo(parent); }
    if (window.kumamapLayers) {
        window.kumamapLayers.addShapes(shapes, isCluster ? parent : shapes, options.layer);
    } else if (isCluster) {
        parent.addLayers(shapes.getLayers());
    }
})
