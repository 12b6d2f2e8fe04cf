"""A widget for each variable type (a date picker for dates, a number box for numbers...), pre-filled
from the variable's example; the value comes back typed, or None when left empty."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import streamlit as st

from core.action import Variable


def _number(example: Any, kind: type) -> Any:
    try:
        return kind(example) if example not in (None, "") and not isinstance(example, bool) else None
    except (TypeError, ValueError):
        return None


def _date(example: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(example)) if example not in (None, "") else None
    except ValueError:
        return None


def label(var: Variable) -> str:
    return f"{var.name} · {var.type}{' · required' if var.required else ''}"


def value_input(var: Variable, key: str) -> Any:
    """The widget for ``var``; its value (a typed value, text to check, or None for "not given")."""
    ex, help_ = var.example, var.description or None
    if var.type == "integer":
        return st.number_input(label(var), value=_number(ex, int), step=1, key=key, help=help_,
                               placeholder="a whole number")
    if var.type == "float":
        return st.number_input(label(var), value=_number(ex, float), step=0.1, format="%g", key=key,
                               help=help_, placeholder="a number")
    if var.type == "boolean":
        default = {True: "true", False: "false"}.get(ex if isinstance(ex, bool) else str(ex).lower() == "true"
                                                     if ex not in (None, "") else None)
        choice = st.segmented_control(label(var), ["true", "false"], default=default, key=key, help=help_)
        return None if choice is None else choice == "true"
    if var.type == "date":
        return st.date_input(label(var), value=_date(ex), format="YYYY-MM-DD", key=key, help=help_)
    if var.type in ("array", "object"):
        text = "" if ex in (None, "") else ex if isinstance(ex, str) else json.dumps(ex)
        return st.text_area(label(var), text, key=key, help=help_, height=80,
                            placeholder='["a", "b"]' if var.type == "array" else '{"key": "value"}')
    placeholder = {"email": "name@example.com", "phone": "+15551234567"}.get(var.type)
    return st.text_input(label(var), "" if ex is None else str(ex), key=key, help=help_, placeholder=placeholder)
