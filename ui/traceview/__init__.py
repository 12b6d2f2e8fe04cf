"""How a call is shown: the sidebar list, the inline call in the chat, the full trace, the timeline.

``labels`` (plain strings), ``parts`` (one renderer per part of a trace, in a registry), ``panel``
(lays the parts out; the call dialog), ``sidebar``, ``inline``, ``timeline``, ``mcp`` (an MCP call's parts). See NOTES.md.
"""

from . import mcp  # noqa: F401 - registers the MCP request/response parts
from . import voice  # noqa: F401 - registers the attempts, token requests, model input and async parts
from .inline import inline_call
from .panel import close_call, detail, open_call, show_open_call
from .parts import Part, View, register
from .sidebar import call_list
from .timeline import timeline

__all__ = ["Part", "View", "call_list", "close_call", "detail", "inline_call", "open_call", "register",
           "show_open_call", "timeline"]
