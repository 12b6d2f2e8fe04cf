"""Result picks: JSONPath expressions (RFC 9535, via python-jsonpath) evaluated on a response body.

Pure: no I/O. A pick that matches nothing is ``None`` and gets a note naming the keys the
response has that look like what was meant.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Iterator

if TYPE_CHECKING:
    from jsonpath import JSONPath

_NAME_RE = re.compile(r"\['((?:[^'\\]|\\.)*)'\]")
#: keys collected from a response when looking for what a pick probably meant
MAX_KEYS = 2000


@lru_cache(maxsize=512)
def compile_path(expr: str) -> JSONPath:
    """A compiled JSONPath, or ValueError with a one-line reason and an example of the syntax."""
    import jsonpath  # loaded on the first pick, so commands that never evaluate one start quicker
    from jsonpath import JSONPath, JSONPathError

    text = expr.strip() if isinstance(expr, str) else ""
    if not text.startswith("$"):
        raise ValueError(f"{expr!r} is not a JSONPath; start it at the root, e.g. $.estimated_delivery "
                         "or $.items[0].sku")
    try:
        path = jsonpath.compile(text)
    except (JSONPathError, ValueError) as exc:
        reason = (exc.args[0] if exc.args else str(type(exc).__name__)).splitlines()[0]
        raise ValueError(f"{expr!r} is not a valid JSONPath ({reason}); write it like $.estimated_delivery, "
                         "$.items[0].sku or $.items[*].sku") from None
    if not isinstance(path, JSONPath):  # a union of paths (`|`): one pick reads one place
        raise ValueError(f"{expr!r} combines several paths; give each its own pick name")
    return path


def evaluate(expr: str, body: Any) -> tuple[Any, bool]:
    """(value, matched). A singular path (``$.a.b``, ``$.a[0]``) gives its value; a path that can match
    several nodes (``$.items[*].sku``, ``$..sku``, filters) gives the list of matches."""
    from jsonpath import JSONPathError

    path = compile_path(expr)
    try:
        found = path.findall(body)
    except JSONPathError:
        return None, False
    if not found:
        return None, False
    return (found[0] if path.singular_query() else found), True


def _keys(value: Any, depth: int = 0) -> Iterator[str]:
    if depth > 12:
        return
    if isinstance(value, dict):
        for key, inner in value.items():
            yield str(key)
            yield from _keys(inner, depth + 1)
    elif isinstance(value, list):
        for inner in value[:50]:
            yield from _keys(inner, depth + 1)


def _where(value: Any, key: str, at: str = "$", depth: int = 0) -> str | None:
    """The path of the first ``key`` in ``value`` (breadth first), e.g. ``$.carrier.name``."""
    if depth > 12:
        return None
    children: list[tuple[str, Any]] = []
    if isinstance(value, dict):
        if key in value:
            return f"{at}.{key}" if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key) else f"{at}['{key}']"
        children = [(f"{at}.{k}" if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", str(k)) else f"{at}['{k}']", v)
                    for k, v in value.items()]
    elif isinstance(value, list):
        children = [(f"{at}[{i}]", v) for i, v in enumerate(value[:50])]
    for child_at, child in children:
        found = _where(child, key, child_at, depth + 1)
        if found:
            return found
    return None


def miss_note(expr: str, body: Any) -> str:
    """Why a pick matched nothing, naming the response's keys closest to the one asked for."""
    names = _NAME_RE.findall(str(compile_path(expr)))
    wanted = names[-1] if names else ""
    keys: list[str] = []
    for key in _keys(body):
        if key not in keys:
            keys.append(key)
        if len(keys) >= MAX_KEYS:
            break
    close = [k for k in keys if wanted and k != wanted and (wanted.lower() in k.lower() or k.lower() in wanted.lower())]
    import difflib

    close += [k for k in difflib.get_close_matches(wanted, keys, n=3, cutoff=0.6) if k not in close]
    head = f"`{expr}` matched nothing"
    if wanted in keys:
        return f"{head}; the response has `{wanted}` at `{_where(body, wanted)}`"
    if close:
        return f"{head}; the response has " + ", ".join(f"`{k}`" for k in close[:3])
    if isinstance(body, dict) and body:
        return f"{head}; the response's top-level keys are " + ", ".join(f"`{k}`" for k in list(body)[:8])
    return f"{head}; the response is {type(body).__name__ if body is not None else 'empty'}, not an object"
