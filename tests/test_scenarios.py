"""Regression scenarios: file format, expectations, running, saving, JUnit, and `playground test`.

Every server is on 127.0.0.1: a demo API on a free port (scenario actions that name the demo API
at 127.0.0.1:8765 are rebased to it with ``rebase_demo_to``) and, for the OpenAI path, FakeOpenAI.
"""

from __future__ import annotations

import asyncio
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Iterator

import httpx
import pytest
import yaml

from core.agent import Agent, CallRecord, Turn
from core.cli import main
from core.demo import DEMO_SECRETS, DemoServer, start_demo_api
from core.errors import ScenarioError
from core.executor import Executor
from core.llm import ScriptedModel, turn
from core.scenario import (Expectation, ScenarioResult, arun_scenario, check_turn, dump_scenario, load_scenario,
                           load_scenarios, save_scenario, scenario_from_conversation, to_junit, values_match)
from core.session import SAMPLE_ACTIONS_DIR
from core.store import load_actions
from fake_openai import FakeOpenAI

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS_DIR = ROOT / "scenarios"
ORDER_ACTION = SAMPLE_ACTIONS_DIR / "order_status.json"


# -- fixtures & helpers ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def demo() -> Iterator[DemoServer]:
    with start_demo_api(0) as srv:
        yield srv


def run(scenario: Any, demo: DemoServer, model: Any = None, **kw: Any) -> ScenarioResult:
    """Run a scenario against the test demo API, secrets from DEMO_SECRETS (os.environ untouched)."""

    async def go() -> ScenarioResult:
        executor = Executor(async_client=httpx.AsyncClient(trust_env=False), resolver=DEMO_SECRETS.get)
        try:
            return await arun_scenario(scenario, model=model, executor=executor, rebase_demo_to=demo.base_url, **kw)
        finally:
            await executor.async_client.aclose()

    return asyncio.run(go())


