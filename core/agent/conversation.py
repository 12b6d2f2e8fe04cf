"""Conversation state: plain, serialisable, saved and reloaded (the page's Export)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, ValidationError

from ..errors import PlaygroundError
from ..llm.base import Message
from ..trace import Trace


class CallRecord(BaseModel):
    tool_name: str
    action: str | None
    arguments: Any
    status_code: int | None
    error_kind: str | None
    trace_id: str


class Turn(BaseModel):
    user: str
    calls: list[CallRecord] = Field(default_factory=list)
    reply: str = ""
    error: str | None = None


class Conversation(BaseModel):
    """Plain, serialisable state: save it, reload it, replay its user turns against changed actions."""

    messages: list[Message] = Field(default_factory=list)
    turns: list[Turn] = Field(default_factory=list)
    traces: list[Trace] = Field(default_factory=list)
    model: str = ""
    runtime: dict[str, Any] = Field(default_factory=dict)

    @property
    def user_turns(self) -> list[str]:
        return [t.user for t in self.turns]


def load_conversation(data: str | bytes, source: str = "conversation") -> Conversation:
    """A conversation exported as JSON (the page's Export, or ``model_dump_json``)."""
    try:
        return Conversation.model_validate_json(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "file"
        raise PlaygroundError(f"{source}: not an exported conversation ({where}: {first['msg']}); "
                              "export one from the Chat page and load that file") from None
