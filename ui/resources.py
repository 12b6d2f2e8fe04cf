"""Long-lived objects, created once per process with st.cache_resource."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

import httpx
import streamlit as st

from core.action import Action
from core.executor import Executor
from core.http.transport import make_async_client, make_client
from core.llm import ChatModel, make_model
from core.loop import LoopThread
from core.secret import default_resolver, find
from core.store import ActionSet, fingerprint, load_folder

from . import state


@st.cache_resource
def loop() -> LoopThread:
    return LoopThread()


@st.cache_resource
def executor() -> Executor:
    """One shared executor: one httpx client for sends, one async client for the agent."""
    lt = loop()

    async def make_async() -> httpx.AsyncClient:
        return make_async_client()

    return Executor(make_client(), lt.run(make_async()), resolver=default_resolver())


@st.cache_resource
def demo_api() -> dict[str, Any]:
    """The demo API the sample actions talk to, started with the app (secrets set for unset names) on
    ``$PLAYGROUND_DEMO_PORT`` (default 8765). ``error`` says when another program holds that port."""
    from core.demo import base_url, demo_port
    from core.errors import DemoApiError
    from core.session import demo_target

    try:
        target = demo_target()
    except DemoApiError as exc:
        try:
            url = base_url(demo_port())
        except DemoApiError:  # PLAYGROUND_DEMO_PORT is not a port
            url = None
        return {"url": url, "error": str(exc), "started_here": False, "target": None}
    return {"url": target.base_url, "error": None, "started_here": target.server is not None, "target": target}


def runnable(actions: Sequence[Action]) -> list[Action]:
    """The actions as they run: those naming the demo API (http://127.0.0.1:8765) point at the app's
    (``$PLAYGROUND_DEMO_PORT``). Editors keep the actions as their files say."""
    target = demo_api()["target"]
    return target.rebase(actions) if target is not None else list(actions)


@st.cache_resource
def _openai_model(spec: str, base_url: str, api_key: str) -> ChatModel:
    return make_model(spec, base_url=base_url or None, api_key=api_key or None, place="app")


def model() -> ChatModel:
    """The chat model chosen in Settings (a test may inject one under state.MODEL_OVERRIDE)."""
    injected = st.session_state.get(state.MODEL_OVERRIDE)
    if injected is not None:
        return injected
    spec = state.get(state.MODEL_SPEC)
    if spec == "offline":
        return make_model("offline")
    key = state.get(state.API_KEY) or (find("OPENAI_API_KEY") or ("", ""))[0]  # else the CLI's chain: env, secrets.toml
    return _openai_model(spec, state.get(state.BASE_URL), key)


@st.cache_resource
def mcp_pool() -> Any:
    """The MCP servers' connections, on the app's loop (core.mcp.pool.McpPool; the SDK loads on first use)."""
    from core.mcp.pool import McpPool

    return McpPool(loop())


def mcp_sources(actions: Sequence[Action] = ()) -> list[Any]:
    """The MCP servers configured in Settings, connected (each once per process), their tools named so they do
    not clash with ``actions``'. None configured: nothing is loaded."""
    servers = state.get(state.MCP_SERVERS)
    return mcp_pool().sources(servers, [a.tool_name for a in actions]) if servers else []


@st.cache_data(show_spinner=False, max_entries=8)
def _load(folder: str, fp: str) -> ActionSet:
    return load_folder(folder)


def actions() -> ActionSet:
    """The actions folder, reloaded whenever one of its files changes; in-memory edits applied."""
    folder = state.get(state.ACTIONS_DIR)
    loaded = _load(folder, repr(fingerprint(folder)))  # one string: quicker for the cache to hash than the tuple
    overrides: dict[str, Action] = state.get(state.OVERRIDES)
    if not overrides:
        return loaded
    return ActionSet(actions={p: overrides.get(p, a) for p, a in loaded.actions.items()},
                     errors=loaded.errors, fingerprint=loaded.fingerprint)


def actions_folder() -> Path:
    return Path(state.get(state.ACTIONS_DIR))
