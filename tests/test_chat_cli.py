"""`playground chat`: one user turn per stdin line, ``--json`` prints one JSON event per line.

The actions folder is a temp copy of the samples rebased onto a demo server on a free port, and
``--no-demo`` keeps the command from starting its own. The in-process runs read the demo secrets
from the environment (set with monkeypatch, restored after each test); the subprocess gets them
in its own environment.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest

from core import cli
from core.action import load_action
from core.cli.chat import run_chat
from core.demo import DEMO_SECRETS, DemoServer, rebase_action
from core.store import dump_action
from fake_openai import FakeOpenAI

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_actions"
TRACE_KEYS = {"action", "request", "response", "error", "hints"}


def _rebased_folder(folder: Path, sources: Path, base_url: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(sources.glob("*.json")):
        action = load_action(path)
        action = rebase_action(action, base_url)  # an OAuth2 token URL too
        (folder / path.name).write_text(dump_action(action), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def actions_dir(demo: DemoServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _rebased_folder(tmp_path_factory.mktemp("actions"), SAMPLES, demo.base_url)


@pytest.fixture(scope="module")
def broken_dir(demo: DemoServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _rebased_folder(tmp_path_factory.mktemp("broken"), SAMPLES / "broken", demo.base_url)


@pytest.fixture
def demo_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in DEMO_SECRETS.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def srv() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


def chat(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str],
         lines: list[str]) -> tuple[int, str, str]:
    """``playground chat ...`` in-process through ``core.cli.main`` with ``lines`` on stdin."""
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(line + "\n" for line in lines)))
    code = cli.main(["chat", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def parse_events(out: str, *, timing: bool = False) -> list[dict[str, Any]]:
    """The JSON events, without each turn's dead-air figure unless ``timing`` (test_voice checks those)."""
    events = [json.loads(line) for line in out.splitlines() if line.strip()]
    return events if timing else [e for e in events if e["type"] != "dead_air"]


def assert_trace_shape(trace: dict[str, Any]) -> None:
    assert TRACE_KEYS <= trace.keys()
    assert {"method", "url", "headers", "body"} <= trace["request"].keys()
    if trace["response"] is not None:
        assert {"status_code", "headers", "body", "elapsed_ms"} <= trace["response"].keys()
    if trace["error"] is not None:
        assert {"kind", "message"} <= trace["error"].keys()
    assert isinstance(trace["hints"], list)


def assert_no_secret(text: str) -> None:
    for name, value in DEMO_SECRETS.items():
        if name != "DEMO_SUPPORT_USER":  # a user name, not a secret
            assert value not in text, f"{name} leaked into the output"


# -- with a scripted OpenAI-compatible server ---------------------------------------------
def test_json_events_one_per_line(monkeypatch, capsys, actions_dir, demo_env, srv):
    srv.queue({"content": "Hello! Ask me about an order."},
              {"tool_calls": [{"id": "call_1", "name": "lookup_order_status",
                               "arguments": {"order_number": "ORD-10042"}}]},
              {"content": "Order ORD-10042 has shipped with UPS."})
    code, out, err = chat(monkeypatch, capsys, [
        "--json", "--no-demo", "--actions", str(actions_dir), "--model", "openai:fake-model",
        "--base-url", srv.base_url, "--api-key", "test-key"], ["hi", "", "  ", "where is ORD-10042?"])
    assert code == 0, err
    events = parse_events(out)
    assert [e["type"] for e in events] == ["reply", "tool_call", "tool_result", "reply"]  # no text deltas
    assert events[0]["text"] == "Hello! Ask me about an order."
    call, result = events[1], events[2]
    assert call == {"type": "tool_call", "call_id": "call_1", "tool_name": "lookup_order_status",
                    "action": "Lookup Order Status", "arguments": {"order_number": "ORD-10042"}}
    assert result["call_id"] == "call_1" and result["tool_name"] == "lookup_order_status"
    trace = result["trace"]
    assert_trace_shape(trace)
    assert trace["action"] == "Lookup Order Status" and trace["error"] is None
    assert trace["request"]["method"] == "GET" and trace["request"]["url"].endswith("order_number=ORD-10042")
    assert trace["response"]["status_code"] == 200 and trace["response"]["body"]["status"] == "shipped"
    assert trace["request"]["headers"]["Authorization"] == "Bearer ****" + DEMO_SECRETS["DEMO_ORDERS_TOKEN"][-4:]
    assert json.loads(result["result"]) == {"status": 200, "body": trace["response"]["body"]}
    assert events[3]["text"] == "Order ORD-10042 has shipped with UPS."
    assert_no_secret(out)
    # the two blank lines were skipped: three turns, three model requests
    assert len(srv.requests) == 3 and srv.remaining == 0
    assert [m["content"] for m in srv.requests[2]["messages"] if m["role"] == "user"] == ["hi", "where is ORD-10042?"]
    assert len(srv.requests[0]["tools"]) == len(list(actions_dir.glob("*.json")))


