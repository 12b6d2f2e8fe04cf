"""The app's MCP parts through AppTest: Settings lists the servers (status, tool count, error), Chat adds
their tools to the enabled actions and shows their calls. The server is tests/mcp_weather_server.py.

The connections are process-wide (st.cache_resource), so each test removes its servers in Settings at the end.
"""

from __future__ import annotations

import sys
from pathlib import Path

from streamlit.testing.v1 import AppTest

from core.llm.scripted import ScriptedModel, turn
from test_pages import button, chat, make_app, rows, texts

WEATHER = f"{sys.executable} {Path(__file__).parent / 'mcp_weather_server.py'}"


def shown(at: AppTest) -> str:
    return "\n".join(texts(at))


def remove_all(at: AppTest) -> AppTest:
    at.switch_page("pages/settings.py").run()
    while any(b.label == "Remove" for b in at.button):
        button(at, "Remove").click().run()
    assert "No MCP server configured." in shown(at)
    return at


def test_settings_adds_lists_and_removes_mcp_servers(tmp_path):
    broken = tmp_path / "broken_server.py"
    broken.write_text("import sys\nprint('WEATHER_KEY is not set', file=sys.stderr)\nsys.exit(1)\n")
    at = make_app()
    at.switch_page("pages/settings.py").run()
    assert "No MCP server configured." in shown(at)
    for target in (WEATHER, f"{sys.executable} {broken}", "python 'unclosed"):
        at.text_input(key="mcp_new_target").set_value(target)
        button(at, "Add server").click().run()
        assert not at.exception, at.exception
    page = shown(at)
    assert "is not a command line (check its quotes)" in page  # the bad one is refused, with the fix
    assert at.session_state["mcp_servers"] == [WEATHER, f"{sys.executable} {broken}"]
    assert "weather-test" in page and "4 tools" in page and "get_weather_forecast" in page
    assert "failed to start" in page and "WEATHER_KEY is not set" in page and "0 tools" in page
    remove_all(at)
    assert at.session_state["mcp_servers"] == []


def test_chat_calls_an_mcp_tool_beside_the_actions():
    model = ScriptedModel([turn("", ("get_weather_forecast", {"city": "Paris"})), "Sunny in Paris tomorrow."])
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=60)
    at.session_state["model_override"] = model
    at.session_state["mcp_servers"] = [WEATHER]
    at.run()
    chat(at, "weather in Paris?")
    tools = [t["function"]["name"] for t in model.received[0][1]]
    assert "get_weather_forecast" in tools and "lookup_order_status" in tools
    conv = at.session_state["conversation"]
    trace = conv.traces[0]
    assert trace.mcp is not None and trace.mcp.server == "weather-test" and trace.error is None
    assert trace.to_tool_result() == "Tomorrow in Paris: sunny, high 21 C, low 12 C."
    page = shown(at)
    assert "Sunny in Paris tomorrow." in page
    assert any("MCP: weather-test (4 tools) (Settings)." in c.value for c in at.caption)
    call = at.chat_message[1].expander[0]  # inline, like an action call
    assert call.label.startswith("get_weather_forecast :green-badge[ok]") and call.icon == ":material/check_circle:"
    (row,) = rows(at)  # the debug sidebar: one line, like an action call
    assert row.label.startswith("#1 **MCP** get_weather_forecast :green-badge[ok] ") and row.label.endswith("\u00a0ms")
    row.click().run()  # the full trace: the MCP request and response in place of the HTTP ones
    assert not at.exception
    page = shown(at)
    assert "MCP request" in page and "MCP response" in page and "Not sent" not in page
    assert any(c.value.startswith("MCP weather-test · tools/call get_weather_forecast\nstdio: ") for c in at.code)
    shown_json = [j.value for j in at.json]
    assert any('"tools/call"' in v for v in shown_json)
    assert any("Tomorrow in Paris: sunny, high 21 C, low 12 C." in v for v in shown_json)
    assert "Copy as cURL" not in [e.label for e in at.expander]
    remove_all(at)


def test_a_dead_server_shows_as_an_error_in_the_chat_and_the_chat_goes_on():
    model = ScriptedModel([turn("", ("halt_test_server", {})), "The weather service is down, sorry.",
                           "Anything else?"])
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "app.py"), default_timeout=60)
    at.session_state["model_override"] = model
    at.session_state["mcp_servers"] = [WEATHER]
    at.run()
    chat(at, "stop the weather server")
    assert any("MCP server weather-test" in e.value and "died" in e.value for e in at.error)
    assert "The weather service is down, sorry." in shown(at)
    (row,) = rows(at)
    assert ":red-badge[mcp_unavailable]" in row.label
    chat(at, "hello?")
    assert "get_weather_forecast" not in [t["function"]["name"] for t in model.received[-1][1]]
    assert "Anything else?" in shown(at)
    at.switch_page("pages/settings.py").run()
    assert "died" in shown(at) and "0 tools" in shown(at)
    button(at, "Restart").click().run()  # the fix: start it again
    assert "4 tools" in shown(at)
    remove_all(at)
