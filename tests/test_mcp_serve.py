"""`playground mcp serve`, driven by the MCP SDK's own client over stdio and streamable HTTP.

The server is the real command in a subprocess. Sample actions reach conftest's session demo API
(the subprocess inherits $PLAYGROUND_DEMO_PORT, so it finds that demo and points the samples at it);
the failing call goes to the fault server, whose 401 body echoes the bearer token it got.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest
from mcp import Client, StdioServerParameters

from conftest import SECRET_TOKEN
from core.cli import main as cli_main
from core.demo import DemoServer
from fault_server import FaultServer

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_actions"
PLAYGROUND = str(Path(sys.executable).parent / "playground")


def stdio(*args: str, env: dict[str, str] | None = None) -> StdioServerParameters:
    """The server command; it gets this environment ($PLAYGROUND_DEMO_PORT: the session demo), not the SDK's
    minimal default."""
    return StdioServerParameters(command=PLAYGROUND, args=["mcp", "serve", *args], env=env or dict(os.environ))


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def schema_printed(capsys: pytest.CaptureFixture[str], folder: Path) -> list[dict[str, Any]]:
    """What `playground schema FOLDER` prints."""
    capsys.readouterr()
    assert cli_main(["schema", str(folder)]) == 0
    return json.loads(capsys.readouterr().out)


def as_functions(tools: list[Any]) -> list[dict[str, Any]]:
    return [{"type": "function", "function": {"name": t.name, "description": t.description,
                                              "parameters": t.input_schema}} for t in tools]


@pytest.fixture(scope="module")
def secret_dir(fault_server: FaultServer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An action whose API answers 401 and echoes the bearer token (read from env:MCP_TEST_TOKEN)."""
    folder = tmp_path_factory.mktemp("secret_actions")
    (folder / "denied.json").write_text(json.dumps({
        "name": "Denied Lookup", "description": "Look up a record; this API always refuses the token.",
        "method": "GET", "url": fault_server.url("/status/401"),
        "auth": {"type": "bearer", "token": "env:MCP_TEST_TOKEN"},
        "query": {"record_id": "{{record_id}}"},
        "variables": [{"name": "record_id", "type": "string", "description": "The record", "example": "R-1"}],
    }), encoding="utf-8")
    return folder


# -- stdio --------------------------------------------------------------------------------
def test_stdio_lists_exactly_the_schema_tools(capsys, session_demo: DemoServer):
    async def listing(mode: str) -> list[Any]:
        async with Client(stdio("--actions", str(SAMPLES)), mode=mode) as client:
            return (await client.list_tools()).tools

    expected = schema_printed(capsys, SAMPLES)
    for mode in ("legacy", "auto"):  # desktop clients of the initialize era, and the current protocol
        tools = run(listing(mode))
        assert as_functions(tools) == expected
        assert {t.title for t in tools} >= {"Lookup Order Status", "Check Product Inventory"}


def test_stdio_call_against_the_demo_api_returns_what_the_agent_gets(tmp_path, session_demo: DemoServer):
    traces = tmp_path / "traces"

    async def call() -> Any:
        async with Client(stdio("--actions", str(SAMPLES), "--trace-dir", str(traces),
                                "--runtime", "cal_email=frontdesk@demo.example.com")) as client:
            booked = await client.call_tool("book_appointment", {"date": "2030-01-15",
                                                                 "customer_email": "jane@example.com"})
            assert booked.is_error is False, booked.content[0].text
            return await client.call_tool("lookup_order_status", {"order_number": "ORD-10042"})

    result = run(call())
    assert result.is_error is False
    data = json.loads(result.content[0].text)
    assert data["status"] == 200 and data["body"]["status"] == "shipped"
    by_tool = {json.loads(f.read_text())["tool_name"]: json.loads(f.read_text()) for f in traces.glob("*.json")}
    assert by_tool.keys() == {"book_appointment", "lookup_order_status"}  # one file per call
    assert by_tool["book_appointment"]["request"]["body"]["calendar_email"] == "frontdesk@demo.example.com"  # --runtime
    trace = by_tool["lookup_order_status"]
    assert trace["tool_name"] == "lookup_order_status" and trace["arguments"] == {"order_number": "ORD-10042"}
    assert trace["request"]["url"].startswith(session_demo.base_url + "/orders/status")
    assert trace["response"]["status_code"] == 200 and trace["error"] is None
    assert trace["request"]["headers"]["Authorization"].startswith("Bearer ****")  # masked on disk too
    from core.trace import Trace  # the file is a trace the playground can load back

    assert Trace.model_validate(trace).to_tool_result() == result.content[0].text


