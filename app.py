"""Custom Actions Playground: `streamlit run app.py` (or `make run`)."""

import streamlit as st

from ui import page

page.setup()

PAGES = {
    "Playground": [
        st.Page("pages/chat.py", title="Chat", icon=":material/chat:", default=True),
        st.Page("pages/rerun.py", title="Tweak & rerun", icon=":material/tune:", url_path="rerun"),
        st.Page("pages/test_endpoint.py", title="Test endpoint", icon=":material/send:", url_path="test"),
    ],
    "Build": [
        st.Page("pages/actions.py", title="Actions", icon=":material/extension:", url_path="actions"),
        st.Page("pages/scenarios.py", title="Scenarios", icon=":material/checklist:", url_path="scenarios"),
        st.Page("pages/settings.py", title="Settings", icon=":material/settings:", url_path="settings"),
    ],
}
st.navigation(PAGES).run()
