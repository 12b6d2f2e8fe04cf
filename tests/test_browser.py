"""Real-browser tests: the app under `streamlit run`, driven by headless Chromium (Playwright).

One streamlit server and one browser for the module (see tests/browser_app.py: the demo API on a
free port, a copy of the sample actions pointed at it); each test opens a fresh page, which is a
fresh Streamlit session. Needs Debian's chromium (/usr/bin/chromium) and the playwright package.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any, Iterator

import pytest

from browser_app import App, chromium_path, launch, running_app
from core.demo import DEMO_SECRETS

if not chromium_path():
    pytest.skip("chromium not installed: apt-get install chromium", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed: pip install playwright")
expect = sync_api.expect
WAIT = 60_000


@pytest.fixture(scope="module")
def app() -> Iterator[App]:
    with tempfile.TemporaryDirectory() as tmp, running_app(Path(tmp)) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as pw:
        chromium = launch(pw)
        yield chromium
        chromium.close()


class Page:
    """A fresh page (a new Streamlit session) that records console warnings and errors."""

    def __init__(self, browser: Any, app: App, width: int = 1440, height: int = 900) -> None:
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.console: list[str] = []
        self.page.on("console", lambda m: self.console.append(f"{m.type}: {m.text}")
                     if m.type in ("warning", "error") else None)
        self.page.on("pageerror", lambda e: self.console.append(f"pageerror: {e}"))
        self.app = app

    def open(self, path: str = "") -> Any:
        self.page.goto(f"{self.app.url}/{path}", wait_until="domcontentloaded")
        return self.page

    def chat(self, text: str) -> None:
        """Send a chat message and wait for the turn to finish (its calls are listed in the sidebar)."""
        box = self.page.get_by_placeholder("Message the test agent")
        expect(box).to_be_enabled(timeout=WAIT)
        calls = self.page.get_by_test_id("stSidebar").locator("[class*='st-key-row-']").count()
        box.fill(text)
        box.press("Enter")
        expect(self.page.get_by_test_id("stSidebar").locator("[class*='st-key-row-']")).to_have_count(
            calls + 1, timeout=WAIT)
        self.settle()

    def settle(self) -> None:
        """Wait until the script run is over (Streamlit shows its status widget while running), twice over:
        the widget shows only once the run has started."""
        for _ in range(2):
            self.page.wait_for_timeout(300)
            expect(self.page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=WAIT)

    def close(self) -> None:
        self.page.close()


@pytest.fixture
def page(browser: Any, app: App) -> Iterator[Page]:
    p = Page(browser, app)
    yield p
    p.close()


def dialog(page: Any) -> Any:
    return page.get_by_role("dialog")


def test_a_bookmarked_page_opens_with_the_apps_navigation(page: Page) -> None:
    """First in the module: the server's first visit goes straight to a page, as a bookmark after a restart."""
    p = page.open("endpoint")
    expect(p.get_by_role("heading", name="Test the endpoint with static values")).to_be_visible(timeout=WAIT)
    nav = p.get_by_test_id("stSidebarNav")
    expect(nav).to_contain_text("Playground", timeout=WAIT)  # the app's sections, not the files of pages/
    expect(nav.get_by_text("app", exact=True)).to_have_count(0)
    expect(p.get_by_text("Page not found")).to_have_count(0)


def test_chat_with_a_tool_call_then_the_trace_opened(page: Page, tmp_path: Path) -> None:
    p = page.open()
    expect(p.get_by_role("heading", name="Chat with the test agent")).to_be_visible(timeout=WAIT)
    expect(p.get_by_text("where is my order ORD-10042?", exact=False).first).to_be_visible()  # the tip
    expect(p.get_by_role("button", name="Deploy")).to_have_count(0)  # a local tool: no Deploy button
    page.chat("where is my order ORD-10042?")

    sidebar = p.get_by_test_id("stSidebar")
    row = sidebar.get_by_role("button", name=re.compile(r"#1 GET \/orders\/status 200 \d+"))
    expect(row).to_be_visible(timeout=WAIT)  # the sidebar: one line per call
    expect(p.get_by_test_id("stChatMessage").nth(1)).to_contain_text("Lookup Order Status", timeout=WAIT)
    expect(p.get_by_test_id("stDownloadButton").get_by_role("button")).to_be_enabled()  # Export
    expect(sidebar.get_by_test_id("stVegaLiteChart")).to_be_visible()  # the timeline, with one call

    row.click()
    trace = dialog(p)
    expect(trace).to_be_visible(timeout=WAIT)
    url = f"GET {page.app.demo_url}/orders/status?order_number=ORD-10042"
    expect(trace.get_by_text(url)).to_be_visible()
    expect(trace.get_by_role("link")).to_have_count(0)  # the URL is text, not a link that calls the API without auth
    expect(trace.get_by_text("Request", exact=True)).to_be_visible()
    expect(trace.get_by_text("Response", exact=True)).to_be_visible()
    expect(trace.get_by_text("shipped").first).to_be_visible()  # the response body
    token = DEMO_SECRETS["DEMO_ORDERS_TOKEN"]
    assert token not in p.content()
    expect(trace.get_by_text("Bearer ****4b8e").first).to_be_visible()

    trace.get_by_text("Copy as cURL").click()
    expect(trace.get_by_text(re.compile(r"curl -X GET"))).to_be_visible()
    trace.get_by_text("Reveal secrets").click()
    expect(trace.get_by_text(f"Bearer {token}").first).to_be_visible(timeout=WAIT)
    expect(trace.get_by_text(re.compile(r"curl -X GET"))).to_be_visible()  # revealing left the section open
    p.screenshot(path=str(tmp_path / "trace.png"))
    trace.get_by_role("button", name="Close").click()
    expect(dialog(p)).to_have_count(0)
    assert not page.console, page.console  # no warning or error in the browser console (chart included)