def test_a_failed_call_is_a_tool_error_with_the_error_and_hint_and_no_secret(tmp_path, secret_dir: Path):
    env = {**os.environ, "MCP_TEST_TOKEN": SECRET_TOKEN}
    traces = tmp_path / "traces"

    async def calls() -> tuple[Any, Any]:
        async with Client(stdio("--actions", str(secret_dir), "--trace-dir", str(traces), env=env)) as client:
            return (await client.call_tool("denied_lookup", {"record_id": "R-7"}),
                    await client.call_tool("denied_lookup", {"record": "R-7"}))

    denied, bad_args = run(calls())
    assert denied.is_error is True
    text = denied.content[0].text
    data = json.loads(text)
    assert data["status"] == 401 and data["error"]["kind"] == "http_401"
    assert "401" in data["hint"] and "bearer" in data["hint"].lower()
    assert SECRET_TOKEN not in text and SECRET_TOKEN[-4:] in text  # echoed by the API, masked here
    assert "****" in data["body"]["received_authorization"]
    assert bad_args.is_error is True
    assert "unknown argument 'record'" in bad_args.content[0].text and "record_id" in bad_args.content[0].text
    assert all(SECRET_TOKEN not in f.read_text() for f in traces.glob("*.json"))
    assert len(list(traces.glob("*.json"))) == 2


# -- streamable HTTP ------------------------------------------------------------------------
@pytest.fixture
def http_server(session_demo: DemoServer) -> Iterator[str]:
    """`playground mcp serve --transport http --port 0` in a subprocess; yields its URL."""
    proc = subprocess.Popen([PLAYGROUND, "mcp", "serve", "--transport", "http", "--port", "0",
                             "--actions", str(SAMPLES)], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        url = None
        for line in proc.stderr:  # the URL is printed once the socket listens
            if "streamable HTTP at " in line:
                url = line.split("streamable HTTP at ", 1)[1].split()[0]
                break
        assert url and url.startswith("http://127.0.0.1:") and url.endswith("/mcp"), "no URL on stderr"
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        proc.stdout.close()
        proc.stderr.close()


def test_http_lists_the_schema_tools_and_calls_the_demo_api(capsys, http_server: str):
    async def session() -> tuple[list[Any], Any, Any]:
        async with Client(http_server) as client:
            tools = (await client.list_tools()).tools
            ok = await client.call_tool("check_product_inventory", {"sku": "PROD-12345"})
            bad = await client.call_tool("lookup_order_status", {})
            return tools, ok, bad

    tools, ok, bad = run(session())
    assert as_functions(tools) == schema_printed(capsys, SAMPLES)
    assert ok.is_error is False and json.loads(ok.content[0].text)["status"] == 200
    assert bad.is_error is True
    assert "order_number is required" in json.loads(bad.content[0].text)["error"]["message"]


# -- bad input -----------------------------------------------------------------------------
def test_bad_arguments_are_one_line_and_exit_2(tmp_path, capsys):
    assert cli_main(["mcp", "serve", "--port", "9000"]) == 2
    assert "--transport http" in capsys.readouterr().err
    assert cli_main(["mcp", "serve", "--actions", str(tmp_path)]) == 2
    assert "no *.json action files" in capsys.readouterr().err
    assert cli_main(["mcp", "serve", "--transport", "carrier-pigeon"]) == 2
    assert "invalid choice" in capsys.readouterr().err


def test_a_busy_port_is_a_one_line_error(session_demo: DemoServer):
    out = subprocess.run([PLAYGROUND, "mcp", "serve", "--transport", "http", "--port", str(session_demo.port),
                          "--actions", str(SAMPLES)], capture_output=True, text=True, timeout=60,
                         stdin=subprocess.DEVNULL)
    assert out.returncode == 1
    assert f"port {session_demo.port} on 127.0.0.1 is busy" in out.stderr and "--port" in out.stderr
    assert "Traceback" not in out.stderr


def test_the_sdk_loads_only_when_mcp_is_used():
    """The engine, scenarios and other commands start without the MCP SDK (it loads for mcp serve / --mcp)."""
    code = ("import sys; import core.agent, core.scenario, core.cli.chat, core.cli.mcp; from core.cli import main; "
            "main(['schema', 'sample_actions']); "
            "print('LOADED' if {'mcp', 'mcp_types', 'core.mcp.source'} & set(sys.modules) else 'CLEAN', file=sys.stderr)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and out.stderr.strip().endswith("CLEAN"), out.stderr
