"""Faithful errors and limits (issue 13, points 2, 4 and 6): bounded bodies, whole-call timeouts,
hints that name the real cause, redirects that never downgrade or crash, cookies per conversation."""

from __future__ import annotations

import asyncio
import gzip
import socket
import time
import tracemalloc
import zlib
from typing import Any, Callable, Iterator

import httpx
import pytest

from conftest import SECRET_KEY, SECRET_TOKEN
from core.action import Action, parse_action
from core.executor import Executor
from core.http.body import Decoder
from fault_server import FaultServer

BEARER = {"type": "bearer", "token": "env:API_TOKEN"}


def act(url: str, **fields: Any) -> Action:
    return parse_action({"name": "Test Action", "description": "An action used by tests.", "url": url, **fields},
                        "test")


# -- decompression bombs --------------------------------------------------------------------------

def test_decoder_output_is_bounded_per_step() -> None:
    bomb = gzip.compress(gzip.compress(b"0" * 50_000_000, 9), 9)
    decoder = Decoder(["gzip", "gzip"])
    pieces = list(decoder.feed(bomb, 300_000))
    assert sum(map(len, pieces)) <= 300_000 + 64 * 1024
    assert max(map(len, pieces)) <= 64 * 1024


def test_double_gzip_bomb_is_its_own_kind_and_memory_stays_small(executor: Executor,
                                                                 fault_server: FaultServer) -> None:
    url = fault_server.url("/gzip?layers=2&mb=200")
    httpx.get(url, headers={"Accept-Encoding": "identity"})  # the server builds (and caches) the bomb first
    tracemalloc.start()
    try:
        trace = executor.execute(act(url))
        grown_mb = tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()
    assert trace.error.kind == "decompression_bomb", trace.error
    assert "gzip+gzip" in trace.error.message
    assert trace.response.truncated and trace.response.size_bytes <= 256 * 1024
    assert "decompression bomb" in trace.hints[0]
    assert grown_mb < 20, grown_mb  # 200 MB of zeros were never held (peak figure: benchmarks/executor.py)


def test_an_honest_gzip_body_is_decoded(executor: Executor, fault_server: FaultServer) -> None:
    trace = executor.execute(act(fault_server.url("/gzip?layers=1&mb=0.01")))
    assert trace.ok, trace.error
    assert trace.response.body == {"pad": "0" * 10_000}


def test_a_big_gzip_body_past_the_cap_is_truncated_not_a_bomb(http_client: httpx.Client,
                                                              fault_server: FaultServer) -> None:
    # zeros compress ~1000x: with a cap of 100 KB, 0.3 MB is a bomb by ratio; at layer 1 and a big cap it is not
    executor = Executor(http_client, body_cap=5_000)
    trace = executor.execute(act(fault_server.url("/gzip?layers=1&mb=0.0001")))
    assert trace.ok and trace.response.body == {"pad": "0" * 100}


def test_corrupt_gzip_is_bad_encoding_with_a_hint(executor: Executor, fault_server: FaultServer) -> None:
    trace = executor.execute(act(fault_server.url("/corrupt-gzip")))
    assert trace.error.kind == "bad_encoding", trace.error
    assert "gzip" in trace.error.message and "corrupt" in trace.error.message
    assert "compression" in trace.hints[0]


def test_raw_deflate_is_decoded() -> None:
    raw = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    data = raw.compress(b'{"a": 1}') + raw.flush()
    assert b"".join(Decoder(["deflate"]).feed(data, 1000)) == b'{"a": 1}'


# -- timeouts and the pool ---------------------------------------------------------------------------

def test_timeout_bounds_a_stalled_body_after_headers(executor: Executor, fault_server: FaultServer) -> None:
    started = time.perf_counter()
    trace = executor.execute(act(fault_server.url("/stall?ms=3000"), timeout_s=0.5))
    took = time.perf_counter() - started
    assert trace.error.kind == "timeout", trace.error
    assert took < 1.0, took  # not 0.5 s for the headers plus 0.5 s per read


def test_async_timeout_bounds_a_stalled_body(resolver: Callable[[str], str | None], fault_server: FaultServer) -> None:
    async def main() -> Any:
        async with httpx.AsyncClient(trust_env=False) as client:
            return await Executor(async_client=client, resolver=resolver).aexecute(
                act(fault_server.url("/stall?ms=3000"), timeout_s=0.5))

    started = time.perf_counter()
    trace = asyncio.run(main())
    assert trace.error.kind == "timeout" and time.perf_counter() - started < 1.0


