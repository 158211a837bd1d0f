// The header's count of shown features (shown.py): the server's at first, then the map's
// whenever the map is ahead of the server's run that drew it (KumamapShown above). The
// timeline chart's "as of year" rule follows the input here (charts.as_of_rule), set to
// the year of the count shown. A component without a frame: it runs in the page itself.
export default function (component) {
    const {data, parentElement} = component;
    const page = parentElement.ownerDocument;
    const count = parentElement.querySelector(".kumamap-shown-count");
    const said = parentElement.querySelector(".kumamap-shown-said");
    const asOf = page.getElementById(data.input);
    let settling = null;

    // Screen readers hear a count once it has settled (not each year ▶ plays), and not
    // the count the page opened with.
    function sayWhenSettled(text) {
        if (said.dataset.said === undefined) { said.dataset.said = text; }
        clearTimeout(settling);
        settling = setTimeout(function () {
            if (said.dataset.said !== text) {
                said.dataset.said = text;
                said.textContent = text;
            }
        }, data.settleMs);
    }
    function moveRule(year) {
        const position = data.positions[String(year)];
        if (!asOf || position === undefined || asOf.value === String(position)) { return; }
        asOf.value = String(position);
        asOf.dispatchEvent(new Event("input"));  // what the chart listens to
    }
    function show(shown) {
        const text = shown.count + " " + data.label;
        if (count.textContent !== text) { count.textContent = text; }
        count.dataset.live = "";
        sayWhenSettled(text);
        moveRule(shown.year);
    }

    show(KumamapShown.current(data.server, KumamapShown.latest(page)));
    const stop = KumamapShown.listen(page, function (shown) {
        show(KumamapShown.current(data.server, shown));
    });
    return function () {
        stop();
        clearTimeout(settling);
    };
}
