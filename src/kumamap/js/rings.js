// Distance rings: thin, non-interactive circles (clicks reach the features below) with
// their radius as a permanent label, set as text, never as HTML.
(function (group, options) {
    options.rings.forEach(function (ring) {
        L.polygon(ring.latlngs, {interactive: false, fill: false, color: "#37474f",
            weight: 1.5, opacity: 0.8, dashArray: "4 6", className: "kumamap-ring"})
            .addTo(group);
        var label = document.createElement("span");
        label.textContent = ring.label;
        L.tooltip({permanent: true, direction: "center", interactive: false,
                   className: "kumamap-ring-label"})
            .setLatLng(ring.label_at).setContent(label).addTo(group);
    });
})
