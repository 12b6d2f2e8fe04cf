"""An MCP server's tools as a tool source for the agent (see core.toolsource).

Each server keeps one connection, held open by a task on the caller's event loop (the SDK's client
must be entered and left in one task). Its tools reach the model in the OpenAI function format;
each call becomes a Trace whose ``mcp`` part holds the request and the response. A server that
fails to start, or dies, never raises: its status says why, it offers no tools, and the error is
reported once through ``take_errors`` (the agent turns it into an ``error`` event).
"""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
import time
from typing import Any, Iterable, Literal, Sequence

import mcp_types as types
from mcp import Client, StdioServerParameters
from mcp.client.stdio import stdio_client
from mcp.shared.exceptions import MCPError

from ..llm.base import ToolCall
from ..trace import ErrorInfo, McpExchange, Trace
from .spec import McpServerSpec, parse_spec

Status = Literal["connecting", "ready", "failed", "stopped"]
TOOL_NAME = re.compile(r"[^A-Za-z0-9_-]")


def content_text(result: types.CallToolResult) -> str:
    """The result's content as text: text blocks as they are, other blocks as a short note."""
    parts = []
    for block in result.content:
        if isinstance(block, types.TextContent):
            parts.append(block.text)
        else:
            mime = getattr(block, "mime_type", None) or getattr(getattr(block, "resource", None), "mime_type", "")
            parts.append(f"[{block.type}{': ' + mime if mime else ''}]")
    return "\n".join(parts)


