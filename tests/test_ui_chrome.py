"""The app's chrome: Material icons only (an emoji is an empty box without an emoji font), no Deploy button."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Emoji and pictographs, dingbats, arrows-as-emoji and the emoji variation selector.
EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u25B6\u25C0\u2139\u231A\u231B\u23E9-\u23FA]")


def test_no_emoji_in_the_app_code():
    files = [ROOT / "app.py", *sorted((ROOT / "pages").rglob("*.py")), *sorted((ROOT / "ui").rglob("*.py"))]
    found = [f"{p.relative_to(ROOT)}:{i}: {line.strip()}" for p in files
             for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if EMOJI.search(line)]
    assert not found, "use :material/...: icons instead of emoji:\n" + "\n".join(found)


def test_no_deploy_button():
    config = (ROOT / ".streamlit" / "config.toml").read_text()
    client = config.split("[client]", 1)[1].split("\n[", 1)[0]
    assert re.search(r'^toolbarMode\s*=\s*"viewer"', client, re.M)  # hides Deploy and the developer menu items
