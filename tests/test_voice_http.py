"""`retry` and OAuth2 client credentials through the real executor, against the demo API on a free port.

The demo's /voice/billing/balance answers 503 to the first `fail_first` calls of a `key` (with Retry-After when
asked) and counts the calls it got; /oauth/token issues tokens and /oauth/stats counts the token requests, so
every count below is the server's, not the client's opinion.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import httpx
import pytest

from core.action import Action, parse_action
from core.demo import DEMO_SECRETS
from core.executor import Executor
from core.retry import retry_after_s
from core.secret import env_resolver

CLIENT_ID, CLIENT_SECRET = DEMO_SECRETS["DEMO_OAUTH_CLIENT_ID"], DEMO_SECRETS["DEMO_OAUTH_CLIENT_SECRET"]


@pytest.fixture(scope="module")
def demo_executor():
    with httpx.Client(trust_env=False) as client:
        yield Executor(client, resolver=env_resolver(DEMO_SECRETS))


def billing(demo: Any, method: str = "GET", retry: dict[str, Any] | None = None, timeout_s: float = 10,
            **query: str) -> tuple[Action, str]:
    """An action on the unreliable billing endpoint with a fresh key (so its failure counter starts at 0)."""
    key = uuid.uuid4().hex[:8]
    action = parse_action({
        "name": "Check Balance", "description": "Check the balance of the caller's account.", "method": method,
        "url": demo.url("/voice/billing/balance"), "query": {"key": key, **query}, "timeout_s": timeout_s,
        **({"retry": retry} if retry is not None else {}),
    }, "test")
    return action, key


def calls(demo: Any, key: str) -> int:
    return httpx.get(demo.url("/voice/billing/calls"), trust_env=False).json().get(key, 0)


# -- retry -------------------------------------------------------------------------------------------------
def test_a_server_that_fails_twice_then_succeeds_takes_three_attempts(demo, demo_executor):
    action, key = billing(demo, retry={"attempts": 3, "backoff_s": 0.05}, fail_first="2")
    trace = demo_executor.execute(action)
    assert trace.ok and trace.status_code == 200 and trace.response.body["call"] == 3
    assert calls(demo, key) == 3
    assert [(a.attempt, a.status_code, a.error) for a in trace.attempts] == \
        [(1, 503, "http_5xx"), (2, 503, "http_5xx"), (3, 200, None)]
    assert all(a.wait_ms > 0 for a in trace.attempts[:2]) and trace.attempts[2].wait_ms == 0
    assert all(a.elapsed_ms > 0 for a in trace.attempts)
    # exponential backoff with 50-100 % jitter: 25-50 ms, then 50-100 ms
    assert 25 <= trace.attempts[0].wait_ms <= 50 and 50 <= trace.attempts[1].wait_ms <= 100
    assert any("only on attempt 3 of 3" in h and "503, 503" in h for h in trace.hints)


def test_without_retry_one_attempt_as_before(demo, demo_executor):
    action, key = billing(demo, fail_first="2")
    trace = demo_executor.execute(action)
    assert trace.status_code == 503 and trace.error.kind == "http_5xx"
    assert trace.attempts == [] and calls(demo, key) == 1


def test_all_attempts_failing_reports_each(demo, demo_executor):
    action, key = billing(demo, retry={"attempts": 2, "backoff_s": 0.01}, fail_first="5")
    trace = demo_executor.execute(action)
    assert trace.status_code == 503 and [a.status_code for a in trace.attempts] == [503, 503]
    assert calls(demo, key) == 2
    assert any("2 attempts failed (503, 503)" in h for h in trace.hints)


def test_a_status_not_in_on_is_not_retried(demo, demo_executor):
    action, key = billing(demo, retry={"attempts": 3, "backoff_s": 0.01, "on": [502]}, fail_first="2")
    trace = demo_executor.execute(action)
    assert trace.status_code == 503 and len(trace.attempts) == 1 and calls(demo, key) == 1


@pytest.mark.parametrize("retry_after", ["1", "date"])
def test_retry_after_is_honoured_in_seconds_or_as_an_http_date(demo, demo_executor, retry_after):
    action, key = billing(demo, retry={"attempts": 2, "backoff_s": 0.01}, fail_first="1", retry_after=retry_after)
    trace = demo_executor.execute(action)
    assert trace.ok and calls(demo, key) == 2
    first = trace.attempts[0]
    assert first.retry_after_s is not None and 0 <= first.retry_after_s <= 1.0
    assert first.wait_ms == pytest.approx(first.retry_after_s * 1000, abs=1)  # the server's wait, not the backoff
    if retry_after == "1":
        assert first.wait_ms == 1000


def test_retry_after_parsing():
    now = dt.datetime(2026, 11, 25, 12, 0, 0, tzinfo=dt.timezone.utc)
    assert retry_after_s("120") == 120.0
    assert retry_after_s("Wed, 25 Nov 2026 12:00:30 GMT", now) == 30.0
    assert retry_after_s("Wed, 25 Nov 2026 11:00:00 GMT", now) == 0.0  # in the past: at once
    assert retry_after_s("soon") is None and retry_after_s(None) is None


def test_a_wait_that_would_pass_timeout_s_is_not_made(demo, demo_executor):
    action, key = billing(demo, retry={"attempts": 3, "backoff_s": 0.01}, timeout_s=3, fail_first="2",
                          retry_after="30")
    trace = demo_executor.execute(action)
    assert trace.status_code == 503 and len(trace.attempts) == 1 and calls(demo, key) == 1
    assert any("timeout_s" in h and "no attempt 2" in h for h in trace.hints)


def test_a_write_is_not_retried_after_the_request_reached_the_server(demo, demo_executor):
    action, key = billing(demo, "POST", retry={"attempts": 3, "backoff_s": 0.01}, fail_first="2")
    trace = demo_executor.execute(action)
    assert trace.status_code == 503 and len(trace.attempts) == 1
    assert calls(demo, key) == 1  # sent once: a retry could have applied it twice
    assert any("POST was not retried" in h and "retry_writes" in h for h in trace.hints)


def test_retry_writes_opts_in(demo, demo_executor):
    action, key = billing(demo, "POST", retry={"attempts": 3, "backoff_s": 0.01}, fail_first="2")
    action = action.model_copy(update={"retry_writes": True})
    trace = demo_executor.execute(action)
    assert trace.ok and calls(demo, key) == 3


def test_a_write_that_never_connected_is_retried(demo_executor, free_port):
    action = parse_action({"name": "Create", "description": "Create a record on a server that is down.",
                           "method": "POST", "url": f"http://127.0.0.1:{free_port}/records", "body": {"a": 1},
                           "retry": {"attempts": 3, "backoff_s": 0.01}}, "test")
    trace = demo_executor.execute(action)
    assert trace.error.kind == "connection_refused"
    assert [a.error for a in trace.attempts] == ["connection_refused"] * 3


def test_retries_on_the_async_path(loop, demo, async_executor):
    action, key = billing(demo, retry={"attempts": 3, "backoff_s": 0.01}, fail_first="2")
    trace = loop.run(async_executor.aexecute(action))
    assert trace.ok and [a.status_code for a in trace.attempts] == [503, 503, 200] and calls(demo, key) == 3


# -- OAuth2 client credentials ---------------------------------------------------------------------------------
def plan_action(demo: Any, **auth: Any) -> Action:
    return parse_action({
        "name": "Lookup Phone Plan", "description": "Look up the caller's phone plan on the carrier API.",
        "url": demo.url("/voice/accounts"), "query": {"account_id": "ACC-1001"},
        "auth": {"type": "oauth2_client_credentials", "token_url": demo.url("/oauth/token"),
                 "client_id": "env:DEMO_OAUTH_CLIENT_ID", "client_secret": "env:DEMO_OAUTH_CLIENT_SECRET",
                 "scope": "accounts:read", **auth},
    }, "test")


def token_requests(demo: Any) -> int:
    return httpx.get(demo.url("/oauth/stats"), trust_env=False).json()["token_requests"]


def assert_masked(trace: Any, executor: Executor) -> None:
    text = trace.model_dump_json()
    assert CLIENT_SECRET not in text
    for token in executor.tokens._tokens.values():
        assert token["access_token"] not in text


def fresh_executor() -> Executor:
    return Executor(httpx.Client(trust_env=False), resolver=env_resolver(DEMO_SECRETS))


def test_a_token_is_fetched_once_for_two_calls_and_again_after_a_401(demo):
    executor = fresh_executor()
    action = plan_action(demo)
    before = token_requests(demo)
    first, second = executor.execute(action), executor.execute(action)
    assert first.ok and second.ok and first.response.body["plan"] == "Unlimited Plus"
    assert token_requests(demo) == before + 1  # the server saw one token request for two calls
    assert len(first.steps) == 1 and second.steps == []
    step = first.steps[0]
    assert step.action == "Lookup Phone Plan: OAuth2 token" and step.request.method == "POST"
    assert step.request.body["grant_type"] == "client_credentials" and step.request.body["scope"] == "accounts:read"
    assert step.request.headers["Authorization"].startswith("Basic ****")
    assert step.response.status_code == 200 and step.response.body["access_token"].startswith("****")
    assert first.request.headers["Authorization"].startswith("Bearer ****")
    assert_masked(first, executor)

    httpx.post(demo.url("/oauth/revoke-all"), trust_env=False)  # the API now refuses the cached token
    third = executor.execute(action)
    assert third.ok and third.status_code == 200
    assert token_requests(demo) == before + 2 and len(third.steps) == 1
    assert_masked(third, executor)


def test_the_async_path_shares_the_cache(loop, demo):
    executor = Executor(async_client=httpx.AsyncClient(trust_env=False), resolver=env_resolver(DEMO_SECRETS))
    action = plan_action(demo)
    before = token_requests(demo)
    traces = [loop.run(executor.aexecute(action)) for _ in range(2)]
    assert all(t.ok for t in traces) and token_requests(demo) == before + 1
    loop.run(executor.async_client.aclose())


def test_client_auth_post_sends_the_credentials_in_the_form(demo):
    trace = fresh_executor().execute(plan_action(demo, client_auth="post"))
    assert trace.ok
    step = trace.steps[0]
    assert "Authorization" not in step.request.headers
    # both in the form, masked: a client id read from env:NAME is treated as a secret, like a basic username
    assert step.request.body["client_id"].startswith("****") and step.request.body["client_secret"].startswith("****")
    assert CLIENT_ID not in trace.model_dump_json()


@pytest.mark.parametrize("auth, words", [
    ({"client_secret": "a-wrong-secret-for-sure"}, ["invalid_client", "auth.client_secret", "client_auth"]),
    ({"scope": "admin"}, ["invalid_scope", "'admin'"]),
    ({"token_url": "/oauth/missing"}, ["not a working OAuth2 token endpoint", "404"]),
])
def test_a_refused_token_request_fails_the_call_with_a_hint(demo, auth, words):
    if "token_url" in auth:
        auth = {"token_url": demo.url(auth["token_url"])}
    trace = fresh_executor().execute(plan_action(demo, **auth))
    assert trace.error.kind == "oauth_token" and trace.response is None
    assert len(trace.steps) == 1 and trace.steps[0].error.kind == "oauth_token"
    assert all(w in trace.hints[0] for w in words), trace.hints
    assert "a-wrong-secret-for-sure" not in trace.model_dump_json()


def test_a_token_url_where_nothing_listens(demo, free_port):
    trace = fresh_executor().execute(plan_action(demo, token_url=f"http://127.0.0.1:{free_port}/oauth/token"))
    assert trace.error.kind == "oauth_token" and "connection_refused" in trace.error.message
    assert trace.steps[0].error.kind == "connection_refused" and trace.steps[0].response is None
    assert "nothing answered there" in trace.hints[0]


def test_an_unset_client_secret_is_secret_missing_before_anything_is_sent(demo):
    executor = Executor(httpx.Client(trust_env=False), resolver=env_resolver({"DEMO_OAUTH_CLIENT_ID": CLIENT_ID}))
    before = token_requests(demo)
    trace = executor.execute(plan_action(demo))
    assert trace.error.kind == "secret_missing" and "DEMO_OAUTH_CLIENT_SECRET" in trace.error.message
    assert token_requests(demo) == before and trace.steps == []


def test_retry_and_oauth_together_keep_one_token(demo):
    executor = fresh_executor()
    action = plan_action(demo).model_copy(update={"retry": parse_action(
        {"name": "x", "url": "https://x.example", "retry": {"attempts": 2}}, "t").retry})
    before = token_requests(demo)
    trace = executor.execute(action)
    assert trace.ok and [a.status_code for a in trace.attempts] == [200] and token_requests(demo) == before + 1
    assert json.loads(trace.result.text)["status"] == 200
