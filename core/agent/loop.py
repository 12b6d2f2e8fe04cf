"""The conversation loop: model <-> tool calls <-> executor, as a stream of typed events."""

from __future__ import annotations

import asyncio
from typing import Any, AsyncIterator, Sequence

from ..action import Action
from ..errors import ModelError, VariableError
from ..executor import Executor
from ..llm.base import ChatModel, Message, ToolCall
from ..schema import resolve_values, tool_schema
from ..toolsource import ToolSource
from ..trace import ErrorInfo, Trace
from .conversation import CallRecord, Conversation, Turn
from .events import ErrorEvent, Event, ReplyEvent, TextDelta, ToolCallEvent, ToolResultEvent

DEFAULT_SYSTEM_PROMPT = (
    "You are a helpful voice and chat agent. Use the available tools (custom actions) to answer. "
    "Collect every required variable from the user before calling a tool; ask for what is missing. "
    "If a tool call fails, explain the problem to the user plainly."
)
RESULT_CAP = 4000


class Agent:
    def __init__(self, model: ChatModel, actions: Sequence[Action], executor: Executor, *,
                 runtime: dict[str, Any] | None = None, system_prompt: str | None = DEFAULT_SYSTEM_PROMPT,
                 max_turns: int = 6, result_cap: int = RESULT_CAP, strict_schema: bool = False,
                 sources: Sequence[ToolSource] = ()) -> None:
        self.model = model
        self.actions = {a.tool_name: a for a in actions}
        self.action_tools = [tool_schema(a, strict=strict_schema) for a in actions]
        self.sources = list(sources)  # tools beside the actions (MCP servers), asked afresh every model turn
        self.executor = executor
        self.runtime = dict(runtime or {})
        self.system_prompt = system_prompt
        self.max_turns = max_turns
        self.result_cap = result_cap

    @property
    def tools(self) -> list[dict[str, Any]]:
        """What the model sees: the actions' tools, then each source's (an action's name wins a clash)."""
        return self.action_tools + [t for _, t in self._source_tools()]

    def _source_tools(self) -> list[tuple[ToolSource, dict[str, Any]]]:
        seen = set(self.actions)
        out = []
        for source in self.sources:
            for schema in source.schemas():
                if schema["function"]["name"] not in seen:
                    seen.add(schema["function"]["name"])
                    out.append((source, schema))
        return out

    def _owners(self) -> dict[str, ToolSource]:
        return {schema["function"]["name"]: source for source, schema in self._source_tools()}

    def _source_errors(self) -> list[ErrorEvent]:
        """A source that failed to start or died: one error event each time, and the conversation goes on."""
        return [ErrorEvent(kind=kind, message=message) for s in self.sources for kind, message in s.take_errors()]

    def new_conversation(self) -> Conversation:
        messages = [Message(role="system", content=self.system_prompt)] if self.system_prompt else []
        return Conversation(messages=messages, model=getattr(self.model, "name", ""), runtime=dict(self.runtime))

    async def _call(self, call: ToolCall, owners: dict[str, ToolSource] | None = None) -> Trace:
        """Validate and coerce the arguments through the action's variables, then execute.
        A tool of a source goes to that source."""
        action = self.actions.get(call.name)
        source = (owners or {}).get(call.name)
        if action is None and source is not None:
            return await source.call(call)
        if action is None:
            known = ", ".join([*self.actions, *(owners or {})]) or "none"
            return Trace(action=call.name, tool_name=call.name,
                         error=ErrorInfo(kind="invalid_arguments",
                                         message=f"there is no tool named {call.name!r}; the tools are: {known}"))
        try:
            args = call.parsed_arguments()
            resolve_values(action, args, strict_unknown=True)
        except (ValueError, VariableError) as exc:
            trace = Trace(action=action.name, tool_name=call.name, arguments={"raw": call.arguments},
                          error=ErrorInfo(kind="invalid_arguments", message=str(exc)))
            trace.hints = [f"Ask the user again for a valid value, then call {call.name} again."]
            return trace
        return await self.executor.aexecute(action, args, self.runtime)

    async def run(self, conv: Conversation, user_text: str) -> AsyncIterator[Event]:
        """One user turn: events as they happen. Failed calls are tool results, never crashes."""
        turn = Turn(user=user_text)
        conv.turns.append(turn)
        conv.messages.append(Message(role="user", content=user_text))
        for event in self._source_errors():
            yield event
        for _ in range(self.max_turns):
            owners = self._owners()
            try:
                reply = None
                async for out in self.model.respond(conv.messages, self.tools):
                    if isinstance(out, str):
                        if out:
                            yield TextDelta(text=out)
                    else:
                        reply = out
                if reply is None:
                    raise ModelError("the model ended its turn without an answer; retry", "model_error")
            except ModelError as exc:
                turn.error = str(exc)
                yield ErrorEvent(kind=exc.kind, message=str(exc))
                return
            # content may be null only beside tool calls (OpenAI rejects a null-content plain assistant message)
            conv.messages.append(Message(role="assistant", content=reply.text or (None if reply.tool_calls else ""),
                                         tool_calls=reply.tool_calls))
            if not reply.tool_calls:
                turn.reply = reply.text
                yield ReplyEvent(text=reply.text)
                return
            for call in reply.tool_calls:
                action = self.actions.get(call.name)
                try:
                    shown: Any = call.parsed_arguments()
                except ValueError:
                    shown = call.arguments
                yield ToolCallEvent(call_id=call.id, tool_name=call.name, action=action.name if action else None,
                                    arguments=shown)
            async def settle(i: int, c: ToolCall) -> tuple[int, Trace]:
                return i, await self._call(c, owners)

            # keyed by position, not id: some servers repeat or omit tool call ids
            results: dict[int, Trace] = {}
            for fut in asyncio.as_completed([settle(i, c) for i, c in enumerate(reply.tool_calls)]):  # concurrently
                i, trace = await fut
                call = reply.tool_calls[i]
                results[i] = trace
                yield ToolResultEvent(call_id=call.id, tool_name=call.name, trace=trace,
                                      result=trace.to_tool_result(self.result_cap))
            for event in self._source_errors():
                yield event
            for i, call in enumerate(reply.tool_calls):  # tool messages in call order, whatever order they finished in
                trace = results[i]
                conv.traces.append(trace)
                known = call.name in self.actions or call.name in owners
                turn.calls.append(CallRecord(
                    tool_name=call.name, action=trace.action if call.name in self.actions else None,
                    arguments=trace.arguments if known else call.arguments,
                    status_code=trace.status_code, error_kind=trace.error.kind if trace.error else None,
                    trace_id=trace.id))
                conv.messages.append(Message(role="tool", tool_call_id=call.id, name=call.name,
                                             content=trace.to_tool_result(self.result_cap)))
        turn.error = f"stopped after {self.max_turns} model turns without a final reply"
        yield ErrorEvent(kind="max_turns", message=f"{turn.error}: the model keeps calling tools; check the tool "
                         "descriptions, or raise max_turns")

    async def replay(self, user_turns: Sequence[str]) -> Conversation:
        """A new conversation from the same user turns (for tweak-and-rerun and scenarios)."""
        conv = self.new_conversation()
        for text in user_turns:
            async for _ in self.run(conv, text):
                pass
        return conv
