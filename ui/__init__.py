"""Streamlit glue: session-state keys, cached resources and renderers of core objects."""
