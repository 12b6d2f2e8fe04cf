"""A model that replays given assistant turns: what tests and the UI's tests inject."""

from __future__ import annotations

import json
import re
from typing import Any, AsyncIterator, Iterable

from ..errors import ModelError
from .base import AssistantTurn, Message, ModelOutput, ToolCall


def turn(text: str = "", *calls: tuple[str, dict[str, Any]] | ToolCall) -> AssistantTurn:
    """``turn("hi")`` or ``turn("", ("lookup_order", {"order_number": "ORD-1"}))``."""
    tool_calls = [c if isinstance(c, ToolCall) else ToolCall(name=c[0], arguments=json.dumps(c[1])) for c in calls]
    return AssistantTurn(text=text, tool_calls=tool_calls)


class ScriptedModel:
    """Replays ``turns`` in order, one per ``respond`` call, and records what it was sent."""

    name = "scripted"

    def __init__(self, turns: Iterable[AssistantTurn | str]) -> None:
        self.turns = [AssistantTurn(text=t) if isinstance(t, str) else t for t in turns]
        self.used = 0
        self.received: list[tuple[list[Message], list[dict[str, Any]]]] = []

    async def respond(self, messages: list[Message], tools: list[dict[str, Any]]) -> AsyncIterator[ModelOutput]:
        self.received.append(([m.model_copy() for m in messages], tools))
        if self.used >= len(self.turns):
            raise ModelError(f"scripted model: all {len(self.turns)} scripted turns were used; add another turn")
        reply = self.turns[self.used]
        self.used += 1
        for piece in re.findall(r"\S+\s*|\s+", reply.text):
            yield piece
        yield reply

    @property
    def remaining(self) -> int:
        return len(self.turns) - self.used

    def assert_all_used(self) -> None:
        if self.remaining:
            raise AssertionError(f"scripted model: {self.remaining} of {len(self.turns)} turns were never used")
