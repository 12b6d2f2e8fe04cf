"""MCP servers as a tool source: `playground chat --mcp`, with the offline model and with the real `openai`
SDK against the local fake server. The MCP server is tests/mcp_weather_server.py (written with the SDK),
started over stdio by the chat itself, or over streamable HTTP by a fixture.

The sample actions stay enabled beside the MCP tools; they talk to conftest's session demo API.
"""

from __future__ import annotations

import io
import json
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

from core import cli
from fake_openai import FakeOpenAI

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_actions"
WEATHER = f"{sys.executable} {Path(__file__).parent / 'mcp_weather_server.py'}"
WEATHER_TOOLS = ["get_weather_forecast", "convert_temperature", "lookup_weather_station", "halt_test_server"]


def chat(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], argv: list[str],
         lines: list[str]) -> tuple[int, list[dict[str, Any]], str]:
    """``playground chat --json ...`` in-process with ``lines`` on stdin: exit code, events, stderr."""
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(line + "\n" for line in lines)))
    code = cli.main(["chat", "--json", "--actions", str(SAMPLES), *argv])
    out = capsys.readouterr()
    events = [json.loads(line) for line in out.out.splitlines() if line.strip()]
    return code, [e for e in events if e["type"] != "dead_air"], out.err  # each turn's figure: see test_voice


def types_of(events: list[dict[str, Any]]) -> list[str]:
    return [e["type"] for e in events]


@pytest.fixture
def srv() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


def openai_args(srv: FakeOpenAI) -> list[str]:
    return ["--model", "openai:fake-model", "--base-url", srv.base_url, "--api-key", "test-key"]


