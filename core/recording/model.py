"""What a recording holds: each model turn (what it answered, and a fingerprint of what it saw) and each HTTP
exchange (the request, masked as in the trace, and the response), in the order they happened.

It is plain data, written into a scenario file under ``recording:`` as reviewable YAML or JSON::

    recording:
      format: 1
      model: openai:gpt-4o-mini
      tools: {lookup_order_status: {description: ..., parameters: {...}}}   # as the model saw them
      exchanges:
        - turn: 1
          model:
            seen: {digest: 3f2a9c1d0b7e4a5f, tools: 9c8d7e6f5a4b, messages: 2, new: [system 5f1e.., user 1a2b..]}
            tool_calls: [{id: call_1, name: lookup_order_status, arguments: '{"order_number": "ORD-10042"}'}]
        - turn: 1
          http:
            action: lookup_order_status
            request: {method: GET, url: ..., headers: {Authorization: Bearer ****b3f1}, query: {...}}
            response: {status_code: 200, reason: OK, headers: {content-type: application/json}, body: {...}}
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

FORMAT = 1


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Seen(_Strict):
    """A fingerprint of what the model was sent for one turn: enough to tell whether it changed, and what."""

    digest: str  # of every message and the tools
    tools: str  # of the tools alone
    messages: int  # how many messages it was sent
    new: list[str] = Field(default_factory=list)  # "role[ tool_name] digest" of each message since its last turn


class RecordedToolCall(_Strict):
    id: str
    name: str
    arguments: str = "{}"  # JSON text, exactly as the model produced it


class ModelExchange(_Strict):
    """One answer of the model: text and/or tool calls, and what it saw."""

    seen: Seen
    text: str = ""
    tool_calls: list[RecordedToolCall] = Field(default_factory=list)


class RequestRecord(_Strict):
    """The rendered request, secrets masked exactly as in the trace."""

    method: str
    url: str
    headers: dict[str, str] = Field(default_factory=dict)
    query: dict[str, str] = Field(default_factory=dict)
    body: Any = None


class ResponseRecord(_Strict):
    status_code: int
    reason: str = ""
    headers: dict[str, str] = Field(default_factory=dict)
    body: Any = None
    is_json: bool = False


class ErrorRecord(_Strict):
    """A failure with no response (timeout, connection refused...): replayed as the same failure."""

    kind: str
    message: str


class HttpExchange(_Strict):
    action: str  # the tool name
    request: RequestRecord
    response: ResponseRecord | None = None
    error: ErrorRecord | None = None

    @model_validator(mode="after")
    def _outcome(self) -> "HttpExchange":
        if self.response is None and self.error is None:
            raise ValueError("an HTTP exchange needs a response or an error")
        return self


class Exchange(_Strict):
    """One step of a user turn (1-based): a model answer or an HTTP exchange."""

    turn: int = Field(ge=1)
    model: ModelExchange | None = None
    http: HttpExchange | None = None

    @model_validator(mode="after")
    def _one(self) -> "Exchange":
        if (self.model is None) == (self.http is None):
            raise ValueError("an exchange is either model: or http:, not both and not neither")
        return self


class Recording(_Strict):
    format: int = FORMAT
    model: str = ""  # the model that was recorded
    tools: dict[str, dict[str, Any]] = Field(default_factory=dict)  # name -> {description, parameters}, as seen
    exchanges: list[Exchange] = Field(default_factory=list)

    @model_validator(mode="after")
    def _format(self) -> "Recording":
        if self.format != FORMAT:
            raise ValueError(f"format {self.format} is not supported (this playground reads format {FORMAT}); "
                             "record the conversation again")
        return self

    def to_file(self) -> dict[str, Any]:
        """The file form: no empty or default fields but ``format``."""
        return {"format": self.format, **self.model_dump(mode="json", exclude_defaults=True)}

    def model_turns(self, turn: int | None = None) -> list[ModelExchange]:
        return [e.model for e in self.exchanges if e.model is not None and (turn is None or e.turn == turn)]

    def http_exchanges(self) -> list[tuple[int, HttpExchange]]:
        return [(e.turn, e.http) for e in self.exchanges if e.http is not None]
