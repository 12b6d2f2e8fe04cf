"""The executor against real loopback servers: success, every failure kind, redirects, secrets."""

from __future__ import annotations

import asyncio
import base64
import json
import socket
import time
from typing import Any, Callable, Iterator

import httpx
import pytest

from conftest import SECRET_KEY, SECRET_PASSWORD, SECRET_TOKEN
from core.action import Action, parse_action
from core.executor import Executor, check_destination, execute
from core.errors import RequestBlockedError
from core.trace import Trace, to_curl
from fault_server import FaultServer

BEARER = {"type": "bearer", "token": "env:API_TOKEN"}
HEADER_KEY = {"type": "header", "name": "X-API-Key", "value": "env:API_KEY"}
ALL_SECRETS = (SECRET_TOKEN, SECRET_KEY, SECRET_PASSWORD)


def act(url: str, **fields: Any) -> Action:
    return parse_action({"name": "Test Action", "description": "An action used by tests.", "url": url, **fields},
                        "test")


def assert_no_secret(trace: Trace) -> None:
    shown = [trace.model_dump_json(), trace.to_tool_result(cap=10**6), trace.summary(),
             to_curl(trace.request) if trace.request else ""]
    for text in shown:
        for secret in ALL_SECRETS:
            assert secret not in text


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts TCP connections (kernel backlog) and never says a word."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(8)
        yield s.getsockname()[1]


# -- success -------------------------------------------------------------------------------

def test_get_with_query_headers_and_bearer(executor: Executor, fault_server: FaultServer) -> None:
    action = act(fault_server.url("/echo"), auth=BEARER, headers={"Accept": "application/json"},
                 query={"order_number": "{{order_number}}"}, variables=[{"name": "order_number"}])
    trace = executor.execute(action, {"order_number": "ORD 10042&x=1"})
    assert trace.ok and trace.error is None
    assert trace.status_code == 200 and trace.response.is_json
    got = trace.response.body
    assert got["method"] == "GET" and got["path"] == "/echo"
    assert got["query"] == {"order_number": "ORD 10042&x=1"}
    assert got["headers"]["accept"] == "application/json"
    assert got["headers"]["authorization"] == "Bearer ****TOKN"  # received in full, shown masked
    assert fault_server.log[-1]["headers"]["authorization"] == f"Bearer {SECRET_TOKEN}"
    assert trace.response.elapsed_ms > 0 and trace.elapsed_ms > 0
    assert trace.arguments == {"order_number": "ORD 10042&x=1"}
    assert trace.summary().startswith(f"GET {fault_server.url('/echo')}?order_number=ORD+10042%26x%3D1 -> 200 in ")
    assert_no_secret(trace)


def test_post_sends_exactly_the_rendered_json(executor: Executor, fault_server: FaultServer) -> None:
    action = act(fault_server.url("/echo"), method="post",
                 body='{"issue": "{{issue}}", "qty": {{qty}}, "urgent": {{urgent}}}',
                 variables=[{"name": "issue"}, {"name": "qty", "type": "integer"}, {"name": "urgent", "type": "boolean"}])
    issue = 'Printer says "PC LOAD LETTER"\nand {{qty}} \\ 日本'
    trace = executor.execute(action, {"issue": issue, "qty": "3", "urgent": "yes"})
    assert trace.ok
    got = trace.response.body
    assert got["method"] == "POST"
    assert got["headers"]["content-type"] == "application/json"
    assert got["body"] == {"issue": issue, "qty": 3, "urgent": True}


def test_non_ascii_header_value_is_sent_as_utf8(executor: Executor, fault_server: FaultServer) -> None:
    action = act(fault_server.url("/echo"), headers={"X-Caller": "{{name}}"}, variables=[{"name": "name"}])
    trace = executor.execute(action, {"name": "José Ñúñez"})
    assert trace.ok, trace.error
    assert fault_server.log[-1]["headers"]["x-caller"].encode("latin-1").decode("utf-8") == "José Ñúñez"


def test_empty_response_is_fine(executor: Executor, fault_server: FaultServer) -> None:
    trace = executor.execute(act(fault_server.url("/empty"), method="DELETE"))
    assert trace.ok and trace.status_code == 204 and trace.response.body == ""


def test_convenience_execute(fault_server: FaultServer, resolver: Callable[[str], str | None]) -> None:
    trace = execute(act(fault_server.url("/echo"), auth=BEARER), resolver=resolver)
    assert trace.ok and trace.response.body["headers"]["authorization"] == "Bearer ****TOKN"


# -- response shape problems -----------------------------------------------------------------

