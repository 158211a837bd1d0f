// The map's one table of styles (mapstyle.style_table), sent once with the base map: each
// layer's shapes look their style up by their style key (shapes.js), so no style is
// computed per feature on the server and none is sent with the features.
(function (map, options) {
    window.kumamapStyles = options;
})
