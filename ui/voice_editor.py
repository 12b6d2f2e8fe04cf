"""The action editor's voice-call fields: OAuth2 client credentials, result picks, retry, speak_during, mode.

``values(action)`` puts them into the widgets' session state, ``fields()`` reads them back into the action
file's shape, ``oauth_inputs()`` and ``tab()`` draw them. A field left at its default is not written."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from core.action import DEFAULT_RETRY_ON, MODES, RETRY_KINDS, Action

from . import forms
from .state import Editor as E

#: what the "retry on" list offers besides what the action already has
RETRY_CHOICES: list[Any] = [*RETRY_KINDS, 408, 425, 429, 500, 502, 503, 504]


def picks_frame(action: Action) -> pd.DataFrame:
    return pd.DataFrame([{"name": k, "path": v} for k, v in action.picks.items()], columns=["name", "path"]).astype(str)


def values(action: Action) -> dict[str, Any]:
    """Session-state values for the voice widgets (and the picks' starting frame, under E.PICKS)."""
    auth = action.auth.model_dump()
    retry = action.retry
    return {
        E.TOKEN_URL: auth.get("token_url", ""), E.CLIENT_ID: auth.get("client_id", ""),
        E.CLIENT_SECRET: auth.get("client_secret", ""), E.SCOPE: auth.get("scope", ""),
        E.CLIENT_AUTH: auth.get("client_auth", "basic"),
        E.MAX_CHARS: int(action.result.max_chars or 0) if action.result else 0,
        E.RETRY: retry is not None, E.ATTEMPTS: retry.attempts if retry else 3,
        E.BACKOFF: float(retry.backoff_s) if retry else 0.5,
        E.RETRY_ON: list(retry.on) if retry else list(DEFAULT_RETRY_ON), E.RETRY_WRITES: action.retry_writes,
        E.SPEAK_DURING: action.speak_during or "", E.MODE: action.mode,
    }


def oauth_auth() -> dict[str, Any]:
    s = st.session_state
    return {"token_url": s[E.TOKEN_URL], "client_id": s[E.CLIENT_ID], "client_secret": s[E.CLIENT_SECRET],
            "scope": s[E.SCOPE], "client_auth": s[E.CLIENT_AUTH]}


def fields(picks: pd.DataFrame) -> dict[str, Any]:
    """The voice fields of the action file, as the widgets describe them (defaults left out)."""
    s = st.session_state
    out: dict[str, Any] = {}
    pick = {k: v for k, v in forms.pairs_from_frame(picks.rename(columns={"name": "key", "path": "value"})).items()}
    if pick or s.get(E.MAX_CHARS):
        out["result"] = {"pick": pick, **({"max_chars": int(s[E.MAX_CHARS])} if s.get(E.MAX_CHARS) else {})}
    if s.get(E.RETRY):
        out["retry"] = {"attempts": int(s[E.ATTEMPTS]), "backoff_s": float(s[E.BACKOFF]), "on": list(s[E.RETRY_ON])}
    if s.get(E.RETRY_WRITES):
        out["retry_writes"] = True
    if (s.get(E.SPEAK_DURING) or "").strip():
        out["speak_during"] = s[E.SPEAK_DURING]
    if s.get(E.MODE, "sync") != "sync":
        out["mode"] = s[E.MODE]
    return out


def oauth_inputs() -> None:
    st.text_input("Token URL", key=E.TOKEN_URL, placeholder="https://auth.example.com/oauth/token",
                  help="The OAuth2 token endpoint (client credentials grant)")
    a, b = st.columns(2)
    a.text_input("Client ID", key=E.CLIENT_ID, placeholder="env:CRM_CLIENT_ID")
    b.text_input("Client secret", key=E.CLIENT_SECRET, type="password", placeholder="env:CRM_CLIENT_SECRET")
    a, b = st.columns(2)
    a.text_input("Scope", key=E.SCOPE, help="Space-separated; empty for the client's default scopes")
    b.selectbox("Client authentication", ["basic", "post"], key=E.CLIENT_AUTH,
                help="basic: HTTP Basic header (the standard); post: client_id and client_secret in the form")


def tab(base: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The Voice call tab; returns the picks' frame."""
    st.markdown("**What the model receives** (empty: the whole response, up to 4000 characters)")
    frame = st.data_editor(base[E.PICKS], num_rows="dynamic", key=E.PICKS, width="stretch", column_config={
        "name": st.column_config.TextColumn("name", help="becomes a conversation variable, usable as {{name}} by "
                                            "later actions", required=True),
        "path": st.column_config.TextColumn("JSONPath", help="e.g. $.shipment.estimated_delivery_date, "
                                            "$.items[0].sku, $.items[*].sku", required=True)})
    st.number_input("Max characters for the model (0 = default 4000)", min_value=0, max_value=100_000, step=100,
                    key=E.MAX_CHARS)
    st.markdown("**Retries**")
    st.toggle("Retry failed attempts", key=E.RETRY,
              help="Exponential backoff with jitter; Retry-After is honoured; all within the timeout")
    if st.session_state.get(E.RETRY):
        a, b = st.columns(2)
        a.number_input("Attempts", min_value=1, max_value=10, step=1, key=E.ATTEMPTS)
        b.number_input("Backoff (s)", min_value=0.0, max_value=60.0, step=0.1, key=E.BACKOFF)
        choices = RETRY_CHOICES + [c for c in st.session_state.get(E.RETRY_ON, []) if c not in RETRY_CHOICES]
        st.multiselect("Retry on", choices, key=E.RETRY_ON, format_func=str,
                       help="timeout, connect (never reached the server), protocol (reset), or an HTTP status")
    st.checkbox("Retry writes that reached the server (retry_writes)", key=E.RETRY_WRITES,
                help="Only if the endpoint is idempotent: a POST retried after a 503 may apply twice")
    st.markdown("**While the call runs**")
    st.text_input("Speak during the call (speak_during)", key=E.SPEAK_DURING, max_chars=300,
                  placeholder="One moment while I look that up.", help="Said at once, so the caller hears no dead air")
    st.radio("Mode", MODES, key=E.MODE, horizontal=True,
             help="async: the model is told the call started and does not wait for its result")
    return frame