def _leaf(exc: BaseException) -> BaseException:
    """The first real error inside (nested) exception groups."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    return exc


class McpToolSource:
    """One MCP server. ``await start()`` connects (it never raises); ``await aclose()`` stops it."""

    def __init__(self, spec: McpServerSpec | str, *, timeout_s: float = 30.0, connect_timeout_s: float = 30.0) -> None:
        self.spec = parse_spec(spec)
        self.name = self.spec.label
        self.timeout_s = timeout_s
        self.connect_timeout_s = connect_timeout_s
        self.status: Status = "connecting"
        self.error: str | None = None
        self.tools: list[types.Tool] = []
        self._exposed: dict[str, str] = {}  # the name the model sees -> the server's tool name
        self._errors: list[tuple[str, str]] = []
        self._client: Client | None = None
        self._task: asyncio.Task[None] | None = None
        self._stop: asyncio.Event | None = None
        self._errlog: Any = None

    # -- lifecycle -------------------------------------------------------------------------
    def _transport(self) -> Any:
        if self.spec.transport == "http":
            return self.spec.target
        argv = self.spec.argv
        self._errlog = tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace")
        params = StdioServerParameters(command=argv[0], args=argv[1:], env={**os.environ, **self.spec.env},
                                       cwd=self.spec.cwd)
        return stdio_client(params, errlog=self._errlog)

    async def start(self) -> McpToolSource:
        self._stop, ready = asyncio.Event(), asyncio.Event()
        self._task = asyncio.create_task(self._hold(ready), name=f"mcp-{self.name}")
        try:
            await asyncio.wait_for(ready.wait(), self.connect_timeout_s)
        except asyncio.TimeoutError:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._fail(f"did not answer within {self.connect_timeout_s:g} s")
        return self

    async def _hold(self, ready: asyncio.Event) -> None:
        """Open the connection, list the tools, then keep it open until ``aclose``."""
        assert self._stop is not None
        try:
            async with Client(self._transport(), read_timeout_seconds=self.timeout_s) as client:
                info = client.server_info
                if info is not None and info.name and not self.spec.name:
                    self.name = info.name
                self.tools = await self._list_tools(client)
                self._client, self.status = client, "ready"
                ready.set()
                await self._stop.wait()
        except Exception as exc:  # noqa: BLE001 - whatever stopped it is reported, never raised
            self._fail(self._reason(_leaf(exc)))
        finally:
            self._client = None
            ready.set()

    @staticmethod
    async def _list_tools(client: Client) -> list[types.Tool]:
        tools, cursor = [], None
        for _ in range(100):  # a paginator that never ends cannot hang the start
            page = await client.list_tools(cursor=cursor)
            tools += page.tools
            cursor = page.next_cursor
            if not cursor:
                break
        return tools

    async def aclose(self) -> None:
        if self._stop is not None:
            self._stop.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(asyncio.gather(self._task, return_exceptions=True), 10)
            except asyncio.TimeoutError:
                self._task.cancel()
        if self.status in ("ready", "connecting"):
            self.status = "stopped"
        if self._errlog is not None:
            self._errlog.close()
            self._errlog = None

    # -- what went wrong ----------------------------------------------------------------------
    def stderr_tail(self, lines: int = 3) -> str:
        """The last lines the server wrote to stderr (stdio servers), one line."""
        if self._errlog is None or self._errlog.closed:
            return ""
        try:
            self._errlog.flush()
            self._errlog.seek(0)
            text = self._errlog.read()[-4000:]
        except (OSError, ValueError):
            return ""
        tail = [ln.strip() for ln in text.splitlines() if ln.strip()][-lines:]
        return " | ".join(tail)[-400:]

    def _reason(self, exc: BaseException) -> str:
        if isinstance(exc, FileNotFoundError):
            return f"cannot start `{self.spec.argv[0]}`: no such program (check the command and PATH)"
        if isinstance(exc, MCPError) and exc.code == types.CONNECTION_CLOSED:
            return "exited (it closed the connection)"
        if isinstance(exc, OSError) and exc.strerror:
            return f"cannot start it: {exc.strerror}"
        text = str(exc).strip() or type(exc).__name__
        if self.spec.transport == "http":
            return f"cannot talk to it ({type(exc).__name__}: {text})"
        return f"failed ({type(exc).__name__}: {text})"

    def _fail(self, reason: str) -> None:
        was = self.status
        self.status = "failed"
        tail = self.stderr_tail()
        where = f"`{self.spec.shown_target}`"
        verb = "died" if was == "ready" else "failed to start"
        self.error = (f"MCP server {self.name} ({where}) {verb}: {reason}" + (f"; its stderr: {tail}" if tail else "")
                      + ("; its tools are gone for this conversation" if was == "ready" else "")
                      + f". {self._restart_hint()}")
        self._errors.append(("mcp_unavailable", self.error))

    # -- the ToolSource protocol ------------------------------------------------------------
    def assign_names(self, taken: Iterable[str] = ()) -> list[str]:
        """Name each tool for the model: its own name made function-safe, or ``server__tool`` when another
        tool (an action, another server's) already has that name. Returns the names given."""
        taken = set(taken)
        prefix = TOOL_NAME.sub("_", self.name)
        self._exposed = {}
        for tool in self.tools:
            name = TOOL_NAME.sub("_", tool.name)[:64]
            if name in taken or name in self._exposed:
                name = f"{prefix}__{name}"[:64]
            self._exposed[name] = tool.name
        return list(self._exposed)

    def schemas(self) -> list[dict[str, Any]]:
        if self.status != "ready":
            return []
        if not self._exposed and self.tools:
            self.assign_names()
        by_name = {t.name: t for t in self.tools}
        out = []
        for exposed, real in self._exposed.items():
            tool = by_name[real]
            params = {"type": "object", "properties": {}, **tool.input_schema}
            out.append({"type": "function", "function": {
                "name": exposed, "description": tool.description or tool.title or tool.name, "parameters": params}})
        return out

    def take_errors(self) -> list[tuple[str, str]]:
        out, self._errors = self._errors, []
        return out

    async def call(self, call: ToolCall) -> Trace:
        real = self._exposed.get(call.name, call.name)
        trace = Trace(action=real, tool_name=call.name)
        try:
            args = call.parsed_arguments()
        except ValueError as exc:
            trace.arguments = {"raw": call.arguments}
            trace.error = ErrorInfo(kind="invalid_arguments", message=str(exc))
            trace.hints = [f"Send the arguments of {call.name} as a JSON object, then call it again."]
            return trace
        trace.arguments = args
        trace.mcp = McpExchange(server=self.name, transport=self.spec.transport, target=self.spec.shown_target,
                                request={"method": "tools/call", "params": {"name": real, "arguments": args}})
        client = self._client
        if client is None or self.status != "ready":
            return self._unavailable(trace, self.error or f"MCP server {self.name} is not connected")
        started = time.perf_counter()
        try:
            result = await client.call_tool(real, args, read_timeout_seconds=self.timeout_s)
        except MCPError as exc:
            trace.elapsed_ms = round((time.perf_counter() - started) * 1000, 2)
            if exc.code == types.CONNECTION_CLOSED:
                self._fail("exited during a call (it closed the connection)")
                return self._unavailable(trace, self.error or str(exc))
            if exc.code == types.REQUEST_TIMEOUT:
                trace.error = ErrorInfo(kind="timeout", message=f"no answer from MCP server {self.name} within "
                                                                f"{self.timeout_s:g} s")
                trace.hints = [f"The MCP tool {real} is slow or stuck: check the server, or raise its timeout."]
                return trace
            trace.mcp.response = {"error": {"code": exc.code, "message": exc.message}}
            trace.error = ErrorInfo(kind="mcp_error", message=f"the server refused the call ({exc.code}): {exc}")
            trace.hints = [f"Check the call against the input schema of {real} that {self.name} lists."]
            return trace
        except Exception as exc:  # noqa: BLE001 - a broken connection is a failed call, never a crash
            trace.elapsed_ms = round((time.perf_counter() - started) * 1000, 2)
            self._fail(self._reason(_leaf(exc)))
            return self._unavailable(trace, self.error or str(exc))
        trace.elapsed_ms = round((time.perf_counter() - started) * 1000, 2)
        trace.mcp.response = result.model_dump(mode="json", by_alias=True, exclude_none=True)
        trace.mcp.is_error = result.is_error
        text = content_text(result)
        if result.is_error:
            trace.error = ErrorInfo(kind="mcp_error", message=text or "the tool reported an error with no message")
            trace.hints = [f"The MCP tool {real} on {self.name} reported this error: fix the arguments (ask the "
                           "user again) or the server, then call it again."]
        else:
            trace.mcp.result = text if text or result.structured_content is None else result.structured_content
        return trace

    def _unavailable(self, trace: Trace, message: str) -> Trace:
        trace.error = ErrorInfo(kind="mcp_unavailable", message=message)
        trace.hints = [self._restart_hint()]
        return trace

    def _restart_hint(self) -> str:
        if self.spec.transport == "http":
            return f"Check that the MCP server at {self.spec.shown_target} is running, then start a new chat."
        return f"Run `{self.spec.shown_target}` in a terminal to see why it stops, fix it, then start a new chat."


async def open_sources(specs: Sequence[McpServerSpec | str], taken: Iterable[str] = (), *,
                       timeout_s: float = 30.0) -> list[McpToolSource]:
    """Connect to every server at once, then name their tools in order (actions' names ``taken`` first)."""
    sources = [McpToolSource(s, timeout_s=timeout_s) for s in specs]
    await asyncio.gather(*(s.start() for s in sources))
    names = set(taken)
    for source in sources:
        names.update(source.assign_names(names))
    return sources


async def close_sources(sources: Sequence[McpToolSource]) -> None:
    await asyncio.gather(*(s.aclose() for s in sources), return_exceptions=True)
