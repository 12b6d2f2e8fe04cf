"""Real-browser tests of safe reruns and of the editor's unsaved-edit guard (Playwright + Debian chromium).

The app runs under `streamlit run` with its own demo API on a free port (tests/browser_app.py); bookings are
counted on that demo API (GET /appointments), so "no second POST" is observed, not assumed.
"""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any, Iterator

import httpx
import pytest

from browser_app import App, chromium_path, launch, running_app
from core.demo import DEMO_SECRETS

if not chromium_path():
    pytest.skip("chromium not installed: apt-get install chromium", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed: pip install playwright")
expect = sync_api.expect
WAIT = 60_000
EMAIL = "browser.rerun@example.com"


@pytest.fixture(scope="module")
def app() -> Iterator[App]:
    with tempfile.TemporaryDirectory() as tmp, running_app(Path(tmp)) as running:
        yield running


@pytest.fixture
def page(app: App) -> Iterator[Any]:
    with sync_api.sync_playwright() as pw:
        browser = launch(pw)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            page.goto(app.url, wait_until="domcontentloaded")
            yield page
        finally:
            browser.close()


def settle(page: Any) -> None:
    """Wait until the script run is over (Streamlit shows its status widget while running)."""
    page.wait_for_timeout(150)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=WAIT)


def bookings(app: App) -> int:
    answer = httpx.get(f"{app.demo_url}/appointments", params={"customer_email": EMAIL}, trust_env=False,
                       headers={"Authorization": f"Bearer {DEMO_SECRETS['DEMO_BOOKING_TOKEN']}"})
    return answer.json()["count"]


def type_into(page: Any, label: str, text: str) -> None:
    """Replace a text area's text and commit it (Ctrl+Enter), as a user does."""
    box = page.get_by_label(label, exact=True)
    box.fill(text)
    box.press("Control+Enter")
    settle(page)


def test_rerunning_a_booking_sends_no_second_post_unless_asked(page: Any, app: App, tmp_path: Path) -> None:
    expect(page.get_by_role("heading", name="Chat with the test agent")).to_be_visible(timeout=WAIT)
    box = page.get_by_placeholder("Message the test agent")
    expect(box).to_be_enabled(timeout=WAIT)
    box.fill(f"I'd like to book an appointment on 2026-12-10, my email is {EMAIL}")
    box.press("Enter")
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("button", name=re.compile(r"#1 POST \/appointments 201"))).to_be_visible(timeout=WAIT)
    settle(page)
    assert bookings(app) == 1

    page.get_by_role("button", name="Tweak & rerun").click()
    expect(page.get_by_role("heading", name="Tweak and rerun")).to_be_visible(timeout=WAIT)
    settle(page)
    expect(page.get_by_text("Replay unchanged requests; hold the rest until I approve them")).to_be_visible()
    page.get_by_role("button", name="Rerun conversation with these changes").click()
    expect(page.get_by_text("0 of 1 turn changed")).to_be_visible(timeout=WAIT)
    settle(page)
    assert bookings(app) == 1  # the recorded response answered the POST

    body = json.dumps({"calendar_email": "{{cal_email}}", "date": "{{date}}", "customer_email": "{{customer_email}}",
                       "note": "from the browser"})
    type_into(page, "Body", body)
    expect(page.get_by_text("stale", exact=False).first).to_be_visible(timeout=WAIT)
    page.get_by_role("button", name="Rerun conversation with these changes").click()
    expect(page.get_by_text("1 of 1 turn changed: turn 1 request, status 201 → not sent (held)")).to_be_visible(
        timeout=WAIT)
    settle(page)
    expect(page.get_by_text("held, not sent").first).to_be_visible()
    expect(page.get_by_text("body.note: added (from the browser)", exact=False).first).to_be_visible()
    assert bookings(app) == 1  # held: nothing went out
    page.get_by_text("Show unchanged turns too").scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "rerun_held.png"))

    page.get_by_role("button", name="Send 1 held request(s) for real and rerun").click()
    expect(page.get_by_text("held, not sent")).to_have_count(0, timeout=WAIT)
    settle(page)
    expect(page.get_by_text(re.compile(r"^1 of 1 turn changed: turn 1 request"))).to_be_visible()
    expect(page.get_by_text("status 201 → not sent")).to_have_count(0)  # it went out: 201 again
    assert bookings(app) == 2  # sent once, because the user asked


def test_the_editor_asks_before_switching_away_from_unsaved_edits(page: Any, app: App) -> None:
    page.goto(f"{app.url}/actions", wait_until="domcontentloaded")
    radio = page.get_by_test_id("stRadio").first
    expect(radio).to_be_visible(timeout=WAIT)
    radio.get_by_text("order_status.json").click()
    expect(page.get_by_label("Name", exact=True)).to_have_value("Lookup Order Status", timeout=WAIT)
    settle(page)
    edited = "Look up where an order is by its number when the caller asks about a delivery, from the browser."
    type_into(page, "Description", edited)
    expect(page.get_by_text("Unsaved edits")).to_be_visible(timeout=WAIT)

    radio.get_by_text("check_inventory.json").click()
    expect(page.get_by_text("has unsaved edits", exact=False)).to_be_visible(timeout=WAIT)
    expect(page.get_by_label("Description", exact=True)).to_have_value(edited)  # still there
    page.get_by_role("button", name="Save and open").click()
    expect(page.get_by_label("Name", exact=True)).to_have_value("Check Product Inventory", timeout=WAIT)
    settle(page)
    saved = json.loads((app.actions / "order_status.json").read_text())
    assert saved["description"] == edited
