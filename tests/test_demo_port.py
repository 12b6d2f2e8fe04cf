"""The demo port: $PLAYGROUND_DEMO_PORT (and `demo-api --port`) moves the demo API, the sample actions
follow it when they are loaded to run (their files stay as they are), and a port answered by another
program is detected and named, with fixes that exist.

The "other program" is the fault server (it answers /health with 404); ports are free ports, never 8765.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import httpx
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from core import cli
from core.demo import DEFAULT_BASE_URL, DEFAULT_PORT, PORT_ENV, demo_port, probe
from core.errors import DemoApiError
from core.session import SAMPLE_ACTIONS_DIR, demo_target

ROOT = Path(__file__).resolve().parent.parent
ORDER = SAMPLE_ACTIONS_DIR / "order_status.json"
SCENARIO = ROOT / "scenarios" / "health_check.json"


@pytest.fixture
def port_env(monkeypatch: pytest.MonkeyPatch):
    def set_port(port: int | str) -> None:
        monkeypatch.setenv(PORT_ENV, str(port))
    return set_port


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


# -- the setting ----------------------------------------------------------------------------
def test_demo_port_defaults_to_8765_and_reads_the_variable():
    assert demo_port({}) == DEFAULT_PORT == 8765
    assert demo_port({PORT_ENV: " 9100 "}) == 9100
    assert demo_port({PORT_ENV: "0"}) == 0


@pytest.mark.parametrize("raw", ["abc", "-1", "70000", "80.5"])
def test_a_bad_demo_port_says_how_to_fix_it(raw):
    with pytest.raises(DemoApiError) as info:
        demo_port({PORT_ENV: raw})
    assert PORT_ENV in str(info.value) and "8766" in str(info.value) and "\n" not in str(info.value)


def test_probe_tells_the_demo_from_another_program_and_from_nothing(session_demo, fault_server, free_port):
    assert probe(session_demo.port) == "demo"
    assert probe(fault_server.port) == "other"
    assert probe(free_port, timeout=0.5) == "none"


# -- the CLI follows it -----------------------------------------------------------------------
def test_call_sends_the_sample_to_the_configured_port_and_leaves_the_file_alone(capsys, session_demo):
    before = ORDER.read_bytes()
    code, out, err = run(capsys, "call", ORDER, "--var", "order_number=ORD-10042", "--json")
    trace = json.loads(out)
    assert code == 0, err
    assert trace["response"]["status_code"] == 200
    assert trace["request"]["url"].startswith(f"{session_demo.base_url}/orders/status")
    assert ORDER.read_bytes() == before and DEFAULT_BASE_URL in before.decode()


def test_render_and_curl_show_the_configured_port(capsys, port_env):
    port_env(9123)
    code, out, _ = run(capsys, "render", ORDER, "--var", "order_number=ORD-1")
    assert code == 0 and out.startswith("GET http://127.0.0.1:9123/orders/status?order_number=ORD-1")
    code, out, _ = run(capsys, "curl", ORDER, "--var", "order_number=ORD-1")
    assert code == 0 and "http://127.0.0.1:9123/orders/status" in out


def test_port_0_starts_the_demo_on_a_free_port_for_the_command(capsys, port_env):
    port_env(0)
    code, out, err = run(capsys, "call", ORDER, "--var", "order_number=ORD-10042", "--json")
    assert code == 0, err
    url = json.loads(out)["request"]["url"]
    port = int(url.split(":")[2].split("/")[0])
    assert port not in (0, DEFAULT_PORT)
    assert probe(port, timeout=0.5) == "none"  # the command stopped the server it started


@pytest.mark.parametrize("command", [["call", str(ORDER), "--var", "order_number=ORD-10042"],
                                     ["chat", "--actions", str(SAMPLE_ACTIONS_DIR)]])
def test_call_and_chat_name_another_program_on_the_port_and_the_fixes(capsys, monkeypatch, port_env, fault_server,
                                                                       command):
    port_env(fault_server.port)
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO("where is my order ORD-10042?\n"))
    code, out, err = run(capsys, *command)
    assert code == 1 and out == ""
    line = err.strip()
    assert "\n" not in line and "Traceback" not in line
    assert f"127.0.0.1:{fault_server.port} answers, but it is not the demo API" in line
    assert PORT_ENV in line and "--no-demo" in line
    assert "--port" not in line  # call and chat have no --port flag


def test_test_falls_back_to_a_free_port_when_another_program_holds_it(capsys, port_env, fault_server):
    port_env(fault_server.port)
    code, out, err = run(capsys, "test", SCENARIO)
    assert code == 0, out + err
    assert "not the demo API" in err and "started the demo API on http://127.0.0.1:" in err
    assert "PASS" in out


def test_demo_api_command_listens_on_the_configured_port(free_port):
    env = {**os.environ, PORT_ENV: str(free_port), "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "core.cli", "demo-api"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        while probe(free_port, timeout=0.5) != "demo":
            assert proc.poll() is None, proc.stdout.read()
            assert time.monotonic() < deadline, "the demo API did not come up on $PLAYGROUND_DEMO_PORT"
            time.sleep(0.1)
        assert httpx.get(f"http://127.0.0.1:{free_port}/health", trust_env=False).json()["status"] == "ok"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        proc.stdout.close()


def test_demo_target_raises_or_falls_back(port_env, fault_server):
    port_env(fault_server.port)
    with pytest.raises(DemoApiError, match=PORT_ENV):
        demo_target()
    target = demo_target(fallback=True)
    try:
        assert target.server is not None and target.base_url != f"http://127.0.0.1:{fault_server.port}"
        assert "not the demo API" in target.note
    finally:
        target.stop()


# -- the app ----------------------------------------------------------------------------------
@pytest.fixture
def fresh_resources() -> Iterator[None]:
    """The app caches its demo API for the process: start and end with a clean cache."""
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def test_chat_page_says_another_program_holds_the_demo_port(port_env, fault_server, fresh_resources):
    port_env(fault_server.port)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception, at.exception
    warning = " ".join(w.value for w in at.warning)
    assert "not the demo API" in warning and PORT_ENV in warning and "restart the app" in warning
    assert not any("The demo API answers" in c.value for c in at.caption)


def test_chat_page_names_where_the_demo_answers(session_demo, fresh_resources):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception, at.exception
    assert any(f"The demo API answers the sample actions at `{session_demo.base_url}`" in c.value for c in at.caption)
    assert not at.warning
