// The legend: a Leaflet control listing the drawn layers, and the credits of the layers'
// licences in the attribution corner. Built with textContent only, so data stays inert.
(function (map, options) {
    var legend = L.control({position: "bottomleft"});
    legend.onAdd = function () {
        var box = L.DomUtil.create("div", "kumamap-legend");
        box.style.cssText = "background:#fff;padding:6px 8px;border-radius:4px;"
            + "font:12px sans-serif;box-shadow:0 1px 4px rgba(0,0,0,.3);max-width:240px";
        var title = L.DomUtil.create("strong", "", box);
        title.textContent = options.title;
        options.entries.forEach(function (entry) {
            var row = L.DomUtil.create("div", "kumamap-legend-row", box);
            var swatch = L.DomUtil.create("span", "", row);
            swatch.style.cssText = "display:inline-block;width:22px;height:0;margin-right:6px;"
                + "vertical-align:middle;border-top:3px " + entry.line + " " + entry.color;
            var label = L.DomUtil.create("span", "", row);
            label.textContent = entry.label;
        });
        return box;
    };
    legend.addTo(map);
    options.attributions.forEach(function (credit) {
        map.attributionControl.addAttribution(credit);
    });
})
