"""Drafts: a tweaked action in use instead of its file (from Tweak & rerun), always visible and undoable.

A draft is kept by file path in ``state.OVERRIDES``; :func:`ui.resources.actions` serves it in place of the
file. Every page that runs actions shows :func:`banner`, so a draft is never in effect unseen.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from core.action import Action
from core.store import save_action

from . import state


def drafts() -> dict[str, Action]:
    return state.get(state.OVERRIDES)


def put(path: str, action: Action) -> None:
    drafts()[path] = action


def discard(path: str) -> None:
    drafts().pop(path, None)
    if state.get(state.EDITOR_FILE) == path:  # the editor shows the file again
        state.put(state.EDITOR_FILE, None)


def save(path: str) -> None:
    """Write the draft to its file; the file is then what runs."""
    action = drafts().get(path)
    if action is not None:
        save_action(action, path)
        discard(path)


def banner(where: str = "chat") -> None:
    """``Using a draft of Lookup Order Status: Discard · Save to file``, one line per draft in use."""
    for path, action in list(drafts().items()):
        with st.container(border=True, key=f"draft-{where}-{Path(path).stem}"):
            text, discard_col, save_col = st.columns([6, 1, 1], vertical_alignment="center")
            text.markdown(f":material/edit_note: Using a **draft of {action.name}** in place of `{Path(path).name}` "
                          "(made on Tweak & rerun; the file is unchanged).")
            discard_col.button("Discard", key=f"draft-discard-{where}-{path}", on_click=discard, args=(path,),
                               help="Drop the draft: the file is what runs again", width="stretch")
            save_col.button("Save to file", key=f"draft-save-{where}-{path}", on_click=save, args=(path,),
                            help=f"Write the draft to {path}", width="stretch")
