"""The actions as an MCP server: one tool per action, each call through the same executor the agent uses.

A tool's name, description and input schema are what ``playground schema`` prints; its result is
exactly what the agent's model receives (``Trace.to_tool_result``). A failed call is a tool error
(``isError``) with the same text: the error and its hint, secrets already masked in the trace.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Mapping, Sequence

import mcp_types as types
from mcp.server import Server

from .. import __version__
from ..action import Action
from ..agent import RESULT_CAP
from ..executor import Executor
from ..invocation import invoke
from ..llm.base import ToolCall
from ..schema import tool_schema
from ..store import atomic_write
from ..trace import ErrorInfo, Trace

SERVER_NAME = "custom-actions-playground"


def action_tool(action: Action) -> types.Tool:
    """The action as an MCP tool: the chat model's function tool, field for field."""
    function = tool_schema(action)["function"]
    return types.Tool(name=function["name"], title=action.name, description=function["description"],
                      input_schema=function["parameters"])


def tool_result(trace: Trace, cap: int = RESULT_CAP) -> types.CallToolResult:
    """What the agent's model would receive, as an MCP result; a failed call is a tool error."""
    return types.CallToolResult(content=[types.TextContent(text=trace.to_tool_result(cap))],
                                is_error=trace.error is not None)


class ActionServer:
    """Serves ``actions`` over MCP. ``trace_dir``: every call's trace is written there as JSON."""

    def __init__(self, actions: Sequence[Action], executor: Executor, runtime: Mapping[str, Any] | None = None,
                 *, trace_dir: str | Path | None = None, result_cap: int = RESULT_CAP) -> None:
        self.actions = {a.tool_name: a for a in actions}
        self.executor = executor
        self.runtime = dict(runtime or {})
        self.trace_dir = Path(trace_dir) if trace_dir else None
        self.result_cap = result_cap

    def tools(self) -> list[types.Tool]:
        return [action_tool(a) for a in self.actions.values()]

    async def call(self, name: str, arguments: Mapping[str, Any] | None) -> Trace:
        action = self.actions.get(name)
        if action is None:
            known = ", ".join(self.actions) or "none"
            trace = Trace(action=name, tool_name=name, arguments=dict(arguments or {}),
                          error=ErrorInfo(kind="invalid_arguments",
                                          message=f"there is no tool named {name!r}; the tools are: {known}"))
        else:
            trace = await invoke(action, ToolCall(name=name, arguments=json.dumps(dict(arguments or {}))),
                                 self.executor, self.runtime)
        self.keep(trace)
        return trace

    def keep(self, trace: Trace) -> Path | None:
        """Write the trace to ``trace_dir`` (one JSON file per call, named by time, tool and id)."""
        if self.trace_dir is None:
            return None
        self.trace_dir.mkdir(parents=True, exist_ok=True)
        path = self.trace_dir / f"{trace.started_at:%Y%m%dT%H%M%S}-{trace.tool_name or 'tool'}-{trace.id}.json"
        atomic_write(path, trace.model_dump_json(indent=2) + "\n")
        return path

    def server(self) -> Server[Any]:
        """The MCP SDK's low-level server, wired to this action set."""

        async def list_tools(ctx: Any, params: types.PaginatedRequestParams | None) -> types.ListToolsResult:
            return types.ListToolsResult(tools=self.tools())

        async def call_tool(ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
            return tool_result(await self.call(params.name, params.arguments), self.result_cap)

        return Server(SERVER_NAME, version=__version__,
                      instructions="Custom actions: HTTP API calls defined in the Custom Actions Playground.",
                      on_list_tools=list_tools, on_call_tool=call_tool)