def test_a_model_error_prints_an_error_event_and_exits_1(monkeypatch, capsys, actions_dir, demo_env, srv):
    srv.queue({"error": 429}, {"error": 429})  # the default client retries once
    code, out, _ = chat(monkeypatch, capsys, [
        "--json", "--no-demo", "--actions", str(actions_dir), "--model", "openai:fake-model",
        "--base-url", srv.base_url, "--api-key", "test-key"], ["hello"])
    assert code == 1
    error, = parse_events(out)
    assert error["type"] == "error" and error["kind"] == "model_rate_limit"


def test_text_mode_shows_calls_results_and_hints(monkeypatch, capsys, broken_dir, demo_env, srv):
    srv.queue({"tool_calls": [{"id": "c", "name": "crm_customer_lookup_wrong_token",
                               "arguments": {"customer_id": "CUST-1001"}}]},
              {"content": "The CRM refused the token (401)."})
    code, out, _ = chat(monkeypatch, capsys, [
        "--no-demo", "--actions", str(broken_dir), "--model", "openai:fake-model",
        "--base-url", srv.base_url, "--api-key", "test-key"], ["look up CUST-1001"])
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith('  [tool call] crm_customer_lookup_wrong_token {"customer_id": "CUST-1001"}')
    assert lines[1].startswith("  [result] GET ") and "-> 401" in lines[1] and "(http_401)" in lines[1]
    assert any(line.startswith("  [hint] ") for line in lines)
    assert lines[-1] == "agent> The CRM refused the token (401)."
    assert "wrong-token-123" not in out  # a literal token is masked too


def test_max_turns_and_runtime_flags(monkeypatch, capsys, actions_dir, demo_env, srv):
    call = {"tool_calls": [{"name": "demo_api_health_check", "arguments": {}}]}
    srv.queue(call, call)
    code, out, _ = chat(monkeypatch, capsys, [
        "--json", "--no-demo", "--actions", str(actions_dir), "--model", "openai:fake-model",
        "--base-url", srv.base_url, "--api-key", "test-key", "--max-turns", "2",
        "--runtime", "cal_email=ops@example.com"], ["check the API"])
    assert code == 1
    events = parse_events(out)
    assert [e["type"] for e in events] == ["tool_call", "tool_result"] * 2 + ["error"]
    assert events[-1]["kind"] == "max_turns"


@pytest.mark.parametrize("argv, code, words", [
    (["--model", "gpt-4o"], 2, ["offline or openai:MODEL"]),
    (["--actions", "/nonexistent/actions"], 2, ["/nonexistent/actions"]),
    (["--runtime", "no-equals-sign"], 2, ["--runtime", "name=value"]),
    (["--max-turns", "many"], 2, ["--max-turns"]),
])
def test_bad_arguments_exit_2_with_one_line(monkeypatch, capsys, actions_dir, argv, code, words):
    args = argv if "--actions" in argv else ["--actions", str(actions_dir), *argv]
    got, out, err = chat(monkeypatch, capsys, ["--no-demo", *args], ["hi"])
    assert got == code
    assert err.startswith("playground: error: ") and len(err.strip().splitlines()) == 1, err
    for word in words:
        assert word in err
    assert "Traceback" not in err


