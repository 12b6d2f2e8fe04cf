"""Every page through streamlit.testing.v1.AppTest: what a user sees, with a scripted model.

The demo API the sample actions talk to is conftest's session demo on a free port ($PLAYGROUND_DEMO_PORT:
the app points the actions that name 127.0.0.1:8765 at it);
tests that write files point the actions folder at a temporary copy of sample_actions/.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
from pathlib import Path
from typing import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from core.llm.scripted import ScriptedModel, turn
from core.session import SAMPLE_ACTIONS_DIR, ensure_demo_api

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["pages/chat.py", "pages/rerun.py", "pages/endpoint.py", "pages/actions.py", "pages/scenarios.py",
         "pages/settings.py"]
ORDER_CALL = ("lookup_order_status", {"order_number": "ORD-10042"})


@pytest.fixture(scope="session", autouse=True)
def demo_api(session_demo) -> Iterator[None]:
    server = ensure_demo_api()  # finds the session demo ($PLAYGROUND_DEMO_PORT); sets DEMO_* secrets when unset
    yield
    if server is not None:
        server.stop()


@pytest.fixture
def demo_url(session_demo) -> str:
    return session_demo.base_url


@pytest.fixture
def actions_dir(tmp_path: Path) -> Path:
    """A writable copy of the sample actions (without the broken ones)."""
    folder = tmp_path / "actions"
    shutil.copytree(SAMPLE_ACTIONS_DIR, folder, ignore=shutil.ignore_patterns("broken"))
    return folder


def make_app(model: ScriptedModel | None = None, actions: Path | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    if model is not None:
        at.session_state["model_override"] = model
    if actions is not None:
        at.session_state["actions_dir"] = str(actions)
    return at.run()


def texts(at: AppTest) -> list[str]:
    """Everything the page shows (labels, markdown, JSON, code, captions...), main area and sidebar."""
    out: list[str] = []

    def walk(node) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None:
            out.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return out


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def chat(at: AppTest, text: str) -> AppTest:
    at.chat_input[0].set_value(text).run()
    assert not at.exception, at.exception
    return at


def sidebar_text(at: AppTest) -> str:
    parts: list[str] = []

    def walk(node) -> None:
        if getattr(node, "proto", None) is not None:
            parts.append(str(node.proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.sidebar)
    return "\n".join(parts)


# -- every page loads ---------------------------------------------------------------------
@pytest.mark.parametrize("page", PAGES)
def test_every_page_loads_without_exception(page):
    at = make_app()
    assert not at.exception, at.exception
    at.switch_page(page).run()
    assert not at.exception, at.exception
    assert at.title and at.title[0].value  # each page says what it is


# -- chat ----------------------------------------------------------------------------------
def shape(node) -> list[str]:
    """What a block shows, element by element (type, label or value), to compare two renderings."""
    out: list[str] = []

    def walk(n) -> None:
        kind = type(n).__name__
        value = getattr(n, "label", None) or getattr(n, "value", None)
        if kind not in ("Block", "ElementTree"):
            out.append(f"{kind}:{value}")
        for child in getattr(n, "children", {}).values():
            walk(child)

    walk(node)
    return out


def rows(at: AppTest) -> list:
    """The sidebar's call list: one button per call."""
    return [b for b in at.sidebar.button if b.key and b.key.startswith("row-")]


