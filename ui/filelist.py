"""The Actions page's file list: a search box, then each file with its status (lint errors, a draft)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import streamlit as st

from core.action import Action
from core.lint import lint
from core.store import ActionSet

from .state import Editor as E


def status(action: Action, *, target: str, draft: bool) -> str:
    """``:red[2 errors]``, ``:orange[1 warning]``, ``:orange[draft]``: what the list says after a file's name."""
    findings = lint(action, target=target)
    errors = sum(f.severity == "error" for f in findings)
    warnings = sum(f.severity == "warning" for f in findings)
    parts = [":orange[:material/edit_note: draft]"] if draft else []
    if errors:
        parts.append(f":red[:material/error: {errors} error{'s' * (errors > 1)}]")
    elif warnings:
        parts.append(f":orange[{warnings} warning{'s' * (warnings > 1)}]")
    return " · ".join(parts)


def matches(query: str, path: str, action: Action) -> bool:
    words = query.lower().split()
    text = f"{action.name} {Path(path).name} {action.url}".lower()
    return all(w in text for w in words)


def file_list(action_set: ActionSet, *, target: str, drafts: dict[str, Action],
              on_change: Callable[[], None]) -> str:
    """The list (the file picked stays listed whatever the search); the entry picked."""
    paths = list(action_set.actions)
    query = st.text_input("Search", key=E.SEARCH, placeholder="Search by name, file or URL",
                          icon=":material/search:", label_visibility="collapsed")
    current = st.session_state.get(E.CHOICE)
    shown = [p for p in paths if not query.strip() or p == current or matches(query, p, action_set.actions[p])]
    if query.strip():
        st.caption(f"{len(shown)} of {len(paths)} action files")
    labels = {p: f"{action_set.actions[p].name}\n\n`{Path(p).name}`"
              + (f" {s}" if (s := status(action_set.actions[p], target=target, draft=p in drafts)) else "")
              for p in shown}
    return st.radio("Action files", [E.NEW, *shown], key=E.CHOICE, on_change=on_change,
                    format_func=lambda p: p if p == E.NEW else labels[p])