def test_default_pool_serves_200_concurrent_calls(resolver: Callable[[str], str | None],
                                                  fault_server: FaultServer) -> None:
    async def main() -> list[Any]:
        executor = Executor(resolver=resolver)
        try:
            action = act(fault_server.url("/slow?ms=300"), timeout_s=10)
            return await asyncio.gather(*(executor.aexecute(action) for _ in range(200)))
        finally:
            await executor.async_client.aclose()

    traces = asyncio.run(main())
    assert [t.error for t in traces if not t.ok] == []


def test_a_pool_wait_is_its_own_kind(resolver: Callable[[str], str | None], fault_server: FaultServer) -> None:
    async def main() -> list[Any]:
        client = httpx.AsyncClient(trust_env=False, limits=httpx.Limits(max_connections=1))
        try:
            ex = Executor(async_client=client, resolver=resolver)
            return await asyncio.gather(ex.aexecute(act(fault_server.url("/slow?ms=800"), timeout_s=2)),
                                        ex.aexecute(act(fault_server.url("/echo"), timeout_s=0.3)))
        finally:
            await client.aclose()

    slow, waited = asyncio.run(main())
    assert slow.ok
    assert waited.error.kind == "pool_timeout", waited.error
    assert "not the API being slow" in waited.hints[0]


