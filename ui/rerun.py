"""The Tweak & rerun page's pieces: running a rerun with the chosen safety, and drawing the honest diff."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Sequence

import pandas as pd
import streamlit as st

from core.action import Action
from core.agent import Conversation, TurnDiff
from core.recording import request_changes
from core.recording.changes import short
from core.recording.fingerprint import digest
from core.rerun import arerun
from core.trace import Trace

from . import resources
from .traceview.labels import status_badge

#: How each call of a rerun went out, as a badge (every call is marked).
DELIVERY = {"sent": ":blue-badge[:material/send: sent]", "replayed": ":gray-badge[:material/replay: replayed]",
            "dry_run": ":violet-badge[:material/visibility: dry run]",
            "held": ":orange-badge[:material/pan_tool: held, not sent]"}


@dataclass
class RerunResult:
    old: Conversation
    new: Conversation
    signature: str  # the form and the choices it was made with (another = the result is stale)
    policy: str
    replay_model: bool
    approved: list[str] = field(default_factory=list)


def signature(path: str, edited: Action | None, policy: str, replay_model: bool) -> str:
    return digest([path, edited.to_file_dict() if edited else None, policy, replay_model])


def run(old: Conversation, actions: Sequence[Action], *, policy: str, replay_model: bool, approved: Sequence[str],
        sig: str) -> RerunResult:
    """The old conversation's user turns again with ``actions``, on the app's loop and shared executor."""
    runnable = resources.runnable(actions)
    model = None if replay_model else resources.model()
    new = resources.loop().run(arerun(old, model, runnable, resources.executor(), policy=policy,
                                      approved=approved, replay_model=replay_model,
                                      sources=resources.mcp_sources(actions)))
    return RerunResult(old=old, new=new, signature=sig, policy=policy, replay_model=replay_model,
                       approved=list(approved))


def delivery(trace: Trace | None) -> str:
    return DELIVERY.get(trace.delivery or "", "") if trace is not None else ""


def request_table(old: Trace | None, new: Trace | None) -> None:
    """The request difference field by field (URL, query, header, body): one row per changed field."""
    if old is None or new is None or old.request is None or new.request is None:
        return
    rows = [{"field": c.path, "before": "" if c.kind == "added" else short(c.old, 80),
             "after": "" if c.kind == "removed" else short(c.new, 80)} for c in request_changes(old.request,
                                                                                                  new.request)]
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _side(title: str, turn: object, traces: dict[str, Trace], changed: Sequence[str]) -> None:
    st.caption(title)
    if turn is None:
        st.caption("(no such turn)")
        return
    for call in turn.calls:  # type: ignore[attr-defined]
        trace = traces.get(call.trace_id)
        mark = ":orange[:material/swap_horiz:] " if "action" in changed else ""
        st.markdown(f"{mark}`{call.tool_name}` " + (f"{status_badge(trace)} {delivery(trace)}" if trace else ""))
        st.code(json.dumps(call.arguments, ensure_ascii=False, default=str), language="json", wrap_lines=True)
    if not turn.calls:  # type: ignore[attr-defined]
        st.markdown(("".join([":orange[:material/swap_horiz:] "] if "action" in changed else []))
                    + "_no action called_")
    text = turn.reply or turn.error or ""  # type: ignore[attr-defined]
    (st.warning if "reply" in changed or "error" in changed else st.markdown)(text or "_(no reply)_")


def turn_diff(diff: TurnDiff, old: dict[str, Trace], new: dict[str, Trace]) -> None:
    """One turn: what changed in words, the request field by field, then before and after side by side."""
    badges = " ".join(f":orange-badge[{c} changed]" for c in diff.changed)
    st.markdown(f"**Turn {diff.index + 1}** · _{diff.user}_ {badges}")
    for detail in diff.details:
        if not detail.startswith(("request:", "reply")):
            st.caption(detail)
    for call in diff.calls:
        if call.request or (call.old_tool == call.new_tool and call.arguments):
            request_table(old.get(call.old_trace or ""), new.get(call.new_trace or ""))
    left, right = st.columns(2)
    with left.container(border=True):
        _side("Before", diff.old, old, diff.changed)
    with right.container(border=True):
        _side("After", diff.new, new, diff.changed)


def held_notes(traces: Sequence[Trace]) -> list[str]:
    """What each held call would send and why it was held, one line each."""
    return [f"`{t.request.method} {t.request.url}`: {(t.hints or [''])[0]}" for t in traces if t.request]
