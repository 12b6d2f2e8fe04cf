"""Running the demo API: in a background thread (the app, the CLI, tests) or in the foreground."""

from __future__ import annotations

import errno
import socket
import sys
import threading
import time

import uvicorn
from fastapi import FastAPI

from ..errors import DemoApiError
from . import DEFAULT_HOST, DEFAULT_PORT, PORT_ENV, demo_port
from .app import create_app

STARTUP_TIMEOUT_S = 10.0
#: Both ways to choose the port exist: the flag of `playground demo-api`, the variable for everything else.
_CHOOSE = f"playground demo-api --port N, or {PORT_ENV}=N for the app and the CLI; 0 = any free port"


def _busy_message(host: str, port: int) -> str:
    return f"port {port} is busy: stop the other process or choose another port ({_CHOOSE})"


def _bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, or DemoApiError with a one-line fix."""
    if not 0 <= port <= 65535:
        raise DemoApiError(f"port {port} is out of range: choose one with 0 <= N <= 65535 ({_CHOOSE})")
    # proto=IPPROTO_TCP matters: accepted sockets inherit it, and asyncio only sets TCP_NODELAY on
    # sockets whose proto is IPPROTO_TCP. Without it every response (headers and body are written
    # separately) waits ~40 ms for the client's delayed ACK (Nagle).
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM,
                         socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if sys.platform != "win32":
            # lets a restarted server reuse a port in TIME_WAIT; a live listener still conflicts
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", -1)):
            raise DemoApiError(_busy_message(host, port)) from None
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise DemoApiError(f"port {port} needs privileges: choose one >= 1024 ({_CHOOSE})") from None
        raise DemoApiError(f"cannot listen on {host}:{port} ({exc.strerror or exc}): choose another port "
                           f"({_CHOOSE})") from None
    sock.set_inheritable(True)
    return sock


def _config(app: FastAPI, host: str, port: int) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        log_config=None,  # leave the host application's logging alone
        loop="asyncio",
        http="h11",
        ws="none",
        lifespan="off",
        timeout_graceful_shutdown=1,
    )


class DemoServer:
    """A demo API running in a background daemon thread."""

    def __init__(self, server: uvicorn.Server, thread: threading.Thread, sock: socket.socket,
                 host: str, port: int, app: FastAPI) -> None:
        self._server = server
        self._thread = thread
        self._sock = sock
        self.host = host
        self.port = port
        self.app = app
        self.base_url = f"http://{host}:{port}" if ":" not in host else f"http://[{host}]:{port}"

    def url(self, path: str = "") -> str:
        return self.base_url + ("/" + path.lstrip("/") if path else "")

    @property
    def running(self) -> bool:
        return self._thread.is_alive() and not self._server.should_exit

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the server and wait for its thread (idempotent)."""
        self._server.should_exit = True
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout)
        try:
            self._sock.close()
        except OSError:
            pass

    def __enter__(self) -> "DemoServer":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"DemoServer({self.base_url}, running={self.running})"


def start_demo_api(port: int | None = DEFAULT_PORT, host: str = DEFAULT_HOST) -> DemoServer:
    """Start a fresh demo API in a daemon thread and return once it serves requests.

    ``port=0`` (or ``None``) picks a free port. Raises :class:`DemoApiError` when the port
    is busy or the server does not come up within ~10 s.
    """
    sock = _bind(host, 0 if port is None else port)
    actual_port = sock.getsockname()[1]
    app = create_app()
    server = uvicorn.Server(_config(app, host, actual_port))
    failure: list[BaseException] = []

    def run() -> None:
        try:
            server.run(sockets=[sock])
        except BaseException as exc:  # noqa: BLE001 - reported to the starting thread
            failure.append(exc)

    thread = threading.Thread(target=run, name=f"demo-api-{actual_port}", daemon=True)
    handle = DemoServer(server, thread, sock, host, actual_port, app)
    thread.start()
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while not server.started:
        if failure or not thread.is_alive():
            handle.stop()
            reason = f"{type(failure[0]).__name__}: {failure[0]}" if failure else "the server thread exited"
            raise DemoApiError(f"the demo API on port {actual_port} failed to start ({reason}); "
                               f"choose another port ({_CHOOSE})")
        if time.monotonic() > deadline:
            handle.stop()
            raise DemoApiError(f"the demo API on port {actual_port} did not start within "
                               f"{STARTUP_TIMEOUT_S:.0f} s; try again or choose another port ({_CHOOSE})")
        time.sleep(0.005)
    return handle


def serve(port: int | None = None, host: str = DEFAULT_HOST) -> None:
    """Run the demo API in the foreground until Ctrl+C (``playground demo-api``).

    ``port``: default ``$PLAYGROUND_DEMO_PORT``, else 8765; 0 picks a free port.
    The port is bound before uvicorn starts, so a busy port raises :class:`DemoApiError`
    with a one-line message instead of a uvicorn traceback.
    """
    sock = _bind(host, demo_port() if port is None else port)
    actual_port = sock.getsockname()[1]
    app = create_app()
    server = uvicorn.Server(_config(app, host, actual_port))
    print(f"Demo API listening on http://{host}:{actual_port}  (Ctrl+C to stop)", flush=True)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
