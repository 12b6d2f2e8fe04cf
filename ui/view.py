"""Renderers of core objects (traces, calls, findings). No logic: core decides, this shows."""

from __future__ import annotations

import json
from typing import Any, Sequence

import pandas as pd
import streamlit as st

from core.agent import CallRecord
from core.lint import Finding
from core.render import RenderedRequest
from core.trace import Trace, to_curl


def status_color(code: int | None, error: str | None = None) -> str:
    if code is None:
        return "red"
    if code >= 500:
        return "red"
    if code >= 400:
        return "orange"
    return "orange" if error else "green"


def status_badge(trace: Trace) -> str:
    """A coloured status code as Streamlit markdown, e.g. ``:green-badge[200]``."""
    code = trace.status_code
    label = str(code) if code is not None else (trace.error.kind if trace.error else "?")
    if trace.error and code is not None and code < 400:
        label += f" · {trace.error.kind}"
    return f":{status_color(code, trace.error.kind if trace.error else None)}-badge[{label}]"


def call_label(trace: Trace) -> str:
    ms = f" · {trace.elapsed_ms:.0f} ms" if trace.response else ""
    return f"{trace.action} {status_badge(trace)}{ms}"


def request_view(req: RenderedRequest | None) -> None:
    if req is None:
        st.caption("Not sent: the request could not be rendered.")
        return
    st.code(f"{req.method} {req.url}", language="http", wrap_lines=True)
    if req.headers:
        st.markdown("**Headers**")
        st.json(req.headers, expanded=True)
    if req.query:
        st.markdown("**Query**")
        st.json(req.query, expanded=True)
    if req.body is not None:
        st.markdown("**Body**")
        st.json(req.body, expanded=True)


def response_view(trace: Trace) -> None:
    resp = trace.response
    if resp is None:
        st.caption("No response.")
        return
    st.markdown(f"{status_badge(trace)} {resp.reason} · {resp.elapsed_ms:.0f} ms · {resp.size_bytes} bytes"
                + (" · **truncated**" if resp.truncated else ""))
    if resp.redirects:
        st.caption("Redirected via: " + " → ".join(resp.redirects))
    if resp.is_json:
        st.json(resp.body, expanded=2)
    else:
        st.code(str(resp.body)[:5000], language="html" if "<" in str(resp.body)[:50] else None, wrap_lines=True)


def problems(trace: Trace) -> None:
    """The error as an error callout, the hints as warnings."""
    if trace.error:
        st.error(f"**{trace.error.kind}**: {trace.error.message}")
    for hint in trace.hints:
        (st.warning if trace.error else st.info)(hint, icon="💡")


def trace_panel(trace: Trace, *, revealed: RenderedRequest | None = None, key: str = "",
                number: int | None = None) -> None:
    """One call in full: method and URL, status, latency, request, response, problems, cURL."""
    st.markdown(f"{f'#{number} ' if number else ''}**{trace.action}** {status_badge(trace)}"
                + (f" · `{trace.elapsed_ms:.0f} ms`" if trace.response else ""))
    if trace.request:
        st.caption(f"{trace.request.method} {trace.request.url}")
    problems(trace)
    with st.expander("Request" + (" (secrets revealed)" if revealed else " (secrets masked)")):
        request_view(revealed or trace.request)
    with st.expander("Response", expanded=trace.error is not None and trace.response is not None):
        response_view(trace)
    if trace.request:
        with st.expander("Copy as cURL"):
            st.code(to_curl(revealed or trace.request), language="bash", wrap_lines=True)


def call_status(call: CallRecord, trace: Trace | None) -> None:
    """A past tool call inline in the chat: action, arguments, status badge and latency.

    An expander with the status icon, not ``st.status``: that one waits 50 ms per call (for live
    updates), which a conversation of 100 calls would pay on every rerun."""
    failed = trace is not None and trace.error is not None
    label = call_label(trace) if trace else call.tool_name
    with st.expander(label, icon=":material/error:" if failed else ":material/check:"):
        st.markdown(f"`{call.tool_name}` called with:")
        st.json(call.arguments if isinstance(call.arguments, (dict, list)) else {"raw": call.arguments})
        if trace is not None:
            problems(trace)


_COLORS = {"green": "#21c354", "orange": "#ffa421", "red": "#ff4b4b"}


def latency_chart(traces: Sequence[Trace]) -> None:
    """Latency per call, numbered in order and coloured by outcome (timeouts included); hover for details.

    Numbers on the axis, not names: the sidebar is narrow and long names would hide the bars."""
    rows = [{"call": i + 1, "action": t.action, "ms": round(t.elapsed_ms, 1),
             "status": str(t.status_code) if t.status_code is not None else t.error.kind if t.error else "?",
             "color": _COLORS[status_color(t.status_code, t.error.kind if t.error else None)]}
            for i, t in enumerate(traces) if t.response is not None or (t.error is not None and t.elapsed_ms > 0)]
    if not rows:
        return
    st.vega_lite_chart(pd.DataFrame(rows), {
        "mark": {"type": "bar"},
        "encoding": {
            "x": {"field": "call", "type": "ordinal", "title": "call", "axis": {"labelAngle": 0, "labelOverlap": True}},
            "y": {"field": "ms", "type": "quantitative", "title": "ms"},
            "color": {"field": "color", "type": "nominal", "scale": None, "legend": None},
            "tooltip": [{"field": "call"}, {"field": "action"}, {"field": "status"},
                        {"field": "ms", "type": "quantitative", "title": "ms"}],
        },
    }, height=140, width="stretch")


def findings(items: Sequence[Finding]) -> None:
    if not items:
        st.success("No lint findings.", icon="✅")
    for f in items:
        show = {"error": st.error, "warning": st.warning}.get(f.severity, st.info)
        show(f"`{f.field}`: {f.message}")


def pretty(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)