def test_chat_turn_shows_call_inline_reply_and_call_list_then_full_trace_with_secrets_masked(demo_url):
    model = ScriptedModel([turn("", ORDER_CALL), turn("Your order ORD-10042 shipped with UPS.")])
    at = chat(make_app(model), "where is my order ORD-10042?")
    live = shape(at.chat_message[1])
    at.run()  # and once more from the stored conversation, as after any click
    assert shape(at.chat_message[1]) == live  # the live turn and its re-rendered form are the same

    user, assistant = at.chat_message
    assert user.name == "user" and user.markdown[0].value == "where is my order ORD-10042?"
    call = assistant.expander[0]
    assert "Lookup Order Status" in call.label and ":green-badge[200]" in call.label and "\u00a0ms" in call.label
    assert call.icon == ":material/check_circle:"
    assert "Your order ORD-10042 shipped with UPS." in [m.value for m in assistant.markdown]
    model.assert_all_used()
    trace_id = at.session_state["conversation"].traces[0].id
    at.session_state[f"call-{trace_id}"] = True  # open the call (closed: drawn lazily, for speed)
    at.run()
    assert "`lookup_order_status` called with `order_number=ORD-10042`" in \
        [m.value for m in at.chat_message[1].expander[0].markdown]

    side = at.sidebar
    assert side.header[0].value.endswith("Debug")
    (row,) = rows(at)  # the at-a-glance list: method, path, status, time
    assert row.label.startswith("#1 **GET** /orders/status :green-badge[200] ") and row.label.endswith("\u00a0ms")
    chart = side.get("vega_lite_chart")  # the timeline, readable from one call on
    assert len(chart) == 1 and "ms into the turn" in chart[0].proto.spec
    assert at.download_button[0].label == "Export" and not at.download_button[0].disabled
    assert not any("Response headers" == e.label for e in at.expander)  # the full trace waits for a click

    row.click().run()  # the call opens in the trace dialog
    assert not at.exception
    assert at.session_state["open_call"] == trace_id
    assert any(m.value.startswith("#1 **Lookup Order Status** :green-badge[200]") for m in at.markdown)
    assert any(c.value == f"GET {demo_url}/orders/status?order_number=ORD-10042" for c in at.code)
    assert [e.label for e in at.expander][-2:] == ["Response headers", "Copy as cURL"]
    assert any(c.value.startswith(f"curl -X GET '{demo_url}/orders/status") for c in at.code)
    assert "Secrets masked" in [c.value for c in at.caption]

    token = os.environ["DEMO_ORDERS_TOKEN"]
    everything = "\n".join(texts(at))
    assert token not in everything
    assert "Bearer ****" in everything

    labels_before = [e.label for e in at.expander]
    at.toggle(key=f"trace-{trace_id}-reveal").set_value(True).run()
    assert not at.exception
    assert [e.label for e in at.expander] == labels_before  # revealing keeps every section as it was
    assert "Secrets revealed" in [c.value for c in at.caption]
    assert f"Bearer {token}" in "\n".join(texts(at))
    at.toggle(key=f"trace-{trace_id}-reveal").set_value(False).run()
    assert token not in "\n".join(texts(at))


def test_wrong_token_hint_is_short_inline_and_whole_once_in_the_trace(actions_dir):
    shutil.copy(SAMPLE_ACTIONS_DIR / "broken" / "wrong_token.json", actions_dir)
    model = ScriptedModel([turn("", ("crm_customer_lookup_wrong_token", {"customer_id": "CUST-1001"})),
                           turn("The CRM refused the request.")])
    at = chat(make_app(model, actions_dir), "look up customer CUST-1001")
    trace = at.session_state["conversation"].traces[0]
    (hint,) = trace.hints
    assert "bearer" in hint.lower() and "token" in hint.lower()
    for run in (at, at.run()):
        assert not run.exception
        call = run.chat_message[1].expander[0]
        assert "401" in call.label and call.icon == ":material/error:"
        inline = [m.value for m in call.markdown] + [c.value for c in call.caption]
        assert any(v.startswith(":red[401 Unauthorized after ") for v in inline)  # the error, once, with its time
        assert any("The request sent bearer auth" in v for v in inline)  # the hint, short
        assert sum(hint in t for t in texts(run)) == 0  # the whole hint waits in the trace

    button(at, "Open the trace").click().run()
    assert not at.exception
    assert sum(t.count(hint) for t in texts(at)) == 1  # exactly once: in the trace
    assert [w.value for w in at.warning] == [hint]
    assert [e.value for e in at.error][-1].startswith("401 Unauthorized after ")
    assert "wrong-token-123" not in "\n".join(texts(at))  # even a wrong literal token is a secret


def test_model_error_is_an_error_callout_not_exception():
    at = chat(make_app(ScriptedModel([])), "hello")
    assert not at.exception
    assert any("scripted turns were used" in e.value for e in at.error)
    at.run()  # the turn keeps its error
    assert any("scripted turns were used" in e.value for e in at.chat_message[1].error)


def test_new_conversation_clears_the_chat():
    at = chat(make_app(ScriptedModel([turn("", ORDER_CALL), turn("Shipped.")])), "where is ORD-10042?")
    assert len(at.chat_message) == 2 and rows(at)
    # the turn sent in this very run already enables Export and Tweak & rerun
    assert not at.download_button[0].disabled and not at.button(key="to_rerun").disabled
    rows(at)[0].click().run()  # a call open in the dialog closes with the conversation
    button(at, "New conversation").click().run()
    assert not at.exception
    assert not at.chat_message and not rows(at) and at.session_state["open_call"] is None
    assert at.download_button[0].disabled  # nothing to export, and it says why
    assert "send a message first" in at.download_button[0].help
    assert at.button(key="to_rerun").disabled and at.button(key="to_rerun").help
    assert any("Try:" in i.value for i in at.info)


