"""One tool call of an action, as the model (or an MCP client) makes it: check the arguments, then execute."""

from __future__ import annotations

from typing import Any, Mapping

import httpx

from .action import Action
from .errors import VariableError
from .executor import Executor
from .llm.base import ToolCall
from .schema import resolve_values
from .trace import ErrorInfo, Trace


async def invoke(action: Action, call: ToolCall, executor: Executor, runtime: Mapping[str, Any] | None,
                 *, cookies: httpx.Cookies | None = None) -> Trace:
    """Validate and coerce the arguments through the action's variables, then execute.
    Bad arguments are a trace with an ``invalid_arguments`` error and a hint, never an exception.
    ``cookies``: the conversation's jar (None: the call gets a fresh one)."""
    try:
        args = call.parsed_arguments()
        resolve_values(action, args, strict_unknown=True)
    except (ValueError, VariableError) as exc:
        trace = Trace(action=action.name, tool_name=call.name, arguments={"raw": call.arguments},
                      error=ErrorInfo(kind="invalid_arguments", message=str(exc)))
        trace.hints = [f"Ask the user again for a valid value, then call {call.name} again."]
        return trace
    return await executor.aexecute(action, args, runtime, cookies=cookies)
