"""The parts of a trace view: one small renderer each, in a registry others extend.

A part draws one thing about a call (the request, the response, the cURL command...). The panel
(``ui.trace.panel``) lays the parts out by ``slot``:

* ``head``: above everything, always shown (the title line, the error and hints);
* ``left`` / ``right``: the two columns under it (the request, the response); they stack on a
  narrow screen;
* ``more``: an expander each, below, keyed by the call's id so that what is open follows the call.

To show something new about a call (retry attempts, cookies, an MCP request), write a renderer
``def draw(trace, view): ...`` and ``register(Part("attempts", "Attempts", draw, slot="more",
applies=lambda t: bool(t.attempts)))``; ``before="curl"`` places it before another part.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable, Literal

import streamlit as st

from core.action import Action
from core.render import RenderedRequest
from core.trace import Trace, to_curl

from . import labels

Slot = Literal["head", "left", "right", "more"]
ICON_HINT = ":material/lightbulb:"
ICON_ERROR = ":material/error:"
#: Height of a scrolling body viewer, in pixels: a long response scrolls instead of filling the page.
BODY_HEIGHT = 360


@dataclass
class View:
    """What a renderer may need besides the trace."""

    key: str                                  # prefix of widget keys: unique per place the trace is shown
    number: int | None = None                 # the call's number in its conversation (#3)
    action: Action | None = None              # the action file that made the call, when it is loaded
    revealed: RenderedRequest | None = None   # the request with its secrets, when the user revealed them


@dataclass(frozen=True)
class Part:
    key: str
    title: str
    draw: Callable[[Trace, View], None]
    slot: Slot = "more"
    applies: Callable[[Trace], bool] = lambda trace: True
    icon: str | None = None


PARTS: list[Part] = []


def register(part: Part, *, before: str | None = None) -> None:
    """Add a part (or replace the one with the same key), at the end of its slot or before ``before``."""
    PARTS[:] = [p for p in PARTS if p.key != part.key]
    at = next((i for i, p in enumerate(PARTS) if p.key == before), len(PARTS))
    PARTS.insert(at, part)


def parts(trace: Trace, slot: Slot) -> list[Part]:
    return [p for p in PARTS if p.slot == slot and p.applies(trace)]


# -- the built-in parts ------------------------------------------------------------------
def draw_title(trace: Trace, view: View) -> None:
    number = f"#{view.number} " if view.number else ""
    took = f" · {labels.ms(trace.elapsed_ms)}" if trace.elapsed_ms > 0 else ""
    st.markdown(f"{number}**{trace.action}** {labels.status_badge(trace)}{took}")
    if trace.request is not None:  # text, not a link: opening the API in a browser tab would send no auth
        st.code(f"{trace.request.method} {trace.request.url}", language=None, wrap_lines=True)


def draw_problem(trace: Trace, view: View) -> None:
    """The error once, then each hint once: this is the only place the full hint is shown."""
    if trace.error is not None:
        st.error(labels.error_label(trace), icon=ICON_ERROR)
    for hint in trace.hints:
        (st.warning if trace.error else st.info)(hint, icon=ICON_HINT)


def _mapping(title: str, values: dict[str, Any]) -> None:
    if values:
        st.markdown(f"**{title}**")
        st.json(values, expanded=True)


def draw_request(trace: Trace, view: View) -> None:
    req = view.revealed or trace.request
    st.markdown("**Request**")
    if req is None:
        st.caption("Not sent: the request could not be built (see the error above).")
        return
    st.caption("Secrets revealed" if view.revealed else "Secrets masked")
    _mapping("Headers", req.headers)
    _mapping("Query", req.query)
    if req.body is not None:
        st.markdown("**Body**")
        body_viewer(req.body, is_json=True, key=f"{view.key}-request-body")


def draw_response(trace: Trace, view: View) -> None:
    resp = trace.response
    st.markdown("**Response**")
    if resp is None:
        st.caption("No response: " + (labels.error_title(trace).lower() if trace.error else "the call was not sent") + ".")
        return
    facts = [labels.ms(resp.elapsed_ms), f"{resp.size_bytes:,} bytes"] + (["truncated"] if resp.truncated else [])
    st.markdown(f"{labels.status_badge(trace)} {resp.reason} · " + " · ".join(facts))
    if resp.redirects:
        st.caption("Redirected via: " + " → ".join(f"`{url}`" for url in resp.redirects))
    body_viewer(resp.body, is_json=resp.is_json, key=f"{view.key}-response-body")


def body_viewer(body: Any, *, is_json: bool, key: str) -> None:
    """A body in a box of bounded height that scrolls: JSON as a tree, anything else as text."""
    if body is None or body == "":
        st.caption("(empty body)")
        return
    if is_json and isinstance(body, (dict, list)):
        text = json.dumps(body, ensure_ascii=False, indent=2)
        if text.count("\n") < 40:
            st.json(body, expanded=True)
            return
        st.code(text, language="json", height=BODY_HEIGHT)
        return
    text = str(body)
    st.code(text, language="html" if text.lstrip()[:1] == "<" else None, wrap_lines=True,
            height=BODY_HEIGHT if text.count("\n") > 20 or len(text) > 2000 else "content")


def draw_response_headers(trace: Trace, view: View) -> None:
    st.json(trace.response.headers if trace.response else {}, expanded=True)


def draw_curl(trace: Trace, view: View) -> None:
    req = view.revealed or trace.request
    if req is not None:
        st.code(to_curl(req), language="bash", wrap_lines=True)


for _part in (
    Part("title", "Call", draw_title, slot="head"),
    Part("problem", "Problem", draw_problem, slot="head", applies=lambda t: bool(t.error or t.hints)),
    Part("request", "Request", draw_request, slot="left", applies=lambda t: t.mcp is None),
    Part("response", "Response", draw_response, slot="right", applies=lambda t: t.mcp is None),
    Part("response_headers", "Response headers", draw_response_headers,
         applies=lambda t: bool(t.response and t.response.headers), icon=":material/list:"),
    Part("curl", "Copy as cURL", draw_curl, applies=lambda t: t.request is not None, icon=":material/terminal:"),
):
    register(_part)
