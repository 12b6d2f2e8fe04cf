"""Custom Actions Playground core: everything but the UI. Never imports streamlit.

The public API below loads on first use (``from core import Agent`` imports the agent then), so that
importing a small part, such as ``core.cli`` for ``playground render``, does not pay for the rest.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: public name -> the module that defines it
_EXPORTS = {
    "Action": "action", "Variable": "action", "load_action": "action", "parse_action": "action",
    "Agent": "agent", "Conversation": "agent", "Event": "agent", "compare": "agent",
    "diagnose": "diagnose",
    "PlaygroundError": "errors",
    "Executor": "executor", "execute": "executor",
    "Finding": "lint", "lint": "lint",
    "RenderedRequest": "render", "render": "render",
    "coerce": "schema", "tool_schema": "schema",
    "Trace": "trace", "to_curl": "trace",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


if TYPE_CHECKING:  # for type checkers and IDEs: the same names, imported eagerly
    from .action import Action, Variable, load_action, parse_action
    from .agent import Agent, Conversation, Event, compare
    from .diagnose import diagnose
    from .errors import PlaygroundError
    from .executor import Executor, execute
    from .lint import Finding, lint
    from .render import RenderedRequest, render
    from .schema import coerce, tool_schema
    from .trace import Trace, to_curl
