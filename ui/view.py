"""Renderers of core objects other than traces (those are in ``ui.trace``). No logic: core decides, this shows."""

from __future__ import annotations

import json
from typing import Any, Sequence

import streamlit as st

from core.lint import Finding
from core.render import RenderedRequest

from .traceview.labels import status_badge  # noqa: F401  (pages show a call's status with it)


def request_view(req: RenderedRequest | None) -> None:
    """A request that was not sent (a preview): method and URL as text, then headers, query and body."""
    if req is None:
        st.caption("Not sent: the request could not be rendered.")
        return
    st.code(f"{req.method} {req.url}", language=None, wrap_lines=True)
    for title, values in (("Headers", req.headers), ("Query", req.query)):
        if values:
            st.markdown(f"**{title}**")
            st.json(values, expanded=True)
    if req.body is not None:
        st.markdown("**Body**")
        st.json(req.body, expanded=True)


def findings(items: Sequence[Finding]) -> None:
    if not items:
        st.success("No lint findings.", icon=":material/check_circle:")
    for f in items:
        show = {"error": st.error, "warning": st.warning}.get(f.severity, st.info)
        show(f"`{f.field}`: {f.message}")


def pretty(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, default=str)
