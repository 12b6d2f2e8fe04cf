"""What a turn streams: text deltas, tool calls, speech while a call runs, tool results, the dead air of the turn,
async results that arrive later, the reply, errors."""

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


class SpeechEvent(BaseModel):
    """Words the agent says at once when a call starts (the action's ``speak_during``), before its result."""

    type: Literal["speech"] = "speech"
    call_id: str
    tool_name: str
    text: str


class DeadAirEvent(BaseModel):
    """The silence the caller heard this turn: from their message to the agent's first words."""

    type: Literal["dead_air"] = "dead_air"
    dead_air_ms: float
    threshold_ms: float
    spoke: bool = True  # False: the turn ended without a word (an error), the figure is the whole turn
    slow_call: str | None = None  # the action whose call filled most of the silence
    hint: str | None = None  # for the developer, when over the threshold


class AsyncResultEvent(BaseModel):
    """An async call finished in the background (the model was not waiting for it)."""

    type: Literal["async_result"] = "async_result"
    call_id: str
    tool_name: str
    trace: Trace


class ReplyEvent(BaseModel):
    type: Literal["reply"] = "reply"
    text: str


class ErrorEvent(BaseModel):
    type: Literal["error"] = "error"
    kind: str
    message: str


Event = Annotated[Union[TextDelta, ToolCallEvent, ToolResultEvent, SpeechEvent, DeadAirEvent, AsyncResultEvent,
                        ReplyEvent, ErrorEvent], Field(discriminator="type")]
EVENT_ADAPTER: TypeAdapter[Event] = TypeAdapter(Event)
