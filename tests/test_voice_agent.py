"""Dead air, speak_during and async calls in the agent loop, `playground chat --json` and scenarios, against the
demo API on a free port. Time figures are checked only as lower bounds the server's own sleep guarantees
(a call that sleeps 300 ms cannot leave less than 300 ms of silence), never as upper bounds."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from core import cli
from core.action import Action, load_action
from core.agent import AsyncResultEvent, DeadAirEvent, ReplyEvent, SpeechEvent, ToolResultEvent
from core.agent import Agent
from core.demo import rebase_action
from core.llm.scripted import ScriptedModel, turn
from core.result import ASYNC_STARTED
from core.scenario import load_scenario, report, run_scenario
from core.store import dump_action
from agent_events import kinds, only, run_turn

SAMPLES = Path(__file__).resolve().parent.parent / "sample_actions"
RUNTIME = {"user_phone_number": "+15551234567", "account_id": "ACC-1001"}
DELAY_MS = 300


def slot_action(demo: Any, *, speak: bool = True) -> Action:
    action = rebase_action(load_action(SAMPLES / "find_technician_slot.json"), demo.base_url)
    return action.model_copy(update={"query": {**action.query, "delay_ms": str(DELAY_MS)},
                                     "speak_during": action.speak_during if speak else None})


def sms_action(demo: Any, delay_ms: int = DELAY_MS) -> Action:
    action = rebase_action(load_action(SAMPLES / "send_followup_sms.json"), demo.base_url)
    return action.model_copy(update={"url": f"{action.url}?delay_ms={delay_ms}"})


# -- speak_during and dead air ----------------------------------------------------------------------------
def test_speak_during_is_said_before_the_call_has_a_result(loop, demo, async_executor):
    model = ScriptedModel([turn("", ("find_technician_slot", {"zip_code": "94107"})), "The first slot is Tuesday."])
    agent = Agent(model, [slot_action(demo)], async_executor, runtime=dict(RUNTIME))
    conv = agent.new_conversation()
    events = run_turn(loop, agent, conv, "I need a technician at 94107")
    assert kinds(events, timing=True) == ["tool_call", "speech", "dead_air", "tool_result", "reply"]
    speech = only(events, SpeechEvent)[0]
    assert speech.text == "One moment while I check the technicians' calendar."
    assert speech.call_id == only(events, ToolResultEvent)[0].call_id
    dead_air = only(events, DeadAirEvent)[0]
    assert dead_air.spoke and dead_air.slow_call is None  # the silence ended before the call finished
    turn_ = conv.turns[0]
    assert turn_.speech == [speech.text] and turn_.dead_air_ms == dead_air.dead_air_ms
    assert only(events, ToolResultEvent)[0].trace.elapsed_ms >= DELAY_MS
    # the model's messages never include the speech: it was said by the platform, not the model
    assert all(m.content != speech.text for m in conv.messages)


def test_dead_air_over_the_threshold_names_the_slow_call(loop, demo, async_executor):
    model = ScriptedModel([turn("", ("find_technician_slot", {"zip_code": "94107"})), "The first slot is Tuesday."])
    agent = Agent(model, [slot_action(demo, speak=False)], async_executor, runtime=dict(RUNTIME),
                  dead_air_threshold_ms=100)
    conv = agent.new_conversation()
    events = run_turn(loop, agent, conv, "I need a technician at 94107")
    assert kinds(events, timing=True) == ["tool_call", "tool_result", "dead_air", "reply"]
    dead_air = only(events, DeadAirEvent)[0]
    assert dead_air.dead_air_ms >= DELAY_MS and dead_air.threshold_ms == 100
    assert dead_air.slow_call == "Find Technician Slot"
    assert "Find Technician Slot" in dead_air.hint and "speak_during" in dead_air.hint and "async" in dead_air.hint
    assert conv.turns[0].dead_air_hint == dead_air.hint
    assert "speak_during" not in only(events, ReplyEvent)[0].text  # the caller never hears developer advice


def test_a_turn_without_words_still_has_a_figure(loop, demo, async_executor):
    agent = Agent(ScriptedModel([]), [slot_action(demo)], async_executor)
    events = run_turn(loop, agent, agent.new_conversation(), "hello")
    assert kinds(events, timing=True) == ["dead_air", "error"]
    assert only(events, DeadAirEvent)[0].spoke is False


# -- async -----------------------------------------------------------------------------------------------------
def test_an_async_call_is_not_waited_for_and_its_trace_arrives_later(loop, demo, async_executor):
    model = ScriptedModel([turn("", ("send_follow_up_sms", {"sms_text": "Your reset link"})), "I've sent it.",
                           "Anything else?"])
    agent = Agent(model, [sms_action(demo)], async_executor, runtime=dict(RUNTIME))
    conv = agent.new_conversation()
    events = run_turn(loop, agent, conv, "text me the link")
    started = only(events, ToolResultEvent)[0]
    assert started.trace.mode == "async" and started.trace.response is None and started.trace.error is None
    assert json.loads(started.result) == {"status": "started", "note": ASYNC_STARTED}
    assert [m.content for m in model.received[1][0] if m.role == "tool"] == [started.result]
    record = conv.turns[0].calls[0]
    assert record.mode == "async" and record.trace_id == started.trace.id

    loop.run(conv.wait_async())
    done = next(t for t in conv.traces if t.id == started.trace.id)
    assert done.mode == "async" and done.status_code == 202 and done.response.body["to"] == "+15551234567"
    assert done.result.text == started.result  # what the model was told, not the 202
    assert any("async" in h for h in done.hints)
    assert record.status_code == 202 and conv.pending == []

    later = run_turn(loop, agent, conv, "thanks")
    assert kinds(later)[0] == "async_result" and only(later, AsyncResultEvent)[0].trace.id == started.trace.id


# -- chat --json and scenarios ----------------------------------------------------------------------------------
@pytest.fixture
def voice_dir(demo: Any, tmp_path: Path) -> Path:
    for action in (slot_action(demo), sms_action(demo)):
        (tmp_path / f"{action.tool_name}.json").write_text(dump_action(action), encoding="utf-8")
    return tmp_path


def test_chat_json_carries_speech_dead_air_and_async_results(voice_dir, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("I need a technician visit at 94107\nPlease text me the reset link\n"))
    code = cli.main(["chat", "--json", "--no-demo", "--actions", str(voice_dir),
                     "--runtime", "user_phone_number=+15551234567"])
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert code == 0
    types = [e["type"] for e in events]
    assert types.count("dead_air") == 2  # one per turn
    assert types.index("speech") < types.index("tool_result")
    first_dead_air = next(e for e in events if e["type"] == "dead_air")
    assert {"dead_air_ms", "threshold_ms", "spoke", "slow_call", "hint"} <= set(first_dead_air)
    assert first_dead_air["threshold_ms"] == 2000
    started = [e for e in events if e["type"] == "tool_result" and e["trace"]["mode"] == "async"]
    assert len(started) == 1 and json.loads(started[0]["result"])["status"] == "started"
    assert types[-1] == "async_result"  # chat waited for it before exiting
    assert events[-1]["trace"]["response"]["status_code"] == 202


def write_scenario(folder: Path, expect: dict[str, Any]) -> Path:
    path = folder / "slot.yaml"
    path.write_text(json.dumps({"name": "slot", "actions": ".", "runtime": RUNTIME,
                                "turns": [{"user": "I need a technician visit at 94107", "expect": expect}]}))
    return path


def test_a_scenario_expects_max_dead_air_ms(demo, tmp_path):
    action = slot_action(demo, speak=False)
    (tmp_path / "slot_action.json").write_text(dump_action(action), encoding="utf-8")
    result = run_scenario(load_scenario(write_scenario(tmp_path, {"action": "Find Technician Slot",
                                                                  "max_dead_air_ms": 100})))
    assert not result.passed
    assert "ms of dead air" in result.first_failure and "Find Technician Slot" in result.first_failure
    turn_report = report([result])["scenarios"][0]["turns"][0]
    assert turn_report["dead_air_ms"] >= DELAY_MS


def test_a_scenario_checks_an_async_call_on_its_outcome(demo, tmp_path):
    (tmp_path / "sms.json").write_text(dump_action(sms_action(demo)), encoding="utf-8")
    path = tmp_path / "sms.yaml"
    path.write_text(json.dumps({"name": "sms", "actions": ".", "runtime": RUNTIME, "turns": [
        {"user": "Please text me the reset link",
         "expect": {"action": "Send Follow-up SMS", "status": 202, "reply_contains": "started"}}]}))
    result = run_scenario(load_scenario(path))
    assert result.passed, result.first_failure
    assert result.runs[0].turns[0].traces[0].status_code == 202


def test_max_dead_air_ms_must_be_positive(tmp_path):
    from core.errors import ScenarioError

    with pytest.raises(ScenarioError) as err:
        load_scenario(write_scenario(tmp_path, {"max_dead_air_ms": 0}))
    assert "max_dead_air_ms" in str(err.value)
