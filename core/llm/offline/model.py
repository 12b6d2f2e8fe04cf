"""The OfflineModel: the ChatModel protocol over the planner."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from typing import Any, AsyncIterator

from ..base import AssistantTurn, Message, ModelOutput, ToolCall
from .dialogue import plan
from .tools import toolset

WORDS_PER_CHUNK = 4


def chunks(text: str, words: int = WORDS_PER_CHUNK) -> list[str]:
    pieces = re.findall(r"\s*\S+\s*|\s+", text)
    return ["".join(pieces[i:i + words]) for i in range(0, len(pieces), words)]


def call_id(position: int, index: int, name: str, arguments: str) -> str:
    digest = hashlib.sha1(f"{position}|{index}|{name}|{arguments}".encode()).hexdigest()
    return "call_" + digest[:10]


class OfflineModel:
    """The offline simulator: deterministic, rule-based, no network.

    ``today`` fixes the date that "today", "tomorrow" or "next friday" resolve against
    (default: the real date at each call), so tests are deterministic.
    """

    name = "offline"

    def __init__(self, today: dt.date | None = None) -> None:
        self.today = today

    def plan(self, messages: list[Message], tools: list[dict[str, Any]]) -> AssistantTurn:
        """The whole turn at once (what ``respond`` streams)."""
        msgs = [m if isinstance(m, Message) else Message.model_validate(m) for m in messages or []]
        today = self.today or dt.date.today()
        decision = plan(msgs, toolset(tools or []), today)
        if decision.kind != "call":
            return AssistantTurn(text=decision.text)
        calls = []
        for i, (tool, args) in enumerate(decision.calls):
            arguments = json.dumps(args, ensure_ascii=False)
            calls.append(ToolCall(id=call_id(len(msgs), i, tool.name, arguments), name=tool.name, arguments=arguments))
        return AssistantTurn(text="", tool_calls=calls)

    async def respond(self, messages: list[Message], tools: list[dict[str, Any]]) -> AsyncIterator[ModelOutput]:
        turn = self.plan(messages, tools)
        for chunk in chunks(turn.text):
            yield chunk
        yield turn
