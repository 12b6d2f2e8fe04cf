"""Running an MCP server: over stdio (the default: a desktop client starts the process) or over
streamable HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
import errno
import socket
import sys
from typing import Any, TextIO

from mcp.server import Server
from mcp.server.stdio import stdio_server

from ..errors import PlaygroundError

HOST = "127.0.0.1"
DEFAULT_PORT = 8770
PATH = "/mcp"


class ServeError(PlaygroundError):
    """The MCP server cannot start (e.g. its port is busy)."""


async def _stdio(server: Server[Any]) -> None:
    async with stdio_server() as (read, write):
        await server.run(read, write, server.create_initialization_options())


def serve_stdio(server: Server[Any]) -> None:
    """Serve one client over this process's stdin and stdout until it closes stdin."""
    asyncio.run(_stdio(server))


def bind(port: int, host: str = HOST) -> socket.socket:
    """A listening socket, or a one-line ServeError that says what to do (0 = any free port)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except (OSError, OverflowError) as exc:
        sock.close()
        busy = isinstance(exc, OSError) and exc.errno == errno.EADDRINUSE
        reason = "is busy" if busy else f"cannot be used ({exc})"
        raise ServeError(f"port {port} on {host} {reason}: choose another with --port N (0 = any free port)") from None
    return sock


def serve_http(server: Server[Any], port: int = DEFAULT_PORT, *, log: TextIO | None = None, tools: int = 0) -> None:
    """Serve streamable HTTP at ``http://127.0.0.1:PORT/mcp`` until interrupted. The URL goes to ``log``
    (stderr) once the socket listens, so ``--port 0`` is usable."""
    import uvicorn  # only here: the engine never imports the web server

    sock = bind(port)
    actual = sock.getsockname()[1]
    app = server.streamable_http_app(streamable_http_path=PATH, host=HOST)
    config = uvicorn.Config(app, log_level="warning", log_config=None, access_log=False, lifespan="on",
                            timeout_graceful_shutdown=1)
    print(f"playground mcp: {tools} tools over streamable HTTP at http://{HOST}:{actual}{PATH} (Ctrl+C to stop)",
          file=log or sys.stderr, flush=True)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        sock.close()
