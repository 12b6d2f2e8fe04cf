"""What a turn streams: text deltas, tool calls, tool results, the reply, errors."""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, Field, TypeAdapter

from ..trace import Trace


class TextDelta(BaseModel):
    type: Literal["text_delta"] = "text_delta"
    text: str


class ToolCallEvent(BaseModel):
    type: Literal["tool_call"] = "tool_call"
    call_id: str
    tool_name: str
    action: str | None
    arguments: Any


class ToolResultEvent(BaseModel):
    type: Literal["tool_result"] = "tool_result"
    call_id: str
    tool_name: str
    trace: Trace
    result: str  # exactly what the model receives


class ReplyEvent(BaseModel):
    type: Literal["reply"] = "reply"
    text: str


class ErrorEvent(BaseModel):
    type: Literal["error"] = "error"
    kind: str
    message: str


Event = Annotated[Union[TextDelta, ToolCallEvent, ToolResultEvent, ReplyEvent, ErrorEvent], Field(discriminator="type")]
EVENT_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event)
