"""Custom Actions Playground core: everything but the UI. Never imports streamlit."""

from .action import Action, Variable, load_action, parse_action
from .agent import Agent, Conversation, Event, compare
from .diagnose import diagnose
from .errors import PlaygroundError
from .executor import Executor, execute
from .lint import Finding, lint
from .render import RenderedRequest, render
from .schema import coerce, tool_schema
from .trace import Trace, to_curl

__version__ = "0.1.0"

__all__ = [
    "Action", "Agent", "Conversation", "Event", "Executor", "Finding", "PlaygroundError", "RenderedRequest",
    "Trace", "Variable", "coerce", "compare", "diagnose", "execute", "lint", "load_action", "parse_action",
    "render", "to_curl", "tool_schema",
]
