"""Where the map's scripts, stylesheets and offline basemap come from. No folium.

Nothing is loaded from a CDN: Leaflet comes from the xstatic-leaflet package, its plugins
from pinned npm packages copied into assets/vendor (scripts/vendor_assets.py), the outline
basemap from assets/basemap (scripts/build_basemap.py). The page serves these folders
itself; an export inlines them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

VENDOR_DIR = Path(__file__).parent / "assets" / "vendor"
BASEMAP_DIR = Path(__file__).parent / "assets" / "basemap"
# The files of the outline basemap besides its script (fetched only when it is shown).
BASEMAP_FILES = ("MANIFEST.json", "world.geojson", "region.geojson", "local.geojson")


@dataclass(frozen=True)
class Assets:
    """(name, url) pairs of scripts and stylesheets, in load order, and where the outline
    basemap's files are: under one base URL, or each at its own URL (`outline_files`)."""

    js: tuple[tuple[str, str], ...]
    css: tuple[tuple[str, str], ...]
    outline_url: str = ""
    outline_files: dict[str, str] | None = field(default=None, hash=False, compare=False)


def local_assets(leaflet_base: str, vendor_base: str, basemap_base: str = "") -> Assets:
    """Leaflet, the plugins and the outline basemap's script, under three bases.

    A base is a URL prefix (the page serves the files) or a folder (export inlines them).
    """
    basemap_base = basemap_base or str(BASEMAP_DIR)
    return Assets(
        js=(("leaflet", f"{leaflet_base}/leaflet.js"),
            ("fullscreen", f"{vendor_base}/leaflet.fullscreen/Control.FullScreen.js"),
            ("measure", f"{vendor_base}/leaflet-measure/leaflet-measure.min.js"),
            ("minimap", f"{vendor_base}/leaflet-minimap/Control.MiniMap.min.js"),
            ("markercluster", f"{vendor_base}/leaflet.markercluster/leaflet.markercluster.js"),
            ("outline", f"{basemap_base}/basemap.js")),
        css=(("leaflet_css", f"{leaflet_base}/leaflet.css"),
             ("fullscreen_css", f"{vendor_base}/leaflet.fullscreen/Control.FullScreen.css"),
             ("measure_css", f"{vendor_base}/leaflet-measure/leaflet-measure.css"),
             ("minimap_css", f"{vendor_base}/leaflet-minimap/Control.MiniMap.min.css"),
             ("markercluster_css", f"{vendor_base}/leaflet.markercluster/MarkerCluster.css"),
             ("markercluster_default_css",
              f"{vendor_base}/leaflet.markercluster/MarkerCluster.Default.css")),
        outline_url=basemap_base,
    )
