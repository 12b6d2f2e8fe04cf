"""A tiny local OpenAI-compatible Chat Completions server for tests.

It lets tests drive the real ``openai`` SDK against 127.0.0.1 with scripted
replies (text, tool calls, HTTP errors), streamed or not, and records every
request body and header it received.

Usage::

    with FakeOpenAI([{"content": "hi"}]) as srv:
        client = openai.OpenAI(base_url=srv.base_url, api_key="test-key", max_retries=0)
        client.chat.completions.create(model="fake-model", messages=[...])
        assert srv.requests[0]["messages"] == [...]

A scripted reply is a dict::

    {"content": "text or None",
     "tool_calls": [{"id": "call_1", "name": "lookup_order_status",
                     "arguments": {"order_number": "ORD-10042"}}]}

``arguments`` may be a dict/list (serialised with ``json.dumps``) or a str
(sent as-is, so malformed JSON can be tested). ``id`` is optional.
Special replies: ``{"error": 429}`` / ``{"error": 401}`` / ``{"error": 500}``
(any HTTP status works) make the server answer that status with an
OpenAI-style error body; an optional ``"message"`` key overrides the text.
When no scripted reply is left the server answers 500
"FakeOpenAI: no scripted reply left".

Note: the SDK retries 429/5xx by default, so build clients with
``max_retries=0`` when testing errors.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
import uuid
from collections import deque
from typing import Any, Iterator

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, StreamingResponse

MODEL_NAME = "fake-model"
NO_REPLY_MESSAGE = "FakeOpenAI: no scripted reply left"

_ERROR_DEFAULTS: dict[int, tuple[str, str, str | None]] = {
    400: ("Bad request", "invalid_request_error", None),
    401: ("Incorrect API key provided", "invalid_request_error", "invalid_api_key"),
    403: ("You are not allowed to access this resource", "invalid_request_error", None),
    404: ("The model does not exist", "invalid_request_error", "model_not_found"),
    429: ("Rate limit reached for requests", "requests", "rate_limit_exceeded"),
    500: ("The server had an error while processing your request", "server_error", None),
    503: ("The server is overloaded", "server_error", None),
}


def _error_response(
    status: int,
    message: str | None = None,
    type_: str | None = None,
    code: str | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    d_msg, d_type, d_code = _ERROR_DEFAULTS.get(
        status, (f"HTTP {status}", "server_error" if status >= 500 else "invalid_request_error", None)
    )
    body = {
        "error": {
            "message": message if message is not None else d_msg,
            "type": type_ if type_ is not None else d_type,
            "param": None,
            "code": code if code is not None else d_code,
        }
    }
    hdrs = dict(headers or {})
    if status == 429:
        hdrs.setdefault("retry-after", "0")
    return JSONResponse(body, status_code=status, headers=hdrs)


def _chunks(text: str, size: int) -> list[str]:
    if text == "":
        return [""]
    return [text[i : i + size] for i in range(0, len(text), size)]


def _normalise_tool_calls(reply: dict) -> list[dict]:
    out = []
    for i, tc in enumerate(reply.get("tool_calls") or []):
        args = tc.get("arguments", {})
        if not isinstance(args, str):
            args = json.dumps(args)
        out.append(
            {
                "id": tc.get("id") or f"call_{i + 1}_{uuid.uuid4().hex[:8]}",
                "type": "function",
                "function": {"name": tc["name"], "arguments": args},
            }
        )
    return out


class FakeOpenAI:
    """Local OpenAI-compatible server running uvicorn in a daemon thread."""

    def __init__(
        self,
        replies: list[dict] | None = None,
        *,
        api_key: str = "test-key",
        supports_tools: bool = True,
        chunk_size: int = 3,
    ) -> None:
        self.api_key = api_key
        self.supports_tools = supports_tools
        self.chunk_size = max(1, int(chunk_size))
        self._replies: deque[dict] = deque(replies or [])
        self._lock = threading.Lock()
        self.requests: list[dict] = []
        self.request_headers: list[dict] = []
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._sock: socket.socket | None = None
        self.port: int | None = None
        self.app = self._build_app()

    # ------------------------------------------------------------------ API
    @property
    def base_url(self) -> str:
        if self.port is None:
            raise RuntimeError("FakeOpenAI is not started")
        return f"http://127.0.0.1:{self.port}/v1"

    def queue(self, *replies: dict) -> "FakeOpenAI":
        with self._lock:
            self._replies.extend(replies)
        return self

    @property
    def remaining(self) -> int:
        """Number of scripted replies not consumed yet."""
        with self._lock:
            return len(self._replies)

    def start(self) -> "FakeOpenAI":
        if self._server is not None:
            return self
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        sock.listen(128)
        sock.set_inheritable(True)
        self._sock = sock
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app,
            log_level="error",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=1,
        )
        server = uvicorn.Server(config)
        server.install_signal_handlers = lambda: None  # type: ignore[method-assign]  # uvicorn<0.29
        self._server = server

        def run() -> None:
            asyncio.run(server.serve(sockets=[sock]))

        self._thread = threading.Thread(target=run, name=f"FakeOpenAI:{self.port}", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            if not self._thread.is_alive():
                raise RuntimeError("FakeOpenAI server thread died during startup")
            if time.monotonic() > deadline:
                raise RuntimeError("FakeOpenAI server did not start within 10s")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None:
            return
        server.should_exit = True
        if thread is not None:
            thread.join(timeout=5)
            if thread.is_alive():
                server.force_exit = True
                thread.join(timeout=2)
        if self._sock is not None:
            try:
                self._sock.close()
            except OSError:
                pass
        self._server = self._thread = self._sock = None

    def __enter__(self) -> "FakeOpenAI":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # -------------------------------------------------------------- server
    def _next_reply(self) -> dict | None:
        with self._lock:
            return self._replies.popleft() if self._replies else None

    def _build_app(self) -> FastAPI:
        app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

        @app.get("/v1/models")
        async def models() -> dict:
            return {
                "object": "list",
                "data": [{"id": MODEL_NAME, "object": "model", "created": 0, "owned_by": "fake-openai"}],
            }

        @app.post("/v1/chat/completions")
        async def chat_completions(request: Request):
            raw = await request.body()
            try:
                body = json.loads(raw) if raw else {}
            except ValueError:
                body = {"_raw": raw.decode("utf-8", "replace")}
            with self._lock:
                self.requests.append(body)
                self.request_headers.append(dict(request.headers))
            if not isinstance(body, dict) or "_raw" in body:
                return _error_response(400, "We could not parse the JSON body of your request.")

            if request.headers.get("authorization") != f"Bearer {self.api_key}":
                return _error_response(401)
            if not self.supports_tools and body.get("tools"):
                return _error_response(400, "tools is not supported by this model", "invalid_request_error", None)

            reply = self._next_reply()
            if reply is None:
                return _error_response(500, NO_REPLY_MESSAGE, "server_error")
            if "error" in reply:
                return _error_response(int(reply["error"]), reply.get("message"))

            model = body.get("model") or MODEL_NAME
            if body.get("stream"):
                include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
                return StreamingResponse(
                    self._stream(reply, model, include_usage),
                    media_type="text/event-stream",
                    headers={"cache-control": "no-cache"},
                )
            return JSONResponse(self._completion(reply, model))

        return app

    @staticmethod
    def _usage(reply: dict) -> dict:
        content = reply.get("content") or ""
        args = "".join(tc["function"]["arguments"] for tc in _normalise_tool_calls(reply))
        completion_tokens = max(1, (len(content) + len(args)) // 4)
        return {"prompt_tokens": 10, "completion_tokens": completion_tokens, "total_tokens": 10 + completion_tokens}

    def _completion(self, reply: dict, model: str) -> dict:
        tool_calls = _normalise_tool_calls(reply)
        message: dict[str, Any] = {"role": "assistant", "content": reply.get("content")}
        if tool_calls:
            message["tool_calls"] = tool_calls
        return {
            "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "logprobs": None,
                    "finish_reason": reply.get("finish_reason") or ("tool_calls" if tool_calls else "stop"),
                }
            ],
            "usage": self._usage(reply),
        }

    def _stream(self, reply: dict, model: str, include_usage: bool) -> Iterator[str]:
        cid = f"chatcmpl-{uuid.uuid4().hex[:24]}"
        created = int(time.time())
        tool_calls = _normalise_tool_calls(reply)
        n = self.chunk_size

        def chunk(delta: dict | None, finish: str | None = None, usage: dict | None = None) -> str:
            obj: dict[str, Any] = {
                "id": cid,
                "object": "chat.completion.chunk",
                "created": created,
                "model": model,
                "choices": [] if delta is None else [
                    {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}
                ],
            }
            if include_usage:
                obj["usage"] = usage
            return f"data: {json.dumps(obj)}\n\n"

        yield chunk({"role": "assistant", "content": ""})
        content = reply.get("content")
        if content:
            for piece in _chunks(content, n):
                yield chunk({"content": piece})
        for idx, tc in enumerate(tool_calls):
            yield chunk(
                {
                    "tool_calls": [
                        {
                            "index": idx,
                            "id": tc["id"],
                            "type": "function",
                            "function": {"name": tc["function"]["name"], "arguments": ""},
                        }
                    ]
                }
            )
            for piece in _chunks(tc["function"]["arguments"], n):
                if piece:
                    yield chunk({"tool_calls": [{"index": idx, "function": {"arguments": piece}}]})
        finish = reply.get("finish_reason") or ("tool_calls" if tool_calls else "stop")
        yield chunk({}, finish)
        if include_usage:
            yield chunk(None, usage=self._usage(reply))
        yield "data: [DONE]\n\n"
