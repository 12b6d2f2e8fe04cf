"""What every page does first, so a page works even when opened without app.py (a direct link
before the navigation has run once, or AppTest.switch_page)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from . import resources, state

ICON = Path(__file__).resolve().parent / "assets" / "icon.svg"  # a local file: the app needs no internet
#: Sidebar call rows read left to right like a list, not centred like buttons.
STYLE = ("<style>[class*='st-key-row-'] .stTooltipHoverTarget { justify-content: flex-start !important; }"
         "[class*='st-key-row-'] button, [class*='st-key-row-'] button > div "
         "{ justify-content: flex-start; text-align: left; width: 100%; }</style>")


def setup() -> None:
    st.set_page_config(page_title="Custom Actions Playground", page_icon=str(ICON), layout="wide")
    st.html(STYLE)
    state.init()
    state.keep_widgets()
    resources.demo_api()
