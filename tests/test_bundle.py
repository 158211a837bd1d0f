"""The map frame's bundled script and stylesheet are what their sources give."""

import re

from kumamap.assets import BUNDLE_CSS, BUNDLE_DIR, BUNDLE_JS
from kumamap.bundle import SCRIPTS_OBJECT, bundle_css, our_scripts, stale_bundles


def test_checked_in_bundle_equals_its_sources():
    assert not stale_bundles(), (f"{stale_bundles()} in {BUNDLE_DIR.name}/ differ from their "
                                 "sources: run python scripts/bundle_assets.py")


def test_every_map_script_is_a_member_of_the_bundle():
    text = (BUNDLE_DIR / BUNDLE_JS).read_text(encoding="utf-8")
    members = set(re.findall(rf"^{SCRIPTS_OBJECT}\['(\w+)'\] =$", text, re.MULTILINE))
    assert members == {path.stem for path in our_scripts()}
    assert "Leaflet 1.9" in text and "var KumamapPageState" in text


def test_bundled_stylesheet_carries_its_images():
    css = (BUNDLE_DIR / BUNDLE_CSS).read_text(encoding="utf-8")
    assert css == bundle_css()
    relative = re.findall(r"url\((?!['\"]?(?:data:|#))[^)]*\)", css)
    assert not relative, relative
    assert ".kumamap-legend" in css and ".fullscreen-icon" in css
