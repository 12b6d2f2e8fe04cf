"""Tests of the local FakeOpenAI server, driven through the real openai SDK."""

from __future__ import annotations

import asyncio
import json

import httpx
import openai
import pytest

try:
    from tests.fake_openai import NO_REPLY_MESSAGE, FakeOpenAI
except ImportError:  # tests/ not a package: pytest puts tests/ itself on sys.path
    from fake_openai import NO_REPLY_MESSAGE, FakeOpenAI

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "lookup_order_status",
            "description": "Look up an order",
            "parameters": {
                "type": "object",
                "properties": {"order_number": {"type": "string"}},
                "required": ["order_number"],
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "Weather for a city",
            "parameters": {
                "type": "object",
                "properties": {"city": {"type": "string"}, "unit": {"type": "string"}},
                "required": ["city"],
            },
        },
    },
]
MESSAGES = [
    {"role": "system", "content": "You are a helpful agent."},
    {"role": "user", "content": "Where is order ORD-10042 and what's the weather in Paris?"},
]
TWO_CALLS = {
    "content": None,
    "tool_calls": [
        {"id": "call_1", "name": "lookup_order_status", "arguments": {"order_number": "ORD-10042"}},
        {"id": "call_2", "name": "get_weather", "arguments": {"city": "Paris", "unit": "celsius"}},
    ],
}


@pytest.fixture
def srv():
    with FakeOpenAI() as s:
        yield s


def client_for(s: FakeOpenAI, api_key: str = "test-key") -> openai.OpenAI:
    return openai.OpenAI(base_url=s.base_url, api_key=api_key, max_retries=0, timeout=10)


def test_base_url_and_models(srv):
    assert srv.base_url.startswith("http://127.0.0.1:") and srv.base_url.endswith("/v1")
    models = client_for(srv).models.list()
    assert [m.id for m in models.data] == ["fake-model"]


def test_non_streamed_text(srv):
    srv.queue({"content": "Hello there, how can I help?"})
    resp = client_for(srv).chat.completions.create(model="fake-model", messages=MESSAGES)
    assert resp.object == "chat.completion"
    choice = resp.choices[0]
    assert choice.message.role == "assistant"
    assert choice.message.content == "Hello there, how can I help?"
    assert not choice.message.tool_calls
    assert choice.finish_reason == "stop"
    assert resp.usage is not None and resp.usage.total_tokens > 0


def test_non_streamed_two_tool_calls(srv):
    srv.queue(TWO_CALLS)
    resp = client_for(srv).chat.completions.create(model="fake-model", messages=MESSAGES, tools=TOOLS)
    choice = resp.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.content is None
    calls = choice.message.tool_calls
    assert [c.id for c in calls] == ["call_1", "call_2"]
    assert [c.type for c in calls] == ["function", "function"]
    assert [c.function.name for c in calls] == ["lookup_order_status", "get_weather"]
    assert json.loads(calls[0].function.arguments) == {"order_number": "ORD-10042"}
    assert json.loads(calls[1].function.arguments) == {"city": "Paris", "unit": "celsius"}


def test_raw_string_arguments_sent_as_is(srv):
    srv.queue({"tool_calls": [{"id": "c", "name": "lookup_order_status", "arguments": '{"order_number": '}]})
    srv.queue({"tool_calls": [{"id": "c", "name": "lookup_order_status", "arguments": '{"order_number": '}]})
    c = client_for(srv)
    resp = c.chat.completions.create(model="fake-model", messages=MESSAGES, tools=TOOLS)
    assert resp.choices[0].message.tool_calls[0].function.arguments == '{"order_number": '
    args = ""
    for chunk in c.chat.completions.create(model="fake-model", messages=MESSAGES, tools=TOOLS, stream=True):
        for d in (chunk.choices[0].delta.tool_calls or []) if chunk.choices else []:
            args += d.function.arguments or ""
    assert args == '{"order_number": '


