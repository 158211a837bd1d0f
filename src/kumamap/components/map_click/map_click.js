// Hears the map's clicks on features and tells the server which one, so that only the
// panel beside the map and the link are run again (mapclick.py). A component without a
// frame: it runs in the page itself, on whose document the map's frame announces each
// click (js/page_sync.js). The id is sent as it came; the server checks it is a known
// feature's.
export default function (component) {
    const {data, setTriggerValue} = component;

    function hear(event) {
        const detail = event.detail || {};
        if (typeof detail.id === "string") {
            setTriggerValue("clicked", detail.id);
        }
    }
    document.addEventListener(data.event, hear);
    // The other way: what the page selected, for the map's own summary (js/page_sync.js),
    // announced and kept on <html> for a map frame that comes later.
    document.documentElement.dataset.kumamapSelected = JSON.stringify(data.selected);
    document.dispatchEvent(new CustomEvent(data.selected_event, {detail: {id: data.selected}}));
    return function () { document.removeEventListener(data.event, hear); };
}
