"""Conversation state: plain, serialisable, saved and reloaded (the page's Export)."""

from __future__ import annotations

import asyncio
from typing import Any, Literal

import httpx
from pydantic import BaseModel, Field, PrivateAttr, ValidationError

from ..errors import PlaygroundError
from ..llm.base import Message
from ..recording import Exchange
from ..trace import Delivery, Trace


class CallRecord(BaseModel):
    tool_name: str
    action: str | None
    arguments: Any
    status_code: int | None
    error_kind: str | None
    trace_id: str
    delivery: Delivery | None = None  # sent, replayed, dry_run, held (see core.trace.Delivery)
    mode: Literal["sync", "async"] = "sync"  # async: the model did not wait; status fills in when it completes


class Turn(BaseModel):
    user: str
    calls: list[CallRecord] = Field(default_factory=list)
    reply: str = ""
    error: str | None = None  # what ended the turn (a model error)
    notices: list[str] = Field(default_factory=list)  # errors that did not end it (an MCP server that died)
    speech: list[str] = Field(default_factory=list)  # said while calls ran (speak_during), in order
    dead_air_ms: float | None = None  # from the user's message to the agent's first words
    dead_air_hint: str | None = None  # for the developer, when over the threshold
    dead_air_call: str | None = None  # the action whose call filled most of the silence, if one did


class ResultVariable(BaseModel):
    """A conversation variable: a result pick of a call, usable as {{name}} by later actions."""

    value: Any
    action: str
    trace_id: str
    turn: int  # 1-based


class Conversation(BaseModel):
    """Plain, serialisable state: save it, reload it, replay its user turns against changed actions."""

    messages: list[Message] = Field(default_factory=list)
    turns: list[Turn] = Field(default_factory=list)
    traces: list[Trace] = Field(default_factory=list)
    model: str = ""
    runtime: dict[str, Any] = Field(default_factory=dict)
    model_turns: list[Exchange] = Field(default_factory=list)  # each model answer and what it saw (a recording)
    tools_seen: dict[str, dict[str, Any]] = Field(default_factory=dict)  # the tools of its first model turn
    variables: dict[str, ResultVariable] = Field(default_factory=dict)  # result variables, newest value wins
    pending: list[str] = Field(default_factory=list)  # call ids of async calls still running
    _tasks: set[asyncio.Task] = PrivateAttr(default_factory=set)  # type: ignore[type-arg]
    _finished: list[tuple[str, Trace]] = PrivateAttr(default_factory=list)  # async results not yet streamed
    # cookies the APIs set in this conversation: sent by its later calls only, never exported
    _cookies: httpx.Cookies = PrivateAttr(default_factory=httpx.Cookies)

    def seen_labels(self) -> list[str]:
        """The fingerprints of the messages the model has been sent so far (see core.recording.fingerprint)."""
        return [label for e in self.model_turns if e.model is not None for label in e.model.seen.new]

    @property
    def cookies(self) -> httpx.Cookies:
        return self._cookies

    @property
    def user_turns(self) -> list[str]:
        return [t.user for t in self.turns]

    def variable_values(self) -> dict[str, Any]:
        return {name: var.value for name, var in self.variables.items()}

    def take_finished(self) -> list[tuple[str, Trace]]:
        """Async calls that completed since the last look: (call id, trace)."""
        done, self._finished = self._finished, []
        return done

    async def wait_async(self, timeout_s: float | None = None) -> None:
        """Wait for the async calls still running (the CLI before it exits, a scenario before its checks)."""
        tasks = [t for t in self._tasks if not t.done()]
        if tasks:
            await asyncio.wait(tasks, timeout=timeout_s)


def load_conversation(data: str | bytes, source: str = "conversation") -> Conversation:
    """A conversation exported as JSON (the page's Export, or ``model_dump_json``)."""
    try:
        return Conversation.model_validate_json(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "file"
        raise PlaygroundError(f"{source}: not an exported conversation ({where}: {first['msg']}); "
                              "export one from the Chat page and load that file") from None
