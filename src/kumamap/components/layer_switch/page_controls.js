// The sidebar's page controls: the layers, the filters and the year with ▶ play. A Streamlit
// component without a build step (it speaks the component protocol by postMessage itself).
// A change shows, hides or restyles features in the map at once (through the page state,
// page_state.js, which the map frame shares) and then tells the server, whose rerun updates
// the count, table, charts and link; the map is not sent again. Labels from the catalog go
// in as text. Filters are named as the link's parameters (js/lib/filters.js).
(function () {
    "use strict";
    var host = window.parent;
    // Typing and dragging the year report once the reader pauses, not on every key.
    var SETTLE_MS = 300;
    var args = null;
    var state = null;
    var drawn = null;  // what the controls were drawn from (they are redrawn when it changes)
    var boxes = {};  // layer id -> its checkbox
    var chosenBoxes = {};  // filter name -> code -> its checkbox
    var summaries = {};  // filter name -> its <summary> (says how many are chosen)
    var opened = new Set();  // filters whose list the reader opened (kept across redraws)
    var search, range, output, playButton;
    var playing = null;  // the timer while the years play
    var reportTimer = null;
    var reportedAt = 0;

    function send(type, data) {
        var message = {isStreamlitMessage: true, type: type};
        Object.keys(data).forEach(function (key) { message[key] = data[key]; });
        host.postMessage(message, "*");
    }
    function report() {
        clearTimeout(reportTimer);
        reportedAt = Date.now();
        send("streamlit:setComponentValue",
             {value: {request: args.request, visible: state.layers(), filters: state.filters()},
              dataType: "json"});
    }
    function reportSoon() {
        clearTimeout(reportTimer);
        reportTimer = setTimeout(report, SETTLE_MS);
    }
    // While the years play, the server hears at most one year per report_ms (the newest):
    // a run per year would outrun the pace the server keeps for a reader (pace.py).
    function reportAtMost() {
        clearTimeout(reportTimer);
        var wait = args.texts.year.report_ms - (Date.now() - reportedAt);
        if (wait <= 0) { report(); } else { reportTimer = setTimeout(report, wait); }
    }
    function resize() {
        send("streamlit:setFrameHeight", {height: document.documentElement.scrollHeight});
    }

    function element(tag, parent, text) {
        var made = document.createElement(tag);
        if (text !== undefined) { made.textContent = text; }
        if (parent) { parent.appendChild(made); }
        return made;
    }
    function checkbox(parent, onChange) {
        var row = element("label", parent);
        var box = element("input", row);
        box.type = "checkbox";
        box.addEventListener("change", function () { onChange(box.checked); });
        return {row: row, box: box};
    }

    // One filter set to a value: the map follows at once, the server after (`tell`: at
    // once by default).
    function setFilter(name, value, tell) {
        var filters = state.filters();
        filters[name] = value;
        state.setFilters(filters);
        show();
        (tell || report)();
    }

    // The year's options are the years, then "today" (0): ▶ plays the years.
    function years() {
        return args.texts.year.options.map(function (option) { return option.value; });
    }
    function yearPlace(year) {
        var place = years().indexOf(year);
        return place < 0 ? years().length - 1 : place;
    }
    function lastYear() {
        return Math.max.apply(null, years().filter(function (year) { return year !== 0; }));
    }
    function stop() {
        clearInterval(playing);
        playing = null;
        if (playButton) { playButton.textContent = args.texts.year.play; }
    }
    function pause() {
        if (playing === null) { return; }
        stop();
        report();  // the year it stopped at
    }
    function step() {
        var year = state.filters().year;
        var next = years()[yearPlace(year) + 1];
        if (!year || year >= lastYear() || !next) { pause(); return; }
        setFilter("year", next, reportAtMost);
        if (next >= lastYear()) { pause(); }
    }
    // From the year shown, or from the first year when the map is at today or at the end.
    function play() {
        var year = state.filters().year;
        if (!year || year >= lastYear()) { setFilter("year", years()[0], reportAtMost); }
        playing = setInterval(step, args.texts.year.step_ms);
        playButton.textContent = args.texts.year.pause;
    }

    function show() {
        var visible = new Set(state.layers());
        var filters = state.filters();
        Object.keys(boxes).forEach(function (id) { boxes[id].checked = visible.has(id); });
        Object.keys(chosenBoxes).forEach(function (name) {
            var chosen = new Set(filters[name] || []);
            Object.keys(chosenBoxes[name]).forEach(function (code) {
                chosenBoxes[name][code].checked = chosen.has(code);
            });
            var choice = args.texts.chosen.filter(function (c) { return c.name === name; })[0];
            summaries[name].textContent = choice.legend + ": " + (chosen.size || args.texts.any);
        });
        if (search.value !== filters.text) { search.value = filters.text; }
        var place = yearPlace(filters.year);
        range.value = String(place);
        output.textContent = args.texts.year.options[place].label;
        range.setAttribute("aria-valuetext", output.textContent);
    }

    function drawLayers() {
        var list = document.getElementById("layers");
        list.textContent = "";
        boxes = {};
        document.getElementById("legend").textContent = args.legend;
        args.layers.forEach(function (layer) {
            var made = checkbox(list, function (isOn) {
                var visible = new Set(state.layers());
                if (isOn) { visible.add(layer.id); } else { visible.delete(layer.id); }
                state.setLayers(Array.from(visible));
                report();
            });
            boxes[layer.id] = made.box;
            made.box.dataset.layer = layer.id;
            element("span", made.row).className = "swatch";
            made.row.lastChild.style.borderTopColor = layer.color;
            element("span", made.row, layer.label);
        });
    }

    function drawChosen(parent, choice) {
        var details = element("details", parent);
        details.open = opened.has(choice.name);
        details.dataset.filter = choice.name;
        details.addEventListener("toggle", function () {
            if (details.open) { opened.add(choice.name); } else { opened.delete(choice.name); }
            resize();
        });
        summaries[choice.name] = element("summary", details);
        var fieldset = element("fieldset", details);
        element("legend", fieldset, choice.legend).className = "hidden-legend";
        chosenBoxes[choice.name] = {};
        choice.options.forEach(function (option) {
            var made = checkbox(fieldset, function (isOn) {
                var chosen = new Set(state.filters()[choice.name] || []);
                if (isOn) { chosen.add(option.value); } else { chosen.delete(option.value); }
                setFilter(choice.name, Array.from(chosen).sort());
            });
            made.box.dataset.code = option.value;
            element("span", made.row, option.label);
            chosenBoxes[choice.name][option.value] = made.box;
        });
    }

    function drawYear(parent, year) {
        var label = element("label", parent, year.label);
        label.className = "field";
        label.htmlFor = "year";
        var row = element("div", parent);
        row.className = "year";
        range = element("input", row);
        range.type = "range";
        range.id = "year";
        range.min = "0";
        range.max = String(year.options.length - 1);
        range.step = "1";
        range.setAttribute("aria-describedby", "year-help");
        range.addEventListener("input", function () {
            pause();
            setFilter("year", years()[Number(range.value)], reportSoon);
        });
        output = element("output", row);
        output.htmlFor = "year";
        playButton = element("button", parent, playing === null ? year.play : year.pause);
        playButton.type = "button";
        playButton.id = "play";
        playButton.addEventListener("click", function () {
            if (playing === null) { play(); } else { pause(); }
        });
        element("p", parent, year.help).id = "year-help";
        parent.lastChild.className = "help";
    }

    function draw() {
        drawLayers();
        var texts = args.texts;
        var filters = document.getElementById("filters");
        filters.textContent = "";
        chosenBoxes = {};
        summaries = {};
        element("h2", filters, texts.heading);
        var label = element("label", filters, texts.text);
        label.className = "field";
        label.htmlFor = "text";
        search = element("input", filters);
        search.type = "search";
        search.id = "text";
        search.maxLength = 200;
        search.autocomplete = "off";
        search.addEventListener("input", function () { setFilter("text", search.value, reportSoon); });
        texts.chosen.forEach(function (choice) { drawChosen(filters, choice); });
        drawYear(filters, texts.year);
    }

    window.addEventListener("message", function (event) {
        if (!event.data || event.data.type !== "streamlit:render") { return; }
        var next = event.data.args;
        // A new request of the server (a link, a chapter, a found place) wins over what
        // this tab switched and filtered before; otherwise the controls keep the reader's.
        if (!args || args.request !== next.request || args.session !== next.session) {
            stop();
            state = KumamapPageState.open(next.session, next.request,
                                          {layers: next.visible, filters: next.filters}, "sidebar");
            state.onChange(function () { show(); report(); });
        }
        args = next;
        document.documentElement.lang = next.lang;
        // Streamlit's page says "en" whatever the reader chose; screen readers follow this.
        try { host.document.documentElement.lang = next.lang; } catch (e) {}
        // Drawn again only when what they say changed (a language): a rerun while the
        // reader types or plays the years keeps the focus where it is.
        var shape = JSON.stringify([next.layers, next.legend, next.texts]);
        if (shape !== drawn) {
            drawn = shape;
            draw();
        }
        show();
        resize();
    });
    if (window.ResizeObserver) { new ResizeObserver(resize).observe(document.body); }
    send("streamlit:componentReady", {apiVersion: 1});
}());
