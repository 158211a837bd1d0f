"""Data flows one way: files -> validated layers -> filtered view -> map -> page."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "src" / "kumamap"
# Stage of each module; a module may import only from stages at or before its own.
STAGE = {"model": 0, "i18n": 0, "basemaps": 0, "schema": 0, "textmatch": 1, "readers": 1, "validate": 1, "freshness": 1, "story": 1, "sandbox": 0, "views": 0, "assets": 0, "mapstyle": 4, "catalog": 2, "upload": 2, "filters": 3,
         "search": 3, "measure": 3, "permalink": 3, "details": 4, "table": 4, "charts": 4, "rawrender": 5, "mapview": 5, "export": 6,
         "cli": 7, "sidebar": 8, "panels": 8, "tabs": 8, "ui": 8}
# Third-party imports that belong to exactly one module.
OWNED = {"streamlit": {"ui", "sidebar", "tabs", "panels"}, "streamlit_folium": {"ui"}, "folium": {"mapview", "rawrender"},
         "branca": {"mapview", "rawrender"},
         "altair": {"charts"}}


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
