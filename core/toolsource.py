"""Tools beside the actions: the seam through which another source (an MCP server) lends the agent tools.

The agent asks each source for its tool schemas on every model turn (a source whose server died
offers none), routes a call to the source that owns the tool name, and turns the errors a
source reports (it failed to start, it died) into ``error`` events without ending the turn.
"""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

from .llm.base import ToolCall
from .trace import Trace


@runtime_checkable
class ToolSource(Protocol):
    """A set of tools the agent can call. ``call`` never raises: a failure is a trace with an error."""

    name: str

    def schemas(self) -> list[dict[str, Any]]:
        """The tools it offers now, as OpenAI function tools (the same shape as ``tool_schema``)."""
        ...

    async def call(self, call: ToolCall) -> Trace:
        """Run one tool call; the trace's ``to_tool_result`` is what the model receives."""
        ...

    def take_errors(self) -> list[tuple[str, str]]:
        """``(kind, message)`` of what went wrong since the last ask (each is reported once)."""
        ...

