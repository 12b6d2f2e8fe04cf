"""The app under `streamlit run`, for real-browser tests and the README screenshot (scripts/screenshot.py).

Isolated from anything else on the machine: the demo API runs on a free port (PLAYGROUND_DEMO_PORT,
which the app follows), the app reads a writable copy of the sample actions (PLAYGROUND_ACTIONS_DIR)
and a scenarios folder of its own (PLAYGROUND_SCENARIOS_DIR), and streamlit listens on another free
port of 127.0.0.1.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import httpx

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--font-render-hinting=none"]
STARTUP_S = 90


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def chromium_path() -> str | None:
    return CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")


def copy_samples(folder: Path) -> Path:
    """A writable copy of the sample actions (not the broken ones)."""
    from core.session import SAMPLE_ACTIONS_DIR

    shutil.copytree(SAMPLE_ACTIONS_DIR, folder, ignore=shutil.ignore_patterns("broken"), dirs_exist_ok=True)
    return folder


@dataclass
class App:
    url: str
    actions: Path
    scenarios: Path
    demo_url: str
    log: Path


@contextmanager
def running_app(workdir: Path, env: dict[str, str] | None = None) -> Iterator[App]:
    """The demo API on a free port, the app on another one; both stopped on exit."""
    from core.demo import DEMO_SECRETS, start_demo_api

    with start_demo_api(port=0) as demo:
        actions = copy_samples(workdir / "actions")
        scenarios = workdir / "scenarios"
        scenarios.mkdir(exist_ok=True)
        port = free_port()
        log = workdir / "streamlit.log"
        full_env = {**os.environ, **DEMO_SECRETS, "PYTHONUNBUFFERED": "1", "PLAYGROUND_DEMO_PORT": str(demo.port),
                    "PLAYGROUND_ACTIONS_DIR": str(actions),
                    "PLAYGROUND_SCENARIOS_DIR": str(scenarios), **(env or {})}
        with log.open("w") as out:
            proc = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
                 "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
                 "--server.fileWatcherType", "none"],
                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=full_env)
            try:
                url = f"http://127.0.0.1:{port}"
                _wait_healthy(proc, url, log)
                yield App(url=url, actions=actions, scenarios=scenarios, demo_url=demo.base_url, log=log)
            finally:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


def _wait_healthy(proc: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_S
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/_stcore/health", timeout=1, trust_env=False).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"streamlit did not answer /_stcore/health within {STARTUP_S} s:\n{log.read_text()}")
        time.sleep(0.2)


def launch(playwright: Any) -> Any:
    """Headless Debian chromium (Playwright cannot download browsers here)."""
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
