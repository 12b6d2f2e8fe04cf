"""What the CLI and the app share: defaults, the demo API on demand, and wiring an agent."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any, Sequence

from .action import Action

PROJECT_DIR = Path(__file__).resolve().parent.parent
SAMPLE_ACTIONS_DIR = PROJECT_DIR / "sample_actions"


def default_runtime() -> dict[str, str]:
    """Runtime variables a test session provides (editable in Settings or with --runtime)."""
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


def ensure_demo_api(actions: Sequence[Action] | None = None, *, start: bool = True) -> Any:
    """If the actions talk to the demo API: set its secrets for unset names, and start it when
    nothing is listening on its port. Returns the DemoServer started here, or None."""
    from .demo import apply_demo_secrets, demo_api_running, start_demo_api

    if actions is not None and not uses_demo_api(actions):
        return None
    apply_demo_secrets(os.environ)
    if start and not demo_api_running():
        return start_demo_api()
    return None
