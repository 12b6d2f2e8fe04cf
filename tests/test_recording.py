"""Recorded conversations and replays: `playground chat --record`, `playground test --model replay --http
replay|dry-run`, the replay transport and the rerun of a conversation that made a write.

A chat is recorded through the real openai SDK against tests/fake_openai.py, with actions that call a
fault server (it logs every request it gets, so "sent nothing" is counted, not assumed). The replay then
runs with both servers stopped.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any, Iterator

import httpx
import pytest
import yaml

from core.action import parse_action
from core.cli import main
from core.executor import Executor
from core.llm import ScriptedModel, turn
from core.recording import RecordedTransport, request_changes
from core.scenario import http_exchange, load_scenario, run_scenario
from core.store import dump_action
from fake_openai import FakeOpenAI
from fault_server import FaultServer

TOKEN = "tok-live-0123456789abcdefZYXW"
ORDER = {"name": "Create Order", "description": "Place an order for a product when the caller asks to buy one.",
         "method": "POST", "auth": {"type": "bearer", "token": "env:SHOP_TOKEN"},
         "body": '{"sku": "{{sku}}", "qty": {{qty}}, "channel": "phone"}',
         "variables": [{"name": "sku", "type": "string", "description": "The product SKU", "example": "PROD-1"},
                       {"name": "qty", "type": "integer", "description": "How many", "example": "2"}]}
STATUS = {"name": "Order Status", "description": "Look up the status of an order by its SKU when the caller asks.",
          "method": "GET", "auth": {"type": "bearer", "token": "env:SHOP_TOKEN"}, "query": {"sku": "{{sku}}"},
          "variables": [{"name": "sku", "type": "string", "description": "The product SKU", "example": "PROD-1"}]}
SCRIPT = [  # what the "real" model answers, in order
    {"tool_calls": [{"id": "call_a", "name": "create_order", "arguments": {"sku": "PROD-1", "qty": 2}}]},
    {"content": "Done: 2 of PROD-1 are ordered."},
    {"tool_calls": [{"id": "call_b", "name": "order_status", "arguments": {"sku": "PROD-1"}}]},
    {"content": "It is on its way."},
]
USER = "I'd like 2 of PROD-1\nwhere is it?\n"


def write_actions(folder: Path, base: str, **changes: dict[str, Any]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for data in (ORDER, STATUS):
        fields = {**data, "url": f"{base}/echo", **changes.get(data["name"], {})}
        action = parse_action(fields, data["name"])
        (folder / f"{action.tool_name}.json").write_text(dump_action(action), encoding="utf-8")
    return folder


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str], stdin: str = "") -> tuple[int, str, str]:
    old = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        code = main(args)
    finally:
        sys.stdin = old
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
             capsys: pytest.CaptureFixture[str]) -> Iterator[tuple[Path, Path, FaultServer]]:
    """A chat with the OpenAI-compatible model, recorded with --record; yields (scenario, actions, API server)
    with the API server still running (the fake OpenAI server is already stopped)."""
    monkeypatch.setenv("SHOP_TOKEN", TOKEN)
    api = FaultServer("shop").start()
    actions = write_actions(tmp_path / "actions", api.base)
    scenario = tmp_path / "scenarios" / "shop_order.yaml"
    scenario.parent.mkdir()
    try:
        with FakeOpenAI(list(SCRIPT)) as llm:
            code, out, err = run_cli(["chat", "--model", "openai:fake-model", "--base-url", llm.base_url,
                                      "--api-key", "test-key", "--actions", str(actions), "--no-demo", "--json",
                                      "--record", str(scenario)], capsys, USER)
            assert code == 0, err
            assert llm.remaining == 0 and len(llm.requests) == 4
        assert [r["method"] for r in api.log] == ["POST", "GET"]
        assert "recorded 2 turn(s)" in err
        yield scenario, actions, api
    finally:
        api.stop()


def test_a_recorded_chat_is_plain_masked_relative_yaml(recorded: tuple[Path, Path, FaultServer]) -> None:
    scenario, _, _ = recorded
    text = scenario.read_text()
    assert TOKEN not in text and "****ZYXW" in text  # masked exactly as in the trace
    data = yaml.safe_load(text)
    assert data["actions"] == "../actions"  # relative to the scenario file
    assert data["model"] == "openai:fake-model"
    rec = data["recording"]
    assert rec["format"] == 1 and set(rec["tools"]) == {"create_order", "order_status"}
    kinds = [("model" if "model" in e else "http", e["turn"]) for e in rec["exchanges"]]
    assert kinds == [("model", 1), ("http", 1), ("model", 1), ("model", 2), ("http", 2), ("model", 2)]
    first = rec["exchanges"][0]["model"]
    assert first["tool_calls"][0]["name"] == "create_order" and first["seen"]["messages"] == 2
    http = rec["exchanges"][1]["http"]
    assert http["request"]["method"] == "POST" and http["request"]["body"] == {"sku": "PROD-1", "qty": 2,
                                                                                "channel": "phone"}
    assert http["response"]["status_code"] == 200
    assert data["turns"][0]["expect"]["action"] == "Create Order"


def test_replays_with_neither_server_running(recorded: tuple[Path, Path, FaultServer],
                                            capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    scenario, _, api = recorded
    api.stop()
    monkeypatch.delenv("SHOP_TOKEN")  # CI has no secret either
    with pytest.raises(httpx.ConnectError):  # really nothing answers there now
        httpx.get(f"{api.base}/echo", timeout=2)
    code, out, err = run_cli(["test", str(scenario), "--model", "replay", "--http", "replay", "--json"], capsys)
    assert code == 0, out + err
    report = json.loads(out)
    assert report["passed"] and report["scenarios"][0]["http"] == "replay"
    calls = [c for t in report["scenarios"][0]["turns"] for c in t["calls"]]
    assert [(c["tool_name"], c["status_code"], c["delivery"]) for c in calls] == [
        ("create_order", 200, "replayed"), ("order_status", 200, "replayed")]
    assert report["scenarios"][0]["turns"][1]["reply"] == "It is on its way."


@pytest.mark.parametrize("action, change, failure", [
    # the model sees descriptions: the model replay fails, naming the tool and the turn
    ("Order Status", {"description": "Track an order by SKU, once the caller has bought it."},
     "turn 1: the turn failed: model replay: tool order_status: description changed"),
    # the model does not see the body template: the HTTP replay fails, naming the field
    ("Create Order", {"body": '{"sku": "{{sku}}", "qty": {{qty}}, "channel": "web"}'},
     "turn 1: create_order: not sent: the request changed since the recording: body.channel: phone → web"),
], ids=["description", "body-template"])
def test_a_change_fails_the_replay_and_names_what_changed(recorded: tuple[Path, Path, FaultServer],
                                                          capsys: pytest.CaptureFixture[str], action: str,
                                                          change: dict[str, str], failure: str) -> None:
    scenario, actions, api = recorded
    write_actions(actions, api.base, **{action: change})
    code, out, _ = run_cli(["test", str(scenario), "--model", "replay", "--http", "replay"], capsys)
    assert code == 1 and failure in out
    assert len(api.log) == 2  # the recording's two requests: the replay sent nothing


def test_dry_run_sends_nothing_and_tells_the_model(recorded: tuple[Path, Path, FaultServer],
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    scenario, _, api = recorded
    before = len(api.log)
    code, out, _ = run_cli(["test", str(scenario), "--http", "dry-run", "--model", "replay", "--json"], capsys)
    assert len(api.log) == before  # the server that counts requests got none
    calls = [c for t in json.loads(out)["scenarios"][0]["turns"] for c in t["calls"]]
    assert calls[0]["delivery"] == "dry_run" and calls[0]["status_code"] is None

    model = ScriptedModel([turn("", ("create_order", {"sku": "PROD-1", "qty": 3})), turn("Noted."),
                           turn("", ("order_status", {"sku": "PROD-1"})), turn("Noted.")])
    result = run_scenario(load_scenario(scenario), model=model, http="dry-run")
    assert len(api.log) == before
    trace = result.runs[0].turns[0].traces[0]
    assert trace.delivery == "dry_run" and trace.response is None and trace.error is None
    assert trace.request.body == {"sku": "PROD-1", "qty": 3, "channel": "phone"}  # what would have gone out
    assert trace.request.headers["Authorization"] == "Bearer ****ZYXW"
    tool_message = model.received[1][0][-1]
    assert tool_message.role == "tool" and '"sent": false' in tool_message.content
    assert "not sent" in tool_message.content
    # run live for comparison: the counter does count
    run_scenario(load_scenario(scenario), model=ScriptedModel(model.turns))
    assert len(api.log) == before + 2


def test_replay_ignores_masked_secrets_and_names_each_changed_field(make_action: Any) -> None:
    action = make_action(method="POST", url="http://127.0.0.1:9/orders", auth={"type": "bearer", "token": "env:T"},
                         body='{"qty": {{qty}}, "note": "{{note}}"}', query={"src": "{{src}}"},
                         variables=[{"name": "qty", "type": "integer"}, {"name": "note", "type": "string"},
                                    {"name": "src", "type": "string"}])
    recorder = Executor(resolver=lambda name: "first-secret-0123456789")
    trace = recorder.execute(action, {"qty": 2, "note": "a", "src": "web"})  # nothing listens on port 9
    assert trace.error is not None and trace.error.kind == "connection_refused"
    exchange = http_exchange(trace)
    assert exchange is not None and exchange.error is not None

    def replay(values: dict[str, Any], secret: str) -> Any:
        ex = Executor(resolver=lambda name: secret).using(RecordedTransport([(1, exchange)], "replay"))
        try:
            return ex.execute(action, values)
        finally:
            ex.close()

    same = replay({"qty": 2, "note": "a", "src": "web"}, "another-secret-9876543210")
    assert same.delivery == "replayed" and same.error.kind == "connection_refused"  # the recorded failure
    changed = replay({"qty": 3, "note": "b", "src": "app"}, "first-secret-0123456789")
    assert changed.error.kind == "replay_mismatch" and changed.delivery is None
    assert "query.src: web → app" in changed.error.message
    assert "body.qty: 2 → 3" in changed.error.message and "body.note: a → b" in changed.error.message
    assert "0123456789" not in changed.error.message
    assert [str(c) for c in request_changes(trace.request, same.request)] == []


def test_an_edited_user_turn_fails_the_model_replay_at_that_turn(recorded: tuple[Path, Path, FaultServer],
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    scenario, _, _ = recorded
    scenario.write_text(scenario.read_text().replace("user: where is it?", "user: where is my order now?"))
    code, out, _ = run_cli(["test", str(scenario), "--model", "replay", "--http", "replay"], capsys)
    assert code == 1
    assert "turn 2: the turn failed: model replay: the user's message changed" in out
