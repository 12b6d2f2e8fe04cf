"""The agent loop against the real demo API on 127.0.0.1: scripted turns first, then the offline simulator.

Sample actions are rebased onto a demo server on a free port; secrets come from
``DEMO_SECRETS`` through a resolver (``os.environ`` is never touched). The async agent runs
on one background loop (``LoopThread``) so the shared ``httpx.AsyncClient`` stays on it.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path
from typing import Any, AsyncIterator

import pytest

from core.action import Action, load_action, parse_action
from core.agent import (Agent, Conversation, DeadAirEvent, ErrorEvent, ReplyEvent, TextDelta, ToolCallEvent,
                        ToolResultEvent, compare)
from core.demo import DEMO_SECRETS, DemoServer, rebase_action
from core.errors import ModelError
from core.executor import Executor
from core.llm.base import AssistantTurn, Message, ModelOutput, ToolCall
from core.llm.scripted import ScriptedModel, turn
from core.loop import LoopThread
from core.schema import tool_schema
from agent_events import kinds, only, run_turn  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_actions"


# -- fixtures ---------------------------------------------------------------------------
def rebased(action: Action, base_url: str) -> Action:
    return rebase_action(action, base_url)


@pytest.fixture(scope="module")
def actions(demo: DemoServer) -> dict[str, Action]:
    """Every sample (and broken sample) by file stem, pointed at the test's demo server, plus a slow action
    with an integer variable."""
    out = {p.stem: rebased(load_action(p), demo.base_url)
           for p in [*SAMPLES.glob("*.json"), *(SAMPLES / "broken").glob("*.json")]}
    out["slow_call"] = parse_action({
        "name": "Slow Call", "description": "Answer after a delay; used to check that calls run concurrently.",
        "method": "GET", "url": demo.url("/debug/slow"), "query": {"delay_ms": "{{delay_ms}}"},
        "variables": [{"name": "delay_ms", "type": "integer", "description": "How long the server waits, in ms",
                       "example": 300, "required": True}],
        "timeout_s": 10,
    }, "test")
    return out


def tool_messages(messages: list[Message]) -> list[Message]:
    return [m for m in messages if m.role == "tool"]


# -- scripted model ---------------------------------------------------------------------
def test_tool_call_runs_against_the_demo_api_and_the_result_goes_back(loop, actions, async_executor):
    order = actions["order_status"]
    model = ScriptedModel([
        turn("", ToolCall(id="call_1", name="lookup_order_status", arguments='{"order_number": "ORD-10042"}')),
        turn("Your order ORD-10042 has shipped with UPS."),
    ])
    agent = Agent(model, [order], async_executor)
    conv = agent.new_conversation()
    events = run_turn(loop, agent, conv, "Where is my order ORD-10042?")

    assert kinds(events) == ["tool_call", "tool_result", "reply"]
    call, = only(events, ToolCallEvent)
    assert (call.call_id, call.tool_name, call.action) == ("call_1", "lookup_order_status", "Lookup Order Status")
    assert call.arguments == {"order_number": "ORD-10042"}

    result, = only(events, ToolResultEvent)
    trace = result.trace
    assert trace.ok and trace.status_code == 200
    assert trace.response is not None and trace.response.body["status"] == "shipped"
    assert trace.request is not None and trace.request.url.endswith("/orders/status?order_number=ORD-10042")
    assert trace.request.headers["Authorization"].startswith("Bearer ****")
    assert DEMO_SECRETS["DEMO_ORDERS_TOKEN"] not in trace.model_dump_json()
    expected = json.dumps({"status": 200, "body": trace.response.body}, ensure_ascii=False, separators=(",", ":"))
    assert result.result == expected
    assert result.result.startswith('{"status":200,"body":{')

    # what the model was sent: the tools, then the history with the tool call and its result
    first_messages, first_tools = model.received[0]
    assert first_tools == [tool_schema(order)] == agent.tools
    assert [m.role for m in first_messages] == ["system", "user"]
    second_messages, _ = model.received[1]
    assert [m.role for m in second_messages] == ["system", "user", "assistant", "tool"]
    assistant, tool = second_messages[2], second_messages[3]
    assert assistant.content is None and [c.id for c in assistant.tool_calls] == ["call_1"]
    assert tool.tool_call_id == "call_1" and tool.name == "lookup_order_status" and tool.content == expected
    assert tool.to_openai() == {"role": "tool", "content": expected, "tool_call_id": "call_1"}

    assert only(events, ReplyEvent)[0].text == "Your order ORD-10042 has shipped with UPS."
    assert "".join(e.text for e in only(events, TextDelta)) == "Your order ORD-10042 has shipped with UPS."
    record, = conv.turns[0].calls
    assert (record.tool_name, record.action, record.status_code, record.error_kind) == (
        "lookup_order_status", "Lookup Order Status", 200, None)
    assert record.trace_id == trace.id and conv.traces == [trace]
    assert conv.turns[0].reply == "Your order ORD-10042 has shipped with UPS."
    model.assert_all_used()


@pytest.mark.parametrize("call, words", [
    pytest.param(ToolCall(id="c", name="slow_call", arguments='{"delay_ms": "many"}'),
                 ["delay_ms", "integer", "'many'"], id="wrong-type"),
    pytest.param(ToolCall(id="c", name="slow_call", arguments='{"delay_ms": 5, "colour": "red"}'),
                 ["unknown argument 'colour'", "delay_ms"], id="unknown-argument"),
    pytest.param(ToolCall(id="c", name="slow_call", arguments='{"delay_ms": 5'),
                 ["not valid JSON"], id="malformed-json"),
    pytest.param(ToolCall(id="c", name="slow_call", arguments='[5]'),
                 ["JSON object"], id="not-an-object"),
    pytest.param(ToolCall(id="c", name="slow_call", arguments="{}"),
                 ["delay_ms is required", "e.g. 300"], id="missing-required"),
    pytest.param(ToolCall(id="c", name="launch_rockets", arguments="{}"),
                 ["no tool named 'launch_rockets'", "slow_call"], id="unknown-tool"),
])
def test_invalid_arguments_are_sent_back_and_the_conversation_goes_on(loop, actions, async_executor, call, words):
    model = ScriptedModel([turn("", call), turn("Sorry, how long should the server wait?")])
    agent = Agent(model, [actions["slow_call"]], async_executor)
    conv = agent.new_conversation()
    events = run_turn(loop, agent, conv, "make a slow call")

    assert kinds(events) == ["tool_call", "tool_result", "reply"]
    result, = only(events, ToolResultEvent)
    assert result.trace.error is not None and result.trace.error.kind == "invalid_arguments"
    assert result.trace.response is None  # nothing was sent
    for word in words:
        assert word in result.trace.error.message
    sent = json.loads(result.result)
    assert sent["error"]["kind"] == "invalid_arguments" and "status" not in sent
    # the error went back to the model, and the next scripted turn was used
    tool = tool_messages(model.received[1][0])[-1]
    assert tool.tool_call_id == "c" and tool.content == result.result
    assert only(events, ReplyEvent)[0].text == "Sorry, how long should the server wait?"
    assert conv.turns[0].calls[0].error_kind == "invalid_arguments" and conv.turns[0].error is None
    model.assert_all_used()


def test_parallel_tool_calls_run_concurrently(loop, actions, async_executor):
    delay = 300
    calls = [ToolCall(id=f"c{i}", name="slow_call", arguments=json.dumps({"delay_ms": delay})) for i in range(3)]
    model = ScriptedModel([turn("", *calls), turn("All three answered.")])
    agent = Agent(model, [actions["slow_call"]], async_executor)
    conv = agent.new_conversation()
    started = time.perf_counter()
    events = run_turn(loop, agent, conv, "three slow calls please")
    elapsed_ms = (time.perf_counter() - started) * 1000

    traces = [e.trace for e in only(events, ToolResultEvent)]
    assert len(traces) == 3 and all(t.status_code == 200 for t in traces)
    assert all(t.response.body["waited_ms"] >= delay - 5 for t in traces)  # type: ignore[union-attr]
    # overlap: every call started before the first one finished
    ends = [t.started_at + dt.timedelta(milliseconds=t.elapsed_ms) for t in traces]
    assert max(t.started_at for t in traces) < min(ends)
    assert elapsed_ms < 2 * delay, f"3 parallel calls of {delay} ms took {elapsed_ms:.0f} ms"


def test_tool_messages_come_back_in_call_order(loop, actions, async_executor):
    delays = [300, 150, 0]  # finish in reverse order
    calls = [ToolCall(id=f"c{i}", name="slow_call", arguments=json.dumps({"delay_ms": d}))
             for i, d in enumerate(delays)]
    model = ScriptedModel([turn("", *calls), turn("Done.")])
    agent = Agent(model, [actions["slow_call"]], async_executor)
    conv = agent.new_conversation()
    events = run_turn(loop, agent, conv, "go")

    assert [e.call_id for e in only(events, ToolCallEvent)] == ["c0", "c1", "c2"]
    assert [e.call_id for e in only(events, ToolResultEvent)] == ["c2", "c1", "c0"]  # as they finish
    sent = tool_messages(model.received[1][0])
    assert [m.tool_call_id for m in sent] == ["c0", "c1", "c2"]  # in call order for the model
    assert [json.loads(m.content)["body"]["delay_ms"] for m in sent] == delays  # type: ignore[arg-type]
    assert [c.arguments for c in conv.turns[0].calls] == [{"delay_ms": d} for d in delays]
    assert [t.arguments for t in conv.traces] == [{"delay_ms": d} for d in delays]


def test_repeated_tool_call_ids_keep_each_result(loop, actions, async_executor):
    """Some local servers send the same (or an empty) id for every call: each result still goes back."""
    calls = [ToolCall(id="dup", name="lookup_order_status", arguments='{"order_number": "ORD-10042"}'),
             ToolCall(id="dup", name="demo_api_health_check", arguments="{}")]
    model = ScriptedModel([turn("", *calls), turn("ok")])
    agent = Agent(model, [actions["order_status"], actions["health_check"]], async_executor)
    conv = agent.new_conversation()
    run_turn(loop, agent, conv, "go")
    first, second = (json.loads(m.content) for m in tool_messages(model.received[1][0]))  # type: ignore[arg-type]
    assert first["body"]["order_number"] == "ORD-10042"
    assert second["body"]["status"] == "ok" and "order_number" not in second["body"]
    assert [c.action for c in conv.turns[0].calls] == ["Lookup Order Status", "Demo API Health Check"]


@pytest.mark.parametrize("key, arguments, kind, status, hint_word", [
    ("wrong_token", {"customer_id": "CUST-1001"}, "http_401", 401, "token"),
    ("wrong_path", {"customer_id": "CUST-1001"}, "http_404", 404, "url"),
    ("timeout_too_short", {}, "timeout", None, "timeout"),
])
def test_failed_calls_are_tool_results_with_hints(loop, actions, async_executor, key, arguments, kind, status, hint_word):
    action = actions[key]
    model = ScriptedModel([turn("", ToolCall(id="c", name=action.tool_name, arguments=json.dumps(arguments))),
                           turn("The call failed; let me explain.")])
    agent = Agent(model, [action], async_executor)
    conv = agent.new_conversation()
    events = run_turn(loop, agent, conv, "try it")

    assert kinds(events) == ["tool_call", "tool_result", "reply"]
    trace = only(events, ToolResultEvent)[0].trace
    assert trace.error is not None and trace.error.kind == kind
    assert trace.status_code == status
    assert trace.hints and any(hint_word in h.lower() for h in trace.hints)
    sent = json.loads(tool_messages(model.received[1][0])[0].content)  # type: ignore[arg-type]
    assert sent["error"]["kind"] == kind and sent["hint"] == trace.hints[0]
    if status is not None:
        assert sent["status"] == status
    assert conv.turns[0].calls[0].error_kind == kind and conv.turns[0].reply
    model.assert_all_used()


def test_flaky_503_is_a_tool_result(loop, actions, async_executor):
    flaky = actions["flaky_service"]
    model = ScriptedModel([turn("", ToolCall(id="a", name=flaky.tool_name)),
                           turn("", ToolCall(id="b", name=flaky.tool_name)),
                           turn("The service is flaky.")])
    agent = Agent(model, [flaky], async_executor)
    conv = agent.new_conversation()
    events = run_turn(loop, agent, conv, "is the service up?")
    traces = [e.trace for e in only(events, ToolResultEvent)]
    assert sorted(t.status_code for t in traces) == [200, 503]  # type: ignore[type-var]
    failed = next(t for t in traces if t.status_code == 503)
    assert failed.error is not None and failed.error.kind == "http_5xx" and failed.hints
    assert json.loads(failed.to_tool_result())["hint"] == failed.hints[0]
    assert only(events, ReplyEvent)[0].text == "The service is flaky."


def test_max_turns_stops_a_model_that_keeps_calling_tools(loop, actions, async_executor):
    model = ScriptedModel([turn("", ("demo_api_health_check", {})) for _ in range(10)])
    agent = Agent(model, [actions["health_check"]], async_executor, max_turns=3)
    conv = agent.new_conversation()
    events = run_turn(loop, agent, conv, "loop forever")
    assert kinds(events) == ["tool_call", "tool_result"] * 3 + ["error"]
    error = events[-1]
    assert isinstance(error, ErrorEvent) and error.kind == "max_turns" and "max_turns" in error.message
    assert model.used == 3
    assert conv.turns[0].error and len(conv.turns[0].calls) == 3 and conv.turns[0].reply == ""


class FailingModel:
    """Streams some text, then fails like a rate-limited server; answers normally afterwards."""

    name = "failing"

    def __init__(self) -> None:
        self.calls = 0

    async def respond(self, messages: list[Message], tools: list[dict[str, Any]]) -> AsyncIterator[ModelOutput]:
        self.calls += 1
        if self.calls == 1:
            yield "Let me "
            raise ModelError("the model server is rate limiting (429): wait and retry", "model_rate_limit")
        yield AssistantTurn(text="Back again.")


class SilentModel:
    name = "silent"

    async def respond(self, messages: list[Message], tools: list[dict[str, Any]]) -> AsyncIterator[ModelOutput]:
        yield "thinking"


def test_model_error_becomes_an_error_event(loop, actions, async_executor):
    model = FailingModel()
    agent = Agent(model, [actions["health_check"]], async_executor)
    conv = agent.new_conversation()
    events = run_turn(loop, agent, conv, "hello")
    assert [type(e) for e in events] == [TextDelta, DeadAirEvent, ErrorEvent]  # its first words end the silence
    assert events[-1].kind == "model_rate_limit" and "429" in events[-1].message  # type: ignore[union-attr]
    assert conv.turns[0].error and "429" in conv.turns[0].error
    # the conversation can go on
    events = run_turn(loop, agent, conv, "hello again")
    assert only(events, ReplyEvent)[0].text == "Back again."


def test_exhausted_script_and_silent_model_are_error_events(loop, actions, async_executor):
    agent = Agent(ScriptedModel([]), [actions["health_check"]], async_executor)
    events = run_turn(loop, agent, agent.new_conversation(), "hi")
    assert kinds(events) == ["error"] and "scripted turns were used" in events[-1].message  # type: ignore[union-attr]

    agent = Agent(SilentModel(), [actions["health_check"]], async_executor)
    events = run_turn(loop, agent, agent.new_conversation(), "hi")
    assert kinds(events) == ["error"] and events[-1].kind == "model_error"  # type: ignore[union-attr]


def test_a_conversation_that_needs_no_tool(loop, actions, async_executor):
    text = "Hello! I can look up orders, customers and stock. What do you need?"
    model = ScriptedModel([text])
    agent = Agent(model, list(actions.values()), async_executor)
    conv = agent.new_conversation()
    events = run_turn(loop, agent, conv, "hi there")
    assert kinds(events) == ["reply"] and events[-1].text == text  # type: ignore[union-attr]
    assert len(only(events, TextDelta)) > 1 and "".join(e.text for e in only(events, TextDelta)) == text
    assert model.received[0][1] == agent.tools and len(agent.tools) == len(actions)
    assert [m.role for m in conv.messages] == ["system", "user", "assistant"]
    assert conv.traces == [] and conv.turns[0].calls == []


def test_an_empty_reply_is_stored_as_empty_text_not_null(loop, actions, async_executor):
    """OpenAI refuses an assistant message whose content is null when it has no tool calls."""
    agent = Agent(ScriptedModel([""]), [actions["health_check"]], async_executor)
    conv = agent.new_conversation()
    run_turn(loop, agent, conv, "hi")
    assert conv.messages[-1].to_openai() == {"role": "assistant", "content": ""}


def _order_conversation(loop: LoopThread, agent: Agent) -> Conversation:
    conv = agent.new_conversation()
    for text in ["where is my order?", "It's ORD-10042"]:
        run_turn(loop, agent, conv, text)
    return conv


def test_conversation_round_trips_and_replay_against_a_changed_action_is_compared(loop, actions, async_executor):
    order = actions["order_status"]
    model = ScriptedModel([
        "What is your order number? It looks like ORD-10042.",
        turn("", ("lookup_order_status", {"order_number": "ORD-10042"})),
        "Your order ORD-10042 has shipped.",
    ])
    conv = _order_conversation(loop, Agent(model, [order], async_executor))
    model.assert_all_used()

    restored = Conversation.model_validate_json(conv.model_dump_json())
    assert restored.model_dump() == conv.model_dump()
    assert restored.user_turns == ["where is my order?", "It's ORD-10042"]
    assert restored.traces[0].response.body["status"] == "shipped"  # type: ignore[union-attr]
    assert restored.messages[-1].role == "assistant" and restored.messages[-2].role == "tool"

    # the variable's example loses its prefix: a (scripted) model following it now sends the bare number
    var = order.variables[0].model_copy(update={"example": "10042", "description": "The order number, digits only"})
    changed = order.model_copy(update={"variables": [var]})
    model2 = ScriptedModel([
        "What is your order number? Just the digits, like 10042.",
        turn("", ("lookup_order_status", {"order_number": "10042"})),
        "I could not find order 10042.",
    ])
    agent2 = Agent(model2, [changed], async_executor)
    replayed = loop.run(agent2.replay(restored.user_turns))
    model2.assert_all_used()
    assert replayed is not restored and replayed.user_turns == restored.user_turns
    assert "10042" in json.dumps(model2.received[0][1]) and "ORD-10042" not in json.dumps(model2.received[0][1])
    assert replayed.traces[0].status_code == 404

    diffs = compare(restored, replayed)
    assert [d.index for d in diffs] == [0, 1]
    assert diffs[0].changed == ["reply"]
    assert diffs[1].changed == ["arguments", "status", "reply"]
    assert diffs[1].old.calls[0].status_code == 200 and diffs[1].new.calls[0].status_code == 404  # type: ignore[union-attr]
    assert diffs[1].user == "It's ORD-10042"

    # replaying the same action with the same script changes nothing
    same = Agent(ScriptedModel(model.turns), [order], async_executor)
    assert [d.changed for d in compare(restored, loop.run(same.replay(restored.user_turns)))] == [[], []]


def test_compare_reports_added_and_removed_turns(loop, actions, async_executor):
    agent = Agent(ScriptedModel(["a", "b"]), [actions["health_check"]], async_executor)
    longer = loop.run(agent.replay(["one", "two"]))
    shorter = loop.run(Agent(ScriptedModel(["a"]), [actions["health_check"]], async_executor).replay(["one"]))
    diffs = compare(shorter, longer)
    assert [d.changed for d in diffs] == [[], ["reply"]]
    assert diffs[1].old is None and diffs[1].new is not None and diffs[1].user == "two"


# -- offline simulator ------------------------------------------------------------------
TODAY = dt.date(2026, 11, 25)  # a Wednesday: "next friday" is 2026-11-27
WORKING = ["order_status", "check_inventory", "crm_customer_lookup", "create_support_ticket", "book_appointment",
           "verify_caller", "health_check"]


def offline_agent(actions: dict[str, Action], async_executor: Executor, keys: list[str], **kwargs: Any) -> Agent:
    from core.llm.offline import OfflineModel

    return Agent(OfflineModel(today=TODAY), [actions[k] for k in keys], async_executor, **kwargs)


def test_offline_fills_slots_over_several_turns(loop, actions, async_executor):
    agent = offline_agent(actions, async_executor, WORKING)
    conv = agent.new_conversation()

    events = run_turn(loop, agent, conv, "where is my order?")
    assert kinds(events) == ["reply"]  # it asks before calling anything
    question = events[-1].text  # type: ignore[union-attr]
    assert "order number" in question and "ORD-10042" in question  # the variable's description and example

    events = run_turn(loop, agent, conv, "ORD-10042")
    assert kinds(events) == ["tool_call", "tool_result", "reply"]
    call, = only(events, ToolCallEvent)
    assert call.tool_name == "lookup_order_status" and call.arguments == {"order_number": "ORD-10042"}
    trace = only(events, ToolResultEvent)[0].trace
    assert trace.status_code == 200 and trace.response.body["status"] == "shipped"  # type: ignore[union-attr]
    reply = events[-1].text  # type: ignore[union-attr]
    assert "shipped" in reply and "ORD-10042" in reply
    assert [t.user for t in conv.turns] == ["where is my order?", "ORD-10042"]
    assert conv.turns[1].calls[0].status_code == 200 and conv.turns[1].reply == reply


def test_offline_picks_the_order_status_action_among_all_samples(loop, actions, async_executor):
    keys = [k for k in actions if k != "slow_call" and k not in
            ("wrong_token", "wrong_path", "missing_variable", "timeout_too_short")]
    agent = offline_agent(actions, async_executor, keys)
    conv = agent.new_conversation()
    run_turn(loop, agent, conv, "where is my order?")
    events = run_turn(loop, agent, conv, "ORD-10042")
    assert [c.tool_name for c in only(events, ToolCallEvent)] == ["lookup_order_status"]


def test_offline_coerces_dates_and_emails_and_uses_runtime_variables(loop, actions, async_executor):
    agent = offline_agent(actions, async_executor, WORKING, runtime={"cal_email": "sales@example.com"})
    conv = agent.new_conversation()
    events = run_turn(loop, agent, conv, "I'd like to book an appointment next friday, my email is jane.doe@example.com")
    call, = only(events, ToolCallEvent)
    assert call.tool_name == "book_appointment"
    assert call.arguments == {"date": "2026-11-27", "customer_email": "jane.doe@example.com"}
    trace = only(events, ToolResultEvent)[0].trace
    assert trace.status_code == 201
    assert trace.request.body == {"calendar_email": "sales@example.com", "date": "2026-11-27",  # type: ignore[union-attr]
                                  "customer_email": "jane.doe@example.com"}
    assert trace.response.body["calendar_email"] == "sales@example.com"  # type: ignore[union-attr]
    assert "November 27, 2026" in events[-1].text  # type: ignore[union-attr]  # said as a caller hears a date

    # a natural date and an email given one at a time, as answers to its questions
    conv = agent.new_conversation()
    assert "date" in run_turn(loop, agent, conv, "book an appointment")[-1].text.lower()  # type: ignore[union-attr]
    assert "email" in run_turn(loop, agent, conv, "December 3rd")[-1].text.lower()  # type: ignore[union-attr]
    events = run_turn(loop, agent, conv, "it's Jane.Doe@Example.com")
    call, = only(events, ToolCallEvent)
    assert call.arguments == {"date": "2026-12-03", "customer_email": "Jane.Doe@Example.com"}
    assert only(events, ToolResultEvent)[0].trace.status_code == 201


def test_offline_conversation_that_needs_no_tool(loop, actions, async_executor):
    agent = offline_agent(actions, async_executor, WORKING)
    conv = agent.new_conversation()
    events = run_turn(loop, agent, conv, "hello")
    assert kinds(events) == ["reply"] and "simulator" in events[-1].text  # type: ignore[union-attr]
    # it says what it can do, in the actions' own words (tool names are for developers, not callers)
    assert "Look up the shipping status" in events[-1].text  # type: ignore[union-attr]
    assert "lookup_order_status" not in events[-1].text  # type: ignore[union-attr]
    events = run_turn(loop, agent, conv, "are you a real person?")
    assert kinds(events) == ["reply"] and "not a person" in events[-1].text  # type: ignore[union-attr]
    assert conv.traces == []


def test_offline_explains_a_failed_call_with_its_hint(loop, actions, async_executor):
    agent = offline_agent(actions, async_executor, ["wrong_token"])
    conv = agent.new_conversation()
    events = run_turn(loop, agent, conv, "look up customer CUST-1001")
    assert kinds(events) == ["tool_call", "tool_result", "reply"]
    trace = only(events, ToolResultEvent)[0].trace
    assert trace.status_code == 401 and trace.hints
    reply = events[-1].text  # type: ignore[union-attr]
    # the caller hears an apology in plain words; the status and the hint stay in the trace for the developer
    assert "can't get through" in reply and "401" not in reply and trace.hints[0] not in reply


def test_offline_is_deterministic(loop, actions, async_executor):
    turns = ["where is my order?", "ORD-10042", "is PROD-12345 in stock?"]
    first = loop.run(offline_agent(actions, async_executor, WORKING).replay(turns))
    second = loop.run(offline_agent(actions, async_executor, WORKING).replay(turns))
    assert [[c.arguments for c in t.calls] for t in first.turns] == [[c.arguments for c in t.calls]
                                                                   for t in second.turns]
    assert [d.changed for d in compare(first, second)] == [[], [], []]
    assert first.turns[2].calls[0].tool_name == "check_product_inventory"


def test_offline_replay_shows_what_an_action_change_did(loop, actions, async_executor):
    """Tweak and rerun: the variable's example now shows bare digits, so the simulator sends 10042 (a 404);
    renaming the action changes which action the turn calls."""
    turns = ["where is my order?", "ORD-10042"]
    before = loop.run(offline_agent(actions, async_executor, WORKING).replay(turns))
    assert before.turns[1].calls[0].status_code == 200
    saved = Conversation.model_validate_json(before.model_dump_json())

    order = actions["order_status"]
    var = order.variables[0].model_copy(update={"example": "10042", "description": "The order number, digits only"})
    changed = {**actions, "order_status": order.model_copy(update={"variables": [var]})}
    after = loop.run(offline_agent(changed, async_executor, WORKING).replay(saved.user_turns))
    diffs = compare(saved, after)
    assert diffs[0].changed == ["reply"] and "10042" in diffs[0].new.reply  # type: ignore[union-attr]
    assert diffs[1].changed == ["arguments", "status", "reply"]
    assert diffs[1].new.calls[0].arguments == {"order_number": "10042"}  # type: ignore[union-attr]
    assert diffs[1].new.calls[0].status_code == 404  # type: ignore[union-attr]

    renamed = {**actions, "order_status": order.model_copy(update={"name": "Get Shipment"})}
    after = loop.run(offline_agent(renamed, async_executor, WORKING).replay(saved.user_turns))
    assert compare(saved, after)[1].changed == ["action"]  # the reply names no tool, so only the action differs


def test_offline_replay_shows_what_a_description_change_did(loop, actions, async_executor):
    """Tweak and rerun on the description alone: the same caller turns book the appointment while the
    description says what the action does, and book nothing once it says something else or nothing."""
    turns = ["I need to book an appointment", "2026-12-03", "jane.doe@example.com"]
    runtime = {"cal_email": "sales@example.com"}
    before = loop.run(offline_agent(actions, async_executor, WORKING, runtime=runtime).replay(turns))
    assert [c.tool_name for t in before.turns for c in t.calls] == ["book_appointment"]
    assert before.turns[2].calls[0].status_code == 201
    booking = actions["book_appointment"]

    def rerun(action: Action, said: list[str] = turns) -> Conversation:
        agent = offline_agent({**actions, "book_appointment": action}, async_executor, WORKING, runtime=runtime)
        return loop.run(agent.replay(said))

    # misleading: the description says it books flights; the simulator asks instead of booking
    misleading = rerun(booking.model_copy(update={"description": "Book a flight ticket"}))
    assert [t.calls for t in misleading.turns] == [[], [], []]
    assert "book a flight ticket?" in misleading.turns[0].reply
    diffs = compare(before, misleading)
    assert "reply" in diffs[0].changed and "action" in diffs[2].changed

    # vague: every description says nothing (the action's and its variables'); it asks by the name
    blank = [v.model_copy(update={"description": "Does a thing."}) for v in booking.variables]
    vague = rerun(booking.model_copy(update={"description": "Does a thing.", "variables": blank}))
    assert [t.calls for t in vague.turns] == [[], [], []]
    assert "book an appointment?" in vague.turns[0].reply

    # a caller who says yes to the question gets the booking all the same
    confirmed = rerun(booking.model_copy(update={"description": "Does a thing.", "variables": blank}),
                      [turns[0], "yes please", *turns[1:]])
    assert confirmed.turns[3].calls[0].arguments == {"date": "2026-12-03", "customer_email": "jane.doe@example.com"}

    # and a good description again gives back the first outcome
    restored = rerun(booking.model_copy(update={"description": "Book an appointment on the day the caller chooses."}))
    assert [not {"action", "arguments", "status"} & set(d.changed) for d in compare(before, restored)] == [True] * 3
    assert restored.turns[2].calls[0].status_code == 201


def test_an_exported_conversation_loads_back_and_a_bad_file_says_what_to_do():
    from core.agent import Turn, load_conversation
    from core.errors import PlaygroundError

    conv = Conversation(model="offline", turns=[Turn(user="hi", reply="hello")])
    assert load_conversation(conv.model_dump_json()).turns[0].reply == "hello"
    with pytest.raises(PlaygroundError, match="not an exported conversation"):
        load_conversation(b'{"turns": 3}', "x.json")