def test_long_conversation_lists_recent_calls_and_older_ones_on_demand():
    calls = [("lookup_order_status", {"order_number": f"ORD-{10040 + i}"}) for i in range(32)]
    at = chat(make_app(ScriptedModel([turn("", *calls), turn("Done.")])), "check thirty-two orders")
    listed = rows(at)
    assert len(listed) == 30 and listed[0].label.startswith("#32 ") and listed[-1].label.startswith("#3 ")
    older = next(e for e in at.sidebar.expander if e.label == "Older calls (2)")
    assert not older.children or not [b for b in at.sidebar.button if b.key == listed[0].key.replace("32", "x")]
    at.session_state["older-calls"] = True  # open it
    at.run()
    assert not at.exception
    assert [b.label[:3] for b in rows(at)[-2:]] == ["#2 ", "#1 "]
    rows(at)[-1].click().run()  # the oldest call, in full
    assert any(m.value.startswith("#1 **Lookup Order Status**") for m in at.markdown)
    assert "Call 1 of 32" in [c.value for c in at.caption]
    button(at, "Next").click().run()
    assert any(m.value.startswith("#2 **Lookup Order Status**") for m in at.markdown)


def test_chat_tip_is_gone_once_the_first_message_is_sent():
    at = chat(make_app(ScriptedModel([turn("Hello! How can I help?")])), "hi")
    assert not any("Try:" in i.value for i in at.info)


# -- tweak and rerun ---------------------------------------------------------------------
def test_rerun_with_changed_description_shows_side_by_side_diff():
    """The tweak makes the agent call another action: that request is not in the recorded chat, so by default
    it is held (not sent) until the user sends it; the diff then shows the new action, marked sent."""
    inventory = ("check_product_inventory", {"sku": "PROD-12345"})
    model = ScriptedModel([
        turn("", ORDER_CALL), turn("Your order shipped."),        # the chat
        turn("", inventory), turn("In stock."),                   # the rerun differs: its call is held
        turn("", inventory), turn("In stock."),                   # sent once the user says so
    ])
    at = chat(make_app(model), "where is my order ORD-10042?")
    at.switch_page("pages/rerun.py").run()
    assert not at.exception
    assert at.selectbox(key="rerun_action").value.endswith("order_status.json")  # the action last called
    desc = next(t for t in at.text_area if t.label == "Description")
    desc.set_value("Only for orders placed today: look up their status by order number.").run()
    assert any(c.value.endswith("/200 characters") for c in at.caption)
    button(at, "Rerun conversation with these changes").click().run()
    assert not at.exception

    warnings = [w.value for w in at.warning]
    assert ("1 of 1 turn changed: turn 1 action lookup_order_status → check_product_inventory, "
            "status 200 → not sent (held), reply") in warnings
    assert any("1 request(s) were **held, not sent**" in w for w in warnings)
    header = next(m.value for m in at.markdown if m.value.startswith("**Turn 1**"))
    assert ":orange-badge[action changed]" in header and ":orange-badge[reply changed]" in header
    assert [c.value for c in at.caption if c.value in ("Before", "After")] == ["Before", "After"]
    calls = [m.value for m in at.markdown if "`" in m.value and "badge[" in m.value]
    assert any("lookup_order_status" in c for c in calls)
    assert any("check_product_inventory" in c and "held, not sent" in c for c in calls)
    assert {"Your order shipped.", "In stock."} <= {w.value for w in at.warning}  # changed replies stand out

    button(at, "Send 1 held request(s) for real and rerun").click().run()
    assert not at.exception
    model.assert_all_used()
    assert ("1 of 1 turn changed: turn 1 action lookup_order_status → check_product_inventory, reply"
            in [w.value for w in at.warning])
    calls = [m.value for m in at.markdown if "`" in m.value and "badge[" in m.value]
    assert any("check_product_inventory" in c and ":material/send: sent" in c for c in calls)


