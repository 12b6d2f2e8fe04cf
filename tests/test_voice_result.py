"""`result`: JSONPath picks, max_chars, what the model receives, and result variables across two actions;
plus the action fields' validation and lint. HTTP goes to the demo API on a free port."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from core import cli
from core.action import Action, load_action, parse_action
from core.agent import Agent, ToolResultEvent
from core.demo import rebase_action
from core.errors import ActionFileError
from core.lint import lint, lint_all
from core.llm.scripted import ScriptedModel, turn
from core.pick import evaluate, miss_note
from agent_events import only, run_turn

SAMPLES = Path(__file__).resolve().parent.parent / "sample_actions"
RUNTIME = {"user_phone_number": "+15551234567", "account_id": "ACC-1001"}


def sample(demo: Any, stem: str, **update: Any) -> Action:
    return rebase_action(load_action(SAMPLES / f"{stem}.json"), demo.base_url).model_copy(update=update)


def base(**fields: Any) -> Action:
    data: dict[str, Any] = {"name": "Track", "description": "Track a shipment by its order number.",
                            "url": "https://api.example.com/track"}
    data.update(fields)
    return parse_action(data, "test")


# -- JSONPath --------------------------------------------------------------------------------------------
BODY = {"order": "ORD-1", "estimated_delivery_date": "2026-12-01", "carrier": {"name": "UPS"},
        "items": [{"sku": "A"}, {"sku": "B"}]}


def test_a_singular_path_gives_a_value_and_a_wildcard_gives_the_list():
    assert evaluate("$.carrier.name", BODY) == ("UPS", True)
    assert evaluate("$.items[-1].sku", BODY) == ("B", True)
    assert evaluate("$.items[*].sku", BODY) == (["A", "B"], True)
    assert evaluate("$..sku", BODY) == (["A", "B"], True)
    assert evaluate("$.estimated_delivery", BODY) == (None, False)


def test_a_pick_that_matches_nothing_names_the_keys_that_look_like_it():
    assert "`estimated_delivery_date`" in miss_note("$.estimated_delivery", BODY)
    assert "`$.carrier.name`" in miss_note("$.name", BODY)  # the key exists, deeper
    assert "top-level keys" in miss_note("$.zzz", BODY)


@pytest.mark.parametrize("path, words", [
    ("estimated_delivery", "start it at the root"),
    ("$.[", "not a valid JSONPath"),
    ("$.a | $.b", "several paths"),
    ("", "start it at the root"),
])
def test_a_bad_jsonpath_is_a_load_error_naming_the_pick(path, words):
    with pytest.raises(ActionFileError) as err:
        base(result={"pick": {"eta": path}})
    message = str(err.value)
    assert "result.pick" in message and "eta" in message and words in message and "\n" not in message


def test_a_bad_jsonpath_exits_2_on_the_command_line(tmp_path, capsys):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"name": "Track", "description": "Track a shipment by its order number.",
                                "url": "https://api.example.com/track", "result": {"pick": {"eta": "$.["}}}))
    assert cli.main(["render", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "eta" in err and "JSONPath" in err and "Traceback" not in err


@pytest.mark.parametrize("fields, words", [
    ({"result": {"pick": {"bad name": "$.a"}}}, "letters, digits and _"),
    ({"result": {"max_chars": 10}}, "result.max_chars"),
    ({"retry": {"on": ["sometimes"]}}, "not a retry condition"),
    ({"retry": {"attempts": 0}}, "retry.attempts"),
    ({"mode": "later"}, "mode"),
    ({"auth": {"type": "oauth2_client_credentials", "token_url": "ftp://x/token", "client_id": "a",
               "client_secret": "b"}}, "token_url"),
])
def test_bad_voice_fields_are_one_line_load_errors(fields, words):
    with pytest.raises(ActionFileError) as err:
        base(**fields)
    assert words in str(err.value) and "\n" not in str(err.value)


def test_optional_fields_left_at_their_defaults_are_not_written_back():
    plain = base()
    assert not {"result", "retry", "retry_writes", "speak_during", "mode"} & set(plain.to_file_dict())
    voiced = base(result={"pick": {"eta": "$.eta"}}, mode="async", speak_during="  One moment.  ")
    data = voiced.to_file_dict()
    assert data["result"] == {"pick": {"eta": "$.eta"}} and data["mode"] == "async"
    assert data["speak_during"] == "One moment."


# -- what the model receives -----------------------------------------------------------------------------
def test_the_model_gets_only_the_picks_with_the_status(demo, executor):
    action = sample(demo, "find_caller_account")
    trace = executor.execute(action, {}, RUNTIME)
    assert trace.ok and trace.result is not None
    received = json.loads(trace.result.text)
    assert received == {"status": 200, "result": {"customer_id": "CUST-1001", "customer_name": "Ada Lovelace",
                                                  "tier": "gold"}}
    assert trace.to_tool_result() == trace.result.text
    assert "interactions" in trace.response.body  # the raw response stays in the trace
    assert trace.result.picks == received["result"] and trace.result.cut is False


def test_a_missed_pick_is_null_with_a_hint(demo, executor):
    action = sample(demo, "find_caller_account")
    action = action.model_copy(update={"result": action.result.model_copy(
        update={"pick": {"customer_id": "$.customer.id", "name": "$.customer.full_name"}})})
    trace = executor.execute(action, {}, RUNTIME)
    assert trace.ok and json.loads(trace.result.text)["result"] == {"customer_id": "CUST-1001", "name": None}
    hint = next(h for h in trace.hints if "result.pick.name" in h)
    assert "$.customer.full_name" in hint and "`name`" in hint  # the key it probably meant


def test_max_chars_cuts_what_the_model_gets_and_the_trace_says_so(demo, executor):
    action = sample(demo, "find_caller_account", result=None)
    action = action.model_copy(update={"result": base(result={"max_chars": 120}).result})
    trace = executor.execute(action, {}, RUNTIME)
    assert trace.ok and trace.result.cut is True and trace.result.max_chars == 120
    assert len(trace.result.text) == 120 and trace.result.text.endswith("[truncated]")
    assert any("first 120 characters" in h for h in trace.hints)
    plain = sample(demo, "find_caller_account", result=None)
    whole = executor.execute(plain, {}, RUNTIME)  # no `result`: the body, up to 4000 characters, no hint
    assert whole.result.cut is False and whole.result.max_chars == 4000
    assert json.loads(whole.result.text)["body"] == whole.response.body
    assert not any("characters" in h for h in whole.hints)


def test_call_json_shows_the_picks_and_the_exact_text(demo, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PLAYGROUND_DEMO_PORT", str(demo.port))
    code = cli.main(["call", str(SAMPLES / "find_caller_account.json"), "--runtime", "user_phone_number=+15551234567",
                     "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert out["result"]["picks"]["customer_id"] == "CUST-1001"
    assert json.loads(out["result"]["text"]) == {"status": 200, "result": out["result"]["picks"]}


# -- result variables --------------------------------------------------------------------------------------
def test_a_pick_becomes_a_variable_the_next_action_uses(loop, demo, async_executor):
    lookup, callback = sample(demo, "find_caller_account"), sample(demo, "schedule_callback")
    model = ScriptedModel([
        turn("", ("find_caller_account", {})), "Found you, Ada.",
        turn("", ("schedule_callback", {"callback_reason": "invoice question"})), "Done.",
    ])
    agent = Agent(model, [lookup, callback], async_executor, runtime=dict(RUNTIME))
    conv = agent.new_conversation()
    first = only(run_turn(loop, agent, conv, "find my account"), ToolResultEvent)[0]
    assert json.loads(first.result)["result"]["customer_id"] == "CUST-1001"
    tool_message = [m for m in model.received[1][0] if m.role == "tool"][-1]
    assert tool_message.content == first.result and "interactions" not in tool_message.content
    var = conv.variables["customer_id"]
    assert (var.value, var.action, var.trace_id, var.turn) == ("CUST-1001", "Find Caller Account", first.trace.id, 1)
    assert "customer_name" in conv.variables and "tier" in conv.variables

    second = only(run_turn(loop, agent, conv, "call me back about my invoice"), ToolResultEvent)[0]
    assert second.trace.ok and second.trace.status_code == 201
    assert second.trace.request.body["customer_id"] == "CUST-1001"  # {{customer_id}} from the lookup's result
    assert second.trace.response.body["customer_id"] == "CUST-1001"
    assert conv.variables["callback_id"].action == "Schedule Callback"


def test_a_variable_not_set_yet_says_which_action_to_call_first(loop, demo, async_executor):
    lookup, callback = sample(demo, "find_caller_account"), sample(demo, "schedule_callback")
    model = ScriptedModel([turn("", ("schedule_callback", {"callback_reason": "invoice"})), "Sorry."])
    agent = Agent(model, [lookup, callback], async_executor, runtime=dict(RUNTIME))
    result = only(run_turn(loop, agent, agent.new_conversation(), "call me back"), ToolResultEvent)[0]
    assert result.trace.error.kind == "unreplaced_placeholder"
    assert "call Find Caller Account first" in result.trace.hints[0]


# -- lint ---------------------------------------------------------------------------------------------------
def test_lint_knows_result_variables_of_the_actions_beside():
    lookup, callback = load_action(SAMPLES / "find_caller_account.json"), load_action(SAMPLES / "schedule_callback.json")
    alone = {f.code for f in lint(callback)}
    assert "unknown-placeholder" in alone
    together = {f.code: f for f in lint_all([lookup, callback])[1]}
    assert "unknown-placeholder" not in together
    assert together["result-variable"].severity == "info" and "Find Caller Account" in together["result-variable"].message


def test_lint_on_one_file_reads_its_folder(capsys):
    assert cli.main(["lint", str(SAMPLES / "schedule_callback.json")]) == 0
    assert "result-variable" in capsys.readouterr().out


@pytest.mark.parametrize("fields, code, severity", [
    ({"mode": "async", "result": {"pick": {"eta": "$.eta"}}}, "async-result-picks", "warning"),
    ({"retry": {"attempts": 5, "backoff_s": 10}, "timeout_s": 10}, "retry-budget", "warning"),
    ({"method": "POST", "retry": {}}, "retry-writes", "info"),
    ({"retry_writes": True}, "retry-writes", "warning"),
    ({"speak_during": "One moment please " * 10}, "speak-during-length", "warning"),
])
def test_voice_lint(fields, code, severity):
    found = {f.code: f for f in lint(base(**fields))}
    assert found[code].severity == severity
    assert code not in {f.code for f in lint(base())}
