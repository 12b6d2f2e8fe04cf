"""One call in full (the parts laid out by slot), in the page or in a wide dialog."""

from __future__ import annotations

from typing import Sequence

import streamlit as st

from core.action import Action
from core.errors import PlaygroundError
from core.render import RenderedRequest, render
from core.trace import Trace

from .. import resources, state
from .parts import View, parts


def revealed_request(trace: Trace, action: Action | None) -> RenderedRequest | None:
    """The call's request rendered again with its real credentials (shown only on the user's demand)."""
    if action is None:
        st.warning("Cannot reveal: the action of this call is no longer loaded.", icon=":material/visibility_off:")
        return None
    try:
        return render(resources.runnable([action])[0], trace.arguments, state.get(state.RUNTIME),
                      resources.executor().resolver).masked(reveal=True)
    except PlaygroundError as exc:
        st.warning(f"Cannot reveal: {exc}", icon=":material/visibility_off:")
        return None


def detail(trace: Trace, *, key: str | None = None, number: int | None = None, action: Action | None = None) -> None:
    """The whole trace: title, error and hints, request beside response, then the other parts as expanders.

    Every widget key starts with ``key`` (default: the call's id), so what is open or revealed follows
    the call, not its position; pass another ``key`` to show the same call twice on one page."""
    view = View(key=key or f"trace-{trace.id}", number=number, action=action)
    for part in parts(trace, "head"):
        part.draw(trace, view)
    if trace.request is not None and trace.request.secrets_masked and action is not None:
        # the label never changes, so toggling it keeps every section as it was
        if st.toggle("Reveal secrets", key=f"{view.key}-reveal", help="Show the real credentials of this call"):
            view.revealed = revealed_request(trace, action)
    left, right = parts(trace, "left"), parts(trace, "right")
    if left or right:
        columns = st.columns(2, gap="medium")
        for column, group in zip(columns, (left, right)):
            with column:
                for part in group:
                    part.draw(trace, view)
    for part in parts(trace, "more"):
        with st.expander(part.title, icon=part.icon, key=f"{view.key}-{part.key}"):
            part.draw(trace, view)


# -- the call dialog of the chat -------------------------------------------------------------
def open_call(trace_id: str) -> None:
    """A button callback: show this call in the dialog (it stays open across reruns until closed)."""
    state.put(state.OPEN_CALL, trace_id)


def close_call() -> None:
    state.put(state.OPEN_CALL, None)


@st.dialog("Call trace", width="large", on_dismiss=close_call, icon=":material/troubleshoot:")
def _call_dialog(traces: Sequence[Trace], by_tool: dict[str, Action]) -> None:
    ids = [t.id for t in traces]
    current = state.get(state.OPEN_CALL)
    if current not in ids:
        st.caption("This call is no longer in the conversation.")
        return
    i = ids.index(current)
    steps = st.container(horizontal=True, vertical_alignment="center")
    steps.button("Previous", icon=":material/chevron_left:", disabled=i == 0, key="call-dialog-prev",
                 on_click=open_call, args=(ids[max(i - 1, 0)],), help="The call before this one")
    steps.caption(f"Call {i + 1} of {len(ids)}")
    steps.button("Next", icon=":material/chevron_right:", icon_position="right", disabled=i == len(ids) - 1,
                 key="call-dialog-next", on_click=open_call, args=(ids[min(i + 1, len(ids) - 1)],),
                 help="The call after this one")
    trace = traces[i]
    detail(trace, number=i + 1, action=by_tool.get(trace.tool_name))


def show_open_call(traces: Sequence[Trace], by_tool: dict[str, Action]) -> None:
    """Open the dialog when a call was chosen (call once per run, after the page's widgets)."""
    if state.get(state.OPEN_CALL):
        _call_dialog(traces, by_tool)
