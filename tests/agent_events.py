"""Helpers for reading the agent's event stream in tests."""

from __future__ import annotations

from typing import Any

from core.agent import Agent, Conversation, DeadAirEvent, Event, TextDelta
from core.loop import LoopThread


def run_turn(loop: LoopThread, agent: Agent, conv: Conversation, text: str) -> list[Event]:
    return list(loop.iterate(agent.run(conv, text)))


def only(events: list[Event], cls: type) -> list[Any]:
    return [e for e in events if isinstance(e, cls)]


def kinds(events: list[Event], *, timing: bool = False) -> list[str]:
    """The event types in order, without text deltas; without the turn's dead-air figure unless ``timing``
    (its place is checked by the dead-air tests, not by every test of what a turn does)."""
    return [e.type for e in events if not isinstance(e, TextDelta) and (timing or not isinstance(e, DeadAirEvent))]
