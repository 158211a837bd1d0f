// The page's own: keeps the map view and the layers that are on in the page URL, and the
// map's layers and filters in step with the sidebar's controls (through the page state,
// page_state.js). Runs in the browser, so panning, zooming and switching layers change the
// link without a rerun (the server writes the filters into it when it learns them). Parameter names come from the one
// table of link parameters (permalink).
(function (map, options) {
    var host = window.parent;
    var layers = window.kumamapLayers;

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

    // A click on a feature is announced on the page's document with the feature's id: the
    // panel beside the map hears it there (components/map_click) and the server runs the
    // panel alone, at once, not the map. (streamlit-folium's own report of a click comes
    // after a 250 ms wait, and reruns the map with it.) Bound as each feature is added.
    function announce(event) {
        var page;
        try { page = host.document; } catch (e) { return; }  // a sandboxed or cross-origin parent
        page.dispatchEvent(new CustomEvent(options.click_event,
                                           {detail: {id: event.target.feature.properties.id}}));
    }
    map.on("layeradd", function (event) {
        if (event.layer.feature) { event.layer.off("click", announce).on("click", announce); }
    });
    // The page's selection, told by the panel (components/map_click): the summary in the
    // map names what the panel shows, after a find, a table row or "close" too.
    function selected(id) { layers.select(typeof id === "string" ? id : null); }
    function hearSelected(event) { selected((event.detail || {}).id); }
    try {
        selected(JSON.parse(host.document.documentElement.dataset.kumamapSelected || "null"));
        host.document.addEventListener(options.selected_event, hearSelected);
        // Until this frame leaves the page: a frame replaced by a new one hears no more.
        window.addEventListener("pagehide", function () {
            host.document.removeEventListener(options.selected_event, hearSelected);
        });
    } catch (e) {}  // a sandboxed or cross-origin parent

    // The layers this tab switched since the server's request (in the sidebar or in this
    // legend) and its filters are the page state's (page_state.js, shared with the sidebar).
    // The map holds no request number: it follows the newest request of the page state,
    // so a request (a chapter, a found place) leaves this frame as it is.
    var state = KumamapPageState.open(options.session, null,
                                      {layers: layers.visible(), filters: options.filters}, "map");
    layers.setFilters(state.filters());
    layers.setAll(state.layers(), "page");
    state.onChange(function (page) {
        layers.setFilters(page.filters);
        layers.setAll(page.layers, "page");
    });
    layers.onChange(function (ids, source) {
        if (source === "map") { state.setLayers(ids); }
        remember();
    });
    // How many features the map shows in this state, for the header (js/lib/shown.js),
    // with the request of the page state the map follows (the map itself holds none).
    layers.onCount(function (count) {
        var page = null;
        try { page = host.document; } catch (e) { return; }  // a cross-origin parent
        KumamapShown.publish(page, {session: options.session, request: state.request(),
                                    state: {layers: state.layers(), filters: state.filters()},
                                    count: count});
    });

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
