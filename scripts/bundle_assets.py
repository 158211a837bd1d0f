"""Write the map frame's one script and one stylesheet from their sources.

Run from the repository root after changing a plugin, the basemap script, the page state
or anything in src/kumamap/js: `python scripts/bundle_assets.py`. The output is the same
for the same sources on any machine; tests/test_bundle.py fails while it is out of date.
"""

from __future__ import annotations

from kumamap.assets import BUNDLE_DIR
from kumamap.bundle import bundles


def main() -> None:
    BUNDLE_DIR.mkdir(parents=True, exist_ok=True)
    for name, text in bundles().items():
        (BUNDLE_DIR / name).write_text(text, encoding="utf-8", newline="\n")
        print(f"{name}: {len(text.encode('utf-8')):,} bytes")


if __name__ == "__main__":
    main()