@pytest.mark.parametrize("path, ctype", [("/text", "text/plain"), ("/html", "text/html")])
def test_text_response_is_kept_as_text_with_not_json(executor: Executor, fault_server: FaultServer, path: str,
                                                     ctype: str) -> None:
    trace = executor.execute(act(fault_server.url(path)))
    assert trace.status_code == 200
    assert trace.error.kind == "not_json" and ctype in trace.error.message
    assert isinstance(trace.response.body, str) and not trace.response.is_json
    assert ctype in trace.hints[0] and "Accept: application/json" in trace.hints[0]


def test_text_body_is_decoded_with_its_charset(executor: Executor, fault_server: FaultServer) -> None:
    assert executor.execute(act(fault_server.url("/text"))).response.body == "plain text, café"


def test_unknown_charset_does_not_crash(executor: Executor, fault_server: FaultServer) -> None:
    trace = executor.execute(act(fault_server.url("/badcharset")))
    assert trace.response.body == "hello" and trace.error.kind == "not_json"


def test_huge_body_is_truncated_and_flagged(http_client: httpx.Client, fault_server: FaultServer) -> None:
    executor = Executor(http_client, body_cap=100_000)
    trace = executor.execute(act(fault_server.url("/huge?mb=3")))
    assert trace.ok and trace.status_code == 200
    assert trace.response.truncated
    assert trace.response.size_bytes == 100_000 and len(trace.response.body) == 100_000
    assert any("cut at the size cap" in h for h in trace.hints)


def test_default_cap_truncates_a_few_megabytes(executor: Executor, fault_server: FaultServer) -> None:
    trace = executor.execute(act(fault_server.url("/huge?mb=3")))
    assert trace.response.truncated and trace.response.size_bytes == 256 * 1024


# -- network failures ---------------------------------------------------------------------------

def test_timeout_names_the_limit_and_suggests_a_webhook(executor: Executor, fault_server: FaultServer) -> None:
    started = time.perf_counter()
    trace = executor.execute(act(fault_server.url("/slow?ms=3000"), timeout_s=0.2))
    assert time.perf_counter() - started < 2
    assert trace.error.kind == "timeout" and trace.response is None
    assert "0.2 s" in trace.hints[0] and "webhook" in trace.hints[0]
    assert "too slowly" in trace.hints[0]


def test_per_action_timeout_lets_a_slow_call_finish(executor: Executor, fault_server: FaultServer) -> None:
    trace = executor.execute(act(fault_server.url("/slow?ms=300"), timeout_s=5))
    assert trace.ok and trace.response.elapsed_ms >= 290


def test_timeout_bounds_the_whole_call_not_each_read(executor: Executor, fault_server: FaultServer) -> None:
    # 20 chunks 100 ms apart: every single read is quick, the whole response takes 2 s
    started = time.perf_counter()
    trace = executor.execute(act(fault_server.url("/drip?chunks=20&ms=100"), timeout_s=0.5))
    assert trace.error is not None and trace.error.kind == "timeout"
    assert "0.5 s" in trace.error.message
    assert time.perf_counter() - started < 1.5


def test_connection_refused(executor: Executor, free_port: int) -> None:
    trace = executor.execute(act(f"http://127.0.0.1:{free_port}/x"))
    assert trace.error.kind == "connection_refused"
    assert f"127.0.0.1:{free_port}" in trace.hints[0] and "running" in trace.hints[0]


def test_dns_failure(executor: Executor) -> None:
    trace = executor.execute(act("http://no-such-host.playground-test.invalid/x"))
    assert trace.error.kind == "dns"
    assert "'no-such-host.playground-test.invalid' could not be resolved" in trace.hints[0]


def test_https_to_a_plain_http_server_is_a_tls_error(executor: Executor, fault_server: FaultServer) -> None:
    trace = executor.execute(act(f"https://127.0.0.1:{fault_server.port}/echo"))
    assert trace.error.kind == "tls"
    assert "use http:// in the URL" in trace.hints[0]


def test_https_to_a_server_that_never_answers_the_handshake_is_a_tls_error(executor: Executor,
                                                                         silent_port: int) -> None:
    trace = executor.execute(act(f"https://127.0.0.1:{silent_port}/x", timeout_s=0.3))
    assert trace.error.kind == "tls"
    assert "handshake" in trace.error.message


@pytest.mark.parametrize("path", ["/reset", "/broken"])
def test_reset_or_broken_response_is_a_protocol_error(executor: Executor, fault_server: FaultServer,
                                                      path: str) -> None:
    trace = executor.execute(act(fault_server.url(path)))
    assert trace.error.kind == "protocol" and trace.response is None
    assert "reset" in trace.hints[0] and "broken HTTP response" in trace.hints[0]


