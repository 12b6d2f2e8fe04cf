"""Running a chat turn in the page: agent events rendered as they come."""

from __future__ import annotations

from typing import Sequence

import streamlit as st

from core.action import Action
from core.agent import Agent, Conversation, ErrorEvent, ReplyEvent, TextDelta, ToolCallEvent, ToolResultEvent
from core.errors import PlaygroundError
from core.render import render
from core.trace import Trace

from . import resources, state, view


def build_agent(actions: Sequence[Action]) -> Agent:
    return Agent(resources.model(), resources.runnable(actions), resources.executor(), runtime=state.get(state.RUNTIME))


def new_conversation() -> Conversation:
    """An empty conversation; its first turn sets the system prompt (so no model is needed to clear the chat)."""
    conv = Conversation()
    state.put(state.CONVERSATION, conv)
    state.put(state.RERUN, None)
    return conv


def run_turn(agent: Agent, conv: Conversation, text: str) -> None:
    """Stream one turn into the current container: text, tool-call statuses, reply, errors."""
    if not conv.messages:
        fresh = agent.new_conversation()
        conv.messages, conv.model, conv.runtime = fresh.messages, fresh.model, fresh.runtime
    placeholder, shown = None, ""
    statuses: dict[str, object] = {}
    for event in resources.loop().iterate(agent.run(conv, text)):
        if isinstance(event, TextDelta):
            placeholder = placeholder or st.empty()
            shown += event.text
            placeholder.markdown(shown + "▌")
        elif isinstance(event, ToolCallEvent):
            if placeholder is not None:
                placeholder.markdown(shown)
            placeholder, shown = None, ""
            status = st.status(f"Calling {event.action or event.tool_name}…", state="running")
            with status:
                st.json(event.arguments if isinstance(event.arguments, (dict, list)) else {"raw": event.arguments})
            statuses[event.call_id] = status
        elif isinstance(event, ToolResultEvent):
            status = statuses.get(event.call_id)
            if status is not None:
                status.update(label=view.call_label(event.trace), state="error" if event.trace.error else "complete")
                with status:
                    view.problems(event.trace)
        elif isinstance(event, ReplyEvent):
            (placeholder or st.empty()).markdown(event.text)
        elif isinstance(event, ErrorEvent):
            st.error(f"**{event.kind}**: {event.message}")


#: Calls shown in full in the debug sidebar; older ones are one line each, opened on demand.
RECENT_CALLS = 10


def trace_card(trace: Trace, number: int, action: Action | None) -> None:
    """One call in the debug sidebar, with a toggle that reveals its credentials."""
    with st.container(border=True):
        revealed = None
        if st.toggle("Reveal secrets", key=f"reveal_{trace.id}", help="Show the real credentials in this call"):
            try:
                revealed = render(resources.runnable([action])[0], trace.arguments, state.get(state.RUNTIME),
                                  resources.executor().resolver).masked(reveal=True) if action is not None else None
            except PlaygroundError as exc:
                st.warning(f"Cannot reveal: {exc}")
        view.trace_panel(trace, revealed=revealed, key=trace.id, number=number)


def debug_panels(traces: Sequence[Trace], by_tool: dict[str, Action]) -> None:
    """The latest calls in full, newest first; older ones as one line each, any of them opened on demand
    (so a long conversation stays quick to rerun and easy to scan)."""
    n = len(traces)
    for i in range(n - 1, max(n - RECENT_CALLS, 0) - 1, -1):
        trace_card(traces[i], i + 1, by_tool.get(traces[i].tool_name))
    older = {t.id: i for i, t in enumerate(traces[:max(n - RECENT_CALLS, 0)])}
    if not older:
        return
    st.markdown(f"**Older calls** ({len(older)})")
    with st.expander("One line each", expanded=False):
        st.markdown("\n".join(f"- #{i + 1} {view.call_label(traces[i])}" for i in reversed(older.values())))
    pick = st.selectbox("Open an older call", list(reversed(older)), index=None, key="older_call",
                        format_func=lambda tid: f"#{older[tid] + 1} {traces[older[tid]].summary()}",
                        placeholder="Choose a call to see it in full")
    if pick in older:
        trace_card(traces[older[pick]], older[pick] + 1, by_tool.get(traces[older[pick]].tool_name))
