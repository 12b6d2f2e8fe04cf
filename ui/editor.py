"""The action editor's state: load an action into the widgets, and read a draft back out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from core.action import Action, parse_action
from core.errors import PlaygroundError
from core.methods import GENERIC_METHODS, STANDARD_METHODS
from core.store import file_name, save_action
from core.template import parse_body_template

from . import forms, state, voice_editor
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
        E.TARGET: target, E.CONFIRM_DELETE: False, E.EDITED: {}, E.PRISTINE: None, E.PENDING: None,
        E.BASE: {E.HEADERS: forms.pairs_frame(action.headers), E.QUERY: forms.pairs_frame(action.query),
                 E.VARIABLES: forms.variables_frame(action), E.BODY_FIELDS: forms.pairs_frame(auth.get("fields", {})),
                 E.PICKS: voice_editor.picks_frame(action)},
        **voice_editor.values(action),
    })
    for key in (E.HEADERS, E.QUERY, E.VARIABLES, E.BODY_FIELDS, E.PICKS):  # drop the data editors' pending edits
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
    state.get(state.OVERRIDES).pop(target, None)  # a draft of it, if any, is now the file
    st.session_state[E.PRISTINE] = None  # what is saved is the new starting point
    state.put(state.EDITOR_FILE, target)
    st.session_state[E.CHOICE] = target
    state.put(state.EDITOR_NOTICE, f"Saved {target}")


def save_renamed(action: Action, target: str, new_path: str) -> None:
    """Save under the file name that follows the new action name, and remove the old file."""
    save(action, new_path)
    st.session_state[E.TARGET] = new_path
    if Path(new_path) != Path(target):
        Path(target).unlink(missing_ok=True)
        state.get(state.OVERRIDES).pop(target, None)
        state.put(state.EDITOR_NOTICE, f"Saved {new_path} (renamed from {Path(target).name})")


def delete(target: str) -> None:
    """The delete confirmation's callback: remove the file, close it, say so."""
    Path(target).unlink(missing_ok=True)
    state.get(state.OVERRIDES).pop(target, None)
    state.put(state.EDITOR_FILE, None)
    st.session_state.pop(E.CHOICE, None)
    state.put(state.EDITOR_NOTICE, f"Deleted {Path(target).name}")


def duplicate(action: Action, folder: str | Path) -> None:
    """The Duplicate button's callback (callbacks run before the widgets, so they may load the copy)."""
    copy = action.model_copy(update={"name": f"{action.name} (copy)"})
    load(copy, str(file_name(copy, folder)))
    state.put(state.EDITOR_FILE, "draft")
    st.session_state[E.CHOICE] = E.NEW


def method_choices(target: str) -> list[str]:
    """The methods the editor offers under the project's target, and the action's own if it is another one
    (an extension method, or HEAD under synthflow, where lint says why it cannot be sent)."""
    offered = list(GENERIC_METHODS if target == "generic" else STANDARD_METHODS)
    current = st.session_state.get(E.METHOD)
    return offered + [current] if current and current not in offered else offered


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
    if auth_type == "oauth2_client_credentials":
        auth.update(voice_editor.oauth_auth())
    return {"name": s[E.NAME], "description": s[E.DESCRIPTION], "method": s[E.METHOD], "url": s[E.URL], "auth": auth,
            "headers": forms.pairs_from_frame(frames[E.HEADERS]), "query": forms.pairs_from_frame(frames[E.QUERY]),
            "body": None, "body_format": s.get(E.BODY_FORMAT, "json"),
            "variables": forms.variables_from_frame(frames[E.VARIABLES]), "timeout_s": s[E.TIMEOUT],
            **voice_editor.fields(frames[E.PICKS])}


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


# -- unsaved edits ----------------------------------------------------------------------------------------
def _snapshot(frames: dict[str, pd.DataFrame]) -> str:
    data = draft(frames)
    data["body"] = st.session_state.get(E.BODY, "")
    return json.dumps(data, sort_keys=True, default=str)


def track(frames: dict[str, pd.DataFrame]) -> bool:
    """Whether the editor holds unsaved edits (its content differs from what was loaded or last saved)."""
    snap = _snapshot(frames)
    if st.session_state.get(E.PRISTINE) is None:
        st.session_state[E.PRISTINE] = snap
    return snap != st.session_state[E.PRISTINE]


def _open_choice() -> str | None:
    """The list entry whose content the editor holds (None: nothing loaded)."""
    loaded = state.get(state.EDITOR_FILE)
    return E.NEW if loaded == "draft" else loaded


def guard_switch() -> None:
    """The file list's on_change: with unsaved edits, stay on the open file and ask first (see ``ask``)."""
    wanted, current = st.session_state.get(E.CHOICE), _open_choice()
    if current is None or wanted == current or st.session_state.get(E.PRISTINE) is None:
        return
    frames = {**st.session_state[E.BASE], **(st.session_state.get(E.EDITED) or {})}
    if _snapshot(frames) != st.session_state[E.PRISTINE]:
        st.session_state[E.PENDING] = wanted
        st.session_state[E.CHOICE] = current


def _open_pending() -> None:
    st.session_state[E.CHOICE] = st.session_state.get(E.PENDING)
    st.session_state[E.PENDING] = None
    state.put(state.EDITOR_FILE, None)  # load the picked one


def save_and_open(action: Action, target: str) -> None:
    save(action, target)
    _open_pending()


def keep_editing() -> None:
    st.session_state[E.PENDING] = None


def ask(action: Action | None, target: str) -> None:
    """Unsaved edits and another file picked: save them, drop them, or keep editing."""
    pending = st.session_state.get(E.PENDING)
    if not pending:
        return
    name = st.session_state.get(E.NAME) or Path(target).name
    where = "a new action" if pending == E.NEW else f"`{Path(pending).name}`"
    with st.container(border=True, key="unsaved-edits"):
        st.warning(f"**{name}** has unsaved edits. Save them before opening {where}?", icon=":material/warning:")
        a, b, c = st.columns(3)
        a.button("Save and open", type="primary", icon=":material/save:", disabled=action is None, width="stretch",
                 on_click=save_and_open, args=(action, target),
                 help="Fix the errors shown below first" if action is None else f"Save to {target}, then open it")
        b.button("Discard edits and open", icon=":material/delete_sweep:", width="stretch", on_click=_open_pending)
        c.button("Keep editing", width="stretch", on_click=keep_editing)