def test_rerun_with_same_behaviour_reports_no_change():
    model = ScriptedModel([turn("", ORDER_CALL), turn("Shipped."), turn("", ORDER_CALL), turn("Shipped.")])
    at = chat(make_app(model), "where is my order ORD-10042?")
    at.switch_page("pages/rerun.py").run()
    path = at.selectbox(key="rerun_action").value
    # change a variable's example in the variables table
    at.session_state[f"rerun_vars_{path}"] = {"edited_rows": {0: {"example": "ORD-99999"}}, "added_rows": [],
                                              "deleted_rows": []}
    at.run()
    button(at, "Rerun conversation with these changes").click().run()
    assert not at.exception
    assert "0 of 1 turn changed" in [s.value for s in at.success]  # the same GET: answered from the chat itself
    at.toggle(key="rerun_all_turns").set_value(True).run()
    assert any("lookup_order_status" in m.value and "replayed" in m.value for m in at.markdown)
    # the rerun's model was sent the tweaked example in the tool schema
    tools = model.received[-1][1]
    schema = next(t for t in tools if t["function"]["name"] == "lookup_order_status")
    assert "ORD-99999" in json.dumps(schema)


def test_rerun_page_without_conversation_points_to_chat():
    at = make_app()
    at.switch_page("pages/rerun.py").run()
    assert not at.exception
    assert at.info and "Chat with the test agent first" in at.info[0].value


# -- actions --------------------------------------------------------------------------
def open_action(at: AppTest, path: Path) -> AppTest:
    at.switch_page("pages/actions.py").run()
    at.radio(key="actions_choice").set_value(str(path)).run()
    assert not at.exception, at.exception
    return at


def test_invalid_body_keeps_input_disables_save_then_fix_saves(actions_dir):
    path = actions_dir / "create_support_ticket.json"
    before = path.read_text()
    at = open_action(make_app(actions=actions_dir), path)
    assert at.text_input(key="ed_name").value == "Create Support Ticket"
    assert any("/200 characters" in c.value and "94/200" in c.value for c in at.caption)
    assert at.subheader and "Lint" in [s.value for s in at.subheader]
    assert "Preview with example values" in [s.value for s in at.subheader]
    assert "Tool schema (what the model receives)" in [e.label for e in at.expander]
    assert any('"name": "create_support_ticket"' in j.value for j in at.json)

    broken = '{"issue_description": "{{issue_description}}", "priority_level": '
    at.text_area(key="ed_body").set_value(broken).run()
    for _ in range(3):  # the typed text survives reruns
        assert not at.exception
        assert any("body is not valid JSON" in e.value for e in at.error)
        assert button(at, "Save").disabled
        assert at.text_area(key="ed_body").value == broken
        at.run()
    assert path.read_text() == before

    fixed = '{"issue_description": "{{issue_description}}", "priority_level": "{{priority_level}}", "source": "voice"}'
    at.text_area(key="ed_body").set_value(fixed).run()
    assert not at.error and not button(at, "Save").disabled
    button(at, "Save").click().run()
    assert not at.exception
    saved = json.loads(path.read_text())
    assert saved["body"]["source"] == "voice" and saved["name"] == "Create Support Ticket"
    assert not list(actions_dir.glob(".*.tmp"))  # atomic write: no temp file left behind
    assert f"Saved {path}" in [t.value for t in at.toast]
    assert at.radio(key="actions_choice").value == str(path)


def test_unsaved_edits_survive_a_visit_to_another_page(actions_dir):
    path = actions_dir / "create_support_ticket.json"
    at = open_action(make_app(actions=actions_dir), path)
    at.text_area(key="ed_description").set_value("Open a ticket for problems that need a follow-up later.").run()
    at.text_area(key="ed_body").set_value('{"oops": ').run()
    at.session_state["ed_headers"] = {"edited_rows": {0: {"value": "text/plain"}}, "added_rows": [],
                                      "deleted_rows": []}
    at.run()
    at.switch_page("pages/chat.py").run()  # the chat, through the app's navigation
    assert not at.exception and at.chat_input
    at.switch_page("pages/actions.py").run()
    assert not at.exception
    assert at.radio(key="actions_choice").value == str(path)
    assert at.text_area(key="ed_description").value.startswith("Open a ticket for problems")
    assert at.text_area(key="ed_body").value == '{"oops": '
    assert list(at.data_editor(key="ed_headers").value["value"]) == ["text/plain", "application/json"]


def test_lint_findings_show_for_a_broken_action(actions_dir):
    shutil.copy(SAMPLE_ACTIONS_DIR / "broken" / "missing_variable.json", actions_dir)
    at = open_action(make_app(actions=actions_dir), actions_dir / "missing_variable.json")
    errors = [e.value for e in at.error]
    assert any("has no variable" in e for e in errors), errors
    assert any("never used" in w.value for w in at.warning)


