"""The agent's tool-source seam: tools beside the actions, routed calls, and errors that do not end the turn.

The source here is a small real one (it adds numbers); the MCP source itself is tested in test_mcp_*.py.
"""

from __future__ import annotations

import json
from typing import Any

from agent_events import kinds, only, run_turn
from core.agent import Agent, ErrorEvent, ReplyEvent, ToolResultEvent
from core.executor import Executor
from core.llm.base import ToolCall
from core.llm.scripted import ScriptedModel, turn
from core.schema import tool_schema
from core.toolsource import ToolSource
from core.trace import ErrorInfo, McpExchange, Trace


class Adder:
    """Adds numbers; ``fail`` makes it report an error once (as a dead server would), then offer no tools."""

    name = "adder"

    def __init__(self) -> None:
        self.alive = True
        self.errors: list[tuple[str, str]] = []
        self.calls: list[dict[str, Any]] = []

    def schemas(self) -> list[dict[str, Any]]:
        if not self.alive:
            return []
        return [{"type": "function", "function": {
            "name": "add_numbers", "description": "Add two numbers and return the sum.",
            "parameters": {"type": "object", "properties": {"a": {"type": "number"}, "b": {"type": "number"}},
                           "required": ["a", "b"]}}}]

    async def call(self, call: ToolCall) -> Trace:
        args = call.parsed_arguments()
        self.calls.append(args)
        if not self.alive:
            return Trace(action=call.name, tool_name=call.name, arguments=args,
                         error=ErrorInfo(kind="mcp_unavailable", message="the adder stopped"))
        return _sum_trace(call.name, args)

    def fail(self) -> None:
        self.alive = False
        self.errors.append(("mcp_unavailable", "the adder stopped; restart it"))

    def take_errors(self) -> list[tuple[str, str]]:
        out, self.errors = self.errors, []
        return out


def _sum_trace(name: str, args: dict[str, Any]) -> Trace:
    total = args["a"] + args["b"]
    return Trace(action=name, tool_name=name, arguments=args,
                 mcp=McpExchange(server="adder", transport="stdio", target="adder",
                                 request={"method": "tools/call", "params": {"name": name, "arguments": args}},
                                 response={"content": [{"type": "text", "text": str(total)}]}, result=str(total)))


def test_a_source_is_a_tool_source():
    assert isinstance(Adder(), ToolSource)


def test_source_tools_are_offered_after_the_actions_and_calls_go_to_the_source(loop, async_executor, make_action):
    action = make_action(name="Lookup Order", description="Look up an order by its number.")
    adder = Adder()
    model = ScriptedModel([turn("", ("add_numbers", {"a": 2, "b": 40})), "The sum is 42."])
    agent = Agent(model, [action], async_executor, sources=[adder])
    conv = agent.new_conversation()
    events = run_turn(loop, agent, conv, "what is 2 + 40?")
    assert kinds(events) == ["tool_call", "tool_result", "reply"]
    sent_tools = model.received[0][1]
    assert [t["function"]["name"] for t in sent_tools] == ["lookup_order", "add_numbers"]
    assert sent_tools[0] == tool_schema(action)
    result = only(events, ToolResultEvent)[0]
    assert result.result == "42" and result.trace.mcp is not None
    assert adder.calls == [{"a": 2, "b": 40}]
    tool_msg = [m for m in conv.messages if m.role == "tool"][0]
    assert tool_msg.content == "42"
    record = conv.turns[0].calls[0]
    assert record.tool_name == "add_numbers" and record.action is None and record.arguments == {"a": 2, "b": 40}
    assert conv.traces[0].id == record.trace_id


def test_an_action_wins_a_name_clash(loop, async_executor, make_action):
    action = make_action(name="Add Numbers", description="An action that happens to share the tool name.")
    agent = Agent(ScriptedModel(["ok"]), [action], async_executor, sources=[Adder()])
    assert [t["function"]["name"] for t in agent.tools] == ["add_numbers"]
    assert agent.tools[0] == tool_schema(action)


def test_a_dead_source_is_an_error_event_and_the_conversation_goes_on(loop, async_executor):
    adder = Adder()
    model = ScriptedModel([turn("", ("add_numbers", {"a": 1, "b": 1})), "Two.", "I can no longer add, sorry."])
    agent = Agent(model, [], async_executor, sources=[adder])
    conv = agent.new_conversation()
    assert kinds(run_turn(loop, agent, conv, "1+1?")) == ["tool_call", "tool_result", "reply"]
    adder.fail()
    events = run_turn(loop, agent, conv, "and 2+2?")
    assert kinds(events) == ["error", "reply"]
    err = only(events, ErrorEvent)[0]
    assert err.kind == "mcp_unavailable" and "restart" in err.message
    assert only(events, ReplyEvent)[0].text == "I can no longer add, sorry."
    assert model.received[-1][1] == []  # the dead source offers no tools
    assert conv.turns[-1].error is None  # the turn itself did not fail
    assert conv.turns[-1].notices == ["the adder stopped; restart it"]  # kept, for the page to show again


def test_an_unknown_tool_names_the_source_tools_too(loop, async_executor):
    model = ScriptedModel([turn("", ("multiply", {"a": 1})), "Sorry."])
    agent = Agent(model, [], async_executor, sources=[Adder()])
    events = run_turn(loop, agent, agent.new_conversation(), "3*3")
    error = only(events, ToolResultEvent)[0].trace.error
    assert error is not None and "add_numbers" in error.message
    assert json.loads(only(events, ToolResultEvent)[0].result)["error"]["kind"] == "invalid_arguments"


def test_the_unused_executor_is_not_needed_for_source_calls(loop):
    """A source call never touches the HTTP executor (an Executor with no client is fine)."""
    model = ScriptedModel([turn("", ("add_numbers", {"a": 1, "b": 2})), "3"])
    agent = Agent(model, [], Executor(), sources=[Adder()])
    events = run_turn(loop, agent, agent.new_conversation(), "1+2")
    assert only(events, ToolResultEvent)[0].result == "3"


def test_an_mcp_trace_reads_as_an_mcp_call():
    ok = _sum_trace("add_numbers", {"a": 1, "b": 2})
    assert ok.summary().startswith("MCP adder add_numbers -> ok in")
    assert ok.to_tool_result() == "3"
    long = ok.model_copy(update={"mcp": ok.mcp.model_copy(update={"result": "x" * 100})})
    assert long.to_tool_result(cap=50).endswith("...[truncated]") and len(long.to_tool_result(cap=50)) <= 50
    structured = ok.model_copy(update={"mcp": ok.mcp.model_copy(update={"result": {"sum": 3}})})
    assert json.loads(structured.to_tool_result()) == {"sum": 3}
    failed = ok.model_copy(update={"error": ErrorInfo(kind="mcp_error", message="b must be positive"),
                                   "hints": ["Read the tool's description."]})
    assert failed.summary().endswith("-> mcp_error")
    assert json.loads(failed.to_tool_result()) == {"error": {"kind": "mcp_error", "message": "b must be positive"},
                                                   "hint": "Read the tool's description."}
