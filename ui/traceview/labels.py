"""The words and colours of a call, as plain strings (no Streamlit here, so they are unit-tested).

A call is read in three places: one line in the sidebar list, one line inline in the chat, and the
full trace. Each place builds its text from these helpers, so a status or an error reads the same
everywhere and no part of a label repeats another.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from core.trace import Trace

#: The title of each error kind, for people. Kinds not listed (new ones) read as their name.
KIND_TITLES = {
    "timeout": "Timeout", "connection_refused": "Connection refused", "dns": "DNS lookup failed",
    "tls": "TLS failure", "protocol": "Connection reset or broken response", "too_many_redirects": "Too many redirects",
    "not_json": "Not JSON", "unreplaced_placeholder": "Placeholder not replaced",
    "invalid_arguments": "Invalid arguments", "invalid_request": "Invalid request",
    "secret_missing": "Secret missing", "blocked": "Blocked", "replay_mismatch": "Changed since the recording",
    "mcp_error": "MCP tool error", "mcp_unavailable": "MCP server unavailable",
    "oauth_token": "OAuth2 token request failed",
}
COLORS = {"green": "#21c354", "orange": "#ffa421", "red": "#ff4b4b", "gray": "#a3a8b8"}
SHORT_HINT_CHARS = 110


def status_color(trace: Trace) -> str:
    """green: it worked; orange: an answer that is not what the agent needs (4xx, not JSON); red: no answer or 5xx."""
    code = trace.status_code
    if code is None and trace.mcp is not None and trace.mcp.response is not None:  # the MCP server answered
        return "orange" if trace.error else "green"
    if code is None:
        return "red" if trace.error else "gray"
    if code >= 500:
        return "red"
    if code >= 400 or trace.error:
        return "orange"
    return "green"


def status_text(trace: Trace) -> str:
    """The status code, or what stood in its way: ``200``, ``404``, ``timeout``."""
    if trace.status_code is not None:
        return str(trace.status_code)
    if trace.error is None and trace.mcp is not None:
        return "ok"
    return trace.error.kind if trace.error else "not sent"


def status_badge(trace: Trace) -> str:
    """The status as a coloured Streamlit badge, e.g. ``:green-badge[200]`` (the code only: the error has its label)."""
    return f":{status_color(trace)}-badge[{status_text(trace)}]"


def ms(value: float) -> str:
    return f"{value:,.0f}\u00a0ms" if value >= 1 else f"{value:.1f}\u00a0ms"  # no line break before "ms"


def path_of(url: str, limit: int = 24) -> str:
    """The path of a URL, cut in the middle when it is long (the sidebar is narrow)."""
    path = urlsplit(url).path or "/"
    if len(path) <= limit:
        return path
    keep = (limit - 1) // 2
    return f"{path[:keep]}…{path[-(limit - 1 - keep):]}"


def error_title(trace: Trace) -> str:
    """``401 Unauthorized``, ``Timeout``, ``Not JSON``: what failed, in two or three words."""
    if trace.error is None:
        return ""
    resp = trace.response
    if trace.error.kind.startswith("http_") and resp is not None:
        return f"{resp.status_code} {resp.reason}".strip()
    return KIND_TITLES.get(trace.error.kind, trace.error.kind.replace("_", " ").capitalize())


_NOISE = re.compile(r"\s*\(([A-Z][A-Za-z]+)\)|\[Errno -?\d+\]\s*")  # "(ReadTimeout)", "[Errno 111]"


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 2}


def error_detail(trace: Trace) -> str:
    """The error message without what the title already says: ``timed out (ReadTimeout): ReadTimeout`` under
    ``Timeout`` becomes nothing; ``HTTP 503 Service Unavailable`` under ``503 Service Unavailable`` too."""
    if trace.error is None:
        return ""
    title = error_title(trace)
    seen = _words(title) | {"timed", "out", "http", "failed", "failure"}
    kept: list[str] = []
    for segment in trace.error.message.split(": "):
        seen |= {name.lower() for name in _NOISE.findall(segment) if name}  # an exception name said once is enough
        segment = _NOISE.sub("", segment).strip()
        words = _words(segment)
        if not segment or words <= seen or segment.lower() in title.lower():
            continue
        kept.append(segment)
        seen |= words
    return ": ".join(kept)


def error_label(trace: Trace) -> str:
    """One line: title, elapsed time when something was waited for, and the detail that is new.

    ``Timeout after 1,002 ms: no complete response within 1 s``; ``401 Unauthorized after 8 ms``."""
    if trace.error is None:
        return ""
    label = error_title(trace)
    if trace.elapsed_ms > 0:
        label += f" after {ms(trace.elapsed_ms)}"
    detail = error_detail(trace)
    return f"{label}: {detail}" if detail else label


def short_hint(hint: str, title: str = "", limit: int = SHORT_HINT_CHARS) -> str:
    """The first sentence of a hint, without the error ``title`` it may start with, cut to ``limit``
    characters: the inline reminder of the full hint, which only the trace shows."""
    text = hint.strip()
    if title and text.lower().startswith(title.lower()):
        text = text[len(title):].lstrip(" :.-")
        text = text[:1].upper() + text[1:]
    first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
    if len(first) <= limit:
        return first
    return first[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def arguments_text(arguments: object) -> str:
    """``order_number=ORD-10042, qty=2`` for a call's arguments; ``no arguments`` for none."""
    if not arguments:
        return "no arguments"
    if isinstance(arguments, dict):
        return ", ".join(f"{k}={v!r}" if isinstance(v, str) and (not v or " " in v) else f"{k}={v}"
                         for k, v in arguments.items())
    return str(arguments)


def row_label(trace: Trace, number: int) -> str:
    """The sidebar's one line per call: ``#3 GET /orders/status 200 12 ms`` (markdown)."""
    method = trace.request.method if trace.request else "MCP" if trace.mcp else "—"
    where = path_of(trace.request.url) if trace.request else trace.tool_name or trace.action
    took = f" {ms(trace.elapsed_ms)}" if trace.elapsed_ms > 0 else ""
    return f"#{number} **{method}** {where} {status_badge(trace)}{took}"


def call_title(trace: Trace) -> str:
    """The inline call's label in the chat: action, status and time."""
    took = f" · {ms(trace.elapsed_ms)}" if trace.elapsed_ms > 0 else ""
    return f"{trace.action} {status_badge(trace)}{took}"
