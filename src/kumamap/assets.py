"""Where the map's script, stylesheet and offline basemap come from. No folium.

Nothing is loaded from a CDN: Leaflet comes from the xstatic-leaflet package, its plugins
from pinned npm packages copied into assets/vendor (scripts/vendor_assets.py), the outline
basemap from assets/basemap (scripts/build_basemap.py). The map frame loads all of them,
with our own scripts and styles, as one script and one stylesheet in assets/bundle
(scripts/bundle_assets.py). The page serves these folders itself; an export inlines them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

VENDOR_DIR = Path(__file__).parent / "assets" / "vendor"
BASEMAP_DIR = Path(__file__).parent / "assets" / "basemap"
BUNDLE_DIR = Path(__file__).parent / "assets" / "bundle"
BUNDLE_JS, BUNDLE_CSS = "kumamap.js", "kumamap.css"
# The one owner of the page state in the browser: the sidebar's controls load it beside
# them, the map frame inside its bundle, the page with its flight component (flights.py).
PAGE_STATE = Path(__file__).parent / "components" / "layer_switch" / "page_state.js"
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


def local_assets(bundle_base: str, basemap_base: str = "", version: str = "") -> Assets:
    """The bundled script and stylesheet, and the outline basemap's files, under two bases.

    A base is a URL prefix (the page serves the files) or a folder (export inlines them).
    A `version` goes into the bundle's URLs: a new bundle is a new address, so a browser
    may keep the old one as long as it likes (deploy/nginx.conf.template lets it).
    """
    query = f"?v={version}" if version else ""
    return Assets(js=(("kumamap", f"{bundle_base}/{BUNDLE_JS}{query}"),),
                  css=(("kumamap_css", f"{bundle_base}/{BUNDLE_CSS}{query}"),),
                  outline_url=basemap_base or str(BASEMAP_DIR))


def bundle_version() -> str:
    """A short hash of the bundle's two files as they are on disk."""
    digest = hashlib.sha256()
    for name in (BUNDLE_JS, BUNDLE_CSS):
        digest.update((BUNDLE_DIR / name).read_bytes())
    return digest.hexdigest()[:12]
