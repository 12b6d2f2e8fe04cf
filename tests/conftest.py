"""Shared fixtures. Servers listen on 127.0.0.1 only; no test reaches the internet."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path
from typing import Any, Callable, Iterator

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
TESTS = Path(__file__).resolve().parent
for p in (str(ROOT), str(TESTS)):
    if p not in sys.path:
        sys.path.insert(0, p)

from core.action import Action, parse_action  # noqa: E402
from core.demo import DEMO_SECRETS, PORT_ENV, DemoServer, start_demo_api  # noqa: E402
from core.executor import Executor  # noqa: E402
from core.loop import LoopThread  # noqa: E402
from core.secret import env_resolver  # noqa: E402
from fault_server import FaultServer  # noqa: E402

#: Long enough that masking keeps the last 4 characters (see core.secret.mask).
SECRET_TOKEN = "sk-test-0123456789abcdefTOKN"
SECRET_KEY = "key-9f8e7d6c5b4a3210KEYZ"
SECRET_PASSWORD = "pw-correct-horse-battery-PASS"


@pytest.fixture(scope="session", autouse=True)
def session_demo() -> Iterator[DemoServer]:
    """One demo API on a free port for the whole run, named by $PLAYGROUND_DEMO_PORT: the app (AppTest or
    `streamlit run`), the CLI and `playground test` started by tests use it instead of port 8765, so
    parallel test runs never collide (and never meet another program on 8765)."""
    before = os.environ.get(PORT_ENV)
    with start_demo_api(port=0) as server:
        os.environ[PORT_ENV] = str(server.port)
        try:
            yield server
        finally:
            if before is None:
                os.environ.pop(PORT_ENV, None)
            else:
                os.environ[PORT_ENV] = before


@pytest.fixture(scope="session")
def fault_server() -> Iterator[FaultServer]:
    """The fault server (see tests/fault_server.py for its endpoints)."""
    with FaultServer("main") as srv:
        yield srv


@pytest.fixture(scope="session")
def other_server() -> Iterator[FaultServer]:
    """A second instance on another port: another origin, for cross-origin redirects."""
    with FaultServer("other") as srv:
        yield srv


@pytest.fixture
def free_port() -> int:
    """A port on 127.0.0.1 with nothing listening (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def secrets_env() -> dict[str, str]:
    """The fake environment the resolver reads (tests never touch os.environ)."""
    return {"API_TOKEN": SECRET_TOKEN, "API_KEY": SECRET_KEY, "API_PASSWORD": SECRET_PASSWORD}


@pytest.fixture
def resolver(secrets_env: dict[str, str]) -> Callable[[str], str | None]:
    return lambda name: secrets_env.get(name) or None


@pytest.fixture
def http_client() -> Iterator[httpx.Client]:
    with httpx.Client(trust_env=False) as client:
        yield client


@pytest.fixture
def executor(http_client: httpx.Client, resolver: Callable[[str], str | None]) -> Executor:
    return Executor(http_client, resolver=resolver)


@pytest.fixture
def make_action() -> Callable[..., Action]:
    """``make_action(url=..., method="POST", ...)``: a valid action with sensible defaults."""

    def make(**fields: Any) -> Action:
        data: dict[str, Any] = {"name": "Test Action", "description": "An action used by tests.",
                                "url": "https://api.example.com/x"}
        data.update(fields)
        return parse_action(data, "test")

    return make


# -- the demo API and the agent's async executor, shared by the agent, model and CLI tests --
@pytest.fixture(scope="module")
def demo() -> Iterator[DemoServer]:
    """The demo API on a free port (sample actions are rebased onto it with rebase_url)."""
    with start_demo_api(port=0) as server:
        yield server


@pytest.fixture(scope="module")
def loop() -> Iterator[LoopThread]:
    lt = LoopThread()
    yield lt
    lt.stop()


@pytest.fixture(scope="module")
def async_executor(loop: LoopThread) -> Iterator[Executor]:
    """One async client on the loop, with the demo's secrets (os.environ is left alone)."""
    client = httpx.AsyncClient(trust_env=False)
    yield Executor(async_client=client, resolver=env_resolver(DEMO_SECRETS))
    loop.run(client.aclose())
