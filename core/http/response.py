"""Reading a response once its body is in: its headers in one pass, the cookies it sets, its text or JSON."""

from __future__ import annotations

import json
from typing import Any

import httpx

MAX_JSON_DEPTH = 100


def _depth(value: Any, limit: int) -> bool:
    """True when a parsed JSON value nests deeper than ``limit`` (iterative: no recursion)."""
    stack = [(value, 1)]
    while stack:
        v, d = stack.pop()
        if d > limit:
            return True
        if isinstance(v, dict):
            stack.extend((x, d + 1) for x in v.values())
        elif isinstance(v, list):
            stack.extend((x, d + 1) for x in v)
    return False


def decode_text(raw: bytes, truncated: bool, content_type: str, charset: str | None) -> tuple[Any, bool]:
    """Parse as JSON when it is JSON (and not absurdly deep), else keep text."""
    try:
        text = raw.decode(charset or "utf-8", errors="replace")
    except LookupError:  # an unknown charset name in Content-Type
        text = raw.decode("utf-8", errors="replace")
    if not truncated and ("json" in content_type or text.lstrip()[:1] in ("{", "[")):
        try:
            parsed = json.loads(text)
        except (ValueError, RecursionError):
            return text, False
        if text.count("[") + text.count("{") <= MAX_JSON_DEPTH or not _depth(parsed, MAX_JSON_DEPTH):
            return parsed, True
    return text, False


def header_dict(headers: httpx.Headers) -> dict[str, str]:
    """``dict(headers)`` (names lower-cased, a repeated header's values joined by ", ") in one pass: ``dict()``
    looks each name up again, and each look-up walks every header."""
    out: dict[str, str] = {}
    for name, value in headers.multi_items():
        out[name] = f"{out[name]}, {value}" if name in out else value
    return out


def set_cookies(response: httpx.Response) -> dict[str, str]:
    out = {}
    for header in response.headers.get_list("set-cookie"):
        name, _, rest = header.partition("=")
        out[name.strip()] = rest.split(";", 1)[0].strip()
    return out
