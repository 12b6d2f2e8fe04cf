"""Running a chat turn in the page: agent events rendered as they come, then the turn as every rerun shows it."""

from __future__ import annotations

from typing import Sequence

import streamlit as st

from core.action import Action
from core.agent import Agent, Conversation, SpeechEvent, TextDelta, ToolCallEvent, ToolResultEvent, Turn
from core.trace import Trace

from . import resources, state
from .traceview import inline_call
from .traceview.labels import call_title


def build_agent(actions: Sequence[Action]) -> Agent:
    return Agent(resources.model(), resources.runnable(actions), resources.executor(), runtime=state.get(state.RUNTIME),
                 sources=resources.mcp_sources(actions), dead_air_threshold_ms=state.get(state.DEAD_AIR_MS))


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
    """An assistant turn as it stays: what it said while calls ran, each call inline, then the reply or the
    error, and the dead air the caller heard."""
    for words in turn.speech:  # speak_during: said at once when its call started
        st.markdown(f":material/record_voice_over: *{words}*")
    for call in turn.calls:
        trace = traces_by_id.get(call.trace_id)
        if trace is None and call.mode == "async":
            st.caption(f":material/schedule: `{call.tool_name}` started in the background (async); its trace "
                       "shows in the sidebar when it finishes.")
            continue
        inline_call(call.tool_name, call.arguments, trace)
    for notice in turn.notices:  # e.g. an MCP server that failed to start or died; the turn went on
        st.error(notice, icon=":material/error:")
    if turn.reply:
        st.markdown(turn.reply)
    if turn.error:
        st.error(turn.error, icon=":material/error:")
    dead_air(turn)


def dead_air(turn: Turn) -> None:
    """The silence before the agent's first words; the hint when it was over the threshold (Settings)."""
    if turn.dead_air_ms is None:
        return
    over = turn.dead_air_hint is not None
    text = f":material/hourglass_empty: Dead air {turn.dead_air_ms / 1000:.1f} s"
    st.caption(f":orange[{text}]" if over else text, help="From the caller's message to the agent's first words")
    if over:
        st.warning(turn.dead_air_hint, icon=":material/hearing:")


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
            elif isinstance(event, SpeechEvent):
                st.markdown(f":material/record_voice_over: *{event.text}*")
            elif isinstance(event, ToolResultEvent) and event.call_id in statuses:
                statuses[event.call_id].update(  # type: ignore[attr-defined]
                    label=call_title(event.trace), state="error" if event.trace.error else "complete")
    with slot.container():
        turn_body(conv.turns[-1], {t.id: t for t in conv.traces})
