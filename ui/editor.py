"""The action editor's state: load an action into the widgets, and read a draft back out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from core.action import Action, parse_action
from core.errors import PlaygroundError
from core.store import file_name, save_action
from core.template import parse_body_template

from . import forms, state
from .state import Editor as E

_SECRET_FIELDS = {"bearer": {E.TOKEN: "token"}, "basic": {E.USERNAME: "username", E.PASSWORD: "password"},
                  "header": {E.HEADER_NAME: "name", E.HEADER_VALUE: "value"}}


def load(action: Action, target: str) -> None:
    """Put ``action`` into the editor widgets; ``target`` is the file a save writes to."""
    auth = action.auth.model_dump()
    st.session_state.update({
        E.NAME: action.name, E.DESCRIPTION: action.description, E.METHOD: action.method, E.URL: action.url,
        E.AUTH_TYPE: action.auth.type, E.TOKEN: auth.get("token", ""), E.USERNAME: auth.get("username", ""),
        E.PASSWORD: auth.get("password", ""), E.HEADER_NAME: auth.get("name", "X-API-Key"),
        E.HEADER_VALUE: auth.get("value", ""), E.TIMEOUT: float(action.timeout_s),
        E.BODY: "" if action.body is None else action.body if isinstance(action.body, str)
        else json.dumps(action.body, indent=2, ensure_ascii=False), E.BODY_FORMAT: action.body_format,
        E.TARGET: target, E.CONFIRM_DELETE: False, E.EDITED: {},
        E.BASE: {E.HEADERS: forms.pairs_frame(action.headers), E.QUERY: forms.pairs_frame(action.query),
                 E.VARIABLES: forms.variables_frame(action), E.BODY_FIELDS: forms.pairs_frame(auth.get("fields", {}))},
    })
    for key in (E.HEADERS, E.QUERY, E.VARIABLES, E.BODY_FIELDS):  # drop the data editors' pending edits
        st.session_state.pop(key, None)


def restore_edits() -> None:
    """Start the data editors from their latest edits when Streamlit dropped them (a page switch)."""
    base, edited = st.session_state[E.BASE], st.session_state.get(E.EDITED) or {}
    for key, frame in edited.items():
        if key not in st.session_state:
            base[key] = frame


def remember_edits(frames: dict[str, pd.DataFrame]) -> None:
    st.session_state[E.EDITED] = frames


def save(action: Action, target: str) -> None:
    """The Save button's callback: write the file, then select it in the list (a new file too)."""
    save_action(action, target)
    state.get(state.OVERRIDES).pop(target, None)
    state.put(state.EDITOR_FILE, target)
    st.session_state[E.CHOICE] = target
    state.put(state.EDITOR_NOTICE, f"Saved {target}")


def duplicate(action: Action, folder: str | Path) -> None:
    """The Duplicate button's callback (callbacks run before the widgets, so they may load the copy)."""
    copy = action.model_copy(update={"name": f"{action.name} (copy)"})
    load(copy, str(file_name(copy, folder)))
    state.put(state.EDITOR_FILE, "draft")
    st.session_state[E.CHOICE] = E.NEW


def body_value(text: str, body_format: str = "json") -> Any:
    """The body field as the action file stores it: None, a JSON value, or a JSON template as text
    (a text body stays the text as written).

    Raises a PlaygroundError when the text is neither valid JSON nor a valid template."""
    if not text.strip():
        return None
    if body_format == "text":
        return text
    try:
        return json.loads(text)
    except ValueError:
        parse_body_template(text)  # raises with the line and column when the template is broken
        return text


def draft(frames: dict[str, pd.DataFrame]) -> dict[str, Any]:
    """The action file dict the widgets describe (not validated)."""
    s = st.session_state
    auth_type = s[E.AUTH_TYPE]
    auth: dict[str, Any] = {"type": auth_type}
    auth.update({field: s[key] for key, field in _SECRET_FIELDS.get(auth_type, {}).items()})
    if auth_type == "body":
        auth["fields"] = forms.pairs_from_frame(frames[E.BODY_FIELDS])
    return {"name": s[E.NAME], "description": s[E.DESCRIPTION], "method": s[E.METHOD], "url": s[E.URL], "auth": auth,
            "headers": forms.pairs_from_frame(frames[E.HEADERS]), "query": forms.pairs_from_frame(frames[E.QUERY]),
            "body": None, "body_format": s.get(E.BODY_FORMAT, "json"),
            "variables": forms.variables_from_frame(frames[E.VARIABLES]), "timeout_s": s[E.TIMEOUT]}


def build(frames: dict[str, pd.DataFrame]) -> tuple[Action | None, list[str]]:
    """The validated action, or the errors (body first) that stop it from saving."""
    data, errors = draft(frames), []
    try:
        data["body"] = body_value(st.session_state[E.BODY], data["body_format"])
    except PlaygroundError as exc:
        errors.append(str(exc))
    try:
        action = parse_action(data, source="action")
    except PlaygroundError as exc:
        return None, errors + [str(exc)]
    return (None if errors else action), errors
