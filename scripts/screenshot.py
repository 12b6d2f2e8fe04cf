"""Regenerate the README's pictures of the Chat page and its call trace: `make screenshot`.

Starts the app on free ports (its own demo API, a copy of the sample actions: tests/browser_app.py),
chats three turns with the offline model in headless Chromium, and saves:

    docs/chat.png        the chat (inline calls, the last one failing) with the call list and timeline
    docs/trace.png       the failing call's trace opened
    docs/chat-small.png  the chat at 390 x 844, a phone's width

Needs the test tools (playwright) and Debian's chromium: `make screenshot` installs the first.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from browser_app import chromium_path, launch, running_app  # noqa: E402

TURNS = ["where is my order ORD-10042?", "is PROD-12345 in stock?", "where is my order ORD-99999?"]
WAIT = 60_000


def chat(page, expect, turns: list[str]) -> None:
    box = page.get_by_placeholder("Message the test agent")
    rows = page.get_by_test_id("stSidebar").locator("[class*='st-key-row-']")
    for i, text in enumerate(turns, 1):
        expect(box).to_be_enabled(timeout=WAIT)
        box.fill(text)
        box.press("Enter")
        expect(rows).to_have_count(i, timeout=WAIT)
    page.wait_for_timeout(1500)  # the chart and the last expander settle


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "docs"), help="folder for the pictures (default: docs/)")
    args = ap.parse_args()
    if not chromium_path():
        print("screenshot: chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 2
    from playwright.sync_api import expect, sync_playwright

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, running_app(Path(tmp)) as app, sync_playwright() as pw:
        browser = launch(pw)
        try:
            page = browser.new_page(viewport={"width": 1440, "height": 900})
            page.goto(app.url, wait_until="domcontentloaded")
            chat(page, expect, TURNS)
            page.screenshot(path=str(out / "chat.png"))
            page.get_by_test_id("stSidebar").get_by_role("button", name=re.compile(r"^#3 ")).click()
            expect(page.get_by_role("dialog")).to_be_visible(timeout=WAIT)
            page.wait_for_timeout(1000)
            page.screenshot(path=str(out / "trace.png"))

            small = browser.new_page(viewport={"width": 390, "height": 844})
            small.goto(app.url, wait_until="domcontentloaded")
            chat(small, expect, TURNS[-1:])
            small.screenshot(path=str(out / "chat-small.png"))
        finally:
            browser.close()
    for name in ("chat.png", "trace.png", "chat-small.png"):
        print(out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