@pytest.fixture(scope="module")
def weather_http() -> Iterator[str]:
    """The weather server over streamable HTTP on a free port; yields its URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([*WEATHER.split(), "--http", str(port)], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:  # wait until it listens (bounded; not a timing assertion)
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, "the weather MCP server did not start"
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/mcp"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


# -- the offline model ----------------------------------------------------------------------
def test_offline_chat_calls_an_mcp_tool_and_shows_the_exchange(monkeypatch, capsys):
    code, events, err = chat(monkeypatch, capsys, ["--mcp", WEATHER],
                             ["I'd like the weather forecast please", "Paris"])
    assert code == 0, err
    assert types_of(events) == ["reply", "tool_call", "tool_result", "reply"]
    assert "city" in events[0]["text"].lower()  # it asks for the tool's required parameter
    call, result = events[1], events[2]
    assert call["tool_name"] == "get_weather_forecast" and call["action"] is None
    assert call["arguments"] == {"city": "Paris"}
    trace = result["trace"]
    assert trace["request"] is None and trace["response"] is None and trace["error"] is None
    assert trace["mcp"]["server"] == "weather-test" and trace["mcp"]["transport"] == "stdio"
    assert trace["mcp"]["request"] == {"method": "tools/call",
                                       "params": {"name": "get_weather_forecast", "arguments": {"city": "Paris"}}}
    assert trace["mcp"]["response"]["content"][0]["text"] == "Tomorrow in Paris: sunny, high 21 C, low 12 C."
    assert trace["mcp"]["is_error"] is False and trace["elapsed_ms"] > 0
    assert result["result"] == "Tomorrow in Paris: sunny, high 21 C, low 12 C."
    assert "sunny" in events[3]["text"]


def test_offline_chat_over_streamable_http(monkeypatch, capsys, weather_http):
    code, events, err = chat(monkeypatch, capsys, ["--mcp", weather_http],
                             ["I'd like the weather forecast please", "Tokyo"])
    assert code == 0, err
    result = [e for e in events if e["type"] == "tool_result"][0]
    assert result["trace"]["mcp"]["transport"] == "http" and result["trace"]["mcp"]["target"] == weather_http
    assert result["result"] == "Tomorrow in Tokyo: cloudy, high 18 C, low 13 C."


# -- the OpenAI-compatible path (real openai SDK, fake server) -------------------------------
def test_openai_model_sees_the_mcp_tools_and_gets_their_results(monkeypatch, capsys, srv):
    srv.queue({"tool_calls": [{"id": "c1", "name": "get_weather_forecast", "arguments": {"city": "London"}},
                              {"id": "c2", "name": "convert_temperature", "arguments": {"celsius": 15}}]},
              {"content": "Light rain in London tomorrow, about 59 F."})
    code, events, err = chat(monkeypatch, capsys, ["--mcp", WEATHER, *openai_args(srv)], ["weather in London?"])
    assert code == 0, err
    assert types_of(events) == ["tool_call", "tool_call", "tool_result", "tool_result", "reply"]
    tools = {t["function"]["name"]: t["function"] for t in srv.requests[0]["tools"]}
    assert set(WEATHER_TOOLS) <= set(tools) and "lookup_order_status" in tools  # beside the actions
    forecast = tools["get_weather_forecast"]
    assert forecast["description"].startswith("Get tomorrow's weather forecast")
    assert forecast["parameters"]["properties"]["city"]["description"] == "The city name, e.g. Paris"
    assert forecast["parameters"]["required"] == ["city"]
    sent = {m["tool_call_id"]: m["content"] for m in srv.requests[1]["messages"] if m["role"] == "tool"}
    assert sent["c1"] == "Tomorrow in London: light rain, high 15 C, low 9 C."
    assert json.loads(sent["c2"]) == {"celsius": 15.0, "fahrenheit": 59.0}
    assert events[-1]["text"] == "Light rain in London tomorrow, about 59 F."


def test_a_tool_error_is_a_failed_call_with_its_message(monkeypatch, capsys, srv):
    srv.queue({"tool_calls": [{"id": "c1", "name": "lookup_weather_station", "arguments": {"code": "ZZZZ"}}]},
              {"content": "I don't know that station."})
    code, events, _ = chat(monkeypatch, capsys, ["--mcp", WEATHER, *openai_args(srv)], ["station ZZZZ?"])
    assert code == 0  # the conversation itself went fine
    result = [e for e in events if e["type"] == "tool_result"][0]
    trace = result["trace"]
    assert trace["error"]["kind"] == "mcp_error" and "unknown station code 'ZZZZ'" in trace["error"]["message"]
    assert trace["mcp"]["is_error"] is True and trace["hints"]
    assert json.loads(result["result"])["error"]["kind"] == "mcp_error"


def test_a_server_that_dies_mid_conversation_is_an_error_event_and_the_chat_goes_on(monkeypatch, capsys, srv):
    srv.queue({"tool_calls": [{"id": "c1", "name": "halt_test_server", "arguments": {}}]},
              {"content": "The weather service stopped answering."},
              {"tool_calls": [{"id": "c2", "name": "lookup_order_status", "arguments": {"order_number": "ORD-10042"}}]},
              {"content": "Your order has shipped."})
    code, events, _ = chat(monkeypatch, capsys, ["--mcp", WEATHER, *openai_args(srv)],
                           ["stop the server", "where is my order ORD-10042?"])
    assert code == 1  # something failed, and it was said
    assert types_of(events) == ["tool_call", "tool_result", "error", "reply", "tool_call", "tool_result", "reply"]
    died = events[1]["trace"]
    assert died["error"]["kind"] == "mcp_unavailable" and died["mcp"]["response"] is None
    assert events[2]["kind"] == "mcp_unavailable" and "weather-test" in events[2]["message"]
    assert "died" in events[2]["message"]
    assert events[5]["trace"]["response"]["status_code"] == 200  # the actions still work
    later_tools = {t["function"]["name"] for t in srv.requests[2]["tools"]}
    assert "lookup_order_status" in later_tools and not later_tools & set(WEATHER_TOOLS)


def test_a_server_that_fails_to_start_is_an_error_event_and_the_chat_goes_on(monkeypatch, capsys):
    broken = f"{sys.executable} -c \"import sys; print('bad config: no API key', file=sys.stderr); sys.exit(2)\""
    code, events, _ = chat(monkeypatch, capsys, ["--mcp", broken, "--mcp", WEATHER],
                           ["where is my order ORD-10042?"])
    assert code == 1
    assert types_of(events)[0] == "error" and types_of(events).count("error") == 1
    assert events[0]["kind"] == "mcp_unavailable" and "failed to start" in events[0]["message"]
    assert "bad config: no API key" in events[0]["message"]  # the server's own words, from its stderr
    assert types_of(events)[1:] == ["tool_call", "tool_result", "reply"]
    assert events[2]["trace"]["response"]["status_code"] == 200


def test_a_missing_program_names_the_command(monkeypatch, capsys):
    code, events, _ = chat(monkeypatch, capsys, ["--mcp", "no-such-mcp-server --stdio"], ["hello"])
    assert code == 1
    assert events[0]["kind"] == "mcp_unavailable" and "no such program" in events[0]["message"]
    assert events[-1]["type"] == "reply"


def test_a_clashing_tool_name_gets_the_server_prefix(monkeypatch, capsys, srv, tmp_path):
    action = json.loads((SAMPLES / "order_status.json").read_text())
    action["name"] = "Convert Temperature"  # the same tool name as the MCP tool
    (tmp_path / "convert.json").write_text(json.dumps(action))
    srv.queue({"content": "ok"})
    monkeypatch.setattr(sys, "stdin", io.StringIO("hi\n"))
    code = cli.main(["chat", "--json", "--actions", str(tmp_path), "--mcp", WEATHER, *openai_args(srv)])
    capsys.readouterr()
    assert code == 0
    names = [t["function"]["name"] for t in srv.requests[0]["tools"]]
    assert names[0] == "convert_temperature" and "weather-test__convert_temperature" in names


def test_a_bad_mcp_value_is_a_usage_error(monkeypatch, capsys):
    code, _, err = chat(monkeypatch, capsys, ["--mcp", "python 'unclosed"], [])
    assert code == 2 and "--mcp" in err and "quotes" in err
