// The sidebar's layer switch: a Streamlit component without a build step (it speaks the
// component protocol by postMessage itself). Switching a layer shows or hides it in the
// map at once (through the page state, page_state.js, which the map frame shares) and
// then tells the server, whose rerun updates the counts, table and downloads; the map is
// not sent again. Labels from the catalog go in as text.
(function () {
    "use strict";
    var host = window.parent;
    var args = null;
    var state = null;
    var boxes = {};

    function send(type, data) {
        var message = {isStreamlitMessage: true, type: type};
        Object.keys(data).forEach(function (key) { message[key] = data[key]; });
        host.postMessage(message, "*");
    }
    function report() {
        send("streamlit:setComponentValue",
             {value: {request: args.request, visible: state.layers()}, dataType: "json"});
    }
    function show() {
        var visible = new Set(state.layers());
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
                var visible = new Set(state.layers());
                if (box.checked) { visible.add(layer.id); } else { visible.delete(layer.id); }
                state.setLayers(Array.from(visible));
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
            state = KumamapPageState.open(next.session, next.request, next.visible, "sidebar");
            state.onChange(function () { show(); report(); });
        }
        args = next;
        document.documentElement.lang = next.lang;
        // Streamlit's page says "en" whatever the reader chose; screen readers follow this.
        try { host.document.documentElement.lang = next.lang; } catch (e) {}
        draw();
    });
    send("streamlit:componentReady", {apiVersion: 1});
}());