def test_a_head_upload_action_opens_in_the_editor_and_the_target_decides_its_lint(actions_dir, monkeypatch):
    monkeypatch.delenv("PLAYGROUND_TARGET", raising=False)
    path = actions_dir / "check_upload.json"
    path.write_text(json.dumps({
        "name": "Check Upload", "description": "Check that an uploaded report is still on the file server.",
        "method": "HEAD", "url": "https://files.example.com/reports", "body_format": "multipart",
        "body": {"title": "Q3", "report": {"$file": "q3.pdf", "content_type": "application/pdf", "base64": "JVBERg=="}}}))
    at = open_action(make_app(actions=actions_dir), path)
    assert at.selectbox(key="ed_method").value == "HEAD"
    assert any("not a method the synthflow target sends" in e.value for e in at.error)  # lint, with the fix
    (actions_dir / "playground.toml").write_text('target = "generic"\n')
    at = open_action(make_app(actions=actions_dir), path)
    assert at.selectbox(key="ed_method").options[:7] == ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
    assert not any("synthflow" in e.value for e in at.error)
    at.text_area(key="ed_description").set_value("Check that an uploaded quarterly report is on the server.").run()
    button(at, "Save").click().run()
    assert not at.exception
    saved = json.loads(path.read_text())
    assert saved["method"] == "HEAD" and saved["body"]["report"]["$file"] == "q3.pdf"
    assert saved["description"].startswith("Check that an uploaded quarterly")


def test_description_counter_turns_red_out_of_range(actions_dir):
    at = open_action(make_app(actions=actions_dir), actions_dir / "order_status.json")
    at.text_area(key="ed_description").set_value("Too short").run()
    assert not at.exception
    assert ":red[9/200 characters] (10-200)" in [c.value for c in at.caption]


def test_create_from_sample_then_save(actions_dir):
    at = make_app(actions=actions_dir)
    at.switch_page("pages/actions.py").run()
    at.radio(key="new_from").set_value("A sample").run()
    sample = next(s for s in at.selectbox if s.label == "Sample")
    sample.set_value(SAMPLE_ACTIONS_DIR / "order_status.json").run()
    button(at, "Start from this sample").click().run()
    assert not at.exception
    target = actions_dir / "lookup_order_status.json"
    assert at.text_input(key="ed_name").value == "Lookup Order Status"
    assert any(f"File: `{target}` (new, not saved yet)" == c.value for c in at.caption)
    assert not target.exists()
    button(at, "Save").click().run()
    assert not at.exception
    assert json.loads(target.read_text())["name"] == "Lookup Order Status"
    assert at.radio(key="actions_choice").value == str(target)  # the new file is selected
    at.run()
    assert at.text_input(key="ed_name").value == "Lookup Order Status"  # and stays open


def test_duplicate_then_save_creates_a_copy(actions_dir):
    at = open_action(make_app(actions=actions_dir), actions_dir / "order_status.json")
    button(at, "Duplicate").click().run()
    assert not at.exception
    copy = actions_dir / "lookup_order_status_copy.json"
    assert at.text_input(key="ed_name").value == "Lookup Order Status (copy)"
    assert any(f"File: `{copy}` (new, not saved yet)" == c.value for c in at.caption)
    at.run()  # the draft stays in the editor
    assert at.text_input(key="ed_name").value == "Lookup Order Status (copy)"
    button(at, "Save").click().run()
    assert json.loads(copy.read_text())["name"] == "Lookup Order Status (copy)"
    assert (actions_dir / "order_status.json").exists()


def test_delete_asks_where_the_button_is_then_says_deleted(actions_dir):
    path = actions_dir / "health_check.json"
    at = open_action(make_app(actions=actions_dir), path)
    (popover,) = [p for p in at.get("popover") if p.proto.popover.label == "Delete…"]  # the question sits on the button
    assert any("cannot be undone" in w.value for w in popover.warning)
    assert path.exists()
    at.button(key="ed_delete_confirm").click().run()
    assert not at.exception
    assert not path.exists()
    assert "Deleted health_check.json" in [t.value for t in at.toast]
    assert str(path) not in at.radio(key="actions_choice").options


def test_renaming_an_action_offers_to_rename_its_file(actions_dir):
    path = actions_dir / "health_check.json"  # named after the action ("Health Check")
    at = open_action(make_app(actions=actions_dir), path)
    at.text_input(key="ed_name").set_value("Service Health").run()
    offer = at.checkbox(key="ed_rename_file")
    assert offer.label == "Rename the file too: `health_check.json` → `service_health.json`" and offer.value
    button(at, "Save").click().run()
    assert not at.exception
    renamed = actions_dir / "service_health.json"
    assert not path.exists() and json.loads(renamed.read_text())["name"] == "Service Health"
    assert at.radio(key="actions_choice").value == str(renamed)
    assert f"Saved {renamed} (renamed from health_check.json)" in [t.value for t in at.toast]

    at.text_input(key="ed_name").set_value("Service Health Two").run()
    at.checkbox(key="ed_rename_file").uncheck().run()  # keep the file name
    button(at, "Save").click().run()
    assert json.loads(renamed.read_text())["name"] == "Service Health Two"


