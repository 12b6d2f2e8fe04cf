"""Writing JSON back in the form its file already has, so a save changes only what was changed.

A file someone wrote has its own key order, number forms (``10``, not ``10.0``), indentation, line
endings and final newline; a validated model dumps its own. :func:`keep_form` keeps every part of the
old value that means the same as the new one (as written) and takes the new value only where the
meaning changed; :func:`dumps_like` then writes it with the old text's layout. Pure.
"""

from __future__ import annotations

import json
import re
from typing import Any

_MISSING = object()


def keep_form(raw: Any, old: Any, new: Any) -> Any:
    """``new``, keeping ``raw``'s form wherever it means the same.

    ``raw``: the value as the file holds it; ``old``: the same value as the model normalised it (defaults
    filled in, ``10`` as ``10.0``); ``new``: the value to write, normalised the same way. Keys of a mapping
    keep the file's order; a key the file left out stays out while the new value is still its default.
    """
    if old == new and _same_kind(old, new):
        return raw
    if isinstance(raw, dict) and isinstance(old, dict) and isinstance(new, dict):
        out = {k: keep_form(raw[k], old.get(k, _MISSING), new[k]) for k in raw if k in new}
        out.update({k: v for k, v in new.items() if k not in raw and old.get(k, _MISSING) != v})
        return out
    if isinstance(raw, list) and isinstance(old, list) and isinstance(new, list) and len(raw) == len(old):
        if len(old) == len(new):
            return [keep_form(r, o, n) for r, o, n in zip(raw, old, new)]
        return new
    if isinstance(new, float) and new.is_integer() and isinstance(raw, int) and not isinstance(raw, bool):
        return int(new)  # the file writes whole numbers without ".0"
    return new


def _same_kind(a: Any, b: Any) -> bool:
    """``True == 1`` in Python, but not in a JSON file."""
    return isinstance(a, bool) == isinstance(b, bool)


def dumps_like(data: Any, text: str) -> str:
    """``data`` as JSON laid out like ``text``: its indentation (or one line), its ``\\uXXXX`` escaping,
    its line endings and whether it ends with a newline."""
    m = re.search(r"^[\[{][ \t]*\r?\n([ \t]+)\S", text)
    indent: str | None = m.group(1) if m else (None if text.strip() and "\n" not in text.strip() else "  ")
    ensure_ascii = text.isascii() and re.search(r"\\u[0-9a-fA-F]{4}", text) is not None
    out = json.dumps(data, indent=indent, ensure_ascii=ensure_ascii,
                     separators=None if indent is not None else _separators(text))
    if text.endswith("\n"):
        out += "\n"
    if "\r\n" in text:
        out = out.replace("\n", "\r\n")
    return out


def _separators(text: str) -> tuple[str, str]:
    """A one-line file's separators: ``", "``/``": "`` or compact ``","``/``":"``."""
    return ("," if re.search(r",\S", text) and not re.search(r", ", text) else ", ",
            ":" if re.search(r"\":\S", text) and not re.search(r"\": ", text) else ": ")
