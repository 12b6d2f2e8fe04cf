"""The app's pages, in the sidebar's order. app.py runs them; ``ui.page`` may too (see there why)."""

from __future__ import annotations

import streamlit as st

#: Each page's url_path is its file name: Streamlit matches a first visit's URL against the files in
#: pages/ before app.py has run, and a mismatch shows a "Page not found" notice.
PAGES = {
    "Playground": [
        ("pages/chat.py", "Chat", ":material/chat:"),
        ("pages/rerun.py", "Tweak & rerun", ":material/tune:"),
        ("pages/endpoint.py", "Test endpoint", ":material/send:"),
    ],
    "Build": [
        ("pages/actions.py", "Actions", ":material/extension:"),
        ("pages/scenarios.py", "Scenarios", ":material/checklist:"),
        ("pages/settings.py", "Settings", ":material/settings:"),
    ],
}


def run() -> None:
    """Build the navigation and run the page the URL asks for (the Chat by default)."""
    sections = {
        section: [st.Page(path, title=title, icon=icon, default=path == "pages/chat.py",
                          url_path=None if path == "pages/chat.py" else path.removeprefix("pages/").removesuffix(".py"))
                  for path, title, icon in pages]
        for section, pages in PAGES.items()
    }
    st.navigation(sections).run()
