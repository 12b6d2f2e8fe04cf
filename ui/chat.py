"""Running a chat turn in the page: agent events rendered as they come."""

from __future__ import annotations

from typing import Sequence

import streamlit as st

from core.action import Action
from core.agent import Agent, Conversation, ErrorEvent, ReplyEvent, TextDelta, ToolCallEvent, ToolResultEvent

from . import resources, state, view


def build_agent(actions: Sequence[Action]) -> Agent:
    return Agent(resources.model(), actions, resources.executor(), runtime=state.get(state.RUNTIME))


def new_conversation(actions: Sequence[Action]) -> Conversation:
    conv = build_agent(actions).new_conversation()
    state.put(state.CONVERSATION, conv)
    state.put(state.RERUN, None)
    return conv


def run_turn(agent: Agent, conv: Conversation, text: str) -> None:
    """Stream one turn into the current container: text, tool-call statuses, reply, errors."""
    if not conv.messages:
        conv.messages = agent.new_conversation().messages
        conv.model = agent.model.name
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