@pytest.fixture
def blackhole() -> Iterator[str]:
    """An address whose connection attempts hang (a full accept backlog), like a filtering firewall."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(0)
    fillers = []
    for _ in range(8):  # fill the backlog so further SYNs are dropped
        c = socket.socket()
        c.setblocking(False)
        c.connect_ex(s.getsockname())
        fillers.append(c)
    yield f"http://127.0.0.1:{s.getsockname()[1]}/x"
    for c in fillers:
        c.close()
    s.close()


def test_connect_timeout_hint_says_unreachable_not_slow(executor: Executor, blackhole: str) -> None:
    trace = executor.execute(act(blackhole, timeout_s=0.5))
    if trace.error.kind != "timeout" or not trace.error.message.startswith("connect timeout"):
        pytest.skip(f"this kernel did not drop the SYN ({trace.error})")
    assert "unreachable" in trace.hints[0] and "filtered" in trace.hints[0]
    assert "too slowly" not in trace.hints[0]


# -- responses that lie about themselves ---------------------------------------------------------------

def test_html_served_as_json(executor: Executor, fault_server: FaultServer) -> None:
    trace = executor.execute(act(fault_server.url("/json-html")))
    assert trace.error.kind == "not_json"
    assert "HTML" in trace.error.message and "application/json" in trace.error.message
    assert "login, proxy" in trace.hints[0]


def test_empty_200_with_json_content_type(executor: Executor, fault_server: FaultServer) -> None:
    trace = executor.execute(act(fault_server.url("/json-empty")))
    assert trace.error.kind == "not_json" and "empty" in trace.error.message
    assert "empty body" in trace.hints[0]


@pytest.mark.parametrize("depth", [150, 100_000])
def test_a_deeply_nested_json_response_is_kept_as_text(depth: int) -> None:
    deep = "[" * depth + "]" * depth
    transport = httpx.MockTransport(lambda r: httpx.Response(200, text=deep, headers={"Content-Type": "application/json"}))
    with httpx.Client(transport=transport) as client:
        trace = Executor(client).execute(act("https://api.example.com/deep"))
    assert trace.error.kind == "not_json" and trace.response.body == deep
    trace.model_dump_json()  # serialisable: the text is flat


# -- illegal header bytes are refused locally --------------------------------------------------------

@pytest.mark.parametrize("value", ["a\x00b", "a\x0bb", " lead", "trail ", "tab\t"])
def test_illegal_header_bytes_are_an_invalid_request(executor: Executor, fault_server: FaultServer,
                                                     value: str) -> None:
    before = len(fault_server.log)
    action = act(fault_server.url("/echo"), headers={"X-Note": "{{note}}"}, variables=[{"name": "note"}])
    trace = executor.execute(action, {"note": value})
    assert trace.error.kind == "invalid_request", trace.error
    assert "X-Note" in trace.error.message
    assert len(fault_server.log) == before


# -- redirects ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("status", [307, 308])
def test_body_auth_and_a_cross_origin_redirect_keeping_the_body_is_refused(
        executor: Executor, fault_server: FaultServer, other_server: FaultServer, status: int) -> None:
    action = act(fault_server.url(f"/redirect?status={status}&to={other_server.url('/echo')}"), method="POST",
                 auth={"type": "body", "fields": {"api_key": "env:API_KEY"}}, body={"q": 1})
    before = len(other_server.log)
    trace = executor.execute(action)
    assert trace.error.kind == "insecure_redirect", trace.error
    assert len(other_server.log) == before
    assert SECRET_KEY not in trace.model_dump_json()


def test_body_auth_redirect_that_drops_the_body_is_followed(executor: Executor, fault_server: FaultServer,
                                                            other_server: FaultServer) -> None:
    action = act(fault_server.url(f"/redirect?status=303&to={other_server.url('/echo')}"), method="POST",
                 auth={"type": "body", "fields": {"api_key": "env:API_KEY"}}, body={"q": 1})
    trace = executor.execute(action)
    assert trace.ok and trace.response.body["method"] == "GET" and trace.response.body["body"] is None


def test_https_to_http_redirect_is_refused() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.scheme == "https":
            return httpx.Response(307, headers={"Location": "http://api.example.com/plain"})
        return httpx.Response(200, json={"clear": True})

    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        trace = Executor(client, resolver={"API_TOKEN": SECRET_TOKEN}.get).execute(
            act("https://api.example.com/secure", method="POST", auth=BEARER, body={"card": "4111"}))
    assert trace.error.kind == "insecure_redirect", trace.error
    assert "clear text" in trace.error.message and "https" in trace.hints[0]


# -- cookies ------------------------------------------------------------------------------------------

def test_cookies_stay_in_their_conversation_and_show_in_the_trace(executor: Executor,
                                                                  fault_server: FaultServer) -> None:
    jar_a, jar_b = httpx.Cookies(), httpx.Cookies()
    set_a = executor.execute(act(fault_server.url("/set-cookie?name=sid&value=alice")), cookies=jar_a)
    assert set_a.response.cookies == {"sid": "alice"}
    again_a = executor.execute(act(fault_server.url("/echo")), cookies=jar_a)
    assert again_a.response.body["headers"]["cookie"] == "sid=alice"
    assert again_a.request.headers["Cookie"] == "sid=alice"
    other = executor.execute(act(fault_server.url("/echo")), cookies=jar_b)
    assert "cookie" not in other.response.body["headers"]
    no_jar = executor.execute(act(fault_server.url("/echo")))
    assert "cookie" not in no_jar.response.body["headers"]


def test_the_agent_keeps_cookies_per_conversation(async_executor: Executor, loop: Any,
                                                  fault_server: FaultServer) -> None:
    from core.agent import Agent
    from core.llm.base import AssistantTurn, ToolCall
    from core.llm.scripted import ScriptedModel

    setter = act(fault_server.url("/set-cookie?name=sid&value=s1")).model_copy(update={"name": "Set Session"})
    echo = act(fault_server.url("/echo")).model_copy(update={"name": "Echo Back"})

    def call(name: str) -> list[AssistantTurn]:
        return [AssistantTurn(tool_calls=[ToolCall(name=name)]), AssistantTurn(text="done")]

    def run(agent: Agent, conv: Any, text: str) -> None:
        for _ in loop.iterate(agent.run(conv, text)):
            pass

    agent = Agent(ScriptedModel(call("set_session") + call("echo_back")), [setter, echo], async_executor)
    conv = agent.new_conversation()
    run(agent, conv, "set")
    run(agent, conv, "echo")
    assert conv.traces[-1].response.body["headers"]["cookie"] == "sid=s1"
    assert conv.traces[0].response.cookies == {"sid": "s1"}
    # another conversation (another browser session on the same shared executor) does not get it
    other = Agent(ScriptedModel(call("echo_back")), [setter, echo], async_executor)
    conv2 = other.new_conversation()
    run(other, conv2, "echo")
    assert "cookie" not in conv2.traces[-1].response.body["headers"]


# -- the executor never raises ---------------------------------------------------------------------

@pytest.mark.parametrize("values", [{"n": 10**5000, "s": "x"}, {"n": 1, "s": 10**5000}, {"n": "1" * 5000, "s": "x"}])
def test_an_integer_past_4300_digits_is_a_trace_not_an_exception(executor: Executor, fault_server: FaultServer,
                                                                 values: dict[str, Any]) -> None:
    action = act(fault_server.url("/echo"), method="POST", body={"n": "{{n}}", "s": "a {{s}}"},
                 variables=[{"name": "n", "type": "integer"}, {"name": "s"}])
    trace = executor.execute(action, values)
    assert trace.error.kind == "invalid_arguments", trace.error
    assert len(trace.error.message) < 300  # one readable line, not 5,000 digits
