"""Variables as a function-calling tool schema, and tool arguments back to typed values."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from typing import Any, Mapping

from .action import Action, Variable
from .errors import VariableError

EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
PHONE_STRIP_RE = re.compile(r"[\s().\-]")
_TRUE = {"true", "yes", "y", "1", "on", "yeah", "yep", "sure"}
_FALSE = {"false", "no", "n", "0", "off", "nope"}

_JSON_TYPES = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "float": {"type": "number"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "email": {"type": "string", "format": "email"},
    "phone": {"type": "string"},
    "array": {"type": "array"},
    "object": {"type": "object"},
}
_FORMAT_NOTES = {
    "date": "ISO date YYYY-MM-DD",
    "phone": "phone number, digits with optional leading +",
}


_INT_RE = re.compile(r"\s*[+-]?\d[\d,_]*\s*")
_PHONE_RE = re.compile(r"\+?\d{7,15}")


def _fail(var: Variable, expected: str, raw: Any) -> VariableError:
    shown = repr(raw)
    shown = shown if len(shown) <= 80 else f"{shown[:60]}... ({len(shown)} characters)"  # one readable line
    return VariableError(f"{var.name}: expected {expected}, got {shown}")


def _json_value(raw: Any, kind: type) -> Any:
    """A list or dict given as such, or as JSON text (a value from the command line or a form)."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return None
    return raw if isinstance(raw, kind) else None


def coerce(var: Variable, raw: Any) -> Any:
    """One value to the variable's type; the error names the variable and the value."""
    t = var.type
    if t == "string" and raw.__class__ is str:  # the most common case, first
        return raw
    if t == "array":
        items = _json_value(raw, list)
        if items is None and isinstance(raw, str):  # "a, b" from a command line: comma-separated
            items = [part.strip() for part in raw.split(",") if part.strip()]
        if items is None:
            raise _fail(var, "a list, e.g. [\"a\", \"b\"]", raw)
        element = Variable(name=var.name, type=var.items or "string")
        return [coerce(element, item) for item in items]
    if t == "object":
        obj = _json_value(raw, dict)
        if obj is None:
            raise _fail(var, 'a JSON object, e.g. {"key": "value"}', raw)
        return obj
    if t == "string":
        if isinstance(raw, (dict, list)):
            raise _fail(var, "a string", raw)
        return raw if isinstance(raw, str) else ("true" if raw is True else "false" if raw is False else str(raw))
    if t == "integer":
        if isinstance(raw, bool):
            raise _fail(var, "an integer", raw)
        if isinstance(raw, int):
            return raw
        if isinstance(raw, float) and raw.is_integer():
            return int(raw)
        if isinstance(raw, str) and _INT_RE.fullmatch(raw):
            try:
                return int(raw.replace(",", "").replace("_", ""))
            except ValueError:  # more digits than int() accepts
                pass
        raise _fail(var, "an integer", raw)
    if t == "float":
        if isinstance(raw, bool):
            raise _fail(var, "a number", raw)
        if isinstance(raw, (int, float, str)):
            try:
                value = float(raw.replace(",", "").strip()) if isinstance(raw, str) else float(raw)
            except (ValueError, OverflowError):
                raise _fail(var, "a number", raw) from None
            if math.isfinite(value):  # NaN and infinity have no JSON form
                return value
        raise _fail(var, "a number", raw)
    if t == "boolean":
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, (int, str)) and str(raw).strip().lower() in _TRUE | _FALSE:
            return str(raw).strip().lower() in _TRUE
        raise _fail(var, "true or false", raw)
    if t == "date":
        if isinstance(raw, dt.datetime):
            return raw.date().isoformat()
        if isinstance(raw, dt.date):
            return raw.isoformat()
        if isinstance(raw, str):
            try:
                return dt.date.fromisoformat(raw.strip()).isoformat()
            except ValueError:
                pass
        raise _fail(var, "a date as YYYY-MM-DD", raw)
    if t == "email":
        if isinstance(raw, str) and EMAIL_RE.match(raw.strip()):
            return raw.strip()
        raise _fail(var, "an email address like name@example.com", raw)
    if t == "phone":
        text = PHONE_STRIP_RE.sub("", str(raw)) if isinstance(raw, (str, int)) and not isinstance(raw, bool) else ""
        if _PHONE_RE.fullmatch(text):
            return text
        raise _fail(var, "a phone number like +15551234567", raw)
    raise _fail(var, f"a {t}", raw)  # pragma: no cover - VarType is closed


def describe_missing(var: Variable) -> str:
    text = f"{var.name} is required"
    if var.description:
        text += f": {var.description}"
    if var.example not in (None, ""):
        text += f" (e.g. {var.example})"
    return text


def resolve_values(action: Action, values: Mapping[str, Any] | None, *, strict_unknown: bool = False) -> dict[str, Any]:
    """Typed values for every variable of the action: given, else default, else missing.

    Missing required variables raise one error listing each with its description and example.
    Optional variables with neither value nor default resolve to None.
    """
    values = values or {}
    if strict_unknown:
        unknown = sorted(set(values) - {v.name for v in action.variables})
        if unknown:
            known = ", ".join(v.name for v in action.variables) or "no arguments"
            raise VariableError(f"unknown argument {unknown[0]!r}; {action.tool_name} takes: {known}")
    out: dict[str, Any] = {}
    missing: list[str] = []
    for var in action.variables:
        raw = values.get(var.name)
        if raw is None or (isinstance(raw, str) and (not raw or raw.isspace())):  # an empty answer is no answer
            if var.default is not None:
                out[var.name] = coerce(var, var.default)
            elif var.required:
                missing.append(describe_missing(var))
            else:
                out[var.name] = None
            continue
        out[var.name] = coerce(var, raw)
    if missing:
        raise VariableError("; ".join(missing))
    return out


def value_errors(action: Action, values: Mapping[str, Any]) -> dict[str, str]:
    """Every variable whose value cannot be used, with what is wrong with the value typed (all at once)."""
    errors: dict[str, str] = {}
    for var in action.variables:
        raw = values.get(var.name)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if var.required and var.default is None:
                errors[var.name] = describe_missing(var)
            continue
        try:
            coerce(var, raw)
        except VariableError as exc:
            errors[var.name] = str(exc)
    return errors


def tool_schema(action: Action, *, strict: bool = False) -> dict[str, Any]:
    """The action as an OpenAI function tool, generated from its variables."""
    properties: dict[str, Any] = {}
    required: list[str] = []
    for var in action.variables:
        prop = dict(_JSON_TYPES[var.type])
        if var.type == "array":
            prop["items"] = dict(_JSON_TYPES[var.items or "string"])
        notes = [var.description] if var.description else []
        if var.type in _FORMAT_NOTES:
            notes.append(_FORMAT_NOTES[var.type])
        if var.example not in (None, ""):
            notes.append(f"e.g. {var.example}")
        if notes:
            prop["description"] = ". ".join(n.rstrip(".") for n in notes)
        if var.default is not None and not strict:
            prop["default"] = var.default
        if strict and not var.required:
            prop["type"] = [prop["type"], "null"]
        properties[var.name] = prop
        if var.required or strict:
            required.append(var.name)
    if strict:
        for prop in properties.values():
            prop.pop("format", None)
    function: dict[str, Any] = {
        "name": action.tool_name,
        "description": action.description or action.name,
        "parameters": {"type": "object", "properties": properties, "required": required,
                       "additionalProperties": False},
    }
    if strict:
        function["strict"] = True
    return {"type": "function", "function": function}
