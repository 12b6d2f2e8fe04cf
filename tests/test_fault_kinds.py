"""The fault table (issue 13, figures): 23 faults, each with its own error kind and a hint that names the real
cause. One row per fault; the individual behaviours are tested in depth in test_executor, test_faults and
test_ssrf, this is the count the closing note reports."""

from __future__ import annotations

import asyncio
import time
from typing import Any, Callable

import httpx
import pytest

from core.action import Action, parse_action
from core.errors import ActionFileError
from core.executor import Executor
from core.trace import Trace
from fault_server import FaultServer
from test_faults import blackhole  # noqa: F401 (a fixture)

Row = tuple[str, str, str]  # (fault, expected kind, a phrase of the first hint)


def act(url: str, **fields: Any) -> Action:
    return parse_action({"name": "Fault", "description": "An action used by the fault table.", "url": url,
                         **fields}, "fault")


@pytest.fixture
def table(executor: Executor, fault_server: FaultServer, other_server: FaultServer, free_port: int,
          blackhole: str, resolver: Callable[[str], str | None]) -> list[tuple[str, str, str, Callable[[], Trace]]]:
    url = fault_server.url
    ex = executor.execute

    def silent_tls() -> Trace:
        import socket
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            s.listen(8)
            return ex(act(f"https://127.0.0.1:{s.getsockname()[1]}/x", timeout_s=0.3))

    def downgrade() -> Trace:
        def handler(request: httpx.Request) -> httpx.Response:
            if request.url.scheme == "https":
                return httpx.Response(307, headers={"Location": "http://api.example.com/plain"})
            return httpx.Response(200, json={})
        with httpx.Client(transport=httpx.MockTransport(handler)) as client:
            return Executor(client).execute(act("https://api.example.com/x", method="POST", body={"a": 1}))

    def resolved_metadata() -> Trace:
        return Executor(httpx.Client(), resolve_host=lambda host: ["169.254.169.254"]).execute(
            act("http://metadata.example.test/latest"))

    def pool() -> Trace:
        async def main() -> list[Trace]:
            async with httpx.AsyncClient(limits=httpx.Limits(max_connections=1)) as client:
                e = Executor(async_client=client)
                return await asyncio.gather(e.aexecute(act(url("/slow?ms=800"), timeout_s=2)),
                                            e.aexecute(act(url("/echo"), timeout_s=0.3)))
        return asyncio.run(main())[1]

    def port_99999() -> Trace:
        try:
            act("http://127.0.0.1:99999/x")
        except ActionFileError as exc:  # refused when the file loads: a trace-like row for the table
            return Trace(action="Fault", error={"kind": "invalid_request", "message": str(exc)},
                         hints=[str(exc)])
        raise AssertionError("port 99999 loaded")

    def secret_with_a_space() -> Trace:
        return Executor(httpx.Client(), resolver={"T": "sk-live-abc123 "}.get).execute(
            act(url("/echo"), auth={"type": "bearer", "token": "env:T"}))

    body_auth = {"type": "body", "fields": {"api_key": "env:API_KEY"}}
    return [
        ("connection refused", "connection_refused", "Nothing accepted the connection",
         lambda: ex(act(f"http://127.0.0.1:{free_port}/x"))),
        ("unknown host", "dns", "could not be resolved", lambda: ex(act("http://no-such-host.playground-test.invalid/"))),
        ("port 99999", "invalid_request", "out of range", port_99999),
        ("connect timeout (filtered)", "timeout", "unreachable", lambda: ex(act(blackhole, timeout_s=0.5))),
        ("slow answer", "timeout", "too slowly", lambda: ex(act(url("/slow?ms=3000"), timeout_s=0.3))),
        ("headers, then a stalled body", "timeout", "timeout_s", lambda: ex(act(url("/stall?ms=3000"), timeout_s=0.4))),
        ("HTTPS to a plain-HTTP port", "tls", "use http://", lambda: ex(act(f"https://127.0.0.1:{fault_server.port}/"))),
        ("TLS handshake never answered", "tls", "TLS handshake", silent_tls),
        ("connection reset", "protocol", "reset", lambda: ex(act(url("/reset")))),
        ("bytes that are not HTTP", "protocol", "broken HTTP response", lambda: ex(act(url("/broken")))),
        ("redirect loop", "too_many_redirects", "redirects in a loop", lambda: ex(act(url("/loop")))),
        ("https -> http redirect", "insecure_redirect", "https://", downgrade),
        ("body auth resent to another origin (307)", "insecure_redirect", "another",
         lambda: ex(act(url(f"/redirect?status=307&to={other_server.url('/echo')}"), method="POST", auth=body_auth,
                        body={"q": 1}))),
        ("invalid redirect Location", "protocol", "Location is not a valid URL",
         lambda: ex(act(url("/redirect?to=http://[bad")))),
        ("cloud metadata address", "blocked", "--allow-link-local", lambda: ex(act("http://100.100.100.200/latest"))),
        ("a name resolving to metadata", "blocked", "--allow-link-local", resolved_metadata),
        ("HTML served as application/json", "not_json", "login, proxy", lambda: ex(act(url("/json-html")))),
        ("an empty 200 that says JSON", "not_json", "empty body", lambda: ex(act(url("/json-empty")))),
        ("corrupt gzip", "bad_encoding", "compression", lambda: ex(act(url("/corrupt-gzip")))),
        ("double-gzip bomb", "decompression_bomb", "decompression bomb", lambda: ex(act(url("/gzip?layers=2&mb=50")))),
        ("connection pool exhausted", "pool_timeout", "not the API being slow", pool),
        ("NUL in a header value", "invalid_request", "control character",
         lambda: ex(act(url("/echo"), headers={"X-Note": "{{n}}"}, variables=[{"name": "n"}]), {"n": "a\x00b"})),
        ("a secret with a trailing space", "secret_invalid", "copy-paste slip", secret_with_a_space),
    ]


def test_every_fault_has_its_own_kind_and_a_hint_naming_the_cause(table: list, capsys: pytest.CaptureFixture) -> None:
    wrong = []
    for fault, kind, phrase, run in table:
        started = time.perf_counter()
        trace = run()
        took = time.perf_counter() - started
        got = trace.error.kind if trace.error else "ok"
        hint = trace.hints[0] if trace.hints else ""
        if got != kind or phrase not in hint:
            wrong.append(f"{fault}: {got} / {hint[:100]!r}")
        if kind == "timeout" and took > 2:
            wrong.append(f"{fault}: took {took:.1f} s")
    with capsys.disabled():
        print(f"\nfault table: {len(table) - len(wrong)} of {len(table)} faults with their own kind and a good hint")
    assert len(table) == 23
    assert wrong == []
