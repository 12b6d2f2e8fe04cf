"""Validation messages: a pydantic error on an action file as one line that names the field and the fix."""

from __future__ import annotations

import re
from typing import Any

from .auth import AUTH_TYPES

_FIXES = {
    "literal_error": "use one of the allowed values",
    "union_tag_invalid": f"use one of: {', '.join(AUTH_TYPES)}",
    "union_tag_not_found": f"add \"type\": one of {', '.join(AUTH_TYPES)}",
    "missing": "add this field",
    "extra_forbidden": "remove it or check its spelling",
    "string_type": "use a JSON string in quotes, e.g. \"10\"",
    "string_too_short": "give it a value",
    "dict_type": "use a JSON object {...}",
    "model_type": "use a JSON object {...}",
    "model_attributes_type": "use a JSON object {...}",
    "list_type": "use a JSON list [...]",
    "float_type": "use a number, e.g. 10",
    "float_parsing": "use a number, e.g. 10",
    "int_type": "use a whole number, e.g. 10",
    "int_parsing": "use a whole number, e.g. 10",
    "bool_type": "use true or false",
    "bool_parsing": "use true or false",
}
_BOUNDS = {"result.max_chars": "50 to 100000", "retry.attempts": "1 to 10", "retry.backoff_s": "0 to 60 seconds"}


def describe(err: dict[str, Any]) -> str:
    """One pydantic error (an item of ``ValidationError.errors()``) as ``field: what is wrong (the fix)``."""
    loc = ".".join(str(p)[:40] for p in err["loc"] if not str(p).startswith(("function-", "tagged-union")))
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] == "union_tag_invalid":
        tag = err.get("ctx", {}).get("tag")
        msg = f"unknown auth type {tag!r}"
    if err["type"] == "union_tag_not_found":
        msg = "no auth \"type\""
    if err["type"] == "literal_error":
        msg = f"unknown {str(err['loc'][-1]) if err['loc'] else 'value'} {repr(err.get('input'))[:60]}"
    fix = _FIXES.get(err["type"])
    if err["type"] == "literal_error":
        fix = "use " + err.get("ctx", {}).get("expected", "an allowed value")
    if err["type"] in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        bounds = _BOUNDS.get(loc, "")
        fix = "use a number of seconds above 0 and at most 300" if loc == "timeout_s" else \
            f"use an allowed number ({bounds})" if bounds else "use an allowed number"
    if err["type"] == "string_too_long":
        fix = "shorten it"
    text = f"{loc}: {msg}" if loc else msg
    text = f"{text} ({fix})" if fix and fix not in text else text
    return re.sub(r"\s*[\r\n]+\s*", " ", text)
