"""The demo backend that the files in ``sample_actions/`` talk to.

A small FastAPI app that behaves like the real services a custom action calls: a CRM
(bearer token), a helpdesk (basic auth), an inventory service (``X-API-Key`` header),
an order service (its own bearer token), a booking service (bearer) and a caller
verification endpoint (credentials in the JSON body). Every endpoint checks its
credentials and answers 401 with a JSON error when they are missing or wrong, 404 for an
unknown record, 422 for a malformed value, exactly like a service you would connect.

A handful of troubleshooting endpoints (no auth) reproduce the failures the debug view
explains: a slow endpoint, a flaky one, one that answers HTML, one that answers a large
body, and a redirect.

It binds to 127.0.0.1 only and never imports streamlit. Each :func:`create_app` call has
its own in-memory state, so servers (and tests) are independent.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, MutableMapping
from typing import Any

__all__ = [
    "DEFAULT_HOST", "DEFAULT_PORT", "DEFAULT_BASE_URL", "DEMO_SECRETS", "PORT_ENV", "SERVICE_NAME", "DemoServer",
    "apply_demo_secrets", "base_url", "create_app", "demo_api_running", "demo_port", "probe", "rebase_action", "rebase_url", "serve",
    "start_demo_api",
]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
DEFAULT_BASE_URL = f"http://{DEFAULT_HOST}:{DEFAULT_PORT}"  # what the sample action files say

#: The demo API's port for this process (the CLI, the app, `playground demo-api`); 0 = any free port.
#: Actions that name DEFAULT_BASE_URL are pointed at it when they are loaded to run (files stay as they are).
PORT_ENV = "PLAYGROUND_DEMO_PORT"

#: Environment variable names used by ``sample_actions/*.json`` (as ``env:NAME``) and the
#: values the demo backend accepts. They are demo values, not secrets of anything real.
DEMO_SECRETS: dict[str, str] = {
    "DEMO_CRM_TOKEN": "demo-crm-token-7f3a",
    "DEMO_SUPPORT_USER": "agent@example.com",
    "DEMO_SUPPORT_PASSWORD": "demo-zendesk-pass",
    "DEMO_INVENTORY_KEY": "demo-inv-key-91c2",
    "DEMO_ORDERS_TOKEN": "demo-orders-token-4b8e",
    "DEMO_BOOKING_TOKEN": "demo-booking-token-c05d",
    "DEMO_VERIFY_API_KEY": "demo-verify-key-62aa",
    "DEMO_OAUTH_CLIENT_ID": "demo-voice-client",
    "DEMO_OAUTH_CLIENT_SECRET": "demo-oauth-secret-5e1f",
}

SERVICE_NAME = "custom-actions-playground-demo-api"


def apply_demo_secrets(environ: MutableMapping[str, str] | None = None) -> list[str]:
    """Set each :data:`DEMO_SECRETS` name that is unset (or empty) in ``environ``.

    Values already set are left alone (so a user can point a sample at a wrong token to
    see the 401). Returns the names that were set, in :data:`DEMO_SECRETS` order.
    """
    env = os.environ if environ is None else environ
    applied = []
    for name, value in DEMO_SECRETS.items():
        if not env.get(name):
            env[name] = value
            applied.append(name)
    return applied


def demo_port(environ: Mapping[str, str] | None = None) -> int:
    """The demo API's port: ``$PLAYGROUND_DEMO_PORT`` when set (0 = any free port), else 8765."""
    raw = ((os.environ if environ is None else environ).get(PORT_ENV) or "").strip()
    if not raw:
        return DEFAULT_PORT
    if raw.isdigit() and int(raw) <= 65535:
        return int(raw)
    from ..errors import DemoApiError

    raise DemoApiError(f"{PORT_ENV}={raw!r} is not a port: set it to a number like 8766 (0 = any free port), "
                       "or unset it for 8765")


def base_url(port: int, host: str = DEFAULT_HOST) -> str:
    return f"http://{host}:{port}" if ":" not in host else f"http://[{host}]:{port}"


def rebase_url(url: str, base_url: str) -> str:
    """Point a sample URL (``http://127.0.0.1:8765/...``) at another demo server."""
    if url.startswith(DEFAULT_BASE_URL):
        return base_url.rstrip("/") + url[len(DEFAULT_BASE_URL):]
    return url


def rebase_action(action: Any, base_url: str) -> Any:
    """An action (a ``core.action.Action``) pointed at another demo server: its URL and an OAuth2 token URL."""
    update: dict[str, Any] = {"url": rebase_url(action.url, base_url)}
    token_url = getattr(action.auth, "token_url", None)
    if token_url:
        update["auth"] = action.auth.model_copy(update={"token_url": rebase_url(token_url, base_url)})
    return action.model_copy(update=update)


def probe(port: int = DEFAULT_PORT, host: str = DEFAULT_HOST, timeout: float = 1.0) -> str:
    """Who answers on host:port: ``"demo"`` (a demo API, any process), ``"none"`` (nothing listens)
    or ``"other"`` (another program: it refuses /health, answers something else, or hangs)."""
    import httpx

    try:
        response = httpx.get(f"{base_url(port, host)}/health", timeout=timeout, trust_env=False)
    except httpx.ConnectError:
        return "none"
    except httpx.HTTPError:  # accepted the connection, then reset it, hung or spoke something else
        return "other"
    try:
        is_demo = response.status_code == 200 and response.json().get("service") == SERVICE_NAME
    except (ValueError, AttributeError):
        is_demo = False
    return "demo" if is_demo else "other"


def demo_api_running(port: int = DEFAULT_PORT, host: str = DEFAULT_HOST, timeout: float = 1.0) -> bool:
    """True when a demo API (this package's, any process) answers /health on host:port."""
    return probe(port, host, timeout) == "demo"


_LAZY = {"create_app": "app", "DemoServer": "server", "start_demo_api": "server", "serve": "server"}


def __getattr__(name: str) -> Any:
    """The FastAPI app and the server load on first use, so importing the constants stays cheap."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