def test_streamed_content_deltas(srv):
    text = "Your order ORD-10042 shipped yesterday and arrives Friday."
    srv.queue({"content": text})
    stream = client_for(srv).chat.completions.create(
        model="fake-model", messages=MESSAGES, stream=True, stream_options={"include_usage": True}
    )
    chunks = list(stream)
    assert all(c.object == "chat.completion.chunk" for c in chunks)
    assert chunks[0].choices[0].delta.role == "assistant"
    pieces = [c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content]
    assert len(pieces) > 3  # really split into small deltas
    assert "".join(pieces) == text
    finishes = [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason]
    assert finishes == ["stop"]
    # usage chunk: empty choices, last before [DONE]
    assert chunks[-1].choices == [] and chunks[-1].usage.total_tokens > 0


def test_streamed_without_include_usage_has_no_usage_chunk(srv):
    srv.queue({"content": "ok"})
    chunks = list(client_for(srv).chat.completions.create(model="fake-model", messages=MESSAGES, stream=True))
    assert all(c.choices for c in chunks)
    assert all(c.usage is None for c in chunks)
    assert chunks[-1].choices[0].finish_reason == "stop"


def test_streamed_two_parallel_tool_calls(srv):
    srv.queue(TWO_CALLS)
    stream = client_for(srv).chat.completions.create(
        model="fake-model", messages=MESSAGES, tools=TOOLS, stream=True
    )
    calls: dict[int, dict] = {}
    fragments: dict[int, int] = {}
    finish = None
    for chunk in stream:
        if not chunk.choices:
            continue
        ch = chunk.choices[0]
        finish = ch.finish_reason or finish
        for d in ch.delta.tool_calls or []:
            entry = calls.setdefault(d.index, {"id": None, "name": None, "arguments": ""})
            if d.id:
                entry["id"] = d.id
                assert d.type == "function"
            if d.function and d.function.name:
                entry["name"] = d.function.name
            if d.function and d.function.arguments:
                entry["arguments"] += d.function.arguments
                fragments[d.index] = fragments.get(d.index, 0) + 1
    assert finish == "tool_calls"
    assert sorted(calls) == [0, 1]
    assert calls[0]["id"] == "call_1" and calls[0]["name"] == "lookup_order_status"
    assert calls[1]["id"] == "call_2" and calls[1]["name"] == "get_weather"
    assert json.loads(calls[0]["arguments"]) == {"order_number": "ORD-10042"}
    assert json.loads(calls[1]["arguments"]) == {"city": "Paris", "unit": "celsius"}
    assert fragments[0] > 1 and fragments[1] > 1  # arguments really split across chunks


def test_requests_record_tools_and_messages(srv):
    srv.queue({"content": "a"}, {"content": "b"})
    c = client_for(srv)
    c.chat.completions.create(model="fake-model", messages=MESSAGES, tools=TOOLS)
    c.chat.completions.create(model="other-model", messages=MESSAGES[:1], stream=True).close()
    assert len(srv.requests) == 2
    assert srv.requests[0]["tools"] == TOOLS
    assert srv.requests[0]["messages"] == MESSAGES
    assert srv.requests[0]["model"] == "fake-model"
    assert "stream" not in srv.requests[0] or srv.requests[0]["stream"] is False
    assert "tools" not in srv.requests[1]
    assert srv.requests[1]["messages"] == MESSAGES[:1]
    assert srv.requests[1]["stream"] is True
    assert len(srv.request_headers) == 2
    assert srv.request_headers[0]["authorization"] == "Bearer test-key"
    assert srv.remaining == 0


def test_wrong_key_authentication_error(srv):
    srv.queue({"content": "never"})
    with pytest.raises(openai.AuthenticationError) as ei:
        client_for(srv, api_key="wrong").chat.completions.create(model="fake-model", messages=MESSAGES)
    assert ei.value.status_code == 401
    assert ei.value.code == "invalid_api_key"
    assert "Incorrect API key" in ei.value.message
    assert srv.remaining == 1  # scripted reply not consumed


