"""Reading a JSON file a user wrote, strictly and safely: whatever the file holds, one clear error.

Refused, each with a one-line reason: a path that is not a regular file (a FIFO would block the
read forever, a folder cannot be read), a file too big to be hand-written, text that is not UTF-8,
invalid JSON, duplicate keys (JSON keeps the last silently), NaN and Infinity (not JSON),
integers longer than Python converts, nesting deeper than :data:`MAX_DEPTH`, and lone surrogates
(text that has no UTF-8 form).
"""

from __future__ import annotations

import json
import math
import os
import stat
from pathlib import Path
from typing import Any, Callable

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 32

Fail = Callable[[str], Exception]


def read_text(path: Path, fail: Fail, what: str = "file") -> str:
    """The file's text, or ``fail(reason)`` raised (never blocks on a FIFO or device).
    ``what`` names the file in messages ("action file", "scenario file")."""
    a_what = ("an " if what[:1] in "aeiou" else "a ") + what
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise fail(f"no such {what}; check the path") from None
    except OSError as exc:
        raise fail(f"cannot read it ({exc.strerror})") from None
    if stat.S_ISDIR(st.st_mode):
        raise fail(f"is a folder, not {a_what}; give the path of a .json file")
    if not stat.S_ISREG(st.st_mode):
        kind = "a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode) else "not a regular file"
        raise fail(f"is {kind}, not {a_what}; give the path of a .json file")
    if st.st_size > MAX_BYTES:
        raise fail(f"is {st.st_size // 1024} KiB, too big for {a_what} (at most {MAX_BYTES // 1024} KiB)")
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise fail(f"cannot read it ({exc.strerror})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise fail(f"not UTF-8 text; save the {what} as UTF-8 JSON") from None


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key[:60]!r}: JSON keeps only the last one; keep one")
        out[key] = value
    return out


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON (a number must be finite); use null or a number")


def loads(text: str, fail: Fail) -> Any:
    """Strict ``json.loads``: every problem becomes ``fail(one-line reason)``."""
    try:
        data = json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise fail(f"not valid JSON at line {exc.lineno} column {exc.colno} ({exc.msg}); fix the syntax") from None
    except RecursionError:
        raise fail(f"nested too deeply to read (more than {MAX_DEPTH} levels are never needed); flatten it") from None
    except ValueError as exc:  # a duplicate key, NaN, an integer past Python's digit limit
        reason = str(exc)
        if "digits" in reason:
            reason = "holds an integer with more than 4300 digits; write it as a string or a shorter number"
        raise fail(reason) from None
    check_tree(data, fail)
    return data


def _where(path: list[Any]) -> str:
    return ".".join(str(p) for p in path) or "the file"


def check_tree(data: Any, fail: Fail) -> None:
    """Depth, finite numbers and valid text everywhere in a decoded value (iterative: no recursion)."""
    stack: list[tuple[Any, list[Any]]] = [(data, [])]
    while stack:
        value, path = stack.pop()
        if len(path) > MAX_DEPTH:
            raise fail(f"{_where(path[:3])}...: nested more than {MAX_DEPTH} levels deep; flatten it")
        if isinstance(value, dict):
            for key, item in value.items():
                _check_text(str(key), path, fail)
                stack.append((item, path + [key]))
        elif isinstance(value, (list, tuple)):
            stack.extend((item, path + [i]) for i, item in enumerate(value))
        elif isinstance(value, str):
            _check_text(value, path, fail)
        elif isinstance(value, float) and not math.isfinite(value):
            raise fail(f"{_where(path)}: {value} is not JSON (a number must be finite); use null or a number")


def _check_text(text: str, path: list[Any], fail: Fail) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise fail(f"{_where(path)}: holds a lone surrogate (U+{ord(text[exc.start]):04X}), which is not text; "
                   "remove the stray \\ud8xx escape") from None
