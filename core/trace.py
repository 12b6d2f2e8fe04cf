"""The trace of one call: what was sent (secrets masked), what came back, what went wrong."""

from __future__ import annotations

import datetime as dt
import json
import os
import shlex
import uuid
from typing import Any, Literal

from pydantic import BaseModel, Field

from .curlargs import body_args
from .instances import construct
from .render import RenderedRequest
from .secret import Scrubber

ErrorKind = Literal[
    "timeout", "connection_refused", "dns", "tls", "protocol", "too_many_redirects",
    "http_400", "http_401", "http_403", "http_404", "http_405", "http_422", "http_429", "http_4xx", "http_5xx",
    "not_json", "unreplaced_placeholder", "invalid_arguments", "invalid_request", "secret_missing", "blocked",
    "mcp_error", "mcp_unavailable", "oauth_token", "replay_mismatch",
    "secret_invalid", "pool_timeout", "decompression_bomb", "bad_encoding", "insecure_redirect",
]
#: How a request went out: ``sent`` over the network, ``replayed`` from a recording, or not at all:
#: ``dry_run`` (nothing is sent) or ``held`` (it changed since the recording and waits for the user's OK).
Delivery = Literal["sent", "replayed", "dry_run", "held"]
NOT_SENT_NOTES = {
    "dry_run": "Dry run: this request was not sent, so there is no response. Tell the user what would have been "
               "done, without claiming it was done.",
    "held": "This request was not sent: it is waiting for the user's approval. Tell the user it has not been done yet.",
}


class ResponseInfo(BaseModel):
    status_code: int
    reason: str = ""
    headers: dict[str, str] = Field(default_factory=dict)
    body: Any = None
    is_json: bool = False
    truncated: bool = False
    size_bytes: int = 0
    elapsed_ms: float
    redirects: list[str] = Field(default_factory=list)
    cookies: dict[str, str] = Field(default_factory=dict)  # set by the response (every hop), name -> value


class ErrorInfo(BaseModel):
    kind: ErrorKind
    message: str
    url: str | None = None  # the URL that failed when it is not the request's own (a redirect target)


class Attempt(BaseModel):
    """One try of a call with a ``retry`` policy: its outcome, how long it took, the wait after it."""

    attempt: int
    status_code: int | None = None
    error: str | None = None  # the error kind (timeout, connection_refused, http_5xx, ...) or None
    elapsed_ms: float = 0.0
    wait_ms: float = 0.0  # the backoff (or Retry-After) before the next attempt; 0 for the last
    retry_after_s: float | None = None  # what the server asked for, when it sent Retry-After


class ResultInfo(BaseModel):
    """What the model received for this call, and the result variables it set."""

    picks: dict[str, Any] | None = None  # name -> value (None: the JSONPath matched nothing)
    text: str  # exactly what the model received
    cut: bool = False  # cut at max_chars
    max_chars: int


class McpExchange(BaseModel):
    """An MCP tool call, in place of an HTTP request and response: what went to the server and what came back."""

    server: str  # the server's name (its serverInfo name, else derived from the command or URL)
    transport: Literal["stdio", "http"]
    target: str  # the command line or the URL, credentials masked
    request: dict[str, Any]  # {"method": "tools/call", "params": {"name", "arguments"}}
    response: dict[str, Any] | None = None  # the CallToolResult as the server sent it; None when none came
    is_error: bool = False  # the server answered isError: true
    result: Any = None  # what the model receives on success: the text content, or the structured content


