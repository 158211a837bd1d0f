"""Data flows one way: files -> validated layers -> filtered view -> map -> page."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "src" / "kumamap"
# Stage of each module; a module may import only from stages at or before its own.
# One line per stage, so that adding a module touches one line.
STAGE = {
    **dict.fromkeys(["model", "i18n", "basemaps", "schema", "sandbox", "pace", "budget", "views",
                     "assets", "bundle"], 0),
    **dict.fromkeys(["textmatch", "readers", "validate", "freshness", "story"], 1),
    **dict.fromkeys(["catalog", "upload"], 2),
    **dict.fromkeys(["filters", "search", "measure", "permalink"], 3),
    **dict.fromkeys(["mapstyle", "details", "table", "charts"], 4),
    **dict.fromkeys(["rawrender", "mapdata", "mapview"], 5),
    "export": 6,
    "cli": 7,
    **dict.fromkeys(["sidebar", "controls", "panels", "tabs", "sidecar", "held", "housekeeping",
                     "guard", "mapfirst", "flights", "mapclick", "shown", "ui"], 8),
}
# Third-party imports that belong to exactly one module.
OWNED = {
    "streamlit": {"ui", "sidebar", "controls", "tabs", "panels", "sidecar", "held",
                  "housekeeping", "guard", "mapfirst", "flights", "mapclick", "shown"},
    "streamlit_folium": {"ui"},
    "folium": {"mapview", "rawrender"},
    "branca": {"mapview", "rawrender"},
    "altair": {"charts"},
}


def imports_of(module: str) -> set[str]:
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_every_module_has_a_stage():
    modules = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__"}
    assert modules <= set(STAGE), f"give these a stage: {modules - set(STAGE)}"


@pytest.mark.parametrize("module", sorted(STAGE))
def test_imports_flow_one_way(module):
    for name in imports_of(module):
        if name.startswith("kumamap."):
            imported = name.split(".")[1]
            assert STAGE[imported] <= STAGE[module], f"{module} imports later stage {imported}"
        owner = OWNED.get(name.split(".")[0])
        if owner is not None:
            assert module in owner, f"{module} imports {name}, which belongs to {owner}"
