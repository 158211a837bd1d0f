"""Copy the Leaflet plugins the map uses from pinned npm packages into the package.

The map must work offline, so nothing is loaded from a CDN: each plugin's dist files and
licence are taken from the npm tarball of a pinned version (checked against its sha512
integrity) and committed under src/kumamap/assets/vendor/. Leaflet itself comes from
PyPI's xstatic-leaflet. Run from the repository root: `python scripts/vendor_assets.py`.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
import subprocess
import tarfile
from pathlib import Path

TARGET = Path("src/kumamap/assets/vendor")
# package -> (version, files to keep relative to the package root)
PINNED: dict[str, tuple[str, tuple[str, ...]]] = {
    "leaflet.fullscreen": ("3.0.0", ("Control.FullScreen.js", "Control.FullScreen.css",
                                     "icon-fullscreen.svg", "LICENSE")),
    "leaflet-minimap": ("3.6.1", ("dist/Control.MiniMap.min.js", "dist/Control.MiniMap.min.css",
                                  "dist/images/toggle.png", "dist/images/toggle.svg",
                                  "LICENSE.txt")),
    "leaflet-measure": ("2.1.7", ("dist/leaflet-measure.min.js", "dist/leaflet-measure.css",
                                  "dist/images/rulers.png", "dist/images/rulers_@2X.png",
                                  "dist/images/start.png", "dist/images/start_@2X.png",
                                  "dist/images/cancel.png", "dist/images/cancel_@2X.png",
                                  "dist/images/check.png", "dist/images/check_@2X.png",
                                  "dist/images/focus.png", "dist/images/focus_@2X.png",
                                  "dist/images/trash.png", "dist/images/trash_@2X.png",
                                  "LICENSE")),
    "leaflet.markercluster": ("1.5.3", ("dist/leaflet.markercluster.js", "dist/MarkerCluster.css",
                                        "dist/MarkerCluster.Default.css", "MIT-LICENCE.txt")),
}


def npm_tarball(name: str, version: str) -> bytes:
    """Download the tarball with npm and check it against the registry's integrity."""
    info = json.loads(subprocess.run(
        ["npm", "view", f"{name}@{version}", "dist", "--json"],
        check=True, capture_output=True, text=True).stdout)
    packed = subprocess.run(["npm", "pack", f"{name}@{version}", "--json", "--silent"],
                            check=True, capture_output=True, text=True)
    path = Path(json.loads(packed.stdout)[0]["filename"])
    data = path.read_bytes()
    path.unlink()
    algorithm, expected = info["integrity"].split("-", 1)
    actual = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if actual != expected:
        raise SystemExit(f"{name}@{version}: integrity mismatch")
    return data


def main() -> None:
    shutil.rmtree(TARGET, ignore_errors=True)
    manifest = {}
    for name, (version, files) in PINNED.items():
        data = npm_tarball(name, version)
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
            for file in files:
                member = archive.extractfile(f"package/{file}")
                destination = TARGET / name / file.removeprefix("dist/")
                destination.parent.mkdir(parents=True, exist_ok=True)
                destination.write_bytes(member.read())
        manifest[name] = {"version": version,
                          "sha256": hashlib.sha256(data).hexdigest(),
                          "files": [f.removeprefix("dist/") for f in files]}
        print(f"{name}@{version}: {len(files)} files")
    (TARGET / "MANIFEST.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
