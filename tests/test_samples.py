"""Every file in sample_actions/ run through the real executor against the demo API.

Samples name the default port (8765); each is rebased onto a demo server on a free port.
Secrets come from ``DEMO_SECRETS`` through a resolver; ``os.environ`` is never touched.
A new sample file is picked up by the parametrised tests and fails until it has an
entry in ``EXPECTED`` (or ``BROKEN_EXPECTED``).
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from core.action import Action, BasicAuth, BearerAuth, BodyAuth, HeaderAuth, load_action
from core.demo import DEFAULT_BASE_URL, DEMO_SECRETS, DemoServer, rebase_action, start_demo_api
from core.executor import BODY_CAP, Executor
from core.lint import lint
from core.secret import env_name, env_resolver
from core.trace import Trace

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "sample_actions").glob("*.json"))
BROKEN = sorted((ROOT / "sample_actions" / "broken").glob("*.json"))
PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
VARIABLE_TYPES = {"string", "integer", "float", "boolean", "date", "email", "phone"}
RUNTIME = {"book_appointment": {"cal_email": "sales@example.com"},
           "find_caller_account": {"user_phone_number": "+15551234567"},
           # customer_id is a result variable of find_caller_account; run alone, the session gives it
           "schedule_callback": {"customer_id": "CUST-1001", "user_phone_number": "+15551234567"},
           "check_balance": {"account_id": "ACC-1001", "call_id": "call-samples"},
           "send_followup_sms": {"user_phone_number": "+15551234567"},
           "lookup_phone_plan": {"account_id": "ACC-1001"}}


@dataclass
class Expect:
    """What one working sample answers with its example values."""

    status: int
    keys: set[str] = field(default_factory=set)  # present in trace.response.body (a dict)
    error: str | None = None  # the error kind, None when trace.ok
    hinted: bool = False  # an ok call that still carries a hint


EXPECTED: dict[str, Expect] = {
    "book_appointment": Expect(201, {"booking_id", "status", "date", "start_time", "calendar_email"}),
    "check_inventory": Expect(200, {"sku", "in_stock", "quantity_available", "restock_date"}),
    "create_support_ticket": Expect(201, {"ticket_id", "status", "priority_level", "expected_response"}),
    "crm_customer_lookup": Expect(200, {"customer_id", "name", "tier", "account_status", "recent_orders"}),
    "flaky_service": Expect(200, {"status", "call"}),
    "health_check": Expect(200, {"status", "service"}),
    "html_page": Expect(200, error="not_json"),
    "large_export": Expect(200, hinted=True),  # cut at BODY_CAP, so the body is text (see test_large_export_*)
    "order_status": Expect(200, {"order_number", "status", "carrier", "estimated_delivery"}),
    "redirect_lookup": Expect(200, {"redirected", "path", "query"}),
    "slow_report": Expect(200, {"report", "status", "delay_ms"}),
    "verify_caller": Expect(200, {"verified", "customer_id", "name"}),
    "find_caller_account": Expect(200, {"match", "customer", "interactions"}),
    "schedule_callback": Expect(201, {"callback_id", "customer_id", "scheduled_for"}),
    "check_balance": Expect(200, {"balance_due", "due_date"}, hinted=True),  # "succeeded only after retries"
    "find_technician_slot": Expect(200, {"slots", "first_available"}),
    "send_followup_sms": Expect(202, {"sms_id", "status"}),
    "lookup_phone_plan": Expect(200, {"plan", "monthly_fee", "data_used_gb"}),
}


@dataclass
class Broken:
    """How one broken sample fails, and the words its hint needs to name the fix."""

    kind: str
    status: int | None
    hint_words: list[str]
    message_words: list[str] = field(default_factory=list)
    lint_error: str | None = None  # the error code lint must report, when lint can tell


BROKEN_EXPECTED: dict[str, Broken] = {
    # "the bearer token is a wrong literal ... fix it with env:DEMO_CRM_TOKEN"
    "wrong_token": Broken("http_401", 401, ["bearer", "token is a literal", "env:name", "check the credential"]),
    # "the URL path is /crm/customer instead of /crm/customers ... fix the URL"
    "wrong_path": Broken("http_404", 404, ["get /crm/customer:", "static endpoint url path"]),
    # "the query uses the placeholder customer_ref, which is not a declared variable"
    "missing_variable": Broken("unreplaced_placeholder", None, ["exact syntax {{variable_name}}", "is defined"],
                               ["{{customer_ref}}", "fix the spelling"], lint_error="unknown-placeholder"),
    # "the report takes 2 s but timeout_s is 0.5 ... raise timeout_s to 5"
    "timeout_too_short": Broken("timeout", None, ["0.5 s", "timeout_s", "webhook"]),
}


# --------------------------------------------------------------------------- fixtures


@dataclass
class Demo:
    server: DemoServer
    executor: Executor

    def action(self, path: Path, server: DemoServer | None = None) -> Action:
        return rebase_action(load_action(path), (server or self.server).base_url)  # an OAuth2 token URL too

    def run(self, path: Path, action: Action | None = None) -> Trace:
        action = action or self.action(path)
        return self.executor.execute(action, examples(action), RUNTIME.get(path.stem))


@pytest.fixture(scope="module")
def demo() -> Iterator[Demo]:
    server = start_demo_api(port=0)
    with httpx.Client(trust_env=False) as client:
        yield Demo(server, Executor(client, resolver=env_resolver(DEMO_SECRETS)))
    server.stop()


def examples(action: Action) -> dict[str, Any]:
    return {v.name: v.example for v in action.variables}


def sample_id(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


def used_secrets(action: Action) -> dict[str, str]:
    """{env name: value} of the DEMO_SECRETS the action's auth references."""
    auth = action.auth
    refs = {BearerAuth: lambda a: [a.token], BasicAuth: lambda a: [a.username, a.password],
            HeaderAuth: lambda a: [a.value], BodyAuth: lambda a: list(a.fields.values())}
    names = [env_name(ref) for ref in refs.get(type(auth), lambda a: [])(auth)]
    return {n: DEMO_SECRETS[n] for n in names if n}


