// Hands a layer's feature group to the layer switch (layers.js), which shows or hides it.
(function (group, options) {
    if (window.kumamapLayers) { window.kumamapLayers.register(options.layer, group); }
})