def test_scripted_errors(srv):
    srv.queue({"error": 429}, {"error": 401}, {"error": 500}, {"content": "recovered"})
    c = client_for(srv)
    with pytest.raises(openai.RateLimitError) as ei:
        c.chat.completions.create(model="fake-model", messages=MESSAGES)
    assert ei.value.response.headers["retry-after"] == "0"
    assert ei.value.body["code"] == "rate_limit_exceeded"
    with pytest.raises(openai.AuthenticationError):
        c.chat.completions.create(model="fake-model", messages=MESSAGES)
    with pytest.raises(openai.InternalServerError):
        c.chat.completions.create(model="fake-model", messages=MESSAGES, stream=True)
    resp = c.chat.completions.create(model="fake-model", messages=MESSAGES)
    assert resp.choices[0].message.content == "recovered"


def test_429_retried_by_default_sdk_retries(srv):
    # retry-after: 0 makes the SDK's default retries fast.
    srv.queue({"error": 429}, {"content": "after retry"})
    c = openai.OpenAI(base_url=srv.base_url, api_key="test-key", max_retries=2, timeout=10)
    resp = c.chat.completions.create(model="fake-model", messages=MESSAGES)
    assert resp.choices[0].message.content == "after retry"
    assert len(srv.requests) == 2


def test_supports_tools_false():
    with FakeOpenAI([{"content": "plain"}, {"content": "plain"}], supports_tools=False) as s:
        c = client_for(s)
        with pytest.raises(openai.BadRequestError) as ei:
            c.chat.completions.create(model="fake-model", messages=MESSAGES, tools=TOOLS)
        assert "tools is not supported" in ei.value.message
        resp = c.chat.completions.create(model="fake-model", messages=MESSAGES)
        assert resp.choices[0].message.content == "plain"


def test_empty_queue_internal_server_error(srv):
    with pytest.raises(openai.InternalServerError) as ei:
        client_for(srv).chat.completions.create(model="fake-model", messages=MESSAGES)
    assert NO_REPLY_MESSAGE in ei.value.message


def test_constructor_replies_and_custom_api_key():
    with FakeOpenAI([{"content": "one"}], api_key="sk-other") as s:
        with pytest.raises(openai.AuthenticationError):
            client_for(s).chat.completions.create(model="fake-model", messages=MESSAGES)
        resp = client_for(s, api_key="sk-other").chat.completions.create(model="fake-model", messages=MESSAGES)
        assert resp.choices[0].message.content == "one"


def test_raw_sse_format(srv):
    srv.queue({"content": "hey"})
    r = httpx.post(
        srv.base_url + "/chat/completions",
        headers={"Authorization": "Bearer test-key"},
        json={"model": "fake-model", "messages": MESSAGES, "stream": True},
    )
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/event-stream")
    events = [e for e in r.text.split("\n\n") if e]
    assert all(e.startswith("data: ") for e in events)
    assert events[-1] == "data: [DONE]"


def test_stop_and_restart_free_port():
    s = FakeOpenAI([{"content": "x"}]).start()
    url = s.base_url
    s.stop()
    s.stop()  # idempotent
    with pytest.raises(httpx.HTTPError):
        httpx.get(url + "/models", timeout=2)


def test_async_client_streaming(srv):
    srv.queue({"content": "Async streaming works fine."}, TWO_CALLS)

    async def main():
        c = openai.AsyncOpenAI(base_url=srv.base_url, api_key="test-key", max_retries=0, timeout=10)
        try:
            text = ""
            async for chunk in await c.chat.completions.create(model="fake-model", messages=MESSAGES, stream=True):
                if chunk.choices and chunk.choices[0].delta.content:
                    text += chunk.choices[0].delta.content
            args: dict[int, str] = {}
            async for chunk in await c.chat.completions.create(
                model="fake-model", messages=MESSAGES, tools=TOOLS, stream=True
            ):
                for d in (chunk.choices[0].delta.tool_calls or []) if chunk.choices else []:
                    args[d.index] = args.get(d.index, "") + (d.function.arguments or "")
            return text, args
        finally:
            await c.close()

    text, args = asyncio.run(main())
    assert text == "Async streaming works fine."
    assert json.loads(args[0]) == {"order_number": "ORD-10042"}
    assert json.loads(args[1]) == {"city": "Paris", "unit": "celsius"}
