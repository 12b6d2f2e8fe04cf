"""The voice-call fields in the app (AppTest, scripted model): the Actions editor edits them without losing
any, the chat shows speak_during, dead air and async calls, the sidebar lists conversation variables, the
trace shows the attempts, the token request and what the model received; Settings changes the threshold."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.action import load_action
from core.llm.scripted import ScriptedModel, turn
from core.session import SAMPLE_ACTIONS_DIR, ensure_demo_api

ROOT = Path(__file__).resolve().parent.parent
VOICE_SAMPLES = ["find_caller_account", "schedule_callback", "check_balance", "find_technician_slot",
                 "send_followup_sms", "lookup_phone_plan"]


@pytest.fixture(scope="module", autouse=True)
def demo_api(session_demo):
    server = ensure_demo_api()  # the session demo ($PLAYGROUND_DEMO_PORT); sets the DEMO_* secrets when unset
    yield
    if server is not None:
        server.stop()


@pytest.fixture
def actions_dir(tmp_path: Path) -> Path:
    """The samples, with the calendar search and the SMS gateway shortened to 300 ms."""
    folder = tmp_path / "actions"
    shutil.copytree(SAMPLE_ACTIONS_DIR, folder, ignore=shutil.ignore_patterns("broken"))
    slot = json.loads((folder / "find_technician_slot.json").read_text())
    slot["query"]["delay_ms"] = "300"
    (folder / "find_technician_slot.json").write_text(json.dumps(slot))
    sms = json.loads((folder / "send_followup_sms.json").read_text())
    sms["url"] += "?delay_ms=300"
    (folder / "send_followup_sms.json").write_text(json.dumps(sms))
    return folder


def make_app(actions: Path, model: ScriptedModel | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["actions_dir"] = str(actions)
    if model is not None:
        at.session_state["model_override"] = model
    return at.run()


def open_action(at: AppTest, path: Path) -> AppTest:
    at.switch_page("pages/actions.py").run()
    at.radio(key="actions_choice").set_value(str(path)).run()
    assert not at.exception, at.exception
    return at


def save(at: AppTest) -> AppTest:
    next(b for b in at.button if b.label == "Save").click().run()
    assert not at.exception, at.exception
    return at


def chat(at: AppTest, text: str) -> AppTest:
    at.chat_input[0].set_value(text).run()
    assert not at.exception, at.exception
    return at


# -- the Actions editor ------------------------------------------------------------------------------------
@pytest.mark.parametrize("stem", VOICE_SAMPLES)
def test_saving_in_the_editor_keeps_every_voice_field(actions_dir, stem):
    path = actions_dir / f"{stem}.json"
    before = load_action(path)
    at = open_action(make_app(actions_dir), path)
    at.text_area(key="ed_description").set_value(before.description + " ").run()  # an edit, so Save writes
    save(at)
    after = load_action(path)
    assert after.description == before.description + " "
    assert {**after.to_file_dict(), "description": before.description} == before.to_file_dict()


def test_the_editor_edits_the_voice_fields_with_lint(actions_dir):
    path = actions_dir / "find_caller_account.json"
    at = open_action(make_app(actions_dir), path)
    assert at.text_input(key="ed_speak_during").value == ""
    at.radio(key="ed_mode").set_value("async").run()
    assert any("never given to the model" in w.value for w in at.warning)  # lint: async with result picks
    at.text_input(key="ed_speak_during").set_value("Let me find your account.").run()
    at.toggle(key="ed_retry").set_value(True).run()
    at.number_input(key="ed_attempts").set_value(2).run()
    save(at)
    data = json.loads(path.read_text())
    assert data["mode"] == "async" and data["speak_during"] == "Let me find your account."
    assert data["retry"]["attempts"] == 2 and data["result"]["pick"]["customer_id"] == "$.customer.id"


def test_a_bad_jsonpath_in_the_editor_blocks_save_and_says_why(actions_dir):
    path = actions_dir / "find_caller_account.json"
    before = path.read_text()
    at = open_action(make_app(actions_dir), path)
    picks = at.session_state["ed_base"]["ed_picks"].copy()
    picks.loc[0, "path"] = "$.customer["
    at.session_state["ed_base"]["ed_picks"] = picks
    at.session_state["ed_pristine"] = None
    at.run()
    assert any("customer_id" in e.value and "JSONPath" in e.value for e in at.error)
    assert next(b for b in at.button if b.label == "Save").disabled
    assert path.read_text() == before  # nothing the user wrote is lost or overwritten


def test_the_editor_shows_oauth2_fields(actions_dir):
    at = open_action(make_app(actions_dir), actions_dir / "lookup_phone_plan.json")
    assert at.selectbox(key="ed_auth_type").value == "oauth2_client_credentials"
    assert at.text_input(key="ed_token_url").value.endswith("/oauth/token")
    assert at.text_input(key="ed_client_secret").value == "env:DEMO_OAUTH_CLIENT_SECRET"
    assert at.text_input(key="ed_scope").value == "accounts:read"


# -- the chat ------------------------------------------------------------------------------------------------
def sidebar_text(at: AppTest) -> str:
    return "\n".join([m.value for m in at.sidebar.markdown] + [b.label for b in at.sidebar.button]
                     + [c.value for c in at.sidebar.caption])


def test_chat_shows_speech_dead_air_and_conversation_variables(actions_dir):
    model = ScriptedModel([turn("", ("find_caller_account", {})), "Hello Ada.",
                           turn("", ("find_technician_slot", {"zip_code": "94107"})), "Tuesday morning is free."])
    at = chat(make_app(actions_dir, model), "find my account")
    side = sidebar_text(at)
    assert "Conversation variables" in side and "`customer_id` = `CUST-1001`" in side
    assert "#1 Find Caller Account" in side  # the call that set it
    at = chat(at, "I need a technician at 94107")
    assistant = at.chat_message[3]
    assert any("One moment while I check the technicians' calendar." in m.value for m in assistant.markdown)
    assert any("Dead air" in c.value for c in assistant.caption)
    at.run()  # as every rerun shows it
    assert any("One moment while I check" in m.value for m in at.chat_message[3].markdown)


def test_settings_threshold_makes_a_slow_turn_get_the_dead_air_hint(actions_dir):
    slot = json.loads((actions_dir / "find_technician_slot.json").read_text())
    slot["speak_during"] = None
    (actions_dir / "find_technician_slot.json").write_text(json.dumps(slot))
    model = ScriptedModel([turn("", ("find_technician_slot", {"zip_code": "94107"})), "Tuesday morning is free."])
    at = make_app(actions_dir, model)
    at.switch_page("pages/settings.py").run()
    at.number_input(key="settings_dead_air").set_value(0.1).run()
    assert at.session_state["dead_air_ms"] == pytest.approx(100)
    at.switch_page("pages/chat.py").run()
    at = chat(at, "I need a technician at 94107")
    warnings = [w.value for w in at.chat_message[1].warning]
    assert any("dead air" in w and "Find Technician Slot" in w and "speak_during" in w for w in warnings)


def test_an_async_call_is_marked_and_its_trace_arrives_later(actions_dir):
    model = ScriptedModel([turn("", ("send_follow_up_sms", {"sms_text": "Your link"})), "Started it.", "Sure."])
    at = chat(make_app(actions_dir, model), "text me the link")
    conv = at.session_state["conversation"]
    started = conv.turns[0].calls[0]
    assert started.mode == "async"
    loop_wait(at)
    at.run()
    trace = next(t for t in at.session_state["conversation"].traces if t.id == started.trace_id)
    assert trace.mode == "async" and trace.status_code == 202
    next(b for b in at.sidebar.button if b.label.startswith("#1")).click().run()
    assert any("Async call" in i.value for i in at.info)  # the trace says it was not waited for


def loop_wait(at: AppTest) -> None:
    """Wait for the conversation's async calls on the app's event loop (what the sidebar's refresh waits for)."""
    from ui import resources

    resources.loop().run(at.session_state["conversation"].wait_async())


def test_the_trace_shows_attempts_token_request_and_model_input(actions_dir):
    model = ScriptedModel([turn("", ("check_account_balance", {}), ("lookup_phone_plan", {})), "Here you go."])
    at = chat(make_app(actions_dir, model), "balance and plan please")
    labels = {b.label: b for b in at.sidebar.button}
    balance = next(b for label, b in labels.items() if "billing" in label)
    balance.click().run()
    assert "Attempts" in [e.label for e in at.expander]
    frames = [f.value for f in at.dataframe]
    assert any(list(f.get("outcome", [])) == ["503", "503", "200"] for f in frames)
    plan = next(b for b in at.sidebar.button if "accounts" in b.label)  # the list as it is now
    plan.click().run()
    expanders = [e.label for e in at.expander]
    assert "OAuth2 token request" in expanders and "What the model received" in expanders
    assert "demo-oauth-secret" not in "\n".join(str(e.proto) for e in at.expander)