def test_file_list_searches_and_shows_each_files_lint_status(actions_dir):
    shutil.copy(SAMPLE_ACTIONS_DIR / "broken" / "missing_variable.json", actions_dir)
    at = make_app(actions=actions_dir)
    at.switch_page("pages/actions.py").run()
    files = at.radio(key="actions_choice")
    broken = str(actions_dir / "missing_variable.json")
    assert ":red[:material/error: 1 error]" in files.format_func(broken)
    assert ":red[" not in files.format_func(str(actions_dir / "order_status.json"))
    at.text_input(key="actions_search").set_value("order").run()
    shown = at.radio(key="actions_choice").options
    assert len(shown) > 1 and all("order" in o.lower() for o in shown[1:])  # the New entry, then matches
    assert any("of" in c.value and "action files" in c.value for c in at.caption)


# -- test endpoint ----------------------------------------------------------------------
def open_test(at: AppTest, path: str) -> AppTest:
    at.switch_page("pages/endpoint.py").run()
    at.selectbox(key="test_action").set_value(path).run()
    assert not at.exception, at.exception
    return at


def send(at: AppTest, label: str = "Send") -> AppTest:
    at.button(key=f"FormSubmitter:test_form-{label}").click().run()
    assert not at.exception, at.exception
    return at


def test_send_with_example_values_shows_request_and_response_then_history(demo_url):
    path = str(SAMPLE_ACTIONS_DIR / "order_status.json")
    at = open_test(make_app(), path)
    assert at.selectbox(key="test_action").format_func(path) == "Lookup Order Status · order_status.json"
    assert at.text_input(key=f"test_var_{path}_order_number").value == "ORD-10042"  # pre-filled from the example
    send(at)
    assert any("Lookup Order Status" in m.value and ":green-badge[200]" in m.value for m in at.markdown)
    assert any(c.value == f"GET {demo_url}/orders/status?order_number=ORD-10042" for c in at.code)
    shown = [m.value for m in at.markdown]
    assert "**Request**" in shown and "**Response**" in shown  # both open after a send
    assert any(m.startswith(":green-badge[200] OK · ") for m in shown)
    assert "History" not in [s.value for s in at.subheader]
    assert os.environ["DEMO_ORDERS_TOKEN"] not in "\n".join(texts(at))

    at.text_input(key=f"test_var_{path}_order_number").set_value("ORD-99999")
    send(at)
    assert "History" in [s.value for s in at.subheader]
    assert any(":orange-badge[404]" in m.value for m in at.markdown)  # the latest: an unknown order
    first = next(b for b in at.button if b.key and b.key.startswith("row-send-") and ":green-badge[200]" in b.label)
    first.click().run()  # the first send, shown again in full
    assert any(c.value == f"GET {demo_url}/orders/status?order_number=ORD-10042" for c in at.code)


def test_every_bad_value_is_reported_at_once_with_what_was_typed(actions_dir):
    path = actions_dir / "typed.json"
    path.write_text(json.dumps({
        "name": "Typed", "description": "Every variable type, for the test endpoint page.",
        "url": "http://127.0.0.1:8765/health", "variables": [
            {"name": "email", "type": "email", "example": "bob@"}, {"name": "phone", "type": "phone", "example": "12"},
            {"name": "when", "type": "date", "example": "2026-12-01"}, {"name": "qty", "type": "integer", "example": 2},
            {"name": "ok", "type": "boolean", "example": True}, {"name": "note", "type": "string"}]}))
    at = open_test(make_app(actions=actions_dir), str(path))
    key = f"test_var_{path}_"
    assert at.date_input(key=key + "when").value == datetime.date(2026, 12, 1)  # a date picker for dates
    assert at.number_input(key=key + "qty").value == 2
    assert at.get("button_group")[0].proto.default == [0]  # true / false for a boolean
    send(at)
    (error,) = [e.value for e in at.error]
    assert error.startswith("Fix these values")
    for expected in ("email: expected an email address like name@example.com, got 'bob@'",
                     "phone: expected a phone number like +15551234567, got '12'", "note is required"):
        assert expected in error
    assert not at.session_state["send_history"]  # nothing was sent


