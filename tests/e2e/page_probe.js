// What the reader sees now, read in one go from the page and its frames (one origin):
// the sidebar's layer switch, the map's own layer state, the URL's layers, the filters (year
// and categories) as the sidebar's controls, the map and the URL hold them, the server's
// count line, the features the map holds and the points in view that something else covers.
// Evaluated by the random-sequence test in the page itself; `probe` gives its arguments.
(probe) => {
    const sorted = (values) => [...new Set(values)].sort();
    const checkedIds = (boxes, idOf) => sorted(boxes.filter((box) => box.checked).map(idOf));

    const switchFrame = document.querySelector(probe.switchFrame);
    const switchDocument = switchFrame && switchFrame.contentDocument;
    const switchOn = switchDocument
        ? checkedIds([...switchDocument.querySelectorAll("input[data-layer]")],
                     (box) => box.dataset.layer)
        : null;

    const query = new URL(location.href).searchParams;
    const urlLayers = query.has("layers")
        ? sorted(query.getAll("layers").filter((id) => id)) : sorted(probe.defaults);
    const yearOutput = switchDocument && switchDocument.querySelector("output");
    const filters = {
        controls: switchDocument && yearOutput ? {
            year: yearOutput.textContent,
            category: checkedIds([...switchDocument.querySelectorAll(
                'details[data-filter="category"] input[data-code]')], (box) => box.dataset.code),
        } : null,
        map: null,
        url: {year: query.get("year") || "0",
              category: sorted(query.getAll("category").filter((code) => code))},
    };

    const count = [...document.querySelectorAll('[data-testid="stMarkdownContainer"] p')]
        .map((paragraph) => paragraph.textContent.trim())
        .filter((text) => /^\d+ /.test(text) && text.endsWith(" " + probe.shown));

    const seen = {mapFrames: document.querySelectorAll(probe.mapFrame).length,
                  switch: switchOn, url: urlLayers, filters: filters, count: count};
    const mapWindow = seen.mapFrames === 1
        ? document.querySelector(probe.mapFrame).contentWindow : null;
    const map = mapWindow && mapWindow.map_div;
    if (!map || typeof map.eachLayer !== "function" || !mapWindow.kumamapLayers) {
        return Object.assign(seen, {mapLayers: null, drawn: null, covered: null});
    }
    const L = mapWindow.L;

    // The layers the map itself has on (its legend is no switch: issue 21).
    seen.mapLayers = mapWindow.kumamapLayers.visible();
    const mapFilters = mapWindow.kumamapLayers.filters();
    filters.map = mapFilters && {year: mapFilters.year, category: sorted(mapFilters.category)};

    // Feature ids the map holds: drawn, or handed to a marker-cluster group (drawn as a
    // group of points until the reader zooms in).
    const drawn = [];
    const points = [];
    map.eachLayer((layer) => {
        if (layer.feature && layer.feature.properties.id) { drawn.push(layer.feature.properties.id); }
        if (L.MarkerClusterGroup && layer instanceof L.MarkerClusterGroup) {
            layer.getLayers().forEach((member) => drawn.push(member.feature.properties.id));
        }
        if (layer instanceof L.CircleMarker && layer._path && layer.feature) { points.push(layer); }
    });
    seen.drawn = sorted(drawn);

    // Points in view that something other than a point covers at their centre (controls
    // and cluster icons aside: they sit above the map by design).
    const paths = new Set(points.map((layer) => layer._path));
    const size = map.getSize();
    const box = map.getContainer().getBoundingClientRect();
    seen.covered = [];
    for (const layer of points) {
        const at = map.latLngToContainerPoint(layer.getLatLng());
        if (at.x < 2 || at.y < 2 || at.x > size.x - 2 || at.y > size.y - 2) { continue; }
        const hit = mapWindow.document.elementFromPoint(box.left + at.x, box.top + at.y);
        if (!hit || paths.has(hit) || hit.closest(".leaflet-control, .marker-cluster")) { continue; }
        seen.covered.push(layer.feature.properties.id + " under " + hit.tagName + "."
                          + (hit.getAttribute("class") || "") + " in "
                          + ((hit.closest(".leaflet-pane") || {}).className || "no pane"));
    }
    return seen;
}
