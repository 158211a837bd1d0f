// Tells the server once the page's map has drawn, so that the part of the page below the
// map, left out of the session's first run (mapfirst.py), follows. A component without a
// frame: it runs in the page itself and watches the map's frame, whose feature groups
// streamlit-folium has added once `last_feature_group` is no longer null (the map's own
// first report is not sent: it equals the default the server gave it). A map that has not
// drawn after `giveUpMs` (a frame that fails) does not keep the rest of the page away.
export default function (component) {
    const {data, setTriggerValue} = component;
    const started = performance.now();
    let reported = false;

    function mapDrawn() {
        const frames = document.querySelectorAll(data.frame);
        const frame = frames[frames.length - 1];
        try {
            const state = frame && frame.contentWindow && frame.contentWindow.__GLOBAL_DATA__;
            return !!state && state.last_feature_group !== null;
        } catch (error) {
            return false;  // not readable (yet): try again
        }
    }
    function report() {
        if (!reported) {
            reported = true;
            setTriggerValue("drawn", true);
        }
    }
    const timer = setInterval(function () {
        if (mapDrawn()) {
            clearInterval(timer);
            // Once the browser has painted what the map drew.
            requestAnimationFrame(function () { requestAnimationFrame(report); });
        } else if (performance.now() - started > data.giveUpMs) {
            clearInterval(timer);
            report();
        }
    }, data.pollMs);
    return function () { clearInterval(timer); };
}