class Trace(BaseModel):
    """Secrets are masked before a Trace is built, so any page, log or export is safe."""

    id: str = Field(default_factory=lambda: uuid.uuid4().hex[:12])
    action: str
    tool_name: str = ""
    arguments: dict[str, Any] = Field(default_factory=dict)
    request: RenderedRequest | None = None
    response: ResponseInfo | None = None
    error: ErrorInfo | None = None
    hints: list[str] = Field(default_factory=list)
    mcp: McpExchange | None = None  # set for a call to an MCP server's tool (then request/response are None)
    delivery: Delivery | None = None  # how the request went out; None when none was built (e.g. a bad argument)
    started_at: dt.datetime = Field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    elapsed_ms: float = 0.0
    mode: Literal["sync", "async"] = "sync"  # async: the model did not wait for it
    attempts: list[Attempt] = Field(default_factory=list)  # filled when the action has a retry policy
    steps: list["Trace"] = Field(default_factory=list)  # calls made for this one (OAuth2 token requests)
    result: ResultInfo | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def status_code(self) -> int | None:
        return self.response.status_code if self.response else None

    @property
    def not_sent(self) -> bool:
        """A request was built but deliberately not sent (dry run, or held for approval)."""
        return self.delivery in NOT_SENT_NOTES
    def scrub(self, scrubber: Scrubber) -> "Trace":
        """Mask every secret form in every string of the trace (in place): the request, the error
        message, the reason phrase, headers, body, redirects, cookies and hints."""
        if not scrubber:
            return self
        if self.request is not None and not self.request.secrets_masked:  # a masked request is scrubbed already
            self.request.url = scrubber.text(self.request.url)
            self.request.headers = scrubber(self.request.headers)
            self.request.query = scrubber(self.request.query)
            self.request.body = scrubber(self.request.body)
        elif self.request is not None and "Cookie" in self.request.headers:  # added after masking
            self.request.headers["Cookie"] = scrubber.text(self.request.headers["Cookie"])
        resp = self.response
        shown = (resp.reason, resp.headers, resp.body, resp.redirects, resp.cookies) if resp is not None else ()
        if scrubber.absent(self.error.model_dump() if self.error else "", self.hints, *shown):
            return self  # one scan of everything left: nothing to mask (the usual case)
        if self.error is not None:
            self.error.message = scrubber.text(self.error.message)
            self.error.url = scrubber.text(self.error.url) if self.error.url else None
        if resp is not None:
            resp.reason = scrubber.text(resp.reason)
            resp.headers, resp.body = scrubber(resp.headers), scrubber(resp.body)
            resp.redirects, resp.cookies = scrubber(resp.redirects), scrubber(resp.cookies)
        self.hints = scrubber(self.hints)
        return self

    def summary(self) -> str:
        """One line: ``GET https://host/path -> 200 in 12 ms`` or the error kind."""
        req = f"{self.request.method} {self.request.url}" if self.request else self.action
        outcome = f"{self.response.status_code} in {self.response.elapsed_ms:.0f} ms" if self.response else ""
        if self.not_sent:
            outcome = "not sent (dry run)" if self.delivery == "dry_run" else "not sent (held for approval)"
        elif self.delivery == "replayed" and outcome:
            outcome += " (replayed)"
        if self.mcp is not None:
            req = f"MCP {self.mcp.server} {self.mcp.request.get('params', {}).get('name', self.tool_name)}"
            outcome = "" if self.error else f"ok in {self.elapsed_ms:.0f} ms"
        if self.error:
            outcome = f"{outcome} ({self.error.kind})".strip() if outcome else self.error.kind
        if not outcome and self.mode == "async":
            outcome = "started (async: not waited for)"
        return f"{req} -> {outcome}"

    def model_data(self, picks: dict[str, Any] | None = None) -> dict[str, Any]:
        """The JSON a model receives: ``{"status", "body"}`` (``{"status", "result"}`` with result picks), and on a
        failure ``{"error": {"kind", "message"}, "hint"}``."""
        data: dict[str, Any] = {}
        if self.response is not None:
            data["status"] = self.response.status_code
            if picks is not None:
                data["result"] = picks
            else:
                data["body"] = self.response.body
        if self.error is not None:
            data["error"] = {"kind": self.error.kind, "message": self.error.message}
            if self.hints:
                data["hint"] = self.hints[0]
        return data

    def to_tool_result(self, cap: int | None = None) -> str:
        """Exactly what the model receives: ``result.text`` once the result was shaped (core.result), else the
        status plus the body (or the error) as compact JSON, cut to ``cap`` (default 4000 characters)."""
        if self.result is not None:
            return self.result.text if cap is None else cut_text(self.result.text, cap)[0]
        cap = 4000 if cap is None else cap
        if self.mcp is not None and self.error is None:  # an MCP tool's own result, as any MCP host passes it on
            result = self.mcp.result
            text = result if isinstance(result, str) else json.dumps(result, ensure_ascii=False, default=str)
            return cut_text(text, cap)[0]
        if self.not_sent:
            return json.dumps({"sent": False, "note": NOT_SENT_NOTES[self.delivery]}, ensure_ascii=False)
        return cut_text(json.dumps(self.model_data(), ensure_ascii=False, separators=(",", ":"), default=str), cap)[0]


def new_trace(action: str, tool_name: str, arguments: dict[str, Any]) -> Trace:
    """``Trace(action=..., tool_name=..., arguments=...)`` from values the executor vouches for (str names, a
    dict of arguments), built without validating them again: the executor starts one on every call. Its id is
    12 random hex digits, as ``uuid4().hex[:12]`` gives (without uuid's slower object)."""
    return construct(Trace, {
        "id": os.urandom(6).hex(), "action": action, "tool_name": tool_name, "arguments": arguments, "request": None,
        "response": None, "error": None, "hints": [], "mcp": None, "delivery": None,
        "started_at": dt.datetime.now(dt.timezone.utc), "elapsed_ms": 0.0, "mode": "sync", "attempts": [], "steps": [],
        "result": None,
    })


CUT_MARK = "...[truncated]"


def cut_text(text: str, limit: int) -> tuple[str, bool]:
    """``text`` cut to ``limit`` characters (marked), and whether it was cut."""
    if len(text) <= limit:
        return text, False
    return text[: max(limit - len(CUT_MARK), 0)] + CUT_MARK, True


def to_curl(request: RenderedRequest) -> str:
    """A cURL command for a (masked) request: it sends the same method, URL, headers and body (an embedded
    binary file is read from a file of its name, which must be saved next to the command)."""
    parts = ["curl", "-X", request.method, shlex.quote(request.url)]
    multipart = request.body is not None and request.body_format == "multipart"
    for name, value in request.headers.items():
        if multipart and name.lower() == "content-type":
            continue  # curl writes its own boundary for -F
        parts += ["-H", shlex.quote(f"{name}: {value}")]
    has_type = any(k.lower() == "content-type" for k in request.headers)
    args, _ = body_args(request.body, request.body_format, has_type)
    return " ".join(parts + [shlex.quote(a) for a in args])