# -- redirects ------------------------------------------------------------------------------------

def test_redirect_loop_stops(executor: Executor, fault_server: FaultServer) -> None:
    before = len(fault_server.log)
    trace = executor.execute(act(fault_server.url("/loop")))
    assert trace.error.kind == "too_many_redirects"
    assert "redirects in a loop" in trace.hints[0]
    assert len(fault_server.log) - before == 11  # the first request and 10 redirects


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_same_origin_redirect_is_followed_with_credentials(executor: Executor, fault_server: FaultServer,
                                                           status: int) -> None:
    for auth in (BEARER, HEADER_KEY):
        trace = executor.execute(act(fault_server.url(f"/redirect?to=/echo&status={status}"), auth=auth))
        assert trace.ok and trace.response.body["path"] == "/echo"
        assert trace.response.redirects == [fault_server.url("/echo")]
        received = fault_server.log[-1]["headers"]
        assert received.get("authorization") == (f"Bearer {SECRET_TOKEN}" if auth is BEARER else None)
        assert received.get("x-api-key") == (SECRET_KEY if auth is HEADER_KEY else None)


def test_307_keeps_method_and_body(executor: Executor, fault_server: FaultServer) -> None:
    trace = executor.execute(act(fault_server.url("/redirect?to=/echo&status=307"), method="POST", body={"a": 1}))
    assert trace.response.body["method"] == "POST" and trace.response.body["body"] == {"a": 1}


@pytest.mark.parametrize("auth, header", [(BEARER, "authorization"), (HEADER_KEY, "x-api-key"),
                                          ({"type": "header", "name": "X-Custom-Auth", "value": "env:API_KEY"},
                                           "x-custom-auth")])
@pytest.mark.parametrize("follow", [False, True], ids=["client-no-follow", "client-follows"])
def test_cross_origin_redirect_drops_credentials(resolver: Callable[[str], str | None], fault_server: FaultServer,
                                                 other_server: FaultServer, auth: dict, header: str,
                                                 follow: bool) -> None:
    with httpx.Client(trust_env=False, follow_redirects=follow) as client:
        executor = Executor(client, resolver=resolver)
        target = other_server.url("/echo")
        trace = executor.execute(act(fault_server.url(f"/redirect?to={target}"), auth=auth,
                                     headers={"Accept": "application/json"}))
    assert trace.ok, trace.error
    assert trace.response.body["server"] == "other"
    assert trace.response.redirects == [target]
    received = other_server.log[-1]["headers"]
    assert header not in received and "authorization" not in received
    assert received["accept"] == "application/json"  # ordinary headers are kept
    assert fault_server.log[-1]["headers"][header]  # the first hop did get the credential


# -- blocked destinations -----------------------------------------------------------------------

@pytest.mark.parametrize("url", [
    "http://169.254.169.254/latest/meta-data/",
    "http://metadata.google.internal/computeMetadata/v1/",
    "http://METADATA.google.internal./x",
    "http://2852039166/latest",        # 169.254.169.254 as one decimal number
    "http://0xa9fea9fe/latest",        # ... and in hex
    "http://[::ffff:169.254.169.254]/latest",
    "http://[fe80::1]/x",
])
def test_metadata_and_link_local_addresses_are_blocked(executor: Executor, url: str) -> None:
    trace = executor.execute(act(url, auth=BEARER))
    assert trace.error.kind == "blocked" and trace.response is None
    assert "--allow-link-local" in trace.error.message and "--allow-link-local" in trace.hints[0]
    assert_no_secret(trace)


def test_redirect_to_a_metadata_address_is_blocked(executor: Executor, fault_server: FaultServer) -> None:
    trace = executor.execute(act(fault_server.url("/redirect?to=http://169.254.169.254/latest/meta-data/")))
    assert trace.error.kind == "blocked"


def test_allow_link_local_lifts_the_block() -> None:
    url = httpx.URL("http://169.254.169.254/latest")
    with pytest.raises(RequestBlockedError):
        check_destination(url)
    check_destination(url, allow_link_local=True)
    check_destination(httpx.URL("http://127.0.0.1:8765/x"))
    check_destination(httpx.URL("https://api.example.com/x"))


# -- HTTP status kinds and hints --------------------------------------------------------------