def write(folder: Path, data: Any, name: str = "s.yaml") -> Path:
    path = folder / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    elif name.endswith(".json"):
        path.write_text(json.dumps(data), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def order_scenario(tmp_path: Path, expect2: dict[str, Any], expect1: dict[str, Any] | None = None) -> Path:
    return write(tmp_path, {
        "name": "order", "actions": str(SAMPLE_ACTIONS_DIR),
        "turns": [{"user": "Where is my order?", "expect": expect1 or {}},
                  {"user": "ORD-10042", "expect": expect2}],
    })


def order_model(order_number: str = "ORD-10042", reply: str = "Order ORD-10042 has shipped with UPS.",
                extra_call: bool = False) -> ScriptedModel:
    calls: list[Any] = [("lookup_order_status", {"order_number": order_number})]
    if extra_call:
        calls.append(("check_product_inventory", {"sku": "PROD-12345"}))
    return ScriptedModel([turn("What is your order number?"), turn("", *calls), turn(reply)])


def health_action(folder: Path, demo: DemoServer) -> Path:
    """An action that points at the test demo API directly (so the CLI starts no demo API)."""
    path = folder / "health.json"
    path.write_text(json.dumps({"name": "Demo API Health Check", "description": "Check that the API is up.",
                                "url": demo.url("/health")}), encoding="utf-8")
    return path


# -- each expectation kind: a passing and a failing case ----------------------------------------------------
CASES = [
    # (id, expectation of turn 2, failure of turn 2 or None when it passes)
    ("action-by-name", {"action": "Lookup Order Status"}, None),
    ("action-by-tool", {"action": "lookup_order_status"}, None),
    ("action-wrong", {"action": "check_product_inventory"},
     "expected action check_product_inventory, got lookup_order_status"),
    ("action-wrong-by-name", {"action": "Check Product Inventory"},
     "expected action Check Product Inventory, got Lookup Order Status"),
    ("no-action-fails", {"action": "none"}, "expected no action, got lookup_order_status"),
    ("arguments-subset", {"arguments": {"order_number": "ORD-10042"}}, None),
    ("arguments-subset-wrong", {"arguments": {"order_number": "ORD-10043"}},
     "expected argument order_number = 'ORD-10043', got 'ORD-10042'"),
    ("arguments-exact", {"action": "lookup_order_status", "arguments_exact": {"order_number": "ORD-10042"}}, None),
    ("arguments-exact-wrong", {"action": "lookup_order_status", "arguments_exact": {"order_number": "ord-10042"}},
     "expected arguments exactly"),
    ("arguments-regex", {"arguments_regex": {"order_number": r"^ORD-\d{5}$"}}, None),
    ("arguments-regex-wrong", {"arguments_regex": {"order_number": r"^ORD-\d{3}$"}},
     "expected argument order_number to match '^ORD-\\\\d{3}$', got 'ORD-10042'"),
    ("status", {"status": 200}, None),
    ("status-list", {"status": [200, 503]}, None),
    ("status-class", {"status": "2xx"}, None),
    ("status-wrong", {"status": 404}, "expected status 404, got 200"),
    ("no-error", {"error": "none"}, None),
    ("error-kind-wrong", {"error": "http_404"}, "expected error http_404, got no error (status 200)"),
    ("reply-contains", {"reply_contains": "SHIPPED"}, None),
    ("reply-contains-all", {"reply_contains": ["shipped", "UPS"]}, None),
    ("reply-contains-wrong", {"reply_contains": "delivered"},
     "expected the reply to contain 'delivered', got 'Order ORD-10042 has shipped with UPS.'"),
    ("reply-regex", {"reply_regex": r"ORD-\d+ has shipped"}, None),
    ("reply-regex-wrong", {"reply_regex": "^Delivered"}, "expected the reply to match '^Delivered'"),
    ("max-calls", {"max_calls": 1}, None),
]


@pytest.mark.parametrize("expect, failure", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_expectation_kinds(tmp_path: Path, demo: DemoServer, expect: dict[str, Any], failure: str | None) -> None:
    scenario = load_scenario(order_scenario(tmp_path, expect))
    result = run(scenario, demo, order_model())
    turns = result.runs[0].turns
    assert turns[0].failures == []
    if failure is None:
        assert result.passed, result.first_failure
        assert result.first_failure is None
    else:
        assert not result.passed
        assert result.first_failure is not None and result.first_failure.startswith("turn 2: ")
        assert failure in result.first_failure


def test_no_action_passes_and_max_calls_fails(tmp_path: Path, demo: DemoServer) -> None:
    path = order_scenario(tmp_path, {"max_calls": 1}, expect1={"action": "none", "max_calls": 0})
    result = run(load_scenario(path), demo, order_model(extra_call=True))
    assert result.runs[0].turns[0].passed
    assert result.first_failure == ("turn 2: expected at most 1 tool call, got 2 "
                                    "(lookup_order_status, check_product_inventory)")


def test_error_expectations_on_a_failing_call(tmp_path: Path, demo: DemoServer) -> None:
    model = order_model("ORD-99999", reply="There is no order ORD-99999.")
    path = order_scenario(tmp_path, {"action": "lookup_order_status", "status": 404, "error": "http_404",
                                     "reply_contains": "no order"})
    assert run(load_scenario(path), demo, model).passed
    model = order_model("ORD-99999", reply="There is no order ORD-99999.")
    result = run(load_scenario(order_scenario(tmp_path, {"error": "none"})), demo, model)
    assert result.first_failure == "turn 2: expected no error, got error http_404 (status 404)"
    model = order_model("ORD-99999", reply="There is no order ORD-99999.")
    assert run(load_scenario(order_scenario(tmp_path, {"error": "any", "status": "4xx"})), demo, model).passed


def test_arguments_subset_versus_exact(tmp_path: Path, demo: DemoServer) -> None:
    base = {"name": "ticket", "actions": [str(SAMPLE_ACTIONS_DIR / "create_support_ticket.json")]}
    args = {"issue_description": "Headphones broken", "priority_level": "high"}

    def model() -> ScriptedModel:
        return ScriptedModel([turn("", ("create_support_ticket", args)), turn("Ticket created.")])

    subset = {**base, "turns": [{"user": "help", "expect": {"arguments": {"issue_description": "Headphones broken"},
                                                            "status": 201}}]}
    assert run(load_scenario(write(tmp_path, subset)), demo, model()).passed
    exact = {**base, "turns": [{"user": "help", "expect": {"arguments_exact": {"issue_description": "Headphones broken"}}}]}
    result = run(load_scenario(write(tmp_path, exact)), demo, model())
    assert not result.passed and "expected arguments exactly" in (result.first_failure or "")
    missing = {**base, "turns": [{"user": "help", "expect": {"arguments": {"priority_level": "low"}}}]}
    result = run(load_scenario(write(tmp_path, missing)), demo, model())
    assert result.first_failure == "turn 1: expected argument priority_level = 'low', got 'high'"


def test_call_expectations_without_a_call(tmp_path: Path, demo: DemoServer) -> None:
    path = order_scenario(tmp_path, {"status": 200}, expect1={"arguments": {"order_number": "ORD-10042"}})
    result = run(load_scenario(path), demo, order_model())
    assert result.runs[0].turns[0].failures == ["expected a tool call, got no call"]
    path = order_scenario(tmp_path, {}, expect1={"action": "lookup_order_status"})
    assert run(load_scenario(path), demo, order_model()).first_failure == \
        "turn 1: expected action lookup_order_status, got no call"


def test_model_failure_fails_the_turn(tmp_path: Path, demo: DemoServer) -> None:
    result = run(load_scenario(order_scenario(tmp_path, {})), demo, ScriptedModel([turn("Which order?")]))
    assert not result.passed
    assert result.first_failure is not None and result.first_failure.startswith("turn 2: the turn failed: scripted")


def test_check_turn_directly() -> None:
    call = CallRecord(tool_name="lookup_order_status", action="Lookup Order Status",
                      arguments={"order_number": "ORD-1"}, status_code=None, error_kind="timeout", trace_id="t")
    t = Turn(user="x", calls=[call], reply="It timed out.")
    assert check_turn(Expectation(action="lookup_order_status", status="none", error="timeout"), t) == []
    assert check_turn(Expectation(status=200), t) == ["expected status 200, got no response (timeout)"]
    assert check_turn(Expectation(error=["none", "http_5xx"]), t) == \
        ["expected one of: no error, error http_5xx, got error timeout"]
    assert check_turn(Expectation(), Turn(user="x", reply="")) == []


def test_values_match_is_lenient_only_about_scalar_types() -> None:
    assert values_match(3, "3") and values_match("3", 3.0) and values_match(True, "true")
    assert not values_match(True, 1) and not values_match("ORD-1", "ord-1")
    assert values_match({"a": [1, "x"]}, {"a": ["1", "x"]}) and not values_match({"a": 1}, {"a": 1, "b": 2})
    assert not values_match({"a": True}, {"a": 1}) and values_match(None, None) and not values_match(None, "")


# -- the file format ----------------------------------------------------------------------------------------
def test_yaml_keeps_dates_and_phone_numbers_as_text(tmp_path: Path) -> None:
    path = write(tmp_path, f"""
name: booking
actions: {SAMPLE_ACTIONS_DIR}
turns:
  - hello                          # a turn without expectations
  - user: book 2026-12-01
    expect: {{action: book_appointment, arguments: {{date: 2026-12-01}}}}
  - user: verify +15551234567
    expect: {{action: verify_caller, arguments: {{phone: +15551234567}}, status: "200"}}
""")
    s = load_scenario(path)
    assert s.turns[0].user == "hello" and s.turns[0].expect.is_empty()
    assert s.turns[1].expect.arguments == {"date": "2026-12-01"}
    assert s.turns[2].expect.arguments == {"phone": "+15551234567"}
    assert s.turns[2].expect.status == 200
    assert s.model == "offline" and s.source == path


def test_json_scenario_and_default_name(tmp_path: Path) -> None:
    path = write(tmp_path, {"actions": "actions", "turns": ["hi"]}, name="my_check.json")
    (tmp_path / "actions").mkdir()
    (tmp_path / "actions" / "a.json").write_text(ORDER_ACTION.read_text(), encoding="utf-8")
    s = load_scenario(path)
    assert s.name == "my check"
    assert [p.name for p in s.action_paths()] == ["actions"]


def test_relative_actions_resolve_against_the_scenario_file(tmp_path: Path) -> None:
    sub = tmp_path / "deep" / "er"
    sub.mkdir(parents=True)
    path = write(sub, {"name": "x", "actions": ["../../act.json"], "turns": ["hi"]})
    (tmp_path / "act.json").write_text(ORDER_ACTION.read_text(), encoding="utf-8")
    assert load_scenario(path).action_paths()[0].resolve() == (tmp_path / "act.json").resolve()


BAD = [
    ("empty", "", "the file is empty"),
    ("not-a-mapping", "- a\n- b\n", "a scenario is a mapping"),
    ("yaml-syntax", "name: x\n  actions: : y\n", "not valid YAML at line 2"),
    ("no-turns", "name: x\nactions: {actions}\n", "turns: Field required"),
    ("empty-turns", "name: x\nactions: {actions}\nturns: []\n", "turns: List should have at least 1 item"),
    ("no-actions", "name: x\nturns: [hi]\n", "actions: Field required"),
    ("missing-actions-folder", "name: x\nactions: ./nope\nturns: [hi]\n", "actions: ./nope: no such folder or file"),
    ("unknown-top-field", "name: x\nactions: {actions}\nturn: [hi]\n", "turn: unknown field"),
    ("unknown-expect-field", "name: x\nactions: {actions}\nturns:\n  - user: hi\n  - user: ho\n"
     "    expect: {{reply_contain: a}}\n", "turn 2: expect.reply_contain: unknown field"),
    ("no-user", "name: x\nactions: {actions}\nturns:\n  - expect: {{}}\n", "turn 1: user: Field required"),
    ("bad-status", "name: x\nactions: {actions}\nturns:\n  - user: hi\n    expect: {{status: abc}}\n",
     "turn 1: expect.status: 'abc' is not a status"),
    ("bad-status-code", "name: x\nactions: {actions}\nturns:\n  - user: hi\n    expect: {{status: 999}}\n",
     "turn 1: expect.status: 999 is not an HTTP status code"),
    ("bad-error-kind", "name: x\nactions: {actions}\nturns:\n  - user: hi\n    expect: {{error: oops}}\n",
     "turn 1: expect.error: unknown error kind 'oops'"),
    ("bad-regex", "name: x\nactions: {actions}\nturns:\n  - user: hi\n    expect: {{reply_regex: '(ab'}}\n",
     "turn 1: expect.reply_regex: invalid regex"),
    ("bad-arg-regex", "name: x\nactions: {actions}\nturns:\n  - user: hi\n"
     "    expect: {{arguments_regex: {{order_number: '[a'}}}}\n", "turn 1: expect.arguments_regex: order_number: invalid"),
    ("bad-max-calls", "name: x\nactions: {actions}\nturns:\n  - user: hi\n    expect: {{max_calls: -1}}\n",
     "turn 1: expect.max_calls"),
    ("unknown-action", "name: x\nactions: {actions}\nturns:\n  - user: hi\n    expect: {{action: Nope}}\n",
     "turn 1: expect.action: no action named 'Nope'"),
    ("unknown-argument", "name: x\nactions: {actions}\nturns:\n  - user: hi\n"
     "    expect: {{action: lookup_order_status, arguments: {{order_nr: 1}}}}\n",
     "turn 1: expect.arguments.order_nr: Lookup Order Status has no variable 'order_nr'"),
    ("bad-model", "name: x\nactions: {actions}\nmodel: gpt-4\nturns: [hi]\n", "model: unknown model 'gpt-4'"),
    ("bad-override", "name: x\nactions: {actions}\noverrides: {{Nope: {{timeout_s: 1}}}}\nturns: [hi]\n",
     "overrides.Nope: no action named 'Nope'"),
    ("bad-override-value", "name: x\nactions: {actions}\noverrides: {{lookup_order_status: {{timeout_s: -1}}}}\n"
     "turns: [hi]\n", "overrides.lookup_order_status: timeout_s"),
]


@pytest.mark.parametrize("text, message", [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_scenario_files_give_one_line_naming_file_and_field(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text.format(actions=SAMPLE_ACTIONS_DIR), name="bad.yaml")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    text = str(info.value)
    assert "\n" not in text
    assert text.startswith(f"{path}: "), text
    assert message in text, text


def test_bad_json_and_bad_paths(tmp_path: Path) -> None:
    path = write(tmp_path, '{"name": "x",', name="bad.json")
    with pytest.raises(ScenarioError, match=r"bad.json: not valid JSON at line 1"):
        load_scenario(path)
    with pytest.raises(ScenarioError, match="no such scenario file or folder"):
        load_scenarios([tmp_path / "missing"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(ScenarioError, match="holds no scenario files"):
        load_scenarios([tmp_path / "empty"])
    with pytest.raises(ScenarioError, match="ends in .yaml, .yml or .json"):
        load_scenario(write(tmp_path, "x", name="s.txt"))


def test_overrides_change_an_action_for_the_scenario(tmp_path: Path, demo: DemoServer) -> None:
    path = write(tmp_path, {
        "name": "report", "actions": str(SAMPLE_ACTIONS_DIR / "slow_report.json"),
        "overrides": {"Generate Sales Report": {"query": {"delay_ms": "400"}, "timeout_s": 0.1}},
        "turns": [{"user": "sales report", "expect": {"status": "none", "error": "timeout"}}]})
    model = ScriptedModel([turn("", ("generate_sales_report", {})), turn("It timed out.")])
    result = run(load_scenario(path), demo, model)
    assert result.passed, result.first_failure
    assert result.runs[0].turns[0].traces[0].request.url.endswith("delay_ms=400")


# -- repeats -------------------------------------------------------------------------------------------------
def test_repeat_reports_the_pass_rate(tmp_path: Path, demo: DemoServer) -> None:
    path = order_scenario(tmp_path, {"action": "lookup_order_status", "reply_contains": "shipped"})
    good = [turn("Which order?"), turn("", ("lookup_order_status", {"order_number": "ORD-10042"})), turn("Shipped.")]
    bad = [turn("Which order?"), turn("I cannot help with that.")]
    result = run(load_scenario(path), demo, ScriptedModel(good + bad), repeat=2)  # one model across both runs
    assert [r.passed for r in result.runs] == [True, False]
    assert result.pass_rate == "1/2" and not result.passed
    assert result.first_failure == "run 2: turn 2: expected action lookup_order_status, got no call"


# -- JUnit ---------------------------------------------------------------------------------------------------
def test_junit_xml_parses_with_one_testcase_per_scenario(tmp_path: Path, demo: DemoServer) -> None:
    good = load_scenario(order_scenario(tmp_path, {"action": "lookup_order_status"}))
    bad_path = write(tmp_path, {"name": "inventory <&> check", "actions": str(SAMPLE_ACTIONS_DIR), "turns": [
        {"user": "Where is my order?"}, {"user": "ORD-10042", "expect": {"action": "check_product_inventory"}}]},
        name="bad.yaml")
    results = [run(good, demo, order_model()), run(load_scenario(bad_path), demo, order_model())]
    root = ET.fromstring(to_junit(results))
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    assert len(suites) == 1
    suite = suites[0]
    assert suite.get("tests") == "2" and suite.get("failures") == "1" and suite.get("errors") == "0"
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == ["order", "inventory <&> check"]
    assert cases[0].find("failure") is None
    failure = cases[1].find("failure")
    assert failure is not None
    assert failure.get("message") == "turn 2: expected action check_product_inventory, got lookup_order_status"
    assert "lookup_order_status" in (cases[1].findtext("system-out") or "")
    assert cases[1].get("file") == str(bad_path)


# -- save the current chat as a scenario ----------------------------------------------------------------------
def _conversation(demo: DemoServer, model: Any, turns: list[str]) -> Any:
    async def go() -> Any:
        actions = [a.model_copy(update={"url": a.url.replace("http://127.0.0.1:8765", demo.base_url)})
                   for a in load_actions([SAMPLE_ACTIONS_DIR])]
        executor = Executor(async_client=httpx.AsyncClient(trust_env=False), resolver=DEMO_SECRETS.get)
        try:
            return await Agent(model, actions, executor, runtime={"cal_email": "team@example.com"}).replay(turns)
        finally:
            await executor.async_client.aclose()

    return asyncio.run(go())


def test_scenario_from_conversation_saves_and_reruns(tmp_path: Path, demo: DemoServer) -> None:
    conv = _conversation(demo, order_model(), ["Where is my order?", "ORD-10042"])
    s = scenario_from_conversation("saved chat", conv, str(SAMPLE_ACTIONS_DIR), "offline")
    e1, e2 = s.turns[0].expect, s.turns[1].expect
    assert e1.action == "none" and e1.reply_contains
    assert (e2.action, e2.arguments, e2.status, e2.error) == (
        "Lookup Order Status", {"order_number": "ORD-10042"}, 200, "none")
    assert e2.reply_contains == "ORD-10042"  # what the caller said, not what the API happened to answer
    assert s.runtime == {"cal_email": "team@example.com"}

    path = save_scenario(s, tmp_path / "saved.yaml")
    text = path.read_text()
    assert "actions: ../" in text or "actions: " + str(SAMPLE_ACTIONS_DIR) in text
    loaded = load_scenario(path)
    assert loaded.turns == s.turns and loaded.action_paths()[0].resolve() == SAMPLE_ACTIONS_DIR.resolve()
    assert run(loaded, demo, order_model()).passed
    changed = run(loaded, demo, order_model("ORD-10044", reply="It was delivered."))
    assert changed.first_failure == "turn 2: expected argument order_number = 'ORD-10042', got 'ORD-10044'"

    with pytest.raises(ScenarioError, match="already exists"):
        save_scenario(s, path)
    save_scenario(s.model_copy(update={"name": "renamed"}), path, overwrite=True)
    assert load_scenario(path).name == "renamed"


def test_offline_chat_saved_as_scenario_passes_with_offline(tmp_path: Path, demo: DemoServer) -> None:
    from core.llm import make_model

    conv = _conversation(demo, make_model("offline"), ["I'd like to check on my order", "ORD-10042"])
    s = scenario_from_conversation("offline chat", conv, str(SAMPLE_ACTIONS_DIR))
    result = run(load_scenario(save_scenario(s, tmp_path / "offline.json")), demo)
    assert result.passed, result.first_failure
    assert json.loads((tmp_path / "offline.json").read_text())["name"] == "offline chat"


def test_dump_is_editable_yaml_that_loads_back(tmp_path: Path) -> None:
    s = load_scenario(SCENARIOS_DIR / "order_status_multi_turn.yaml")
    text = dump_scenario(s)
    data = yaml.safe_load(text)
    assert list(data) == ["name", "actions", "model", "turns"]
    assert data["turns"][1]["expect"] == {"action": "Lookup Order Status", "arguments": {"order_number": "ORD-10042"},
                                          "status": 200, "error": "none", "reply_contains": "shipped", "max_calls": 1}
    assert "null" not in text
    copy = load_scenario(save_scenario(s, tmp_path / "sub" / "copy.yaml"))  # action paths rebased to the new folder
    assert copy.turns == s.turns
    assert [p.resolve() for p in copy.action_paths()] == [p.resolve() for p in s.action_paths()]


# -- the CLI -------------------------------------------------------------------------------------------------
def _cli_scenario(folder: Path, demo: DemoServer, expect: dict[str, Any], name: str = "health") -> Path:
    health_action(folder, demo)
    return write(folder, {"name": name, "actions": "health.json",
                          "turns": [{"user": "Is the demo API up? health check", "expect": expect}]},
                 name=f"{name}.yaml")


def test_cli_exit_0_when_all_pass(tmp_path: Path, demo: DemoServer, capsys: pytest.CaptureFixture[str]) -> None:
    _cli_scenario(tmp_path, demo, {"action": "Demo API Health Check", "status": 200, "error": "none"})
    junit = tmp_path / "out" / "junit.xml"
    assert main(["test", str(tmp_path), "--junit", str(junit)]) == 0
    out = capsys.readouterr().out
    assert "PASS  health" in out and "1 passed" in out
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None and suite.get("tests") == "1" and suite.get("failures") == "0"


def test_cli_exit_1_with_the_first_difference(tmp_path: Path, demo: DemoServer,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    _cli_scenario(tmp_path, demo, {"action": "none"}, name="wrong")
    _cli_scenario(tmp_path, demo, {"status": 200}, name="right")
    assert main(["test", str(tmp_path / "wrong.yaml"), str(tmp_path / "right.yaml")]) == 1
    out = capsys.readouterr().out
    assert "FAIL  wrong" in out and "PASS  right" in out
    assert "turn 1: expected no action, got demo_api_health_check" in out
    assert "1 passed, 1 failed" in out


def test_cli_json_report(tmp_path: Path, demo: DemoServer, capsys: pytest.CaptureFixture[str]) -> None:
    _cli_scenario(tmp_path, demo, {"status": 404})
    assert main(["test", str(tmp_path), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["passed"] is False and report["total"] == 1 and report["failed"] == 1
    sc = report["scenarios"][0]
    assert sc["failure"] == "turn 1: expected status 404, got 200" and sc["pass_rate"] == "0/1"
    assert sc["turns"][0]["calls"][0]["status_code"] == 200


@pytest.mark.parametrize("args, message", [
    (["--repeat", "0"], "--repeat 0"),
    (["--model", "gpt-4"], "unknown model 'gpt-4'"),
])
def test_cli_exit_2_on_bad_arguments(tmp_path: Path, demo: DemoServer, capsys: pytest.CaptureFixture[str],
                                     args: list[str], message: str) -> None:
    _cli_scenario(tmp_path, demo, {})
    assert main(["test", str(tmp_path), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_cli_exit_2_on_a_bad_scenario_file(tmp_path: Path, demo: DemoServer,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    _cli_scenario(tmp_path, demo, {})
    bad = write(tmp_path, "name: x\nactions: health.json\nturns:\n  - user: hi\n    expect: {status: ok}\n",
                name="zz_bad.yaml")
    assert main(["test", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.strip() == f"playground: error: {bad}: turn 1: expect.status: 'ok' is not a status; write a code " \
                          "like 200, a class like 2xx, or none"
    assert main(["test", str(tmp_path / "missing.yaml")]) == 2
    assert main(["test"]) == 2


def test_cli_repeat_with_an_openai_compatible_model(tmp_path: Path, demo: DemoServer,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    _cli_scenario(tmp_path, demo, {"action": "demo_api_health_check", "status": 200})
    replies = [{"tool_calls": [{"name": "demo_api_health_check", "arguments": {}}]},  # run 1: calls it
               {"content": "The demo API is up."},
               {"content": "I am not sure which tool to use."}]  # run 2: does not
    with FakeOpenAI(replies) as srv:
        code = main(["test", str(tmp_path), "--model", "openai:fake-model", "--base-url", srv.base_url,
                     "--api-key", "test-key", "--repeat", "2"])
        assert srv.remaining == 0
        assert srv.requests[0]["model"] == "fake-model"
    out = capsys.readouterr().out
    assert code == 1
    assert "FAIL  health" in out and "1/2" in out
    assert "run 2: turn 1: expected action demo_api_health_check, got no call" in out


# -- the shipped scenarios -------------------------------------------------------------------------------------
def test_shipped_scenarios_cover_every_sample_action() -> None:
    scenarios = load_scenarios([SCENARIOS_DIR])
    expected = {t.expect.action.lower() for s in scenarios for t in s.turns if t.expect.action not in (None, "none")}
    samples = sorted(SAMPLE_ACTIONS_DIR.glob("*.json")) + sorted((SAMPLE_ACTIONS_DIR / "broken").glob("*.json"))
    for action in load_actions(samples):
        assert action.name.lower() in expected or action.tool_name in expected, f"no scenario calls {action.name}"
    assert any(sum(t.expect.action == "none" for t in s.turns) and len(s.turns) > 1 for s in scenarios)


@pytest.mark.parametrize("path", sorted(p.name for p in SCENARIOS_DIR.iterdir()
                                        if p.suffix in (".yaml", ".yml", ".json")))
def test_shipped_scenario_passes_offline(path: str, demo: DemoServer) -> None:
    scenario = load_scenario(SCENARIOS_DIR / path)
    if scenario.model == "replay":  # a recorded one runs replayed as shipped, and live with the model it recorded
        replayed = run(scenario, demo)
        assert replayed.passed and replayed.http == "replay", replayed.first_failure
        assert scenario.recording is not None and scenario.recording.model == "offline"
        result = run(scenario, demo, model="offline", http="live")
    else:
        result = run(scenario, demo)
    assert result.model == "offline"
    assert result.passed, result.first_failure
