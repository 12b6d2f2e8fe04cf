"""One ChatModel protocol with one method, and the message types it speaks."""

from __future__ import annotations

import json
import uuid
from typing import Any, AsyncIterator, Literal, Protocol, Union, runtime_checkable

from pydantic import BaseModel, Field


class ToolCall(BaseModel):
    id: str = Field(default_factory=lambda: "call_" + uuid.uuid4().hex[:10])
    name: str
    arguments: str = "{}"  # JSON text, exactly as the model produced it

    def parsed_arguments(self) -> dict[str, Any]:
        """The arguments as a dict; raises ValueError with a message a model can act on."""
        try:
            value = json.loads(self.arguments or "{}")
        except json.JSONDecodeError as exc:
            raise ValueError(f"arguments are not valid JSON ({exc.msg}); send a JSON object") from None
        if not isinstance(value, dict):
            raise ValueError("arguments must be a JSON object of variable names to values")
        return value


class Message(BaseModel):
    role: Literal["system", "user", "assistant", "tool"]
    content: str | None = None
    tool_calls: list[ToolCall] = Field(default_factory=list)
    tool_call_id: str | None = None
    name: str | None = None  # the tool name, on tool messages

    def to_openai(self) -> dict[str, Any]:
        msg: dict[str, Any] = {"role": self.role, "content": self.content}
        if self.tool_calls:
            msg["tool_calls"] = [{"id": c.id, "type": "function",
                                  "function": {"name": c.name, "arguments": c.arguments}} for c in self.tool_calls]
        if self.tool_call_id:
            msg["tool_call_id"] = self.tool_call_id
        return msg


class AssistantTurn(BaseModel):
    """What a model answers in one turn: text and/or tool calls."""

    text: str = ""
    tool_calls: list[ToolCall] = Field(default_factory=list)


ModelOutput = Union[str, AssistantTurn]


@runtime_checkable
class ChatModel(Protocol):
    """A chat model. ``respond`` streams text deltas (``str``) and ends with one AssistantTurn."""

    name: str

    def respond(self, messages: list[Message], tools: list[dict[str, Any]]) -> AsyncIterator[ModelOutput]:
        ...
