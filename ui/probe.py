"""The one-off request editor of the Test endpoint page: start it, edit it, read it back."""

from __future__ import annotations

import streamlit as st

from core.action import METHODS
from core.probe import Probe

from . import forms, state

METHOD, URL, QUERY, HEADERS, BODY = "probe_method", "probe_url", "probe_query", "probe_headers", "probe_body"


def start(path: str, probe: Probe) -> None:
    """Open the editor on ``probe`` (the request just rendered for the action file ``path``)."""
    state.put(state.PROBE, {"path": path, "start": probe, "frames": {
        QUERY: forms.pairs_frame(probe.query), HEADERS: forms.pairs_frame(probe.headers)}})
    state.put(state.PROBE_SAVE, False)
    st.session_state.update({METHOD: probe.method, URL: probe.url, BODY: probe.body})
    for key in (QUERY, HEADERS):  # the data editors start again from the new frames
        st.session_state.pop(key, None)


def discard() -> None:
    state.put(state.PROBE, None)
    state.put(state.PROBE_SAVE, False)


def editor() -> Probe:
    """The editor's widgets; the probe they describe."""
    frames = state.get(state.PROBE)["frames"]
    top = st.columns([1, 5])
    top[0].selectbox("Method", METHODS, key=METHOD)
    top[1].text_input("URL (without the query)", key=URL)
    left, right = st.columns(2)
    with left:
        st.markdown("**Query**")
        query = st.data_editor(frames[QUERY], num_rows="dynamic", key=QUERY, width="stretch", hide_index=True)
    with right:
        st.markdown("**Headers**")
        headers = st.data_editor(frames[HEADERS], num_rows="dynamic", key=HEADERS, width="stretch", hide_index=True)
    st.text_area("Body", key=BODY, height=140, placeholder="(no body)")
    return Probe(method=st.session_state[METHOD], url=st.session_state[URL].strip(),
                 query=forms.pairs_from_frame(query), headers=forms.pairs_from_frame(headers),
                 body=st.session_state[BODY])
