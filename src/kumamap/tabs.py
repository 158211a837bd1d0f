"""Below the map: the guided story, the feature table and the charts (tabs).

Streamlit lives here as in `ui` and `sidebar`.
"""

from __future__ import annotations

from typing import Any

from kumamap.filters import View
from kumamap.model import Layer, LoadResult


def show_tabs(result: LoadResult, layers: tuple[Layer, ...], view: View,
              state: dict[str, Any]) -> None:
    """Story, table and charts of what the map shows (to be filled)."""
    del result, layers, view, state
