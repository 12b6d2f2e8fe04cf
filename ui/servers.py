"""Settings: the MCP servers whose tools join the enabled actions in Chat (add, status and tool count,
restart after a fix, remove)."""

from __future__ import annotations

import streamlit as st

from core.mcp.spec import parse_spec

from . import resources, state

_STATUS = {"ready": ":material/check_circle: ready", "failed": ":material/error: failed",
           "connecting": ":material/hourglass_empty: connecting", "stopped": ":material/stop_circle: stopped"}


def _add(target: str) -> None:
    try:
        spec = parse_spec(target)
    except ValueError as exc:
        st.error(f"{exc}")
        return
    servers = state.get(state.MCP_SERVERS)
    if spec.target not in servers:
        state.put(state.MCP_SERVERS, [*servers, spec.target])
    st.rerun()


def mcp_settings() -> None:
    st.subheader("MCP servers")
    st.caption("The tools of these MCP servers join the enabled actions in Chat, and their calls show in the "
               "debug sidebar. A command is started here and spoken to over stdio; an http(s) URL is a "
               "streamable HTTP server.")
    with st.form("mcp_add", clear_on_submit=True, border=False):
        target = st.text_input("Command or URL", key="mcp_new_target",
                               placeholder="python my_server.py   or   http://127.0.0.1:8000/mcp")
        if st.form_submit_button("Add server", icon=":material/add:") and target.strip():
            _add(target)
    servers = state.get(state.MCP_SERVERS)
    if not servers:
        st.caption("No MCP server configured.")
        return
    with st.spinner("Connecting to the MCP servers…"):
        sources = resources.mcp_sources()
    for i, source in enumerate(sources):
        with st.container(border=True):
            tools = source.schemas()
            head, restart, remove = st.columns([6, 1, 1], vertical_alignment="center")
            head.markdown(f"**{source.name}** · {_STATUS.get(source.status, source.status)} · "
                          f"{len(tools)} tool{'s' if len(tools) != 1 else ''}  \n`{source.spec.shown_target}`")
            if restart.button("Restart", key=f"mcp_restart_{i}", icon=":material/restart_alt:",
                              help="Close the server and start it again (after fixing it)"):
                resources.mcp_pool().restart(source.spec.target)
                st.rerun()
            if remove.button("Remove", key=f"mcp_remove_{i}", icon=":material/delete:"):
                resources.mcp_pool().remove(source.spec.target)
                state.put(state.MCP_SERVERS, [s for s in servers if s != source.spec.target])
                st.rerun()
            if source.error:
                st.error(source.error)
            if tools:
                st.markdown("\n".join(f"- `{t['function']['name']}`: {t['function']['description']}" for t in tools))


def mcp_caption() -> str:
    """For the Chat page: the MCP servers whose tools the agent has, e.g. `` MCP: weather (4 tools).``"""
    if not state.get(state.MCP_SERVERS):
        return ""
    parts = [f"{s.name} ({len(s.schemas())} tools)" if s.status == "ready" else f"{s.name} ({s.status})"
             for s in resources.mcp_sources()]
    return " MCP: " + ", ".join(parts) + " (Settings)."
