"""kumamap: entry point for `streamlit run app.py`. All logic lives in src/kumamap/."""

import os
from pathlib import Path

import streamlit as st

st.set_page_config(page_title="kumamap", page_icon="🗾", layout="wide")

from kumamap.ui import page  # noqa: E402  (page config must come first)

# KUMAMAP_DATA points the app at another data folder (tests use a broken copy).
page(Path(os.environ.get("KUMAMAP_DATA", Path(__file__).parent / "geo")))
