"""An MCP tool call in the trace view: the MCP request and response in place of the HTTP ones."""

from __future__ import annotations

import streamlit as st

from core.trace import Trace

from . import labels
from .parts import Part, View, body_viewer, register


def _is_mcp(trace: Trace) -> bool:
    return trace.mcp is not None


def draw_target(trace: Trace, view: View) -> None:
    exchange = trace.mcp
    assert exchange is not None
    st.code(f"MCP {exchange.server} · tools/call {exchange.request.get('params', {}).get('name', trace.action)}\n"
            f"{exchange.transport}: {exchange.target}", language=None, wrap_lines=True)


def draw_mcp_request(trace: Trace, view: View) -> None:
    st.markdown("**MCP request**")
    body_viewer(trace.mcp.request if trace.mcp else None, is_json=True, key=f"{view.key}-mcp-request")


def draw_mcp_response(trace: Trace, view: View) -> None:
    exchange = trace.mcp
    st.markdown("**MCP response**")
    if exchange is None or exchange.response is None:
        st.caption("No response: " + (labels.error_title(trace).lower() if trace.error else "the call was not sent")
                   + ".")
        return
    facts = [labels.ms(trace.elapsed_ms)] + (["isError: true"] if exchange.is_error else [])
    st.markdown(f"{labels.status_badge(trace)} " + " · ".join(facts))
    body_viewer(exchange.response, is_json=True, key=f"{view.key}-mcp-response")


register(Part("mcp_target", "MCP server", draw_target, slot="head", applies=_is_mcp), before="problem")
register(Part("mcp_request", "MCP request", draw_mcp_request, slot="left", applies=_is_mcp))
register(Part("mcp_response", "MCP response", draw_mcp_response, slot="right", applies=_is_mcp))
