"""One real-browser smoke test: the app under `streamlit run`, driven by headless Chromium.

It types a chat turn for the offline model (the default) and waits for the call to show in
the debug sidebar. Needs Debian's chromium (/usr/bin/chromium) and the playwright package.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import httpx
import pytest

from core.demo import DEMO_SECRETS

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def app_url(tmp_path: Path) -> Iterator[str]:
    """`streamlit run app.py` on a free loopback port; killed after the test."""
    port = _free_port()
    log = (tmp_path / "streamlit.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"streamlit exited with {proc.returncode}:\n{(tmp_path / 'streamlit.log').read_text()}")
            try:
                if httpx.get(f"{url}/_stcore/health", timeout=1, trust_env=False).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("streamlit did not answer /_stcore/health within 60 s")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def test_chat_turn_shows_trace_in_sidebar(app_url: str, tmp_path: Path, session_demo) -> None:
    demo_url = session_demo.base_url  # the app follows $PLAYGROUND_DEMO_PORT, set by conftest
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("chromium not installed: apt-get install chromium")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed: pip install playwright")

    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
                                     args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(app_url, wait_until="domcontentloaded")
            expect = sync_api.expect
            expect(page.get_by_role("heading", name="Chat with the test agent")).to_be_visible(timeout=60_000)
            box = page.get_by_placeholder("Message the test agent")
            expect(box).to_be_enabled(timeout=30_000)
            expect(page.get_by_text("where is my order ORD-10042?", exact=False).first).to_be_visible()  # the tip
            page.screenshot(path=str(tmp_path / "first_load.png"), full_page=False)

            box.fill("where is my order ORD-10042?")
            box.press("Enter")

            sidebar = page.get_by_test_id("stSidebar")
            expect(sidebar.get_by_text("Lookup Order Status")).to_be_visible(timeout=60_000)
            expect(sidebar.get_by_text("200", exact=True).first).to_be_visible()
            expect(sidebar.get_by_text(f"GET {demo_url}/orders/status?order_number=ORD-10042").first).to_be_visible()
            chat = page.get_by_test_id("stChatMessage")
            expect(chat.first).to_contain_text("where is my order ORD-10042?")
            expect(chat.nth(1)).to_contain_text("ORD-10042", timeout=30_000)
            expect(page.get_by_test_id("stDownloadButton").get_by_role("button")).to_be_enabled()  # Export
            # nothing on the page shows the demo token in full
            token = os.environ.get("DEMO_ORDERS_TOKEN") or DEMO_SECRETS["DEMO_ORDERS_TOKEN"]
            assert token not in page.content()
            page.wait_for_timeout(500)  # let the chart finish drawing
            shot = tmp_path / "chat_trace.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 10_000
            print(f"screenshots: {tmp_path / 'first_load.png'} {shot}")
        finally:
            browser.close()
