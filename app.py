"""Custom Actions Playground: `streamlit run app.py` (or `make run`)."""

import streamlit as st

from ui import page

page.setup()

PAGES = {
    "Playground": [
        st.Page("pages/chat.py", title="Chat", icon="💬", default=True),
        st.Page("pages/rerun.py", title="Tweak & rerun", icon="🔁", url_path="rerun"),
        st.Page("pages/test_endpoint.py", title="Test endpoint", icon="🎯", url_path="test"),
    ],
    "Build": [
        st.Page("pages/actions.py", title="Actions", icon="🧩", url_path="actions"),
        st.Page("pages/scenarios.py", title="Scenarios", icon="✅", url_path="scenarios"),
        st.Page("pages/settings.py", title="Settings", icon="⚙️", url_path="settings"),
    ],
}
st.navigation(PAGES).run()
