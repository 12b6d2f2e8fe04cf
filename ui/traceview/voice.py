"""The voice-call parts of a trace (registered into the panel): what the model received, the retry attempts,
the OAuth2 token requests, the async marker; and the conversation's result variables for the sidebar."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.agent import Conversation
from core.trace import Trace

from . import labels
from .panel import open_call
from .parts import Part, View, body_viewer, register


def draw_async(trace: Trace, view: View) -> None:
    st.info("Async call (mode: async): the model was told it started and did not wait. This result arrived "
            "later and was never given to the model.", icon=":material/schedule:")


def draw_received(trace: Trace, view: View) -> None:
    result = trace.result
    assert result is not None
    if result.picks is not None:
        st.markdown("**Picks** (`result.pick`; each one is a conversation variable)")
        st.dataframe(pd.DataFrame([{"name": k, "value": "null" if v is None else str(v)}
                                   for k, v in result.picks.items()]), hide_index=True, width="stretch")
    cut = f" · **cut** at {result.max_chars:,} characters" if result.cut else f" · at most {result.max_chars:,}"
    st.caption(f"Exactly the text the model received: {len(result.text):,} characters{cut}")
    st.code(result.text, language="json", wrap_lines=True)


def attempts_frame(trace: Trace) -> pd.DataFrame:
    return pd.DataFrame([{"attempt": a.attempt, "outcome": str(a.status_code) if a.status_code is not None
                          else a.error or "?", "error": a.error or "", "took": labels.ms(a.elapsed_ms),
                          "then waited": labels.ms(a.wait_ms) if a.wait_ms else "",
                          "Retry-After": f"{a.retry_after_s:g} s" if a.retry_after_s is not None else ""}
                         for a in trace.attempts])


def draw_attempts(trace: Trace, view: View) -> None:
    st.dataframe(attempts_frame(trace), hide_index=True, width="stretch")


def draw_steps(trace: Trace, view: View) -> None:
    for i, step in enumerate(trace.steps):
        st.markdown(f"**{step.action}** {labels.status_badge(step)}"
                    + (f" · {labels.ms(step.elapsed_ms)}" if step.elapsed_ms else ""))
        if step.request is not None:
            st.code(f"{step.request.method} {step.request.url}", language=None, wrap_lines=True)
            st.json({"headers": step.request.headers, "form": step.request.body}, expanded=False)
        if step.error is not None:
            st.error(labels.error_label(step), icon=":material/error:")
        if step.response is not None:
            body_viewer(step.response.body, is_json=step.response.is_json, key=f"{view.key}-step-{i}")


register(Part("async", "Async", draw_async, slot="head", applies=lambda t: t.mode == "async"), before="problem")
def _reshaped(trace: Trace) -> bool:
    """The model got something else than the status and the response shown beside: picks, a cut, a note."""
    result = trace.result
    return result is not None and (result.picks is not None or result.cut or trace.mode == "async")


register(Part("received", "What the model received", draw_received, applies=_reshaped,
              icon=":material/smart_toy:"), before="response_headers")
register(Part("attempts", "Attempts", draw_attempts, applies=lambda t: bool(t.attempts), icon=":material/replay:"),
         before="received")
register(Part("token_steps", "OAuth2 token request", draw_steps, applies=lambda t: bool(t.steps),
              icon=":material/key:"), before="received")


def variables(conv: Conversation) -> None:
    """The conversation's result variables, each with the call that set it (a click opens that call)."""
    if not conv.variables:
        return
    number = {t.id: i + 1 for i, t in enumerate(conv.traces)}
    st.markdown("**Conversation variables**")
    for name, var in conv.variables.items():
        left, right = st.columns([3, 2], vertical_alignment="center")
        left.markdown(f"`{name}` = `{var.value}`")
        right.button(f"#{number.get(var.trace_id, '?')} {var.action}", key=f"var-{name}", type="tertiary",
                     on_click=open_call, args=(var.trace_id,), help=f"Set by this call (turn {var.turn})")


def pending(conv: Conversation) -> None:
    if conv.pending:
        st.caption(f":material/schedule: {len(conv.pending)} async call(s) still running; their traces appear "
                   "here when they finish.")
