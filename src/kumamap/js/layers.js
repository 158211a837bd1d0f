// The map's layers: which are on, which features the filters show (and with the status of
// the chosen year), the legend (in an exported map also its layer switch) and a short
// summary of a clicked feature, shown at once from what the map already has.
// Every feature of every layer is sent once; switching a layer hides or shows its groups,
// and a filter hides, shows and restyles its features, in the browser. The page keeps the switch in step with the sidebar and the URL
// (page_sync.js); an exported map has this script alone.
(function (map, options) {
    document.documentElement.lang = options.lang;
    // Every layer draws in its own panes, made here before any layer arrives: their
    // stacking (points over lines over areas, then the catalog's order) is fixed, whatever
    // order the layers are switched, filtered or sent in (mapstyle.panes).
    options.panes.forEach(function (pane) {
        var element = map.getPane(pane.name) || map.createPane(pane.name, map.getPane(pane.parent));
        element.style.zIndex = String(pane.z_index);
        L.DomUtil.addClass(element, "kumamap-pane");
    });
    var groups = {};  // layer id -> its feature groups on this map
    // {layer: its id, shapes: a layer's group of features of one shape, features: all of
    //  them (the group itself may hold fewer), container: what shows them, shown: how many
    //  the filters show}
    var shapeSets = [];
    var filters = null;  // the reader's filters (page_sync.js); null: none, as in an export
    var boxes = {};  // layer id -> its checkbox in the legend
    var listeners = [];
    var countListeners = [];
    var isCounting = false;
    var hasReceived = false;  // no count before the first set of groups: it would be 0
    var visible = new Set(options.requested);
    var selected = null;  // the id of the feature the page has selected, if the map knows it
    var switchable = new Set(options.switchable);

    // A layer without a switch (a reader's own upload) is always on.
    function isOn(id) { return visible.has(id) || !switchable.has(id); }

    function apply(id) {
        (groups[id] || []).forEach(function (group) {
            if (isOn(id) && !map.hasLayer(group)) { map.addLayer(group); }
            if (!isOn(id) && map.hasLayer(group)) { map.removeLayer(group); }
        });
        if (boxes[id]) { boxes[id].checked = visible.has(id); }
    }

    // The page sends all its groups at once, in one script, each replacing the last set
    // (after a filter, say). The last set is forgotten as a whole when the first group of
    // the next arrives: the page takes the groups it knows off the map itself, but not
    // those the switch had taken off, which a later switch would otherwise bring back.
    var isReceiving = false;
    function receive() {
        if (isReceiving) { return; }
        isReceiving = true;
        hasReceived = true;
        countSoon();
        Promise.resolve().then(function () { isReceiving = false; });
        Object.keys(groups).forEach(function (id) {
            groups[id].forEach(function (group) { if (map.hasLayer(group)) { map.removeLayer(group); } });
        });
        groups = {};
        shapeSets = [];
    }

    // How many features the map shows: those the filters allow, in the layers that are on.
    function shownCount() {
        return shapeSets.reduce(function (sum, set) {
            return sum + (isOn(set.layer) ? set.shown : 0);
        }, 0);
    }
    // The count goes out once the change that caused it is done: a set of groups arrives in
    // one script, a page state change filters and switches in one go.
    function countSoon() {
        if (isCounting || !hasReceived) { return; }
        isCounting = true;
        Promise.resolve().then(function () {
            isCounting = false;
            var count = shownCount();
            countListeners.forEach(function (listener) { listener(count); });
        });
    }

    // Show the features of one set the filters allow, each styled with its status in the
    // chosen year (the style key's status part, filters.js `styleKey`); hide the others.
    // A marker cluster group takes and gives back its features in one batch.
    function filterShapes(set, shown) {
        var adding = [], removing = [];
        set.shown = 0;
        set.features.forEach(function (shape) {
            var feature = shape.feature;
            var status = feature.filter && shown ? shown(feature.filter) : undefined;
            var isShown = status !== null;
            if (isShown) { set.shown += 1; }
            var key = status ? KumamapFilters.styleKey(feature.properties.style, status)
                             : feature.properties.style;
            var isOn = set.container.hasLayer(shape);
            if (feature.styleKey !== key) {
                feature.styleKey = key;
                if (isShown) { set.shapes.resetStyle(shape); }
            }
            if (isShown && !isOn) { adding.push(shape); }
            if (!isShown && isOn) { removing.push(shape); }
        });
        if (set.container.addLayers) {
            set.container.removeLayers(removing);
            set.container.addLayers(adding);
        } else {
            removing.forEach(function (shape) { set.container.removeLayer(shape); });
            adding.forEach(function (shape) { set.container.addLayer(shape); });
        }
    }

    var layers = window.kumamapLayers = {
        options: options,
        visible: function () { return Array.from(visible).sort(); },
        // Show exactly these layers; `source` tells listeners who asked (to avoid echoes).
        setAll: function (ids, source) {
            var before = layers.visible().join("\n");
            visible = new Set(ids);
            Object.keys(groups).concat(Object.keys(boxes)).forEach(apply);
            if (layers.visible().join("\n") !== before) {
                listeners.forEach(function (listener) { listener(layers.visible(), source); });
                countSoon();
            }
        },
        set: function (id, isOn, source) {
            var ids = new Set(visible);
            if (isOn) { ids.add(id); } else { ids.delete(id); }
            layers.setAll(Array.from(ids), source);
        },
        onChange: function (listener) { listeners.push(listener); },
        filters: function () { return filters; },
        // Filter every feature by these filters (js/lib/filters.js).
        setFilters: function (next) {
            filters = next;
            var shown = KumamapFilters.matcher(filters);
            shapeSets.forEach(function (set) { filterShapes(set, shown); });
            countSoon();
        },
        // listener(count) after each change of how many features the map shows (or may).
        onCount: function (listener) { countListeners.push(listener); },
        // A new set of groups begins (no_layers.js: one with no group at all).
        receive: receive,
        // A layer's features of one shape (shapes.js), shown by `container`: the features'
        // own group, or the layer's marker cluster group, which holds none of them yet.
        addShapes: function (shapes, container, layer) {
            receive();
            var set = {layer: layer, shapes: shapes, features: shapes.getLayers(),
                       container: container, shown: 0};
            shapeSets.push(set);
            filterShapes(set, filters && KumamapFilters.matcher(filters));
            countSoon();
            if (selected !== null && summaryBox.hidden) { summarise(selected); }
        },
        // The page selected this feature (an id), or none (null): the summary follows.
        select: function (id) { summarise(id); },
        register: function (id, group) {
            receive();
            (groups[id] = groups[id] || []).push(group);
            group.on("click", function (event) { showSummary(event.layer || event.propagatedFrom); });
            // The page adds a group to the map after its script has run, and then gives
            // every shape on the map its click handler (streamlit-folium): a switched-off
            // layer is taken off just after that, so its shapes answer clicks once shown.
            group.on("add", function () {
                if (!isOn(id)) {
                    setTimeout(function () {
                        if (!isOn(id) && map.hasLayer(group)) { map.removeLayer(group); }
                    }, 0);
                }
            });
            apply(id);
        }
    };

    // The legend: a heading that folds it (folded at first on narrow maps and in the page),
    // a switch per layer where the map is its own switch (an exported map), and the meaning
    // of the colours and dashes. Text from data goes in as text.
    var legend = L.control({position: "bottomleft"});
    legend.onAdd = function () {
        var box = L.DomUtil.create("div", "kumamap-legend");
        var toggle = L.DomUtil.create("button", "kumamap-legend-toggle", box);
        toggle.type = "button";
        toggle.textContent = options.title;
        var body = L.DomUtil.create("div", "kumamap-legend-body", box);
        body.id = "kumamap-legend-body";
        toggle.setAttribute("aria-controls", body.id);
        function fold(isFolded) {
            body.hidden = isFolded;
            toggle.setAttribute("aria-expanded", String(!isFolded));
        }
        // The page's width, not the frame's: the frame may still be at its first size.
        var width = window.innerWidth;
        try { width = window.parent.innerWidth; } catch (e) {}
        var isNarrow = width < options.fold_below;
        map.getContainer().classList.toggle("kumamap-narrow", isNarrow);
        // The page's legend only explains symbols (its layers are switched in the sidebar):
        // it starts folded, to leave the map its room; an exported map's legend is its
        // layer switch and starts open where there is room.
        fold(isNarrow || options.folded);
        L.DomEvent.on(toggle, "click", function () { fold(!body.hidden); });
        options.entries.forEach(function (entry) {
            var row = L.DomUtil.create(entry.layer ? "label" : "div", "kumamap-legend-row", body);
            if (entry.layer) {
                var check = boxes[entry.layer] = L.DomUtil.create("input", "", row);
                check.type = "checkbox";
                check.checked = visible.has(entry.layer);
                L.DomEvent.on(check, "change", function () {
                    layers.set(entry.layer, check.checked, "map");
                });
            }
            var swatch = L.DomUtil.create("span", "kumamap-swatch", row);
            swatch.style.borderTop = "3px " + entry.line + " " + entry.color;
            var label = L.DomUtil.create("span", "", row);
            label.textContent = entry.label;
        });
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.disableScrollPropagation(box);
        return box;
    };
    legend.addTo(map);
    options.attributions.forEach(function (credit) {
        map.attributionControl.addAttribution(credit);
    });

    // A clicked feature's name and one line about it, at once (the page's details panel
    // follows with the next server run). Both texts were escaped by the server.
    var summary = L.control({position: "topright"});
    var summaryBox;
    summary.onAdd = function () {
        summaryBox = L.DomUtil.create("div", "kumamap-summary");
        summaryBox.setAttribute("role", "status");
        summaryBox.hidden = true;
        L.DomEvent.disableClickPropagation(summaryBox);
        return summaryBox;
    };
    summary.addTo(map);
    function showSummary(layer) {
        var properties = layer && layer.feature && layer.feature.properties;
        if (!properties) { return; }
        selected = properties.id;
        summaryBox.innerHTML = "<strong>" + properties.label + "</strong><br>" + properties.info;
        summaryBox.hidden = false;
    }
    // The summary follows the page's selection (a find, a table row, a timeline bar, a
    // chapter, "close": page_sync.js), so it never names another feature than the panel
    // beside it; a selection the map does not hold (yet, or at all) hides it until it comes.
    function summarise(id) {
        selected = id;
        summaryBox.hidden = true;
        if (id === null) { return; }
        shapeSets.some(function (set) {
            return set.features.some(function (shape) {
                if (shape.feature.properties.id !== id) { return false; }
                showSummary(shape);
                return true;
            });
        });
    }
})
