"""Custom Actions Playground: `streamlit run app.py` (or `make run`)."""

from ui import navigation, page

page.setup(entry=True)
navigation.run()
