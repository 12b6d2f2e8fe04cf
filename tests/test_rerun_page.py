"""Tweak & rerun through AppTest: a chat that booked an appointment (a POST) is rerun without booking again,
unless the user sends the held request on purpose; drafts are visible on the Chat page and undoable.

Bookings are counted on the demo API itself (GET /appointments), not assumed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator

import httpx
import pytest
from streamlit.testing.v1 import AppTest

from core.demo import DEMO_SECRETS
from core.llm.scripted import ScriptedModel, turn
from core.session import ensure_demo_api

ROOT = Path(__file__).resolve().parent.parent
EMAIL = "rerun.page@example.com"
BOOK = ("book_appointment", {"date": "2026-12-09", "customer_email": EMAIL})
NEW_BODY = ('{"calendar_email": "{{cal_email}}", "date": "{{date}}", "customer_email": "{{customer_email}}", '
            '"note": "rerun"}')


@pytest.fixture(scope="module", autouse=True)
def demo_api(session_demo: Any) -> Iterator[None]:
    server = ensure_demo_api()
    yield
    if server is not None:
        server.stop()


def bookings(session_demo: Any) -> int:
    """How many appointments the demo API holds for EMAIL."""
    answer = httpx.get(f"{session_demo.base_url}/appointments", params={"customer_email": EMAIL}, trust_env=False,
                       headers={"Authorization": f"Bearer {DEMO_SECRETS['DEMO_BOOKING_TOKEN']}"})
    return answer.json()["count"]


def button(at: AppTest, label: str) -> Any:
    return next(b for b in at.button if b.label == label)


def booked_chat(model: ScriptedModel) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["model_override"] = model
    at.run()
    at.chat_input[0].set_value("book me on 2026-12-09, my email is rerun.page@example.com").run()
    assert not at.exception, at.exception
    at.switch_page("pages/rerun.py").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="rerun_action").value.endswith("book_appointment.json")
    return at


def test_rerunning_a_chat_that_booked_sends_no_second_post_unless_asked(session_demo: Any) -> None:
    model = ScriptedModel([turn("", BOOK), turn("Booked.")] * 4)
    before = bookings(session_demo)
    at = booked_chat(model)
    assert bookings(session_demo) == before + 1  # the chat booked once

    # 1. rerun as is (the default: replay what is unchanged, hold the rest): the POST is answered from the chat
    assert at.radio(key="rerun_policy").value == "ask"
    button(at, "Rerun conversation with these changes").click().run()
    assert not at.exception and bookings(session_demo) == before + 1
    assert "0 of 1 turn changed" in [s.value for s in at.success]

    # 2. a changed body: the POST is held, not sent; the diff names the field
    body = next(t for t in at.text_area if t.label == "Body")
    body.set_value(NEW_BODY).run()
    assert any("stale" in w.value for w in at.warning)  # the old result is marked stale once the form changes
    button(at, "Rerun conversation with these changes").click().run()
    assert not at.exception and bookings(session_demo) == before + 1
    warnings = [w.value for w in at.warning]
    assert "1 of 1 turn changed: turn 1 request, status 201 → not sent (held)" in warnings
    assert any("held, not sent" in w for w in warnings) and not any("stale" in w for w in warnings)
    table = next(d.value for d in at.dataframe if "field" in d.value.columns)
    assert list(table["field"]) == ["body.note"] and list(table["after"]) == ["rerun"]
    assert any("`POST " in m.value and "body.note: added (rerun)" in m.value for m in at.markdown)

    # 3. sent on purpose: exactly one more booking
    button(at, "Send 1 held request(s) for real and rerun").click().run()
    assert not at.exception and bookings(session_demo) == before + 2
    assert any("book_appointment" in m.value and ":material/send: sent" in m.value for m in at.markdown)


def test_sending_everything_live_needs_an_explicit_yes_for_the_writes(session_demo: Any) -> None:
    before = bookings(session_demo)
    at = booked_chat(ScriptedModel([turn("", BOOK), turn("Booked."), turn("", BOOK), turn("Booked again.")]))
    at.radio(key="rerun_policy").set_value("live").run()
    assert button(at, "Rerun conversation with these changes").disabled
    yes = at.checkbox(key="rerun_confirm_writes")
    assert "send 1 write request(s) again for real: POST" in yes.label
    yes.check().run()
    button(at, "Rerun conversation with these changes").click().run()
    assert not at.exception and bookings(session_demo) == before + 2
    # the new booking id and slot are the server's: the id is ignored, the other slot is a real change
    diff = [w.value for w in at.warning if w.value.startswith("1 of 1 turn changed")]
    assert diff and "response" in diff[0] and "reply" in diff[0]
    response = next(c.value for c in at.caption if c.value.startswith("response: "))
    assert re.search(r"response\.start_time: \d\d:\d\d → \d\d:\d\d", response)  # the next free slot
    assert "booking_id" not in response  # BKG-7xxx → BKG-7xxx+1: generated by the server, ignored
    rules = at.text_area(key="rerun_rules")
    rules.set_value(rules.value.replace("field *_id", "# field *_id")).run()  # the rules are editable
    response = next(c.value for c in at.caption if c.value.startswith("response: "))
    assert "response.booking_id: BKG-" in response


def test_a_draft_shows_on_the_chat_page_and_can_be_discarded(session_demo: Any) -> None:
    at = booked_chat(ScriptedModel([turn("", BOOK), turn("Booked.")]))
    desc = next(t for t in at.text_area if t.label == "Description")
    desc.set_value("Book a 30-minute appointment once the caller has given a day and an email address.").run()
    button(at, "Use as a draft in chat").click().run()
    at.switch_page("pages/chat.py").run()
    assert not at.exception
    assert any("Using a **draft of Book Appointment**" in m.value for m in at.markdown)
    assert at.session_state["action_overrides"]
    button(at, "Discard").click().run()
    assert not at.exception
    assert not any("draft of Book Appointment" in m.value for m in at.markdown)
    assert not at.session_state["action_overrides"]


# -- the action editor: drafts and unsaved edits ----------------------------------------------------------
@pytest.fixture
def actions_dir(tmp_path: Path) -> Path:
    import shutil

    from core.session import SAMPLE_ACTIONS_DIR

    folder = tmp_path / "actions"
    shutil.copytree(SAMPLE_ACTIONS_DIR, folder, ignore=shutil.ignore_patterns("broken"))
    return folder


def editor_on(actions_dir: Path, name: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["actions_dir"] = str(actions_dir)
    at.run()
    at.switch_page("pages/actions.py").run()
    at.radio(key="actions_choice").set_value(str(actions_dir / name)).run()
    assert not at.exception, at.exception
    return at


def test_the_editor_asks_before_dropping_unsaved_edits(actions_dir: Path) -> None:
    order, inventory = actions_dir / "order_status.json", actions_dir / "check_inventory.json"
    before = order.read_text()
    at = editor_on(actions_dir, "order_status.json")
    assert not any("Unsaved edits" in c.value for c in at.caption)
    edited = "Look up where an order is, by its order number, when the caller asks about a delivery."
    at.text_area(key="ed_description").set_value(edited).run()
    assert any("Unsaved edits" in c.value for c in at.caption)

    at.radio(key="actions_choice").set_value(str(inventory)).run()  # another file picked: asked first
    assert at.radio(key="actions_choice").value == str(order)
    assert at.text_area(key="ed_description").value == edited  # nothing was lost
    assert any("has unsaved edits" in w.value for w in at.warning)
    button(at, "Keep editing").click().run()
    assert not any("has unsaved edits" in w.value for w in at.warning)

    at.radio(key="actions_choice").set_value(str(inventory)).run()
    button(at, "Discard edits and open").click().run()
    assert not at.exception
    assert at.radio(key="actions_choice").value == str(inventory)
    assert at.text_input(key="ed_name").value == "Check Product Inventory"
    assert order.read_text() == before  # discarded: the file is as it was

    at.text_area(key="ed_description").set_value("Check whether a product is in stock when the caller names "
                                                 "its SKU.").run()
    at.radio(key="actions_choice").set_value(str(order)).run()
    button(at, "Save and open").click().run()
    assert not at.exception
    assert "names its SKU" in inventory.read_text()  # saved, then the other file opened
    assert at.text_input(key="ed_name").value == "Lookup Order Status"


def test_the_editor_shows_a_draft_as_a_draft_and_can_discard_it(actions_dir: Path) -> None:
    from core.action import load_action

    path = actions_dir / "order_status.json"
    draft = load_action(path).model_copy(update={"description": "A tweaked description, from Tweak and rerun."})
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["actions_dir"] = str(actions_dir)
    at.session_state["action_overrides"] = {str(path): draft}
    at.run()
    at.switch_page("pages/actions.py").run()
    at.radio(key="actions_choice").set_value(str(path)).run()
    assert any("This is a **draft**" in m.value for m in at.markdown)
    assert at.text_area(key="ed_description").value == draft.description
    button(at, "Discard draft").click().run()
    assert not at.exception
    assert not any("This is a **draft**" in m.value for m in at.markdown)
    assert at.text_area(key="ed_description").value == load_action(path).description
