// The sidebar's layer switch: a Streamlit component without a build step (it speaks the
// component protocol by postMessage itself). Switching a layer shows or hides it in the
// map at once (an event on the page's own document, which the map frame listens to) and
// then tells the server, whose rerun updates the counts, table and downloads; the map is
// not sent again. Labels from the catalog go in as text.
(function () {
    "use strict";
    var STORE = "kumamap.layers";
    var EVENT = "kumamap:layers";
    var host = window.parent;
    var args = null;
    var visible = null;
    var boxes = {};

    function send(type, data) {
        var message = {isStreamlitMessage: true, type: type};
        Object.keys(data).forEach(function (key) { message[key] = data[key]; });
        host.postMessage(message, "*");
    }
    function ids() { return Array.from(visible).sort(); }
    function report() {
        send("streamlit:setComponentValue",
             {value: {request: args.request, visible: ids()}, dataType: "json"});
    }
    function store() {
        try {
            sessionStorage.setItem(STORE, JSON.stringify(
                {session: args.session, request: args.request, visible: ids()}));
        } catch (e) {}
    }
    function stored() {
        try {
            var saved = JSON.parse(sessionStorage.getItem(STORE));
            if (saved && saved.session === args.session && saved.request === args.request) {
                return saved.visible;
            }
        } catch (e) {}
        return null;
    }
    function show() {
        Object.keys(boxes).forEach(function (id) { boxes[id].checked = visible.has(id); });
    }
    function draw() {
        var list = document.getElementById("layers");
        list.textContent = "";
        boxes = {};
        document.getElementById("legend").textContent = args.legend;
        args.layers.forEach(function (layer) {
            var row = document.createElement("label");
            var box = boxes[layer.id] = document.createElement("input");
            box.type = "checkbox";
            box.dataset.layer = layer.id;
            box.addEventListener("change", function () {
                if (box.checked) { visible.add(layer.id); } else { visible.delete(layer.id); }
                store();
                try {
                    host.document.dispatchEvent(new CustomEvent(EVENT, {detail: {
                        session: args.session, request: args.request, visible: ids(),
                        source: "sidebar"}}));
                } catch (e) {}
                report();
            });
            var swatch = document.createElement("span");
            swatch.className = "swatch";
            swatch.style.borderTopColor = layer.color;
            var text = document.createElement("span");
            text.textContent = layer.label;
            row.appendChild(box);
            row.appendChild(swatch);
            row.appendChild(text);
            list.appendChild(row);
        });
        show();
        send("streamlit:setFrameHeight", {height: document.body.scrollHeight});
    }

    window.addEventListener("message", function (event) {
        if (!event.data || event.data.type !== "streamlit:render") { return; }
        var next = event.data.args;
        // A new request of the server (a link, a chapter, a found place) wins over what
        // this tab switched before; otherwise the switch keeps the reader's own state.
        if (!args || args.request !== next.request || args.session !== next.session) {
            args = next;
            visible = new Set(stored() || next.visible);
        }
        args = next;
        document.documentElement.lang = next.lang;
        // Streamlit's page says "en" whatever the reader chose; screen readers follow this.
        try { host.document.documentElement.lang = next.lang; } catch (e) {}
        draw();
    });
    function onMapSwitch(event) {
        var detail = event.detail || {};
        if (!args || detail.source !== "map" || detail.session !== args.session
                || detail.request !== args.request) { return; }
        visible = new Set(detail.visible);
        show();
        report();
    }
    try {
        host.document.addEventListener(EVENT, onMapSwitch);
        window.addEventListener("pagehide", function () {
            host.document.removeEventListener(EVENT, onMapSwitch);
        });
    } catch (e) {}
    send("streamlit:componentReady", {apiVersion: 1});
}());