@pytest.mark.parametrize("code, kind, expected", [
    (400, "http_400", ["400 Bad Request", "The API said: malformed request", "type and example"]),
    (403, "http_403", ["403 Forbidden", "may not GET /status/403", "orders:read scope", "permissions"]),
    (404, "http_404", ["404 Not Found for GET /status/404", "static endpoint URL path", "static values first"]),
    (405, "http_405", ["/status/405 does not accept GET", "It allows: GET, POST"]),
    (422, "http_422", ["422", "qty must be positive", "description and example"]),
    (429, "http_429", ["rate limiting", "retry after 7 s"]),
    (500, "http_5xx", ["500 server error", "database exploded", "handle API errors gracefully"]),
    (503, "http_5xx", ["503 server error", "maintenance"]),
    (418, "http_4xx", ["418"]),
])
def test_status_kinds_have_specific_hints(executor: Executor, fault_server: FaultServer, code: int, kind: str,
                                          expected: list[str]) -> None:
    trace = executor.execute(act(fault_server.url(f"/status/{code}")))
    assert trace.status_code == code
    assert trace.error.kind == kind
    assert trace.response.is_json and trace.response.body["error"]["code"] == code
    for text in expected:
        assert text in trace.hints[0]


def test_404_hint_shows_the_query_values_sent(executor: Executor, fault_server: FaultServer) -> None:
    action = act(fault_server.url("/status/404"), method="DELETE", query={"id": "{{id}}"}, variables=[{"name": "id"}])
    hint = executor.execute(action, {"id": "ORD-1"}).hints[0]
    assert "DELETE /status/404" in hint and "id=ORD-1" in hint


def test_401_hint_names_the_auth_sent_and_that_its_env_var_is_set(executor: Executor,
                                                                   fault_server: FaultServer) -> None:
    trace = executor.execute(act(fault_server.url("/status/401"), auth=BEARER))
    assert trace.error.kind == "http_401"
    hint = trace.hints[0]
    assert "bearer auth" in hint and "token from env var API_TOKEN, which is set" in hint
    assert "not expired or revoked" in hint and "invalid or missing credentials" in hint
    # the API echoed the token back in its error body: masked in the trace
    assert trace.response.body["received_authorization"] == "Bearer ****TOKN"
    assert_no_secret(trace)


def test_401_hint_for_header_and_literal_credentials(executor: Executor, fault_server: FaultServer) -> None:
    hint = executor.execute(act(fault_server.url("/status/401"), auth=HEADER_KEY)).hints[0]
    assert "header auth (X-API-Key: <key>)" in hint and "env var API_KEY, which is set" in hint
    hint = executor.execute(act(fault_server.url("/status/401"),
                                auth={"type": "basic", "username": "me", "password": "hunter2-literal"})).hints[0]
    assert "basic auth" in hint and "password is a literal in the action file" in hint


def test_401_without_auth_says_to_configure_it(executor: Executor, fault_server: FaultServer) -> None:
    hint = executor.execute(act(fault_server.url("/status/401"))).hints[0]
    assert "no authentication" in hint and "set auth to bearer, basic, header or body" in hint


# -- failures before sending ----------------------------------------------------------------------

def test_unreplaced_placeholder_is_reported_and_nothing_is_sent(executor: Executor, fault_server: FaultServer) -> None:
    before = len(fault_server.log)
    # a file with {{contact.email}} is refused when it loads; an action changed without validation still never sends it
    action = act(fault_server.url("/echo")).model_copy(update={"query": {"email": "{{contact.email}}"}})
    trace = executor.execute(action)
    assert trace.error.kind == "unreplaced_placeholder"
    assert "contact_email" in trace.error.message
    assert "exact syntax {{variable_name}}" in trace.hints[0]
    assert len(fault_server.log) == before and trace.response is None


def test_unknown_placeholder_is_unreplaced(executor: Executor, fault_server: FaultServer) -> None:
    trace = executor.execute(act(fault_server.url("/echo"), method="POST", body={"n": "{{order_numbr}}"}))
    assert trace.error.kind == "unreplaced_placeholder" and "add a variable named order_numbr" in trace.error.message


def test_missing_variable_is_invalid_arguments(executor: Executor, fault_server: FaultServer) -> None:
    action = act(fault_server.url("/echo"), query={"n": "{{n}}"},
                 variables=[{"name": "n", "description": "The order number", "example": "ORD-1"}])
    trace = executor.execute(action, {})
    assert trace.error.kind == "invalid_arguments"
    assert "n is required: The order number (e.g. ORD-1)" in trace.error.message
    assert "required=true" in trace.hints[0]


def test_header_line_break_is_an_invalid_request_not_a_placeholder_problem(executor: Executor,
                                                                            fault_server: FaultServer) -> None:
    action = act(fault_server.url("/echo"), headers={"X-Note": "{{note}}"}, variables=[{"name": "note"}])
    trace = executor.execute(action, {"note": "a\r\nX-Evil: 1"})
    assert trace.error.kind == "invalid_request"
    assert "line break" in trace.error.message and "line break" in trace.hints[0]


