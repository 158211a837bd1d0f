// The basemaps: tiles when they load, otherwise the offline outline (Natural Earth, served
// by the app), chosen automatically with a short notice. Both are in the layer switcher,
// the outline as "works offline". The mini-map follows the basemap and is left out on
// narrow maps, where it would cover what it shows.
(function (map, options) {
    var choices = {};
    var tiles = options.tiles.map(function (tile) {
        var layer = L.tileLayer(tile.url, {attribution: tile.attribution, maxZoom: tile.max_zoom});
        choices[tile.name] = layer;
        return layer;
    });
    function outline() {
        return KumamapBasemap.outline(map, options.outline_url,
                                      {files: options.outline_files, attribution: options.credit});
    }
    var offline = outline();
    choices[options.outline_name] = offline;
    L.control.layers(choices, {}, {collapsed: true, position: "topright"}).addTo(map);

    // The scale sits with the overview map and the credits: one corner for all three.
    L.control.scale({position: "bottomright"}).addTo(map);
    var minimap = null;
    // The page's width, not the frame's: the frame may still be at its first size.
    var width = window.innerWidth;
    try { width = window.parent.innerWidth; } catch (e) {}
    if (width >= options.minimap_from) {
        minimap = new L.Control.MiniMap(L.tileLayer(options.tiles[0].url,
            {attribution: "", maxZoom: options.tiles[0].max_zoom}),
            {position: "bottomright", toggleDisplay: true, width: 120, height: 120});
        minimap.addTo(map);
    }

    var notice = L.control({position: "bottomright"});
    notice.onAdd = function () {
        var box = L.DomUtil.create("div", "kumamap-notice");
        box.setAttribute("role", "status");
        box.textContent = options.notice;
        return box;
    };

    var first = tiles[0];
    var hasLoaded = false;
    var failures = 0;
    first.on("tileload", function () { hasLoaded = true; });
    first.on("tileerror", function () {
        failures += 1;
        // Tiles that never load (offline, a firewall): a few failures and none loaded.
        if (!hasLoaded && failures === options.failures_before_outline && map.hasLayer(first)) {
            map.removeLayer(first);
            map.addLayer(offline);
            notice.addTo(map);
            if (minimap) { minimap.changeLayer(outline()); }
        }
    });
    (options.start_offline ? offline : first).addTo(map);
})