def test_a_failing_call_shows_its_hint_exactly_once_in_the_trace(page: Page) -> None:
    p = page.open()
    page.chat("where is my order ORD-99999?")  # the demo API does not know this order: 404
    call = p.get_by_test_id("stChatMessage").nth(1).get_by_test_id("stExpander").first
    expect(call).to_contain_text("404", timeout=WAIT)
    expect(call).to_contain_text("404 Not Found after")  # the error, once, with its elapsed time
    call.get_by_role("button", name="Open the trace").click()
    trace = dialog(p)
    expect(trace).to_be_visible(timeout=WAIT)
    hint = trace.get_by_test_id("stAlertContentWarning")
    expect(hint).to_have_count(1)
    text = hint.get_by_test_id("stMarkdownContainer").inner_text().strip()
    assert text.startswith("404 Not Found for GET /orders/status")
    assert trace.inner_text().count(text) == 1  # exactly once in the trace
    assert call.inner_text().count(text) == 0  # inline: only its short form
    assert not page.console, page.console


def test_chat_is_usable_on_a_small_screen(browser: Any, app: App, tmp_path: Path) -> None:
    page = Page(browser, app, width=390, height=844)
    try:
        p = page.open()
        page.chat("where is my order ORD-10042?")
        call = p.get_by_test_id("stChatMessage").nth(1).get_by_test_id("stExpander").first
        expect(call).to_contain_text("Lookup Order Status", timeout=WAIT)
        assert p.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the screen
        call.locator("summary").click()
        call.get_by_role("button", name="Open the trace").click()
        trace = dialog(p)
        expect(trace.get_by_text("Response", exact=True)).to_be_visible(timeout=WAIT)
        box = trace.bounding_box()
        assert box is not None and box["width"] <= 390
        p.screenshot(path=str(tmp_path / "small.png"))
        assert not page.console, page.console
    finally:
        page.close()


def go(p: Any, title: str) -> None:
    """To another page through the sidebar (the session, and so the chat, stays)."""
    p.get_by_test_id("stSidebarNav").get_by_text(title, exact=True).click()


def test_test_endpoint_with_an_edited_header(page: Page) -> None:
    p = page.open()
    go(p, "Test endpoint")
    expect(p.get_by_role("heading", name="Test the endpoint with static values")).to_be_visible(timeout=WAIT)
    p.get_by_test_id("stSelectbox").first.click()
    p.get_by_role("option", name=re.compile("Lookup Order Status")).click()
    expect(p.get_by_role("textbox", name="order_number · string · required")).to_have_value("ORD-10042", timeout=WAIT)
    p.get_by_role("button", name="Edit the request").click()
    expect(p.get_by_role("heading", name="One-off request")).to_be_visible(timeout=WAIT)
    page.settle()
    grid = p.locator(".st-key-probe_headers [data-testid='stDataFrame']")  # Headers: Accept | application/json
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    p.mouse.click(box["x"] + box["width"] * 0.75, box["y"] + 35 + 17)  # the value of its first row
    p.wait_for_timeout(300)  # the grid is a canvas: give it time to take each key
    p.keyboard.press("Enter")  # edit it
    p.wait_for_timeout(300)
    p.keyboard.press("ControlOrMeta+a")
    p.keyboard.type("application/x-probe")
    p.wait_for_timeout(300)
    p.keyboard.press("Enter")
    page.settle()
    p.get_by_role("button", name="Send this request").click()
    page.settle()
    sent = p.get_by_test_id("stJson").filter(has_text="application/x-probe")
    expect(sent.first).to_be_visible(timeout=WAIT)  # the request as sent carries the edited header
    assert '"Accept": "application/json"' in (page.app.actions / "order_status.json").read_text()  # file untouched
    assert not [m for m in page.console if "404" not in m], page.console


def test_saving_and_running_one_scenario(page: Page) -> None:
    p = page.open()
    page.chat("where is my order ORD-10042?")
    go(p, "Scenarios")
    p.get_by_label("Scenario name").fill("browser order")
    p.get_by_label("Scenario name").press("Enter")
    page.settle()
    p.get_by_role("button", name="Save scenario").click()
    expect(p.get_by_text(re.compile(r"Saved .*browser_order\.yaml"))).to_be_visible(timeout=WAIT)
    row = p.locator(".st-key-scenario-browser_order")
    expect(row).to_contain_text("not run")
    row.get_by_role("button", name="Run").click()
    expect(row).to_contain_text("pass", timeout=WAIT)
    assert (page.app.scenarios / "browser_order.yaml").exists()


def test_settings_test_connection_against_a_local_openai_compatible_server(page: Page) -> None:
    from fake_openai import MODEL_NAME, FakeOpenAI

    with FakeOpenAI([{"content": "pong"}], api_key="sk-browser-test-key") as server:
        p = page.open()
        go(p, "Settings")
        p.get_by_text("OpenAI-compatible").click()
        base = p.get_by_label("Base URL (empty for OpenAI)")
        base.fill(server.base_url)
        base.press("Enter")
        page.settle()
        p.get_by_label("API key", exact=True).fill("sk-browser-test-key")
        p.get_by_role("button", name="Use this key").click()
        page.settle()
        p.get_by_role("button", name="Test connection").click()
        expect(p.get_by_text(re.compile(r"Connected: gpt-4o-mini at .* answered in"))).to_be_visible(timeout=WAIT)
        assert len(server.requests) == 1 and server.requests[0]["max_tokens"] == 1
        expect(p.locator(".st-key-settings_model_pick")).to_be_visible(timeout=WAIT)  # the server's models, offered
        assert "sk-browser-test-key" not in p.content()