def test_one_off_request_with_an_edited_header_leaves_the_file_then_saves_into_it(actions_dir, demo_url):
    path = actions_dir / "order_status.json"
    before = path.read_text()
    at = open_test(make_app(actions=actions_dir), str(path))
    send(at, "Edit the request")
    assert at.text_input(key="probe_url").value == f"{demo_url}/orders/status"  # from the rendered request
    assert list(at.data_editor(key="probe_headers").value["key"]) == ["Accept"]  # auth is added when sent
    at.session_state["probe_headers"] = {"edited_rows": {}, "deleted_rows": [],
                                         "added_rows": [{"key": "X-Debug", "value": "probe-1"}]}
    at.run()
    button(at, "Send this request").click().run()
    assert not at.exception
    trace = at.session_state["send_history"][-1]
    assert trace.request.headers["X-Debug"] == "probe-1" and trace.status_code == 200
    assert trace.request.headers["Authorization"].startswith("Bearer ****")
    assert trace.action == "Lookup Order Status (one-off request)"
    assert path.read_text() == before  # the file is untouched

    at.text_input(key="probe_url").set_value("ftp://nowhere").run()
    at.text_area(key="probe_body").set_value('{"a": ').run()
    (error,) = [e.value for e in at.error]
    assert "ftp" in error and "not valid JSON" in error  # every bad field at once
    assert button(at, "Send this request").disabled
    at.text_input(key="probe_url").set_value(f"{demo_url}/orders/status").run()
    at.text_area(key="probe_body").set_value("").run()

    button(at, "Save into the action…").click().run()
    assert any("headers changes" in w.value for w in at.warning)
    button(at, "Save to file").click().run()
    assert not at.exception
    saved = json.loads(path.read_text())
    assert saved["headers"] == {"Accept": "application/json", "X-Debug": "probe-1"}
    assert saved["query"] == {"order_number": "{{order_number}}"}  # left alone: the template stays
    assert saved["url"] == "http://127.0.0.1:8765/orders/status"  # the file's URL, not the demo port's


