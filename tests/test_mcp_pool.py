"""The app's MCP pool: connections kept across turns, removed servers closed, a fixed server restarted."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from core.mcp.pool import McpPool

SERVER = Path(__file__).parent / "mcp_weather_server.py"


def test_the_pool_keeps_restarts_and_removes_servers(loop, tmp_path):
    script = tmp_path / "server.py"
    script.write_text("import sys\nprint('missing WEATHER_KEY', file=sys.stderr)\nsys.exit(1)\n")
    weather, broken = f"{sys.executable} {SERVER}", f"{sys.executable} {script}"
    pool = McpPool(loop)
    try:
        first = pool.sources([weather, broken], taken={"get_weather_forecast"})
        assert [s.status for s in first] == ["ready", "failed"]
        assert "missing WEATHER_KEY" in (first[1].error or "")
        assert [t["function"]["name"] for t in first[0].schemas()][0] == "weather-test__get_weather_forecast"
        again = pool.sources([weather, broken])
        assert again[0] is first[0] and again[1] is first[1]  # one connection per server, kept
        assert again[0].schemas()[0]["function"]["name"] == "get_weather_forecast"  # renamed for what is taken now
        shutil.copy(SERVER, script)  # the user fixes the server...
        fixed = pool.restart(broken)  # ...and restarts it
        assert fixed is not None and fixed.status == "ready" and len(fixed.schemas()) == 4
        assert pool.restart("python nothing.py") is None
        assert pool.sources([broken]) == [fixed] and first[0].status == "ready"  # another list leaves it open
        pool.remove(weather)  # removed in Settings: closed
        assert first[0].status == "stopped" and pool.sources([broken]) == [fixed]
    finally:
        pool.close()
    assert fixed.status == "stopped"
