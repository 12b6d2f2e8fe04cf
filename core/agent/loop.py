"""The conversation loop: model <-> tool calls <-> executor, as a stream of typed events."""

from __future__ import annotations

import asyncio
from typing import Any, AsyncIterator, Callable, Sequence

import httpx

from .. import result
from ..action import Action, distinct_tool_names
from ..errors import ModelError
from ..executor import Executor
from ..invocation import invoke
from ..llm.base import AssistantTurn, ChatModel, Message, ToolCall
from ..recording import Exchange, ModelExchange, RecordedToolCall, seen, tool_functions
from ..schema import tool_schema
from ..toolsource import ToolSource
from ..trace import ErrorInfo, Trace
from .conversation import CallRecord, Conversation, ResultVariable, Turn
from .deadair import DEFAULT_THRESHOLD_MS, DeadAirClock
from .events import (AsyncResultEvent, DeadAirEvent, ErrorEvent, Event, ReplyEvent, SpeechEvent, TextDelta,
                     ToolCallEvent, ToolResultEvent)

DEFAULT_SYSTEM_PROMPT = (
    "You are a helpful voice and chat agent. Use the available tools (custom actions) to answer. "
    "Collect every required variable from the user before calling a tool; ask for what is missing. "
    "If a tool call fails, explain the problem to the user plainly."
)
RESULT_CAP = result.RESULT_CAP


def model_exchange(conv: Conversation, tools: list[dict[str, Any]], reply: AssistantTurn) -> Exchange:
    """The model's answer for the recording, with a fingerprint of what it was sent (before its answer)."""
    if not conv.tools_seen:
        conv.tools_seen = tool_functions(tools)
    return Exchange(turn=len(conv.turns), model=ModelExchange(
        seen=seen(conv.messages, tools, conv.seen_labels()), text=reply.text,
        tool_calls=[RecordedToolCall(id=c.id, name=c.name, arguments=c.arguments) for c in reply.tool_calls]))


