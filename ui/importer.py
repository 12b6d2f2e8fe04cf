"""The Actions page's import section: a cURL command, or an OpenAPI document (pasted, or a JSON/YAML file)
whose operations are listed with a search box and imported several at once. Errors are one line, never
a traceback."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from core.action import Action
from core.errors import PlaygroundError
from core.importers import candidates, import_curl, with_variables
from core.importers.openapi import import_operations, list_operations, load_document
from core.store import file_name, save_action

from . import state

NOT_SENDABLE = ("head", "options", "trace")


def _fail(exc: Exception) -> None:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    st.error(text if isinstance(exc, PlaygroundError) else f"Could not import it: {text}")


def curl_section() -> Action | None:
    """A cURL command -> an action to open in the editor (literal values may become variables)."""
    cmd = st.text_area("cURL command", key="new_curl", height=120,
                       placeholder="curl -H 'Authorization: Bearer …' 'https://api.example.com/orders?status=open'")
    name = st.text_input("Name (optional)", key="new_curl_name", placeholder="from the method and the path")
    if st.button("Read the command", disabled=not cmd.strip(), icon=":material/terminal:"):
        try:
            state.put(state.IMPORT_CURL, import_curl(cmd, name=name.strip() or None))
        except Exception as exc:  # noqa: BLE001 - a pasted command must never show a traceback
            state.put(state.IMPORT_CURL, None)
            _fail(exc)
    result = state.get(state.IMPORT_CURL)
    if result is None:
        return None
    action = result.action
    st.markdown(f"**{action.name}**: `{action.method} {action.url}`")
    for note in result.notes:
        st.info(note, icon=":material/info:")
    for line in result.secret_notes():
        st.warning(line, icon=":material/key:")
    offered = candidates(action)
    chosen = st.multiselect("Make these literal values variables", offered,
                            format_func=lambda c: f"{c.label} = {c.value!r} ({c.type})", key="new_curl_vars") \
        if offered else []
    if st.button("Open in the editor", type="primary", icon=":material/edit:"):
        state.put(state.IMPORT_CURL, None)
        return with_variables(action, chosen) if chosen else action
    return None


def _document(text: str) -> tuple[Any, pd.DataFrame]:
    """The document and one row per operation (what it becomes), cached for the same text."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    cached = state.get(state.IMPORT_DOC)
    if cached and cached[0] == digest:
        return cached[1], cached[2]
    doc = load_document("the document", text=text)
    rows = []
    for op in list_operations(doc):
        sendable = op.method not in NOT_SENDABLE
        built = import_operations(doc, [op], strict=False) if sendable else None
        action = built.actions[0] if built and built.actions else None
        rows.append({"operation": op.key, "becomes": action.name if action else "(not importable)",
                     "variables": len(action.variables) if action else 0,
                     "auth": action.auth.type if action else "",
                     "url": action.url if action else (built.skipped[0] if built and built.skipped else
                                                       f"{op.method.upper()} operations are not imported"),
                     "search": " ".join([op.key, op.operation_id, op.summary, *op.tags]).lower()})
    frame = pd.DataFrame(rows, columns=["operation", "becomes", "variables", "auth", "url", "search"])
    state.put(state.IMPORT_DOC, (digest, doc, frame))
    return doc, frame


def openapi_section(folder: str | Path) -> None:
    """Paste or upload a document, pick operations, import them into ``folder`` (never over a file)."""
    upload = st.file_uploader("OpenAPI or Swagger file", type=["json", "yaml", "yml"], key="new_openapi_file")
    pasted = st.text_area("…or paste it (JSON or YAML)", key="new_openapi", height=120)
    text = upload.getvalue().decode("utf-8", "replace") if upload is not None else pasted
    if not text.strip():
        return
    try:
        doc, frame = _document(text)
    except Exception as exc:  # noqa: BLE001 - someone else's document must never show a traceback
        _fail(exc)
        return
    st.caption(f"{doc.title or 'Untitled API'} · OpenAPI {doc.version} · {len(frame)} operations")
    query = st.text_input("Search operations", key="new_openapi_search", placeholder="path, name, tag…",
                          icon=":material/search:").strip().lower()
    shown = frame[frame["search"].str.contains(query, regex=False)] if query else frame
    st.dataframe(shown.drop(columns=["search"]), hide_index=True, width="stretch",
                 height=min(38 + 35 * len(shown), 320))
    picked = st.multiselect("Operations to import", list(shown["operation"]), key="new_openapi_pick",
                            placeholder="pick one or more from the list above")
    server = st.text_input("Server (optional)", key="new_openapi_server", placeholder="https://… instead of the "
                           "document's servers")
    if st.button(f"Import {len(picked)} operation(s)", type="primary", disabled=not picked,
                 icon=":material/download:"):
        ops = [op for op in list_operations(doc) if op.key in picked]
        try:
            result = import_operations(doc, ops, server=server.strip() or None, strict=False)
            written = []
            for action in result.actions:
                path = file_name(action, folder)
                save_action(action, path)
                written.append(str(path))
            state.put(state.IMPORT_DONE, {"files": written, "notes": result.notes + result.secret_notes(),
                                          "skipped": result.skipped})
        except Exception as exc:  # noqa: BLE001
            _fail(exc)
    done = state.get(state.IMPORT_DONE)
    if done:
        st.success(f"Imported {len(done['files'])} action(s): " + ", ".join(f"`{Path(f).name}`" for f in done["files"]))
        for note in done["notes"]:
            st.info(note, icon=":material/info:")
        for skipped in done["skipped"]:
            st.warning(skipped, icon=":material/block:")
