"""What the CLI and the app share: defaults, the demo API on demand, and wiring an agent."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Sequence

from .action import Action

PROJECT_DIR = Path(__file__).resolve().parent.parent
SAMPLE_ACTIONS_DIR = PROJECT_DIR / "sample_actions"


def default_runtime() -> dict[str, str]:
    """Runtime variables a test session provides (editable in Settings or with --runtime)."""
    import uuid

    return {
        "account_id": "ACC-1001",
        "cal_email": "bookings@demo.example.com",
        "call_id": "call-" + uuid.uuid4().hex[:8],
        "user_phone_number": "+15551234567",
        "from_phone_number": "+15551234567",
        "to_phone_number": "+15557654321",
    }


def uses_demo_api(actions: Sequence[Action]) -> bool:
    from .demo import DEFAULT_BASE_URL

    return any(a.url.startswith(DEFAULT_BASE_URL) for a in actions)


class DemoTarget:
    """Where the demo API answers for this process, and the server started here (if any).

    Action files name ``http://127.0.0.1:8765``; :meth:`rebase` points such actions at ``base_url``
    (``$PLAYGROUND_DEMO_PORT``, or the free port a server was started on). Files are never edited.
    (A plain class, not a dataclass: every command imports this module, and a dataclass costs start-up time.)
    """

    def __init__(self, base_url: str, server: Any = None, note: str | None = None) -> None:
        self.base_url = base_url
        self.server = server  # a core.demo.DemoServer started here: stop it when done
        self.note = note  # said once to the user, e.g. that another program holds the usual port

    def __repr__(self) -> str:
        return f"DemoTarget(base_url={self.base_url!r}, server={self.server!r}, note={self.note!r})"

    def rebase(self, actions: Sequence[Action]) -> list[Action]:
        from .demo import DEFAULT_BASE_URL, rebase_action

        if self.base_url == DEFAULT_BASE_URL:
            return list(actions)
        return [rebase_action(a, self.base_url) if a.url.startswith(DEFAULT_BASE_URL) else a for a in actions]

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()


def demo_target(actions: Sequence[Action] | None = None, *, start: bool = True,
                fallback: bool = False) -> DemoTarget | None:
    """Get the demo API ready for actions that use it (None when none does; ``actions=None``: always).

    Sets the demo's secrets for unset names. ``start``: start the demo API when nothing listens on
    its port (``$PLAYGROUND_DEMO_PORT``, default 8765; 0 = a free port). When another program
    answers there: raise DemoApiError naming it and the fixes, or with ``fallback`` start the demo
    on a free port for this process and say so in ``note``.
    """
    from .demo import DEFAULT_PORT, PORT_ENV, apply_demo_secrets, base_url, demo_port, probe
    from .errors import DemoApiError

    def start_demo_api(port: int) -> Any:  # loads FastAPI: only when a server is needed
        from .demo.server import start_demo_api as start

        return start(port)

    if actions is not None and not uses_demo_api(actions):
        return None
    port = demo_port()
    apply_demo_secrets(os.environ)
    if not start:
        return DemoTarget(base_url(port or DEFAULT_PORT))
    if port == 0:
        server = start_demo_api(0)
        return DemoTarget(server.base_url, server)
    who = probe(port)
    if who == "none":
        try:
            server = start_demo_api(port)
            return DemoTarget(server.base_url, server)
        except DemoApiError:  # someone took the port meanwhile (another playground starting?)
            who = probe(port)
    if who == "demo":
        return DemoTarget(base_url(port))
    other = f"{base_url(port)} answers, but it is not the demo API (another program holds port {port})"
    if not fallback:
        raise DemoApiError(f"{other}: stop that program, or set {PORT_ENV} to a free port for the demo API "
                           f"(e.g. {PORT_ENV}=8766, or 0 for any free port)")
    server = start_demo_api(0)
    return DemoTarget(server.base_url, server, note=f"{other}; started the demo API on {server.base_url} for this "
                                                    f"run instead (set {PORT_ENV} to choose its port)")


def ensure_demo_api(actions: Sequence[Action] | None = None, *, start: bool = True) -> Any:
    """:func:`demo_target`, returning only the DemoServer started here (or None). Kept for callers that
    do not rebase; prefer demo_target, whose ``rebase`` follows ``$PLAYGROUND_DEMO_PORT``."""
    target = demo_target(actions, start=start)
    return target.server if target else None
