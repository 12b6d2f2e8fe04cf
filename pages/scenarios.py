"""Regression scenarios (filled in by the scenarios work)."""

import streamlit as st

st.title("✅ Scenarios")
