"""A tool call inline in the chat: what was called with what, how it ended, and the way to its trace."""

from __future__ import annotations

from typing import Any

import streamlit as st

from core.trace import Trace

from . import labels
from .panel import open_call


def inline_call(tool_name: str, arguments: Any, trace: Trace | None) -> None:
    """The same element live and on every rerun: an expander keyed by the call, open when the call failed.

    It says the error in one line and the first words of the hint; the full hint is in the trace."""
    if trace is None:  # a conversation loaded without its traces
        with st.expander(tool_name, icon=":material/help:"):
            st.markdown(f"`{tool_name}` called with {labels.arguments_text(arguments)}; no trace was kept.")
        return
    failed = trace.error is not None
    # on_change="rerun" makes the expander lazy: a closed one costs nothing to draw (100 calls, one rerun)
    box = st.expander(labels.call_title(trace), icon=":material/error:" if failed else ":material/check_circle:",
                      expanded=failed, key=f"call-{trace.id}", on_change="rerun")
    if not box.open:
        return
    with box:
        st.markdown(f"`{tool_name}` called with `{labels.arguments_text(arguments)}`"
                    if arguments else f"`{tool_name}` called with no arguments")
        if failed:
            st.markdown(f":red[{labels.error_label(trace)}]")
        if trace.hints:
            st.caption(f":material/lightbulb: {labels.short_hint(trace.hints[0], labels.error_title(trace))}")
        st.button("Open the trace", key=f"open-{trace.id}", icon=":material/open_in_full:", type="tertiary",
                  on_click=open_call, args=(trace.id,))