def test_unset_secret_names_the_env_var(http_client: httpx.Client, fault_server: FaultServer) -> None:
    executor = Executor(http_client, resolver=lambda name: None)
    trace = executor.execute(act(fault_server.url("/echo"), auth=BEARER))
    assert trace.error.kind == "secret_missing"
    assert "API_TOKEN is not set" in trace.error.message


# -- secrets never leak -----------------------------------------------------------------------------

@pytest.mark.parametrize("auth", [
    BEARER,
    HEADER_KEY,
    {"type": "basic", "username": "agent@example.com", "password": "env:API_PASSWORD"},
    {"type": "body", "fields": {"api_key": "env:API_KEY", "password": "env:API_PASSWORD"}},
], ids=lambda a: a["type"])
def test_secrets_never_appear_in_the_trace(executor: Executor, fault_server: FaultServer, auth: dict) -> None:
    action = act(fault_server.url("/echo"), method="POST", auth=auth)
    trace = executor.execute(action)
    assert trace.ok
    received = fault_server.log[-1]
    if auth["type"] == "body":
        assert json.loads(received["body"]) == {"api_key": SECRET_KEY, "password": SECRET_PASSWORD}
    elif auth["type"] == "basic":
        b64 = received["headers"]["authorization"].removeprefix("Basic ")
        assert base64.b64decode(b64).decode() == f"agent@example.com:{SECRET_PASSWORD}"
    else:
        assert SECRET_TOKEN in received["headers"].get("authorization", "") or received["headers"]["x-api-key"] == SECRET_KEY
    assert trace.request.secrets_masked
    assert "****" in trace.model_dump_json()
    assert_no_secret(trace)


def test_reveal_shows_secrets_on_request(executor: Executor, fault_server: FaultServer) -> None:
    trace = executor.execute(act(fault_server.url("/echo"), auth=BEARER), reveal=True)
    assert trace.request.headers["Authorization"] == f"Bearer {SECRET_TOKEN}"
    assert trace.response.body["headers"]["authorization"] == f"Bearer {SECRET_TOKEN}"


# -- async path --------------------------------------------------------------------------------------

def test_aexecute_success_failures_and_redirects(resolver: Callable[[str], str | None], fault_server: FaultServer,
                                                 other_server: FaultServer) -> None:
    async def main() -> list[Trace]:
        async with httpx.AsyncClient(trust_env=False) as client:
            executor = Executor(async_client=client, resolver=resolver)
            return list(await asyncio.gather(
                executor.aexecute(act(fault_server.url("/echo"), auth=BEARER, query={"q": "{{q}}"},
                                      variables=[{"name": "q"}]), {"q": "a&b"}),
                executor.aexecute(act(fault_server.url("/slow?ms=3000"), timeout_s=0.2)),
                executor.aexecute(act(fault_server.url(f"/redirect?to={other_server.url('/echo')}"), auth=HEADER_KEY)),
                executor.aexecute(act(fault_server.url("/status/404"))),
                executor.aexecute(act(fault_server.url("/drip?chunks=20&ms=100"), timeout_s=0.4)),
                executor.aexecute(act(fault_server.url("/huge?mb=1"))),
                executor.aexecute(act("http://169.254.169.254/latest")),
            ))

    started = time.perf_counter()
    ok, slow, cross, missing, drip, huge, blocked = asyncio.run(main())
    assert time.perf_counter() - started < 2.5  # they ran concurrently, each within its own limit
    assert ok.ok and ok.response.body["query"] == {"q": "a&b"}
    assert ok.response.body["headers"]["authorization"] == "Bearer ****TOKN"
    assert slow.error.kind == "timeout" and "0.2 s" in slow.hints[0]
    assert cross.ok and "x-api-key" not in cross.response.body["headers"]
    assert missing.error.kind == "http_404" and "GET /status/404" in missing.hints[0]
    assert drip.error.kind == "timeout"
    assert huge.ok and huge.response.truncated
    assert blocked.error.kind == "blocked"
    for trace in (ok, slow, cross, missing, drip, huge, blocked):
        assert_no_secret(trace)


def test_tool_result_is_compact_json(executor: Executor, fault_server: FaultServer) -> None:
    trace = executor.execute(act(fault_server.url("/status/404")))
    data = json.loads(trace.to_tool_result())
    assert data["status"] == 404 and data["error"]["kind"] == "http_404" and "404" in data["hint"]
    big = executor.execute(act(fault_server.url("/huge?mb=1")))
    assert len(big.to_tool_result(cap=500)) <= 500
