"""A small MCP server written with the MCP SDK, for the tests: a weather service.

    python tests/mcp_weather_server.py                 # stdio
    python tests/mcp_weather_server.py --http PORT     # streamable HTTP at http://127.0.0.1:PORT/mcp

Tools: a forecast (text), a temperature conversion (structured), a station lookup that fails for an
unknown code (a tool error), and one that makes the server exit at once (a server that dies).
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

from pydantic import Field

from mcp.server import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

FORECASTS = {"paris": "sunny, high 21 C, low 12 C", "london": "light rain, high 15 C, low 9 C",
             "tokyo": "cloudy, high 18 C, low 13 C"}
STATIONS = {"LFPG": "Paris Charles de Gaulle", "EGLL": "London Heathrow"}

server = MCPServer("weather-test", instructions="Weather forecasts for a few cities.")


@server.tool()
def get_weather_forecast(city: Annotated[str, Field(description="The city name, e.g. Paris")]) -> str:
    """Get tomorrow's weather forecast for a city when the caller asks about the weather."""
    forecast = FORECASTS.get(city.strip().lower())
    if forecast is None:
        raise ToolError(f"no forecast for {city!r}; known cities: Paris, London, Tokyo")
    return f"Tomorrow in {city.strip().title()}: {forecast}."


@server.tool()
def convert_temperature(celsius: Annotated[float, Field(description="Degrees Celsius, e.g. 21")]) -> dict[str, float]:
    """Convert a temperature from degrees Celsius to Fahrenheit."""
    return {"celsius": celsius, "fahrenheit": round(celsius * 9 / 5 + 32, 1)}


@server.tool()
def lookup_weather_station(code: Annotated[str, Field(description="ICAO station code, e.g. LFPG")]) -> str:
    """Name the airport weather station that has this ICAO code."""
    if code.upper() not in STATIONS:
        raise ToolError(f"unknown station code {code!r}; try LFPG or EGLL")
    return STATIONS[code.upper()]


@server.tool()
def halt_test_server() -> str:
    """Test fixture only: the server process exits at once without answering."""
    sys.stdout.flush()
    os._exit(3)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--http":
        server.run("streamable-http", host="127.0.0.1", port=int(sys.argv[2]))
    else:
        print("weather-test: serving over stdio", file=sys.stderr, flush=True)
        server.run()
