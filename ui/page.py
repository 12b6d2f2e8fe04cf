"""What every page does first, so a page works even when opened without app.py (a direct link
before the navigation has run once, or AppTest.switch_page)."""

from __future__ import annotations

import streamlit as st

from . import resources, state


def setup() -> None:
    st.set_page_config(page_title="Custom Actions Playground", page_icon="🛠️", layout="wide")
    state.init()
    state.keep_widgets()
    resources.demo_api()