def test_missing_openai_key_is_a_one_line_error(monkeypatch, capsys, actions_dir):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    code, _, err = chat(monkeypatch, capsys, ["--no-demo", "--actions", str(actions_dir), "--model", "openai:gpt-4o"],
                        ["hi"])
    # a bad argument, exit 2, as from `playground test` (issue 12; it was 1)
    assert code == 2 and "OPENAI_API_KEY" in err and len(err.strip().splitlines()) == 1


# -- with the offline simulator (the default model) ---------------------------------------
def namespace(actions_dir: Path, **overrides: Any) -> argparse.Namespace:
    args = dict(actions=str(actions_dir), model="offline", base_url=None, api_key=None, no_demo=True,
                runtime=None, max_turns=6, json=True, dead_air_ms=2000.0)
    args.update(overrides)
    return argparse.Namespace(**args)


def test_run_chat_offline_json(actions_dir, demo_env):
    stdout = io.StringIO()
    code = run_chat(namespace(actions_dir), stdin=io.StringIO("where is my order?\nORD-10042\n"), stdout=stdout)
    assert code == 0
    events = parse_events(stdout.getvalue())
    assert events[0]["type"] == "reply" and "order number" in events[0]["text"]
    calls = [e for e in events if e["type"] == "tool_call"]
    results = [e for e in events if e["type"] == "tool_result"]
    assert {"call_id": calls[0]["call_id"], "tool_name": "lookup_order_status", "action": "Lookup Order Status",
            "arguments": {"order_number": "ORD-10042"}, "type": "tool_call"} in calls
    ok = next(r for r in results if r["tool_name"] == "lookup_order_status")
    assert_trace_shape(ok["trace"])
    assert ok["trace"]["response"]["status_code"] == 200 and ok["trace"]["response"]["body"]["status"] == "shipped"
    assert events[-1]["type"] == "reply" and "shipped" in events[-1]["text"]
    assert_no_secret(stdout.getvalue())


def test_run_chat_offline_text_mode_with_runtime(actions_dir, demo_env):
    stdout = io.StringIO()
    args = namespace(actions_dir, json=False, runtime=["cal_email=frontdesk@example.com"])
    code = run_chat(args, stdin=io.StringIO("book an appointment on 2026-12-05 for jane.doe@example.com\n"),
                    stdout=stdout)
    out = stdout.getvalue()
    assert code == 0
    assert '  [tool call] book_appointment {"date": "2026-12-05", "customer_email": "jane.doe@example.com"}' in out
    assert "-> 201" in out and "December 5, 2026" in out
    assert out.splitlines()[-1].startswith("agent> ")


def test_subprocess_chat_json(actions_dir, demo):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DEMO_") and k != "OPENAI_API_KEY"}
    env.update(DEMO_SECRETS)
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.run(
        [sys.executable, "-m", "core.cli", "chat", "--json", "--no-demo", "--actions", str(actions_dir)],
        input="where is my order?\nORD-10042\n\nis PROD-12345 in stock?\n", capture_output=True, text=True,
        cwd=ROOT, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    events = parse_events(proc.stdout)  # every line is one JSON object
    assert {e["type"] for e in events} <= {"reply", "tool_call", "tool_result", "error"}
    results = {e["tool_name"]: e for e in events if e["type"] == "tool_result"}
    order = results["lookup_order_status"]["trace"]
    assert_trace_shape(order)
    assert order["request"]["url"].startswith(demo.base_url)  # the test's demo server, not the default port
    assert order["response"]["status_code"] == 200
    assert order["request"]["headers"]["Authorization"] == "Bearer ****" + DEMO_SECRETS["DEMO_ORDERS_TOKEN"][-4:]
    stock = results["check_product_inventory"]["trace"]
    assert stock["response"]["status_code"] == 200 and stock["request"]["headers"]["X-API-Key"].startswith("****")
    assert events[-1]["type"] == "reply"
    assert_no_secret(proc.stdout)
