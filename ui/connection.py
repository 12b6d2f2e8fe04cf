"""Settings' Test connection: one small real request to the model server, and the models it lists."""

from __future__ import annotations

import hashlib
from typing import Any

from core.errors import PlaygroundError

from . import resources, state


def _setup() -> tuple[str, str, str]:
    """What the result is about: the model, the server and (a digest of) the key."""
    key = state.get(state.API_KEY)
    return state.get(state.MODEL_SPEC), state.get(state.BASE_URL), hashlib.sha256(key.encode()).hexdigest()[:12]


def test() -> dict[str, Any]:
    """Make the request now; keep and return {for, ok, message, models}."""
    outcome: dict[str, Any] = {"for": _setup(), "ok": False, "models": None}
    try:
        model = resources.model()
        if not hasattr(model, "ping"):
            outcome.update(ok=True, message=f"{model.name} needs no connection.")
        else:
            ms = resources.loop().run(model.ping())
            outcome["models"] = resources.loop().run(model.list_models())
            listed = outcome["models"]
            outcome.update(ok=True, message=f"Connected: {model.model} at `{model.base_url}` answered in {ms:,.0f} ms"
                           + (f"; the server lists {len(listed)} model(s)" if listed else ""))
    except PlaygroundError as exc:
        outcome["message"] = str(exc)
    state.put(state.CONNECTION, outcome)
    return outcome


def latest() -> dict[str, Any] | None:
    """The latest test, if it was about the current model, server and key."""
    outcome = state.get(state.CONNECTION)
    return outcome if outcome is not None and outcome["for"] == _setup() else None


def listed_models() -> list[str]:
    """The models the server listed at the latest test (of this server and key), whatever the model then."""
    outcome = state.get(state.CONNECTION)
    if outcome is None or outcome["for"][1:] != _setup()[1:]:
        return []
    return outcome.get("models") or []