class Agent:
    def __init__(self, model: ChatModel, actions: Sequence[Action], executor: Executor, *,
                 runtime: dict[str, Any] | None = None, system_prompt: str | None = DEFAULT_SYSTEM_PROMPT,
                 max_turns: int = 6, result_cap: int = RESULT_CAP, strict_schema: bool = False,
                 sources: Sequence[ToolSource] = (), dead_air_threshold_ms: float = DEFAULT_THRESHOLD_MS) -> None:
        self.model = model
        actions = distinct_tool_names(actions)  # two actions named alike must not give two tools of one name
        self.actions = {a.tool_name: a for a in actions}
        self.action_tools = [tool_schema(a, strict=strict_schema) for a in actions]
        self.sources = list(sources)  # tools beside the actions (MCP servers), asked afresh every model turn
        self.executor = executor
        self.runtime = dict(runtime or {})
        self.system_prompt = system_prompt
        self.max_turns = max_turns
        self.result_cap = result_cap
        self.dead_air_threshold_ms = dead_air_threshold_ms

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

    def _source_errors(self, turn: Turn) -> list[ErrorEvent]:
        """A source that failed to start or died: one error event each time (kept in the turn's notices), and
        the conversation goes on."""
        events = [ErrorEvent(kind=kind, message=message) for s in self.sources for kind, message in s.take_errors()]
        turn.notices += [e.message for e in events]
        return events

    def new_conversation(self) -> Conversation:
        messages = [Message(role="system", content=self.system_prompt)] if self.system_prompt else []
        return Conversation(messages=messages, model=getattr(self.model, "name", ""), runtime=dict(self.runtime))

    async def _call(self, call: ToolCall, owners: dict[str, ToolSource] | None = None,
                    variables: dict[str, Any] | None = None, cookies: httpx.Cookies | None = None) -> Trace:
        """Validate and coerce the arguments through the action's variables, then execute; the result is shaped
        for the model (picks, max_chars). A tool of a source goes to that source. ``variables``: the
        conversation's result variables (placeholders of later actions), over the session's runtime;
        ``cookies``: the conversation's jar."""
        action = self.actions.get(call.name)
        source = (owners or {}).get(call.name)
        if action is None and source is not None:
            return result.shape(await source.call(call), None, self.result_cap)
        if action is None:
            known = ", ".join([*self.actions, *(owners or {})]) or "none"
            return result.shape(Trace(action=call.name, tool_name=call.name, error=ErrorInfo(
                kind="invalid_arguments", message=f"there is no tool named {call.name!r}; the tools are: {known}")),
                None, self.result_cap)
        trace = await invoke(action, call, self.executor, {**self.runtime, **(variables or {})},
                             cookies=cookies)
        if trace.error is not None and trace.error.kind == "unreplaced_placeholder":
            trace.hints[:0] = result.unset_variable_hints(action, self.actions.values(), variables or {})
        return result.shape(trace, action, self.result_cap)

    def _start_async(self, conv: Conversation, call: ToolCall, owners: dict[str, ToolSource]) -> Trace:
        """Run the call in the background; the trace returned now is what the model is told (started)."""
        action = self.actions[call.name]
        try:
            shown = call.parsed_arguments()
        except ValueError:
            shown = {"raw": call.arguments}
        started = Trace(action=action.name, tool_name=call.name, arguments=shown, mode="async")
        started.result = result.started_result(self.result_cap)
        variables = conv.variable_values()

        async def background() -> None:
            trace = await self._call(call, owners, variables, conv.cookies)
            trace.id, trace.mode, trace.result = started.id, "async", started.result  # the model got "started"
            trace.hints.append("Async call (mode: async): the model was told it started and did not wait; this "
                               "result arrived later and was never given to the model.")
            conv.traces.append(trace)
            for turn in conv.turns:
                for record in turn.calls:
                    if record.trace_id == trace.id:
                        record.status_code = trace.status_code
                        record.error_kind = trace.error.kind if trace.error else None
            if call.id in conv.pending:
                conv.pending.remove(call.id)
            conv._finished.append((call.id, trace))

        task = asyncio.ensure_future(background())
        conv._tasks.add(task)
        task.add_done_callback(conv._tasks.discard)
        conv.pending.append(call.id)
        return started

    @staticmethod
    def async_results(conv: Conversation) -> list[AsyncResultEvent]:
        """Events for the async calls that completed since the last look (streamed by ``run`` as they come)."""
        return [AsyncResultEvent(call_id=call_id, tool_name=trace.tool_name, trace=trace)
                for call_id, trace in conv.take_finished()]

    @staticmethod
    def _stop_clock(clock: DeadAirClock, turn: Turn, *, spoke: bool = True) -> DeadAirEvent:
        event = clock.stop(spoke=spoke)
        turn.dead_air_ms, turn.dead_air_hint, turn.dead_air_call = event.dead_air_ms, event.hint, event.slow_call
        return event

    def _remember(self, conv: Conversation, trace: Trace) -> None:
        """A sync call's result picks become conversation variables ({{name}} in later actions)."""
        for name, value in result.variables(trace).items():
            conv.variables[name] = ResultVariable(value=value, action=trace.action, trace_id=trace.id,
                                                  turn=len(conv.turns))

    async def run(self, conv: Conversation, user_text: str) -> AsyncIterator[Event]:
        """One user turn: events as they happen. Failed calls are tool results, never crashes."""
        turn = Turn(user=user_text)
        clock = DeadAirClock(self.dead_air_threshold_ms)
        conv.turns.append(turn)
        conv.messages.append(Message(role="user", content=user_text))
        for event in [*self._source_errors(turn), *self.async_results(conv)]:
            yield event
        for _ in range(self.max_turns):
            owners = self._owners()
            tools = self.tools
            try:
                reply = None
                async for out in self.model.respond(conv.messages, tools):
                    if isinstance(out, str):
                        if out:
                            yield TextDelta(text=out)
                        if out.strip() and not clock.stopped:  # the model's first words end the silence
                            yield self._stop_clock(clock, turn)
                    else:
                        reply = out
                if reply is None:
                    raise ModelError("the model ended its turn without an answer; retry", "model_error")
            except ModelError as exc:
                turn.error = str(exc)
                if not clock.stopped:  # the figure comes before the turn's last event, as for a reply
                    yield self._stop_clock(clock, turn, spoke=False)
                yield ErrorEvent(kind=exc.kind, message=str(exc))
                return
            conv.model_turns.append(model_exchange(conv, tools, reply))
            # content may be null only beside tool calls (OpenAI rejects a null-content plain assistant message)
            conv.messages.append(Message(role="assistant", content=reply.text or (None if reply.tool_calls else ""),
                                         tool_calls=reply.tool_calls))
            if not reply.tool_calls:
                turn.reply = reply.text
                if not clock.stopped:  # a model that did not stream: its reply is its first words
                    yield self._stop_clock(clock, turn, spoke=bool(reply.text.strip()))
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
                if action is not None and action.speak_during:  # said at once, before the call has an outcome
                    turn.speech.append(action.speak_during)
                    yield SpeechEvent(call_id=call.id, tool_name=call.name, text=action.speak_during)
                    if not clock.stopped:
                        yield self._stop_clock(clock, turn)

            variables = conv.variable_values()
            results: dict[int, Trace] = {}  # keyed by position, not id: some servers repeat or omit tool call ids
            for i, call in enumerate(reply.tool_calls):
                action = self.actions.get(call.name)
                if action is not None and action.mode == "async":
                    results[i] = self._start_async(conv, call, owners)
                    yield ToolResultEvent(call_id=call.id, tool_name=call.name, trace=results[i],
                                          result=results[i].to_tool_result())

            async def settle(i: int, c: ToolCall) -> tuple[int, Trace]:
                return i, await self._call(c, owners, variables, conv.cookies)

            waiting = [settle(i, c) for i, c in enumerate(reply.tool_calls) if i not in results]
            for fut in asyncio.as_completed(waiting):  # concurrently
                i, trace = await fut
                call = reply.tool_calls[i]
                results[i] = trace
                clock.call_done(trace)
                yield ToolResultEvent(call_id=call.id, tool_name=call.name, trace=trace,
                                      result=trace.to_tool_result())
            for event in [*self._source_errors(turn), *self.async_results(conv)]:
                yield event
            for i, call in enumerate(reply.tool_calls):  # tool messages in call order, whatever order they finished in
                trace = results[i]
                if trace.mode == "sync":  # an async call's trace joins the conversation when it completes
                    conv.traces.append(trace)
                    self._remember(conv, trace)
                known = call.name in self.actions or call.name in owners
                outcome = trace if trace.mode == "sync" else next(  # an async call may have finished already
                    (t for t in conv.traces if t.id == trace.id), trace)
                turn.calls.append(CallRecord(
                    tool_name=call.name, action=trace.action if call.name in self.actions else None,
                    arguments=trace.arguments if known else call.arguments,
                    status_code=outcome.status_code, error_kind=outcome.error.kind if outcome.error else None,
                    trace_id=trace.id, delivery=outcome.delivery, mode=trace.mode))
                conv.messages.append(Message(role="tool", tool_call_id=call.id, name=call.name,
                                             content=trace.to_tool_result()))
        turn.error = f"stopped after {self.max_turns} model turns without a final reply"
        if not clock.stopped:
            yield self._stop_clock(clock, turn, spoke=False)
        yield ErrorEvent(kind="max_turns", message=f"{turn.error}: the model keeps calling tools; check the tool "
                         "descriptions, or raise max_turns")

    async def replay(self, user_turns: Sequence[str],
                     before_turn: Callable[[int], None] | None = None) -> Conversation:
        """A new conversation from the same user turns (for tweak-and-rerun and scenarios).
        ``before_turn(n)`` is called before user turn n (1-based), e.g. to tell a replay which turn it is."""
        conv = self.new_conversation()
        for n, text in enumerate(user_turns, 1):
            if before_turn is not None:
                before_turn(n)
            async for _ in self.run(conv, text):
                pass
        return conv
