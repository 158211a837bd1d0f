// Hands a layer's feature group to the layer switch (layers.js), which shows or hides it,
// and gives every feature its tooltip: the name, escaped by the server. Bound on each
// feature, not on the group: Leaflet's keyboard-focus handling of a group's tooltip
// expects every member to be a drawn shape, and a cluster group's members are groups.
(function (group, options) {
    function bind(layer) {
        if (layer.feature) {
            layer.bindTooltip(function () { return layer.feature.properties.label; },
                              {sticky: options.sticky});
        } else if (layer.eachLayer) {
            layer.eachLayer(bind);
        }
    }
    bind(group);
    if (window.kumamapLayers) { window.kumamapLayers.register(options.layer, group); }
})
