"""Replies a caller would hear after a tool result: one or two plain sentences.

Written from the tool-result JSON the model receives (``Trace.to_tool_result``: ``{"status", "body"}``
or ``{"error": {"kind", "message"}, "hint"}``, or only picked fields), never from the trace: the
reply uses the response fields that answer the caller's request (the ones whose names share words,
or related words, with what the caller asked and the tool's description), says what went wrong in
the caller's terms, and asks for the value an error points at. Tool names, status codes and
developer hints stay out: they are in the trace and the debug sidebar.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from ..base import Message
from . import facts
from .tools import Param, Tool, ToolSet

_UNAVAILABLE = {"timeout", "connection_refused", "dns", "tls", "protocol", "too_many_redirects", "http_5xx", "http_429",
                "mcp_unavailable", "pool_timeout"}
_SETUP = {"http_401", "http_403", "secret_missing", "blocked", "unreplaced_placeholder", "invalid_request", "http_405"}


def summary(msgs: list[Message], ts: ToolSet, today: dt.date | None = None) -> str:
    start = len(msgs)
    while start > 0 and msgs[start - 1].role == "tool":
        start -= 1
    calls: dict[str, tuple[str, dict[str, Any]]] = {}
    request = ""
    if start > 0 and msgs[start - 1].role == "assistant":
        for c in msgs[start - 1].tool_calls:
            try:
                args = json.loads(c.arguments or "{}")
            except json.JSONDecodeError:
                args = {}
            calls[c.id] = (c.name, args if isinstance(args, dict) else {})
        request = _request(msgs[: start - 1])
    tools = {t.name: t for t in ts.tools}
    parts = []
    for m in msgs[start:]:
        name, args = calls.get(m.tool_call_id or "", (m.name or "", {}))
        parts.append(reply_for(tools.get(name or m.name or ""), args, m.content or "", request, today))
    return " ".join(parts)


def _request(before: list[Message]) -> str:
    """What the caller asked for this call: their messages since the last call ("where is my order?"
    and then "ORD-10042")."""
    asked: list[str] = []
    for m in reversed(before):
        if m.role == "tool" or (m.role == "assistant" and m.tool_calls):
            break
        if m.role == "user":
            asked.insert(0, m.content or "")
    return " ".join(asked)


def reply_for(tool: Tool | None, args: dict[str, Any], content: str, request: str, today: dt.date | None = None) -> str:
    """What the caller hears about one tool result."""
    try:
        data = json.loads(content)
    except (json.JSONDecodeError, TypeError):
        if content.rstrip().endswith("[truncated]"):
            return "I got an answer, but it's too large for me to read out in full."
        if content.strip():  # a plain-text result (an MCP tool's text): read it out
            return f"Here's what I found: {_spoken(content.strip()).rstrip('.')}."
        return "I got an empty answer, so I can't tell you the result right now."
    if isinstance(data, dict) and data.get("error"):
        return _error(tool, args, data)
    if isinstance(data, dict) and data.get("sent") is False and "status" not in data:  # a dry run, or held
        return _not_sent(tool, str(data.get("note") or ""))
    if isinstance(data, dict) and data.get("status") == "started" and "body" not in data:  # an async action
        return f"I've started that for you: I'll {_what(tool)} in the background, so we can carry on meanwhile."
    body = data.get("body", data.get("result", data)) if isinstance(data, dict) and (
        {"status", "body", "result"} & set(data)) else data
    picked = isinstance(data, dict) and "result" in data and "body" not in data
    return _success(tool, args, body, request, today, picked)


def _not_sent(tool: Tool | None, note: str) -> str:
    """A request that was built but not sent: a test run ("dry run") or one waiting for approval."""
    ready = f"I have everything I need to {_what(tool)}"
    if re.search(r"\b(?:approv|wait)", note, re.I):
        return f"{ready}, but it's waiting for approval, so it hasn't been done yet."
    return f"{ready}, but this is only a test run, so nothing was actually done."


def _what(tool: Tool | None) -> str:
    if tool is None or not tool.purpose.startswith("To "):
        return "do that"
    return tool.purpose[3:][0].lower() + tool.purpose[4:]


def _key_param(tool: Tool | None, args: dict[str, Any]) -> Param | None:
    if tool is None:
        return None
    ranked = [p for p in tool.params if p.name in args and args[p.name] not in (None, "")]
    ranked.sort(key=lambda p: (p.shape is None, not p.required))
    return ranked[0] if ranked else None


def _error(tool: Tool | None, args: dict[str, Any], data: dict[str, Any]) -> str:
    error = data.get("error")
    kind = str(error.get("kind", "")) if isinstance(error, dict) else ""
    message = str(error.get("message", "")) if isinstance(error, dict) else str(error)
    if kind == "http_404":
        key = _key_param(tool, args)
        if key is not None:
            return f"I couldn't find {key.label} {_spoken(args[key.name])}; could you check the {key.label}?"
        return "I couldn't find that; could you check the details and tell me again?"
    if kind in ("invalid_arguments", "http_400", "http_422", "mcp_error"):  # mcp_error: the tool said no
        param = _pointed_at(tool, message + " " + json.dumps(data.get("body"), default=str), args)
        if param is not None:
            return f"Sorry, that {param.label} didn't work. Could you tell me {param.phrase} again?"
        return f"Sorry, I couldn't {_what(tool)} with those details. Could you check them and tell me again?"
    if kind in _UNAVAILABLE:
        return f"I'm sorry, the system isn't answering right now, so I couldn't {_what(tool)}. Could you try again in a moment?"
    if kind == "not_json":
        return f"I'm sorry, I got an answer I couldn't read, so I couldn't {_what(tool)} just now."
    return f"I'm sorry, I can't get through to the system right now, so I couldn't {_what(tool)}."


def _pointed_at(tool: Tool | None, text: str, args: dict[str, Any]) -> Param | None:
    """The variable an error message names, or whose value it repeats ("no forecast for 'Berlin'")."""
    if tool is None:
        return None
    low = text.lower()
    for p in tool.params:
        if re.search(r"\b" + re.escape(p.name.lower()) + r"\b", low) or p.label.lower() in low:
            return p
    for p in tool.params:
        value = str(args.get(p.name) or "").lower()
        if len(value) > 1 and re.search(r"(?<![\w-])" + re.escape(value) + r"(?![\w-])", low):
            return p
    return None


def _success(tool: Tool | None, args: dict[str, Any], body: Any, request: str, today: dt.date | None,
             picked: bool = False) -> str:
    if body in (None, "", {}, []):
        return "Done." if tool is None else f"Done: I've asked the system to {_what(tool)}, and it confirmed."
    key = _key_param(tool, args)
    if not isinstance(body, (dict, list)):
        about = f" for {_spoken(args[key.name])}" if key is not None and key.shape is not None else ""
        return f"Here's what I found{about}: {_spoken(body)}."
    named = (key.label, str(args[key.name])) if key is not None and key.shape is not None else None
    echoes = {str(v).lower() for v in args.values() if isinstance(v, (str, int, float)) and not isinstance(v, bool)}
    given = tuple(p.label for p in tool.params if args.get(p.name) not in (None, "")) if tool else ()
    return facts.answer(body, request=request, description=tool.description if tool else "",
                        tool_name=tool.name if tool else "", key=named, echoes=echoes,
                        today=today or dt.date.today(), picked=picked, given=given)


def _spoken(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.2f}".rstrip("0").rstrip(".") if abs(value) < 1e6 else f"{value:g}"
    text = str(value).replace("\n", " ")
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            day = dt.date.fromisoformat(text)
            return f"{day:%B} {day.day}, {day.year}"
        except ValueError:
            pass
    return text if len(text) <= 80 else text[:77] + "..."