# --------------------------------------------------------------------------- the files


def test_sample_files_exist():
    names = {p.stem for p in SAMPLES}
    assert {"crm_customer_lookup", "create_support_ticket", "check_inventory", "order_status",
            "book_appointment", "verify_caller", "slow_report", "flaky_service", "html_page",
            "large_export", "redirect_lookup"} <= names
    assert {p.stem for p in BROKEN} == {"wrong_token", "wrong_path", "missing_variable", "timeout_too_short"}


@pytest.mark.parametrize("path", SAMPLES + BROKEN, ids=sample_id)
def test_sample_file_shape(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    for key in ("name", "description", "method", "url", "auth", "variables", "timeout_s"):
        assert key in data, f"{path.name} lacks {key}"
    assert data["url"].startswith(DEFAULT_BASE_URL + "/"), "samples talk to the demo API on its default port"
    names = [v["name"] for v in data["variables"]]
    for v in data["variables"]:
        assert v["type"] in VARIABLE_TYPES
        assert v["description"] and v["example"] not in (None, "")
        assert set(v) == {"name", "type", "description", "example", "required", "default"}
    action = load_action(path)  # the real parser accepts every sample file
    for name in used_secrets(action):
        assert name in DEMO_SECRETS
    if path.parent.name == "broken":
        assert data["description"].startswith("BROKEN:")
    else:
        text = json.dumps([data.get("headers"), data.get("query"), data.get("body")])
        used = set(PLACEHOLDER.findall(text))
        assert used <= set(names) | set(RUNTIME.get(path.stem, {}))
        assert set(names) <= used, "declared variables should be used"


@pytest.mark.parametrize("path", SAMPLES, ids=sample_id)
def test_samples_pass_lint(path):
    # beside the other samples: schedule_callback's {{customer_id}} is find_caller_account's result pick
    errors = [str(f) for f in lint(load_action(path), [load_action(p) for p in SAMPLES]) if f.severity == "error"]
    assert errors == []


@pytest.mark.parametrize("path", BROKEN, ids=sample_id)
def test_broken_samples_lint(path):
    assert path.stem in BROKEN_EXPECTED, f"add {path.stem} to BROKEN_EXPECTED"
    code = BROKEN_EXPECTED[path.stem].lint_error
    findings = lint(load_action(path))
    if code:  # lint can tell; the others (a wrong token, a slow API) only show when called
        assert any(f.severity == "error" and f.code == code for f in findings), findings
    if path.stem == "missing_variable":
        assert any("customer_ref" in f.message for f in findings if f.code == "unknown-placeholder")


# --------------------------------------------------------------------------- running them


@pytest.mark.parametrize("path", SAMPLES, ids=sample_id)
def test_sample_runs_with_its_examples(demo, path):
    assert path.stem in EXPECTED, f"add {path.stem} to EXPECTED with its status and response keys"
    expect = EXPECTED[path.stem]
    if path.stem == "flaky_service":
        # its own server, so this is the server's first call whatever else ran before
        with start_demo_api(port=0) as fresh:
            trace = demo.run(path, demo.action(path, fresh))
    else:
        trace = demo.run(path)
    assert trace.response is not None, (trace.error, trace.hints)
    assert trace.response.status_code == expect.status, trace.response.body
    assert (trace.error.kind if trace.error else None) == expect.error, (trace.error, trace.hints)
    if expect.error is None:
        assert trace.ok
        assert bool(trace.hints) == expect.hinted, trace.hints
    else:
        assert trace.hints
    if expect.keys:
        body = trace.response.body
        assert trace.response.is_json and isinstance(body, dict), body
        assert expect.keys <= set(body), f"missing {expect.keys - set(body)} in {body}"


def test_flaky_service_alternates(demo):
    path = ROOT / "sample_actions" / "flaky_service.json"
    with start_demo_api(port=0) as fresh:
        action = demo.action(path, fresh)
        first, second = demo.executor.execute(action), demo.executor.execute(action)
    assert first.ok and first.status_code == 200
    assert second.status_code == 503
    assert second.error is not None and second.error.kind == "http_5xx"
    assert second.hints and "503" in second.hints[0] and "retry" in second.hints[0].lower()


def test_html_page_is_not_json(demo):
    trace = demo.run(ROOT / "sample_actions" / "html_page.json")
    assert trace.status_code == 200
    assert trace.error is not None and trace.error.kind == "not_json"
    assert "text/html" in trace.error.message
    assert trace.response.is_json is False and trace.response.body.lstrip().startswith("<!DOCTYPE html>")
    assert any("JSON" in h for h in trace.hints)
    assert any("Accept: application/json" in h for h in trace.hints)


def test_large_export_is_truncated_at_the_cap(demo):
    path = ROOT / "sample_actions" / "large_export.json"
    action = demo.action(path)
    asked = int(action.query["kb"]) * 1024
    assert asked > BODY_CAP, "the sample should ask for more than the executor's BODY_CAP to show truncation"
    trace = demo.run(path, action)
    assert trace.ok and trace.status_code == 200
    assert trace.response.truncated is True
    assert trace.response.size_bytes == BODY_CAP
    assert isinstance(trace.response.body, str) and trace.response.is_json is False
    assert any("size cap" in h for h in trace.hints), trace.hints


def test_large_export_under_the_cap_is_whole_json(demo):
    path = ROOT / "sample_actions" / "large_export.json"
    kb = BODY_CAP // 1024 // 4
    action = demo.action(path).model_copy(update={"query": {"kb": str(kb)}})
    trace = demo.run(path, action)
    assert trace.ok and trace.response.truncated is False and trace.hints == []
    assert trace.response.size_bytes == kb * 1024
    assert trace.response.is_json and trace.response.body["kb"] == kb and trace.response.body["rows"]


def test_redirect_is_followed(demo):
    trace = demo.run(ROOT / "sample_actions" / "redirect_lookup.json")
    assert trace.ok and trace.status_code == 200
    assert trace.response.redirects, "the 302 hop should be recorded"
    target = urlsplit(trace.response.redirects[-1])
    assert target.path == "/debug/redirect-target"
    assert parse_qs(target.query) == {"order_number": ["ORD-10042"]}
    assert trace.response.body["query"] == {"order_number": "ORD-10042"}


def test_slow_report_waits_for_the_server(demo):
    path = ROOT / "sample_actions" / "slow_report.json"
    action = demo.action(path)
    delay_ms = int(action.query["delay_ms"])
    assert delay_ms < action.timeout_s * 1000 * 0.8, "the sample should finish well inside its timeout"
    trace = demo.run(path, action)
    assert trace.ok and trace.status_code == 200
    assert trace.response.body["delay_ms"] == delay_ms
    assert trace.response.elapsed_ms >= delay_ms  # a lower bound set by the server, not our speed


@pytest.mark.parametrize("path", BROKEN, ids=sample_id)
def test_broken_sample_fails_with_a_hint_that_names_the_fix(demo, path):
    assert path.stem in BROKEN_EXPECTED, f"add {path.stem} to BROKEN_EXPECTED"
    expect = BROKEN_EXPECTED[path.stem]
    trace = demo.run(path)
    assert not trace.ok
    assert trace.error.kind == expect.kind, (trace.error, trace.hints)
    assert trace.status_code == expect.status
    assert trace.hints, "a failed call needs a hint"
    hint = " ".join(trace.hints).lower()
    for word in expect.hint_words:
        assert word.lower() in hint, f"{word!r} not in hints: {trace.hints}"
    for word in expect.message_words:
        assert word in trace.error.message, f"{word!r} not in message: {trace.error.message}"


def test_missing_variable_is_caught_before_sending(demo):
    trace = demo.run(ROOT / "sample_actions" / "broken" / "missing_variable.json")
    assert trace.response is None


async def _run_concurrently(demo: Demo, paths: list[Path]) -> list[Trace]:
    async with httpx.AsyncClient(trust_env=False) as client:
        executor = Executor(async_client=client, resolver=env_resolver(DEMO_SECRETS))
        actions = [demo.action(p) for p in paths]
        return await asyncio.gather(*(executor.aexecute(a, examples(a), RUNTIME.get(p.stem))
                                      for p, a in zip(paths, actions)))


def test_samples_run_concurrently_async(demo):
    names = ["order_status", "crm_customer_lookup", "verify_caller"]
    paths = [ROOT / "sample_actions" / f"{n}.json" for n in names]
    traces = asyncio.run(_run_concurrently(demo, paths))
    for path, trace in zip(paths, traces):
        assert trace.ok, (path.stem, trace.error, trace.hints)
        assert trace.status_code == EXPECTED[path.stem].status
        assert EXPECTED[path.stem].keys <= set(trace.response.body)


# --------------------------------------------------------------------------- secrets

AUTH_SAMPLES = [p for p in SAMPLES + BROKEN if used_secrets(load_action(p))]


@pytest.mark.parametrize("path", AUTH_SAMPLES, ids=sample_id)
def test_trace_never_contains_the_secret_it_used(demo, path):
    action = demo.action(path)
    secrets = used_secrets(action)
    trace = demo.run(path, action)
    dumped = trace.model_dump_json()
    if isinstance(action.auth, BasicAuth):
        # The username is an identity, not a credential: the demo helpdesk echoes it back as
        # "requester". The password and the base64 header value are the secrets.
        user = secrets.pop(env_name(action.auth.username))
        pair = f"{user}:{secrets[env_name(action.auth.password)]}"
        secrets["base64(user:password)"] = base64.b64encode(pair.encode()).decode()
    assert secrets
    for name, value in secrets.items():
        assert value not in dumped, f"{name} leaked into the trace of {path.stem}"
    if trace.request is not None:
        assert trace.request.secrets_masked
