"""Helpers for reading the agent's event stream in tests."""

from __future__ import annotations

from typing import Any

from core.agent import Agent, Conversation, Event, TextDelta
from core.loop import LoopThread


def run_turn(loop: LoopThread, agent: Agent, conv: Conversation, text: str) -> list[Event]:
    return list(loop.iterate(agent.run(conv, text)))


def only(events: list[Event], cls: type) -> list[Any]:
    return [e for e in events if isinstance(e, cls)]


def kinds(events: list[Event]) -> list[str]:
    return [e.type for e in events if not isinstance(e, TextDelta)]
