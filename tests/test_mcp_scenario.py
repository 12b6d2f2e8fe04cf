"""Scenarios that include MCP servers: `mcp:` in the file, run by `playground test`, kept from a chat.

The MCP server is tests/mcp_weather_server.py, copied next to the scenario so the scenario names it by a
relative path (commands run from the scenario's folder). The model is the offline simulator.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
import yaml

from core import cli
from core.agent import Agent
from core.errors import ScenarioError
from core.executor import Executor
from core.llm import make_model
from core.mcp.source import close_sources, open_sources
from core.scenario import load_scenario, parse_scenario, run_scenario, save_scenario, scenario_from_conversation

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_actions"
SERVER = Path(__file__).parent / "mcp_weather_server.py"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copy(SERVER, tmp_path / "weather.py")
    return tmp_path


def write(folder: Path, data: dict, name: str = "weather.yaml") -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump({"name": "weather via MCP", "actions": str(SAMPLES), **data}), encoding="utf-8")
    return path


def test_test_runs_a_scenario_with_an_mcp_server(folder, capsys):
    path = write(folder, {"mcp": f"{sys.executable} weather.py", "turns": [
        {"user": "I'd like the weather forecast please", "expect": {"action": "none", "reply_contains": "city"}},
        {"user": "Paris", "expect": {"action": "get_weather_forecast", "arguments": {"city": "Paris"},
                                     "error": "none", "status": "none", "reply_contains": "sunny"}},
    ]})
    assert cli.main(["test", str(path), "--json"]) == 0, capsys.readouterr().out
    report = json.loads(capsys.readouterr().out)
    assert report["passed"] == 1
    calls = report["scenarios"][0]["turns"][1]["calls"]
    assert calls[0]["tool_name"] == "get_weather_forecast" and calls[0]["arguments"] == {"city": "Paris"}


def test_an_mcp_tool_error_can_be_expected(folder):
    scenario = load_scenario(write(folder, {"mcp": [{"target": f"{sys.executable} weather.py", "name": "wx"}],
                                            "turns": [{"user": "I'd like the weather forecast please"},
                                                      {"user": "Atlantis", "expect": {
                                                          "action": "get_weather_forecast", "error": "mcp_error"}}]}))
    result = run_scenario(scenario)
    assert result.passed, result.first_failure
    trace = result.runs[0].turns[1].traces[0]
    assert trace.mcp is not None and trace.mcp.server == "wx" and "no forecast for 'Atlantis'" in trace.error.message


def test_a_server_that_fails_to_start_fails_the_run_with_its_reason(folder, capsys):
    path = write(folder, {"mcp": f"{sys.executable} no_such_server.py", "turns": ["hello"]})
    assert cli.main(["test", str(path)]) == 1
    out = capsys.readouterr().out
    assert "FAIL" in out and "failed to start" in out and "no_such_server.py" in out


def test_the_mcp_field_is_checked_when_the_file_loads(folder):
    with pytest.raises(ScenarioError, match=r"mcp.0.nme: unknown field; did you mean name\?"):
        parse_scenario({"name": "x", "actions": str(SAMPLES), "mcp": [{"target": "python s.py", "nme": "x"}],
                        "turns": ["hi"]})
    with pytest.raises(ScenarioError, match="not a command line"):
        parse_scenario({"name": "x", "actions": str(SAMPLES), "mcp": "python 'oops", "turns": ["hi"]})
    # an expectation may name an MCP tool only when the scenario has a server
    with pytest.raises(ScenarioError, match="an MCP server's tool needs the server in mcp:"):
        parse_scenario({"name": "x", "actions": str(SAMPLES),
                        "turns": [{"user": "hi", "expect": {"action": "get_weather_forecast"}}]})


def test_a_chat_with_an_mcp_server_is_kept_as_a_scenario_that_passes(folder, loop, monkeypatch):
    """Chat (as the Chat page does: sources on the app's loop), save it, load it back, run it."""
    from core.store import load_actions

    monkeypatch.chdir(folder)  # the chat ran from here: the kept scenario runs its server from here too
    spec = f"{sys.executable} {folder / 'weather.py'}"
    actions = load_actions([SAMPLES])
    executor = Executor()
    sources = loop.run(open_sources([spec], [a.tool_name for a in actions]))
    try:
        agent = Agent(make_model("offline"), actions, executor, sources=sources)
        conv = agent.new_conversation()
        for text in ("I'd like the weather forecast please", "London"):
            for _ in loop.iterate(agent.run(conv, text)):
                pass
    finally:
        loop.run(close_sources(sources))
        loop.run(executor.async_client.aclose())
    scenario = scenario_from_conversation("kept weather chat", conv, str(SAMPLES), mcp=[spec])
    assert scenario.turns[1].expect.action == "get_weather_forecast"
    saved = save_scenario(scenario, folder / "kept" / "kept.yaml")
    data = yaml.safe_load(saved.read_text())
    assert data["mcp"] == [{"target": spec, "cwd": ".."}]  # the chat's folder, relative to the file
    result = run_scenario(load_scenario(saved))
    assert result.passed, result.first_failure
