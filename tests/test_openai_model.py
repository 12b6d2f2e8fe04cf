"""OpenAIModel through the real ``openai`` SDK against FakeOpenAI (a local OpenAI-compatible server),
driving the agent against the real demo API. Nothing reaches the internet; no real key is used."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any, Iterator

import openai
import pytest

from core.action import Action, load_action
from core.agent import Agent, ErrorEvent, ReplyEvent, TextDelta, ToolCallEvent, ToolResultEvent
from core.demo import DemoServer, rebase_action
from core.errors import ModelError
from core.executor import Executor
from core.llm import make_model
from core.llm.base import AssistantTurn, Message
from core.llm.openai_model import OpenAIModel
from core.loop import LoopThread
from fake_openai import FakeOpenAI
from agent_events import kinds, only, run_turn  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_actions"
SYSTEM = "You are a test agent."


# -- fixtures ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def actions(demo: DemoServer) -> dict[str, Action]:
    out = {}
    for path in SAMPLES.glob("*.json"):
        action = load_action(path)
        out[path.stem] = rebase_action(action, demo.base_url)
    return out


@pytest.fixture
def srv() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


@pytest.fixture
def models(loop: LoopThread) -> Iterator[list[OpenAIModel]]:
    """Models a test made; their SDK clients are closed (on the loop that used them) afterwards."""
    made: list[OpenAIModel] = []
    yield made
    for model in made:
        loop.run(model.aclose())


@pytest.fixture
def make(models: list[OpenAIModel]) -> Any:
    """``make(base_url)``: OpenAIModel("fake-model", base_url=..., api_key="test-key") as a user would build it."""
    def build(base_url: str, api_key: str = "test-key", **kwargs: Any) -> OpenAIModel:
        model = OpenAIModel("fake-model", base_url=base_url, api_key=api_key, **kwargs)
        models.append(model)
        return model
    return build


@pytest.fixture
def no_retry(models: list[OpenAIModel]) -> Any:
    """``no_retry(base_url)``: a model on an injected client that never retries (for error tests)."""
    def build(base_url: str, api_key: str = "test-key", **kwargs: Any) -> OpenAIModel:
        client = openai.AsyncOpenAI(base_url=base_url, api_key=api_key, max_retries=0, timeout=10)
        model = OpenAIModel("fake-model", client=client, **kwargs)
        models.append(model)
        return model
    return build


def respond(loop: LoopThread, model: OpenAIModel, messages: list[Message], tools: list[dict[str, Any]]) -> list[Any]:
    async def collect() -> list[Any]:
        return [out async for out in model.respond(messages, tools)]
    return loop.run(collect())


# -- tool calls, streamed and not -------------------------------------------------------
@pytest.mark.parametrize("stream", [True, False], ids=["streamed", "not-streamed"])
def test_scripted_tool_call_round_trip(loop, actions, async_executor, srv, stream, make):
    order, inventory = actions["order_status"], actions["check_inventory"]
    arguments = {"order_number": "ORD-10042"}
    srv.queue({"content": None, "tool_calls": [{"id": "call_abc", "name": "lookup_order_status",
                                                 "arguments": arguments}]},
              {"content": "Your order ORD-10042 has shipped with UPS."})
    model = make(srv.base_url, stream=stream)
    agent = Agent(model, [order, inventory], async_executor, system_prompt=SYSTEM)
    conv = agent.new_conversation()
    events = run_turn(loop, agent, conv, "Where is ORD-10042?")

    assert kinds(events) == ["tool_call", "tool_result", "reply"]
    call, = only(events, ToolCallEvent)
    assert (call.call_id, call.tool_name, call.arguments) == ("call_abc", "lookup_order_status", arguments)
    result, = only(events, ToolResultEvent)
    assert result.trace.status_code == 200 and result.trace.response.body["status"] == "shipped"
    assert only(events, ReplyEvent)[0].text == "Your order ORD-10042 has shipped with UPS."
    assert "".join(e.text for e in only(events, TextDelta)) == "Your order ORD-10042 has shipped with UPS."
    if stream:  # the text arrives in pieces (FakeOpenAI chunks it by 3 characters)
        assert len(only(events, TextDelta)) > 5

    # exactly what the server received
    assert len(srv.requests) == 2 and srv.remaining == 0
    first, second = srv.requests
    assert all(h["authorization"] == "Bearer test-key" for h in srv.request_headers)
    for req in (first, second):
        assert req["model"] == "fake-model"
        assert bool(req.get("stream")) is stream
        assert req["tools"] == json.loads(json.dumps(agent.tools))
        assert [t["function"]["name"] for t in req["tools"]] == ["lookup_order_status", "check_product_inventory"]
    assert first["tools"][0]["function"]["parameters"]["properties"]["order_number"]["type"] == "string"
    assert first["messages"] == [{"role": "system", "content": SYSTEM},
                                 {"role": "user", "content": "Where is ORD-10042?"}]
    assert second["messages"] == [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": "Where is ORD-10042?"},
        {"role": "assistant", "content": None, "tool_calls": [
            {"id": "call_abc", "type": "function",
             "function": {"name": "lookup_order_status", "arguments": json.dumps(arguments)}}]},
        {"role": "tool", "content": result.result, "tool_call_id": "call_abc"},
    ]
    assert json.loads(second["messages"][3]["content"])["status"] == 200


def test_streamed_tool_call_deltas_are_reassembled(loop, srv, make):
    arguments = {"issue_description": "My headphones stop charging after a few minutes", "priority_level": "high"}
    srv.chunk_size = 2
    srv.queue({"content": "Opening a ticket.", "tool_calls": [
        {"id": "call_t", "name": "create_support_ticket", "arguments": arguments}]})
    model = make(srv.base_url)
    outputs = respond(loop, model, [Message(role="user", content="my headphones broke")], [])
    pieces, final = outputs[:-1], outputs[-1]
    assert all(isinstance(p, str) for p in pieces) and "".join(pieces) == "Opening a ticket."
    assert isinstance(final, AssistantTurn) and final.text == "Opening a ticket."
    tc, = final.tool_calls
    assert (tc.id, tc.name) == ("call_t", "create_support_ticket")
    assert tc.arguments == json.dumps(arguments) and tc.parsed_arguments() == arguments
    assert "tools" not in srv.requests[0]  # no tools given: none sent


@pytest.mark.parametrize("stream", [True, False], ids=["streamed", "not-streamed"])
def test_two_parallel_tool_calls(loop, actions, async_executor, srv, stream, make):
    srv.queue({"content": None, "tool_calls": [
        {"id": "call_1", "name": "lookup_order_status", "arguments": {"order_number": "ORD-10042"}},
        {"id": "call_2", "name": "check_product_inventory", "arguments": {"sku": "PROD-12345"}}]},
        {"content": "Shipped, and in stock."})
    model = make(srv.base_url, stream=stream)
    agent = Agent(model, [actions["order_status"], actions["check_inventory"]], async_executor)
    conv = agent.new_conversation()
    events = run_turn(loop, agent, conv, "Where is ORD-10042 and is PROD-12345 in stock?")

    assert [e.call_id for e in only(events, ToolCallEvent)] == ["call_1", "call_2"]
    results = {e.call_id: e for e in only(events, ToolResultEvent)}
    assert {k: r.trace.status_code for k, r in results.items()} == {"call_1": 200, "call_2": 200}
    assert results["call_2"].trace.response.body["sku"] == "PROD-12345"
    messages = srv.requests[1]["messages"]
    assert [c["function"]["name"] for c in messages[-3]["tool_calls"]] == ["lookup_order_status",
                                                                          "check_product_inventory"]
    assert [(m["role"], m["tool_call_id"]) for m in messages[-2:]] == [("tool", "call_1"), ("tool", "call_2")]
    assert [m["content"] for m in messages[-2:]] == [results["call_1"].result, results["call_2"].result]
    assert only(events, ReplyEvent)[0].text == "Shipped, and in stock."


def test_malformed_arguments_from_the_server_go_back_as_a_tool_error(loop, actions, async_executor, srv, make):
    srv.queue({"tool_calls": [{"id": "call_bad", "name": "lookup_order_status", "arguments": '{"order_number": '}]},
              {"content": "Sorry, what is your order number?"})
    model = make(srv.base_url)
    agent = Agent(model, [actions["order_status"]], async_executor)
    events = run_turn(loop, agent, agent.new_conversation(), "where is my order")
    result, = only(events, ToolResultEvent)
    assert result.trace.error.kind == "invalid_arguments" and "not valid JSON" in result.trace.error.message
    assert srv.requests[1]["messages"][-1] == {"role": "tool", "content": result.result, "tool_call_id": "call_bad"}
    assert only(events, ReplyEvent)[0].text == "Sorry, what is your order number?"


# -- errors -----------------------------------------------------------------------------
def run_expecting_error(loop: LoopThread, model: OpenAIModel, actions: dict[str, Action], async_executor: Executor) -> ErrorEvent:
    agent = Agent(model, [actions["order_status"]], async_executor)
    conv = agent.new_conversation()
    events = run_turn(loop, agent, conv, "where is my order?")
    assert kinds(events) == ["error"]
    assert conv.turns[0].error == events[-1].message  # type: ignore[union-attr]
    return events[-1]  # type: ignore[return-value]


def test_server_without_tool_support(loop, actions, async_executor, make):
    with FakeOpenAI([{"content": "never"}], supports_tools=False) as server:
        model = make(server.base_url)
        error = run_expecting_error(loop, model, actions, async_executor)
    assert error.kind == "model_no_tools"
    assert "pick a model that supports tools" in error.message and "fake-model" in error.message


def test_a_bad_request_about_tool_messages_is_not_reported_as_no_tool_support(loop, actions, async_executor, srv, no_retry):
    srv.queue({"error": 400, "message": "Invalid parameter: messages with role 'tool' must be a response to a "
                                        "preceeding message with 'tool_calls'."})
    error = run_expecting_error(loop, no_retry(srv.base_url), actions, async_executor)
    assert error.kind == "model_error" and "400" in error.message and "role 'tool'" in error.message


def test_wrong_key(loop, actions, async_executor, srv, no_retry):
    error = run_expecting_error(loop, no_retry(srv.base_url, api_key="wrong-key"), actions, async_executor)
    assert error.kind == "model_auth" and "401" in error.message and "OPENAI_API_KEY" in error.message
    assert srv.request_headers[0]["authorization"] == "Bearer wrong-key"


def test_rate_limit(loop, actions, async_executor, srv, no_retry):
    srv.queue({"error": 429})
    error = run_expecting_error(loop, no_retry(srv.base_url), actions, async_executor)
    assert error.kind == "model_rate_limit" and "429" in error.message
    assert len(srv.requests) == 1


def test_rate_limit_streamed_or_not(loop, actions, async_executor, srv, no_retry):
    srv.queue({"error": 429})
    error = run_expecting_error(loop, no_retry(srv.base_url, stream=False), actions, async_executor)
    assert error.kind == "model_rate_limit"


def test_unknown_model_and_server_error(loop, actions, async_executor, srv, no_retry):
    srv.queue({"error": 404}, {"error": 500})
    error = run_expecting_error(loop, no_retry(srv.base_url), actions, async_executor)
    assert error.kind == "model_not_found" and "fake-model" in error.message
    error = run_expecting_error(loop, no_retry(srv.base_url), actions, async_executor)
    assert error.kind == "model_error" and "500" in error.message


def test_connection_refused(loop, actions, async_executor, no_retry):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base_url = f"http://127.0.0.1:{port}/v1"
    error = run_expecting_error(loop, no_retry(base_url), actions, async_executor)
    assert error.kind == "model_connection" and f"127.0.0.1:{port}" in error.message and "--base-url" in error.message


def test_missing_key(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(ModelError, match="OPENAI_API_KEY") as info:
        OpenAIModel("x")
    assert info.value.kind == "model_auth"
    with pytest.raises(ModelError, match="OPENAI_API_KEY"):
        make_model("openai:x")
    # a local server (Ollama, llama.cpp) needs no key
    assert OpenAIModel("llama3", base_url="http://127.0.0.1:1/v1").name == "openai:llama3"


def test_key_from_the_environment(monkeypatch, loop, srv, models):
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    srv.queue({"content": "hi"})
    model = OpenAIModel("fake-model", base_url=srv.base_url)
    models.append(model)
    assert respond(loop, model, [Message(role="user", content="hi")], [])[-1].text == "hi"
    assert srv.request_headers[0]["authorization"] == "Bearer test-key"


def test_make_model(srv):
    model = make_model("openai:fake-model", base_url=srv.base_url, api_key="test-key")  # never used: no connection
    assert isinstance(model, OpenAIModel) and model.name == "openai:fake-model" and model.model == "fake-model"
    assert model.base_url.startswith(srv.base_url)
    for spec in ("gpt-4o", "openai:", "anthropic:claude"):
        with pytest.raises(ModelError, match="offline or openai:MODEL") as info:
            make_model(spec)
        assert info.value.kind == "model_spec"
