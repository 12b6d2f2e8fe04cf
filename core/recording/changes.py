"""Field-by-field differences between two requests (or any JSON values): ``body.qty: 2 → 3``.

Masked secrets (``****b3f1``) compare equal whatever they hide, so a recording made with one token replays
with another, and no message ever shows more of a secret than the trace does.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Iterator, Mapping
from urllib.parse import urlsplit, urlunsplit

MASKED_RE = re.compile(r"\*{4}[^\s\"'&/,;]{0,4}")
_ABSENT = object()


@dataclass(frozen=True)
class Change:
    path: str  # body.qty, query.order_number, headers.Accept, url, method
    old: Any  # _ABSENT when the field was added
    new: Any  # _ABSENT when it was removed

    @property
    def kind(self) -> str:
        return "added" if self.old is _ABSENT else "removed" if self.new is _ABSENT else "changed"

    def __str__(self) -> str:
        if self.kind == "added":
            return f"{self.path}: added ({short(self.new)})"
        if self.kind == "removed":
            return f"{self.path}: removed (was {short(self.old)})"
        return f"{self.path}: {short(self.old)} → {short(self.new)}"


def short(value: Any, limit: int = 60) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = re.sub(r"\s+", " ", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def unmasked_equal(a: Any, b: Any) -> bool:
    """Equal, counting any masked secret as equal to any other."""
    if isinstance(a, str) and isinstance(b, str) and ("****" in a or "****" in b):
        return MASKED_RE.sub("****", a) == MASKED_RE.sub("****", b)
    return a == b and type(a) is type(b) or (isinstance(a, (int, float)) and isinstance(b, (int, float))
                                            and not isinstance(a, bool) and not isinstance(b, bool) and a == b)


def changes(old: Any, new: Any, path: str = "") -> list[Change]:
    """Every leaf that differs, with its dotted path (list items as ``items[2]``)."""
    return list(_walk(old, new, path))


def _walk(old: Any, new: Any, path: str) -> Iterator[Change]:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(k for k in new if k not in old)]:
            sub = f"{path}.{key}" if path else str(key)
            if key not in new:
                yield Change(sub, old[key], _ABSENT)
            elif key not in old:
                yield Change(sub, _ABSENT, new[key])
            else:
                yield from _walk(old[key], new[key], sub)
    elif isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        for i, (a, b) in enumerate(zip(old, new)):
            yield from _walk(a, b, f"{path}[{i}]")
    elif not unmasked_equal(old, new):
        yield Change(path or "value", old, new)


def _headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {k.title(): v for k, v in headers.items()}


def _endpoint(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def request_view(req: Any) -> dict[str, Any]:
    """A request (RenderedRequest, a recorded one, or a dict) as the fields a difference names."""
    data = req if isinstance(req, dict) else req.model_dump()
    return {"method": str(data.get("method", "")).upper(), "url": _endpoint(data.get("url", "")),
            "query": dict(data.get("query") or {}), "headers": _headers(data.get("headers") or {}),
            "body": data.get("body")}


def request_changes(old: Any, new: Any) -> list[Change]:
    """URL, query, header and body differences between two requests, field by field."""
    a, b = request_view(old), request_view(new)
    out: list[Change] = []
    for key in ("method", "url"):
        if not unmasked_equal(a[key], b[key]):
            out.append(Change(key, a[key], b[key]))
    for key in ("query", "headers"):
        out += changes(a[key], b[key], key)
    if a["body"] is None or b["body"] is None:
        if a["body"] != b["body"]:
            out.append(Change("body", a["body"] if a["body"] is not None else _ABSENT,
                              b["body"] if b["body"] is not None else _ABSENT))
    else:
        out += changes(a["body"], b["body"], "body")
    return out


def describe(items: list[Change], limit: int = 4) -> str:
    """``body.qty: 2 → 3; headers.Accept: removed (was ...)`` (the first ``limit`` of them)."""
    text = "; ".join(str(c) for c in items[:limit])
    return text + (f"; and {len(items) - limit} more" if len(items) > limit else "")
