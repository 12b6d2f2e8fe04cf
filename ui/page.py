"""What every page does first, so a page works even when opened without app.py (a direct link
before the navigation has run once, or AppTest.switch_page)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from . import resources, state

ICON = Path(__file__).resolve().parent / "assets" / "icon.svg"  # a local file: the app needs no internet
#: Sidebar call rows read left to right like a list, not centred like buttons, one line each.
STYLE = ("<style>[class*='st-key-row-'] .stTooltipHoverTarget { justify-content: flex-start !important; }"
         "[class*='st-key-row-'] button, [class*='st-key-row-'] button > div "
         "{ justify-content: flex-start; text-align: left; width: 100%; }"
         "[class*='st-key-row-'] button p { white-space: nowrap !important; overflow: hidden; text-overflow: ellipsis; }</style>")


def _run_through_navigation() -> None:
    """Streamlit takes an app with a ``pages/`` folder for an old-style multipage app until app.py's
    ``st.navigation`` has run once in the process. Until then a page can run alone (a first visit
    straight to /settings after a restart, or any AppTest run), and the sidebar lists the files
    (app, actions, chat...) instead of the app's navigation, for every session. Here the page builds
    the app's navigation itself and runs as its page; the lone run stops (no rerun: a click that
    triggered it is kept). Called by the pages only: app.py builds the navigation anyway."""
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a Streamlit without it has no such mode
        return
    if getattr(PagesManager, "uses_pages_directory", None):
        from . import navigation

        navigation.run()  # sets the mode off, then runs this page again, within the navigation
        st.stop()


def setup(*, entry: bool = False) -> None:
    """``entry``: called by app.py (before ``st.navigation``), not by a page."""
    if not entry:
        _run_through_navigation()
    st.set_page_config(page_title="Custom Actions Playground", page_icon=str(ICON), layout="wide")
    st.html(STYLE)
    state.init()
    state.keep_widgets()
    resources.demo_api()