# -- settings ---------------------------------------------------------------------------
def test_openai_without_key_says_so_and_never_echoes_the_entered_key(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    at = make_app()
    at.switch_page("pages/settings.py").run()
    at.radio(key="settings_kind").set_value("OpenAI-compatible").run()
    assert not at.exception
    assert "API key: not set (local servers need none)" in [c.value for c in at.caption]
    assert any("OPENAI_API_KEY" in e.value for e in at.error), [e.value for e in at.error]

    key = "sk-test-abcdef0123456789WXYZ"
    next(t for t in at.text_input if t.label == "API key").set_value(key)
    at.button(key="FormSubmitter:key_form-Use this key").click().run()
    assert not at.exception
    assert "API key: ****WXYZ (entered here)" in [c.value for c in at.caption]
    assert not at.error and not any(x.value.startswith("Connected") for x in at.success)  # not tested yet
    assert "openai:gpt-4o-mini is set up but not tested yet: *Test connection* makes one small real request." in \
        [c.value for c in at.caption]
    assert key not in "\n".join(texts(at))
    button(at, "Forget the entered key").click().run()
    assert "API key: not set (local servers need none)" in [c.value for c in at.caption]


def openai_settings(at: AppTest, base_url: str, key: str) -> AppTest:
    at.switch_page("pages/settings.py").run()
    at.radio(key="settings_kind").set_value("OpenAI-compatible").run()
    at.text_input(key="settings_base_url").set_value(base_url).run()
    next(t for t in at.text_input if t.label == "API key").set_value(key)
    at.button(key="FormSubmitter:key_form-Use this key").click().run()
    assert not at.exception, at.exception
    return at


def test_test_connection_makes_one_real_request_then_offers_the_listed_models():
    from fake_openai import MODEL_NAME, FakeOpenAI

    with FakeOpenAI([{"content": "pong"}], api_key="sk-fake-key-0001") as server:
        at = openai_settings(make_app(), server.base_url, "sk-fake-key-0001")
        at.button(key="settings_test_connection").click().run()
        assert not at.exception
        (sent,) = server.requests  # one small real request
        assert sent["max_tokens"] == 1 and sent["model"] == "gpt-4o-mini"
        (ok,) = [x.value for x in at.success if x.value.startswith("Connected")]
        assert ok.startswith(f"Connected: gpt-4o-mini at `{server.base_url}") and "lists 1 model(s)" in ok
        picker = at.selectbox(key="settings_model_pick")  # the server's models, offered
        assert MODEL_NAME in picker.options
        picker.set_value(MODEL_NAME).run()
        assert at.session_state["model_spec"] == f"openai:{MODEL_NAME}"
        assert "is set up but not tested yet" in " ".join(c.value for c in at.caption)  # another model: test again


def test_test_connection_failure_gives_advice_for_this_page():
    from fake_openai import FakeOpenAI

    with FakeOpenAI([], api_key="the-right-key") as server:
        at = openai_settings(make_app(), server.base_url, "sk-a-wrong-key-9999")
        at.button(key="settings_test_connection").click().run()
        (error,) = [e.value for e in at.error]
        assert "rejected the API key (401)" in error and "in Settings" in error
        assert "--api-key" not in error and "--base-url" not in error  # no command-line advice in the app
    at.text_input(key="settings_base_url").set_value(server.base_url).run()  # the server is gone now
    at.button(key="settings_test_connection").click().run()
    (error,) = [e.value for e in at.error]
    assert "cannot reach the model server" in error and "Base URL in Settings" in error


def test_runtime_variables_can_be_added_and_removed():
    at = make_app()
    at.switch_page("pages/settings.py").run()
    next(t for t in at.text_input if t.label == "New variable").set_value("crm region")
    next(t for t in at.text_input if t.label == "Its value").set_value("eu-west")
    at.button(key="FormSubmitter:runtime_add-Add").click().run()
    assert any("crm region" in e.value for e in at.error) and "crm region" not in at.session_state["runtime"]
    next(t for t in at.text_input if t.label == "New variable").set_value("crm_region")
    next(t for t in at.text_input if t.label == "Its value").set_value("eu-west")
    at.button(key="FormSubmitter:runtime_add-Add").click().run()
    assert at.session_state["runtime"]["crm_region"] == "eu-west"
    assert at.text_input(key="settings_rt_crm_region").value == "eu-west"
    at.button(key="settings_rt_rm_account_id").click().run()
    assert "account_id" not in at.session_state["runtime"]
    assert not [t for t in at.text_input if t.key == "settings_rt_account_id"]


def test_a_missing_actions_folder_says_so_and_a_chat_calling_unloaded_actions_is_told(tmp_path):
    at = chat(make_app(ScriptedModel([turn("", ORDER_CALL), turn("Shipped.")])), "where is ORD-10042?")
    at.switch_page("pages/settings.py").run()
    at.text_input(key="settings_folder").set_value(str(tmp_path / "nowhere")).run()
    assert any("does not exist" in e.value for e in at.error)
    assert not any("file(s)" in c.value for c in at.caption)
    other = tmp_path / "other"
    shutil.copytree(SAMPLE_ACTIONS_DIR, other, ignore=shutil.ignore_patterns("broken", "order_status.json"))
    at.text_input(key="settings_folder").set_value(str(other)).run()
    assert any("This chat called Lookup Order Status, which the actions folder no longer has" in w.value
               for w in at.warning)
    at.switch_page("pages/chat.py").run()
    assert any("no longer has" in w.value for w in at.warning)  # the chat says it too
    at.button(key="stale-new-chat").click().run()
    assert not at.chat_message and not any("no longer has" in w.value for w in at.warning)


def test_openai_model_without_key_on_chat_page_is_an_error_not_exception(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    at = make_app()
    at.session_state["model_spec"] = "openai:gpt-4o-mini"
    at.run()
    assert not at.exception
    assert any("OPENAI_API_KEY" in e.value for e in at.error)
    assert at.chat_input[0].disabled
    button(at, "New conversation").click().run()  # clearing the chat needs no model
    assert not at.exception


def test_rerun_with_a_model_that_cannot_start_is_an_error_not_exception(monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    at = chat(make_app(ScriptedModel([turn("", ORDER_CALL), turn("Shipped.")])), "where is ORD-10042?")
    at.session_state["model_override"] = None
    at.session_state["model_spec"] = "openai:gpt-4o-mini"  # switched in Settings after chatting
    at.switch_page("pages/rerun.py").run()
    button(at, "Rerun conversation with these changes").click().run()
    assert not at.exception
    assert any("OPENAI_API_KEY" in e.value for e in at.error)


def test_runtime_variables_editable_and_demo_api_status(demo_url):
    at = make_app()
    at.switch_page("pages/settings.py").run()
    at.text_input(key="settings_rt_account_id").set_value("ACC-2002").run()
    assert not at.exception
    assert at.session_state["runtime"]["account_id"] == "ACC-2002"
    assert any(s.value.startswith(f"Running at {demo_url}") for s in at.success)
    assert any("action(s) loaded" in c.value for c in at.caption)

