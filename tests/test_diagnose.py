"""Troubleshooting hints from traces (pure: traces are built by hand, nothing is sent)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from core.action import Action, parse_action
from core.diagnose import PLACEHOLDER_ADVICE, diagnose
from core.executor import classify, status_kind
from core.render import render
from core.trace import ErrorInfo, ResponseInfo, Trace


def act(**fields: Any) -> Action:
    return parse_action({"name": "Lookup", "url": "https://api.example.com/orders/status", **fields}, "test")


def trace_for(action: Action, kind: str | None = None, status: int | None = None, body: Any = None,
              headers: dict[str, str] | None = None, elapsed_ms: float = 10.0, truncated: bool = False,
              values: dict[str, Any] | None = None) -> Trace:
    trace = Trace(action=action.name, request=render(action, values, resolver=lambda n: "x" * 16).masked())
    if status is not None:
        trace.response = ResponseInfo(status_code=status, body=body, headers=headers or {}, elapsed_ms=elapsed_ms,
                                      truncated=truncated, size_bytes=1000)
    if kind is not None:
        trace.error = ErrorInfo(kind=kind, message="x")
    return trace


def hints(action: Action, resolver: Any = None, **kw: Any) -> list[str]:
    return diagnose(trace_for(action, **kw), action, resolver or (lambda name: None))


def test_a_good_call_has_no_hints() -> None:
    assert hints(act(), status=200, body={"ok": True}) == []


def test_401_says_which_auth_was_sent_and_whether_its_env_var_is_set() -> None:
    action = act(auth={"type": "bearer", "token": "env:ORDERS_TOKEN"})
    unset = hints(action, kind="http_401", status=401, body={"message": "bad token"})[0]
    assert "bearer auth (Authorization: Bearer <token>)" in unset
    assert "token from env var ORDERS_TOKEN, which is NOT set" in unset
    assert "The API said: bad token." in unset
    is_set = hints(action, resolver={"ORDERS_TOKEN": "t" * 20}.get, kind="http_401", status=401)[0]
    assert "ORDERS_TOKEN, which is set" in is_set


def test_401_with_body_auth_lists_the_fields() -> None:
    action = act(method="POST", auth={"type": "body", "fields": {"api_key": "env:K", "user": "bot"}})
    hint = hints(action, kind="http_401", status=401)[0]
    assert "body auth (fields api_key, user in the JSON body)" in hint
    assert "api_key from env var K" in hint and "user is a literal in the action file (prefer env:NAME)" in hint


@pytest.mark.parametrize("body, said", [
    ({"detail": [{"loc": ["body", "qty"], "msg": "must be positive"}]}, "qty: must be positive"),  # FastAPI
    ({"error": {"message": "quota exceeded"}}, "quota exceeded"),
    ({"error_description": "token expired"}, "token expired"),
    ({"title": "Invalid order"}, "Invalid order"),
])
def test_the_apis_own_error_message_is_quoted(body: Any, said: str) -> None:
    assert f"The API said: {said}." in hints(act(), kind="http_422", status=422, body=body)[0]


def test_no_api_message_for_a_text_body() -> None:
    assert "The API said" not in hints(act(), kind="http_400", status=400, body="<html>oops</html>")[0]


def test_405_and_429_without_optional_headers() -> None:
    assert "It allows" not in hints(act(), kind="http_405", status=405)[0]
    assert "retry after" not in hints(act(), kind="http_429", status=429)[0]
    assert "It allows: POST." in hints(act(), kind="http_405", status=405, headers={"allow": "POST"})[0]


def test_timeout_hint_uses_the_actions_limit() -> None:
    hint = hints(act(timeout_s=2.5), kind="timeout")[0]
    assert "2.5 s limit" in hint and "timeout_s" in hint and "webhook" in hint


def test_slow_but_successful_call_warns_near_the_limit() -> None:
    assert any("close to the 1 s limit" in h for h in hints(act(timeout_s=1), status=200, body={}, elapsed_ms=900))
    assert hints(act(timeout_s=1), status=200, body={}, elapsed_ms=100) == []


def test_plain_http_to_a_remote_host_warns_about_https() -> None:
    remote = act(url="http://api.example.com/x")
    assert any("use HTTPS" in h for h in hints(remote, status=200, body={}))
    assert hints(act(url="http://127.0.0.1:8765/x"), status=200, body={}) == []


def test_truncated_response_hint() -> None:
    assert any("cut at the size cap" in h for h in hints(act(), status=200, body="[", truncated=True))


@pytest.mark.parametrize("kind, words", [
    ("unreplaced_placeholder", ["{{variable_name}}", "{{contact.email}}"]),
    ("invalid_arguments", ["description", "required=true"]),
    ("invalid_request", ["line break", "valid JSON"]),
    ("secret_missing", ["environment variable"]),  # + secrets.toml when the resolver reads it: test_secret_chain
    ("blocked", ["--allow-link-local"]),
    ("dns", ["'api.example.com' could not be resolved"]),
    ("connection_refused", ["api.example.com:443", "demo-api"]),
    ("tls", ["certificate", "http://"]),
    ("protocol", ["reset", "retry"]),
    ("too_many_redirects", ["redirects in a loop", "final URL"]),
])
def test_every_error_kind_has_an_actionable_hint(kind: str, words: list[str]) -> None:
    hint = hints(act(), kind=kind)[0]
    for word in words:
        assert word in hint
    if kind == "unreplaced_placeholder":
        assert hint == PLACEHOLDER_ADVICE


@pytest.mark.parametrize("status, kind", [
    (200, None), (204, None), (302, None), (400, "http_400"), (401, "http_401"), (403, "http_403"),
    (404, "http_404"), (405, "http_405"), (409, "http_4xx"), (422, "http_422"), (429, "http_429"),
    (500, "http_5xx"), (599, "http_5xx"),
])
def test_status_kind(status: int, kind: str | None) -> None:
    assert status_kind(status) == kind


def test_classify_maps_httpx_errors() -> None:
    request = httpx.Request("GET", "https://api.example.com/")
    assert classify(httpx.ReadTimeout("timed out", request=request))[0] == "timeout"
    assert classify(httpx.ConnectTimeout("_ssl.c:989: The handshake operation timed out", request=request))[0] == "tls"
    assert classify(httpx.ConnectError("[Errno -2] Name or service not known", request=request))[0] == "dns"
    assert classify(httpx.ConnectError("[Errno 111] Connection refused", request=request))[0] == "connection_refused"
    assert classify(httpx.RemoteProtocolError("Server disconnected", request=request))[0] == "protocol"
    assert classify(httpx.TooManyRedirects("exceeded", request=request))[0] == "too_many_redirects"
