"""The debug sidebar: the conversation's calls at a glance (one line each), the full trace on a click."""

from __future__ import annotations

from typing import Sequence

import streamlit as st

from core.trace import Trace

from . import labels
from .panel import open_call

#: Calls listed at once; older ones are behind an expander that renders only when opened.
RECENT_CALLS = 30


def _row(trace: Trace, number: int) -> None:
    st.button(labels.row_label(trace, number), key=f"row-{trace.id}", type="tertiary", width="stretch",
              help=f"{trace.action}: {trace.summary()}. Click for the full trace.",
              on_click=open_call, args=(trace.id,))


def call_list(traces: Sequence[Trace]) -> None:
    """Newest first: ``#n METHOD /path status ms``; a click opens the call in the trace dialog."""
    n = len(traces)
    recent = range(n - 1, max(n - RECENT_CALLS, 0) - 1, -1)
    for i in recent:
        _row(traces[i], i + 1)
    older = n - len(recent)
    if older:
        box = st.expander(f"Older calls ({older})", key="older-calls", on_change="rerun")
        if box.open:
            with box:
                for i in range(older - 1, -1, -1):
                    _row(traces[i], i + 1)
