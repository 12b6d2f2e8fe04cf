"""Replies after a tool result: what the caller hears."""

from __future__ import annotations

import json
import re
from http import HTTPStatus
from typing import Any

from ..base import Message
from .tools import _humanize

MAX_FIELDS = 6

# --------------------------------------------------------------------------- summaries

_KIND_TEXT = {
    "timeout": "a timeout", "connection_refused": "connection refused", "dns": "a DNS error",
    "tls": "a TLS error", "protocol": "a protocol error", "too_many_redirects": "too many redirects",
    "not_json": "a response that is not JSON", "unreplaced_placeholder": "an unreplaced placeholder",
    "invalid_arguments": "invalid arguments", "secret_missing": "a missing secret",
    "blocked": "a blocked destination", "invalid_request": "an invalid request",
}


def _fmt_value(v: Any) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else f"{v:g}"
    text = str(v).replace("\n", " ")
    return text if len(text) <= 80 else text[:77] + "..."


def _is_scalar(v: Any) -> bool:
    return isinstance(v, (str, int, float, bool))


def _fields(obj: dict[str, Any], cap: int) -> list[str]:
    out: list[str] = []
    for key, value in obj.items():
        if len(out) >= cap:
            break
        label = _humanize(str(key))
        if value is None or value == "":
            continue
        if _is_scalar(value):
            out.append(f"{label}: {_fmt_value(value)}")
        elif isinstance(value, dict):
            for k2, v2 in value.items():
                if len(out) >= cap:
                    break
                if _is_scalar(v2) and v2 != "":
                    out.append(f"{_humanize(str(k2))}: {_fmt_value(v2)}")
        elif isinstance(value, list):
            if not value:
                out.append(f"{label}: none")
            elif all(_is_scalar(v) for v in value):
                shown = ", ".join(_fmt_value(v) for v in value[:3])
                more = f" and {len(value) - 3} more" if len(value) > 3 else ""
                out.append(f"{label}: {shown}{more}")
            else:
                out.append(f"{label}: {_list_text(value)}")
    return out


def _list_text(items: list[Any]) -> str:
    n = len(items)
    text = f"{n} item{'s' if n != 1 else ''}"
    first = items[0] if items else None
    if isinstance(first, dict):
        inner = _fields({k: v for k, v in first.items() if _is_scalar(v)}, 3)
        if inner:
            text += f" (first: {', '.join(inner)})"
    elif first is not None and _is_scalar(first):
        text += f" (first: {_fmt_value(first)})"
    return text


def _status_text(status: Any) -> str:
    try:
        return f"{status} {HTTPStatus(int(status)).phrase}"
    except (ValueError, TypeError):
        return str(status)


def _api_message(body: Any) -> str:
    if isinstance(body, dict):
        for key in ("message", "error_description", "detail", "error"):
            value = body.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
            if isinstance(value, dict) and isinstance(value.get("message"), str):
                return value["message"].strip()
    return ""


def _summarise(tool_name: str, content: str) -> str:
    name = tool_name or "the action"
    try:
        data = json.loads(content)
    except (json.JSONDecodeError, TypeError):
        m = re.search(r'"status"\s*:\s*(\d{3})', content or "")
        status = f" with {_status_text(m.group(1))}" if m else ""
        if content and content.rstrip().endswith("[truncated]"):
            return (f"The {name} call answered{status}, but the result was too large and was cut short, so I "
                    "can only see part of it. Return only the fields the agent needs.")
        return f"The {name} call returned: {_fmt_value(content or 'nothing')}"
    if not isinstance(data, dict) or not ({"status", "body", "error"} & set(data)):
        return f"The {name} call returned: {_body_text(data)}."
    status, body, error, hint = data.get("status"), data.get("body"), data.get("error"), data.get("hint")
    if error:
        kind = error.get("kind", "") if isinstance(error, dict) else ""
        message = (error.get("message", "") if isinstance(error, dict) else str(error)).strip().rstrip(".")
        if isinstance(status, int) and status >= 400:
            text = f"The {name} call failed with {_status_text(status)}"
            if message and not re.match(r"HTTP \d{3}\b", message):
                text += f" ({message})"
        elif status is not None:
            text = f"The {name} call answered {_status_text(status)}, but {message or _KIND_TEXT.get(kind, kind)}"
        else:
            text = f"The {name} call failed with {_KIND_TEXT.get(kind, kind.replace('_', ' ') or 'an error')}"
            if message:
                text += f": {message}"
        text += "."
        api = _api_message(body)
        if api and api not in (hint or "") and api not in message:
            text += f" The API said: {api.rstrip('.')}."
        if hint:
            text += f" Hint: {hint}"
        return text
    head = f"The {name} call succeeded ({_status_text(status)})" if status is not None else f"The {name} call returned"
    return f"{head}: {_body_text(body)}."


def _body_text(body: Any) -> str:
    if body is None or body == "" or body == {} or body == []:
        return "an empty response"
    if isinstance(body, dict):
        fields = _fields(body, MAX_FIELDS)
        return "; ".join(fields) if fields else "an object with no simple fields"
    if isinstance(body, list):
        return _list_text(body)
    return _fmt_value(body).rstrip(".")


def _summary(msgs: list[Message]) -> str:
    start = len(msgs)
    while start > 0 and msgs[start - 1].role == "tool":
        start -= 1
    names: dict[str, str] = {}
    if start > 0 and msgs[start - 1].role == "assistant":
        names = {c.id: c.name for c in msgs[start - 1].tool_calls}
    parts = []
    for m in msgs[start:]:
        name = m.name or names.get(m.tool_call_id or "", "")
        parts.append(_summarise(name, m.content or ""))
    return "\n\n".join(parts)
