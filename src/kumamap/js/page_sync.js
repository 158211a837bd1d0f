// The page's own: keeps the map view and the layers that are on in the page URL, and the
// map's layer switch in step with the sidebar's (same tab only, through the page's own
// document and this tab's sessionStorage). Runs in the browser, so panning, zooming and
// switching layers change the link without a rerun. Parameter names come from the one
// table of link parameters (permalink).
(function (map, options) {
    var host = window.parent;
    var layers = window.kumamapLayers;
    var STORE = "kumamap.layers";
    var EVENT = "kumamap:layers";
    var mine = {session: options.session, request: options.request};

    function pageUrl() {
        var url = new URL(host.location.href);
        var centre = map.getCenter();
        url.searchParams.set(options.view[0], centre.lat.toFixed(5));
        url.searchParams.set(options.view[1], centre.lng.toFixed(5));
        url.searchParams.set(options.view[2], String(map.getZoom()));
        var ids = layers.visible();
        url.searchParams.delete(options.layers);
        if (ids.join("\n") !== options.defaults.slice().sort().join("\n")) {
            // An empty value keeps "no layer" apart from "the default layers".
            (ids.length ? ids : [""]).forEach(function (id) {
                url.searchParams.append(options.layers, id);
            });
        }
        return url.toString();
    }
    function remember() {
        // A sandboxed or cross-origin parent refuses; the map works on without a link.
        try { host.history.replaceState(host.history.state, "", pageUrl()); } catch (e) {}
    }
    map.on("moveend", remember);

    // What this tab last switched, unless the server has asked for other layers since.
    var saved = null;
    try { saved = JSON.parse(sessionStorage.getItem(STORE)); } catch (e) {}
    if (saved && saved.session === mine.session && saved.request === mine.request) {
        layers.setAll(saved.visible, "store");
    }
    var hostDocument = null;
    try { hostDocument = host.document; } catch (e) {}
    layers.onChange(function (ids, source) {
        try {
            sessionStorage.setItem(STORE, JSON.stringify(
                {session: mine.session, request: mine.request, visible: ids}));
        } catch (e) {}
        remember();
        if (hostDocument && source === "map") {
            hostDocument.dispatchEvent(new CustomEvent(EVENT, {detail: {
                session: mine.session, request: mine.request, visible: ids, source: "map"}}));
        }
    });
    if (hostDocument) {
        var listener = function (event) {
            var detail = event.detail || {};
            if (detail.source !== "map" && detail.session === mine.session
                    && detail.request === mine.request) {
                layers.setAll(detail.visible, "sidebar");
            }
        };
        hostDocument.addEventListener(EVENT, listener);
        window.addEventListener("pagehide", function () {
            hostDocument.removeEventListener(EVENT, listener);
        });
    }

    var control = L.control({position: "topright"});
    control.onAdd = function () {
        var box = L.DomUtil.create("div", "leaflet-bar kumamap-copy-link");
        var button = L.DomUtil.create("a", "", box);
        button.href = "#";
        button.setAttribute("role", "button");
        button.title = options.label;
        button.setAttribute("aria-label", options.label);
        button.textContent = "URL";
        button.style.cssText = "width:auto;padding:0 6px;font:bold 11px sans-serif";
        var field = L.DomUtil.create("input", "", box);
        field.readOnly = true;
        field.setAttribute("aria-label", options.label);
        field.hidden = true;
        field.style.cssText = "width:240px;font:11px monospace";
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.on(button, "click", function (event) {
            L.DomEvent.preventDefault(event);
            remember();
            field.value = pageUrl();
            field.hidden = false;
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
