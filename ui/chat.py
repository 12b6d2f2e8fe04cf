"""Running a chat turn in the page: agent events rendered as they come, then the turn as every rerun shows it."""

from __future__ import annotations

from typing import Sequence

import streamlit as st

from core.action import Action
from core.agent import Agent, Conversation, TextDelta, ToolCallEvent, ToolResultEvent, Turn
from core.trace import Trace

from . import resources, state
from .traceview import inline_call
from .traceview.labels import call_title


def build_agent(actions: Sequence[Action]) -> Agent:
    return Agent(resources.model(), resources.runnable(actions), resources.executor(), runtime=state.get(state.RUNTIME),
                 sources=resources.mcp_sources(actions))


def new_conversation() -> Conversation:
    """An empty conversation; its first turn sets the system prompt (so no model is needed to clear the chat)."""
    conv = Conversation()
    state.put(state.CONVERSATION, conv)
    state.put(state.RERUN, None)
    state.put(state.OPEN_CALL, None)
    return conv


def calls_not_loaded(conv: Conversation, by_tool: dict[str, Action]) -> list[str]:
    """The actions the conversation called that the actions folder no longer has (MCP tools aside)."""
    return list(dict.fromkeys(c.action or c.tool_name for t in conv.turns for c in t.calls
                              if c.action is not None and c.tool_name not in by_tool))


def stale_notice(conv: Conversation, by_tool: dict[str, Action], *, key: str) -> None:
    """Say when the chat called actions that are not loaded any more (the actions folder changed)."""
    missing = calls_not_loaded(conv, by_tool)
    if not missing:
        return
    with st.container(border=True, key=f"stale-{key}"):
        st.warning(f"This chat called {', '.join(missing)}, which the actions folder no longer has: the agent "
                   "cannot call {} again, and a rerun would differ. Start a new conversation, or switch the folder "
                   "back in Settings.".format("it" if len(missing) == 1 else "them"), icon=":material/warning:")
        st.button("New conversation", icon=":material/add_comment:", key=f"stale-new-{key}",
                  on_click=new_conversation)


def turn_body(turn: Turn, traces_by_id: dict[str, Trace]) -> None:
    """An assistant turn as it stays: each call inline, then the reply or the error."""
    for call in turn.calls:
        inline_call(call.tool_name, call.arguments, traces_by_id.get(call.trace_id))
    for notice in turn.notices:  # e.g. an MCP server that failed to start or died; the turn went on
        st.error(notice, icon=":material/error:")
    if turn.reply:
        st.markdown(turn.reply)
    if turn.error:
        st.error(turn.error, icon=":material/error:")


def run_turn(agent: Agent, conv: Conversation, text: str) -> None:
    """Stream one turn into the current container (text, a status per running call), then draw the
    finished turn with :func:`turn_body`, exactly as the next rerun will."""
    if not conv.messages:
        fresh = agent.new_conversation()
        conv.messages, conv.model, conv.runtime = fresh.messages, fresh.model, fresh.runtime
    slot = st.empty()
    with slot.container():
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
                statuses[event.call_id] = st.status(f"Calling {event.action or event.tool_name}…", state="running")
            elif isinstance(event, ToolResultEvent) and event.call_id in statuses:
                statuses[event.call_id].update(  # type: ignore[attr-defined]
                    label=call_title(event.trace), state="error" if event.trace.error else "complete")
    with slot.container():
        turn_body(conv.turns[-1], {t.id: t for t in conv.traces})
