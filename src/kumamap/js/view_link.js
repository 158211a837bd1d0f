// Keeps the map view in the page URL and offers a "copy link" button. Only the page adds
// it (a standalone export has no page URL to keep). It runs in the browser, so panning
// and zooming update the link without a rerun; the parameter names come from the one
// table of link parameters (permalink.VIEW_PARAMS).
(function (map, options) {
    var host = window.parent;
    var names = options.names;  // [lat, lon, zoom]
    function viewUrl() {
        var url = new URL(host.location.href);
        var centre = map.getCenter();
        url.searchParams.set(names[0], centre.lat.toFixed(5));
        url.searchParams.set(names[1], centre.lng.toFixed(5));
        url.searchParams.set(names[2], String(map.getZoom()));
        return url.toString();
    }
    function remember() {
        // A sandboxed or cross-origin parent refuses; the map works on without a link.
        try { host.history.replaceState(host.history.state, "", viewUrl()); } catch (e) {}
    }
    map.on("moveend", remember);
    var control = L.control({position: "topright"});
    control.onAdd = function () {
        var box = L.DomUtil.create("div", "leaflet-bar kumamap-copy-link");
        var button = L.DomUtil.create("a", "", box);
        button.href = "#";
        button.setAttribute("role", "button");
        button.title = options.label;
        button.textContent = "URL";
        button.style.cssText = "width:auto;padding:0 6px;font:bold 11px sans-serif";
        var field = L.DomUtil.create("input", "", box);
        field.readOnly = true;
        field.style.cssText = "display:none;width:260px;font:11px monospace";
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.on(button, "click", function (event) {
            L.DomEvent.preventDefault(event);
            remember();
            field.value = viewUrl();
            field.style.display = "block";
            field.select();
            if (navigator.clipboard) {
                navigator.clipboard.writeText(field.value).then(function () {
                    button.textContent = "\u2713";
                }, function () {});
            }
        });
        return box;
    };
    control.addTo(map);
})
