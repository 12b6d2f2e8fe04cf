"""A rendered URL as an ``httpx.URL``, without parsing again the query string render just encoded.

``httpx.URL(text)`` checks every character of the text in Python, so the long query strings of actions
with many query values cost tens of microseconds a call. Render builds the query string itself, with
:func:`core.render.query_string`: only unreserved characters, ``%XX``, ``+``, ``=`` and ``&``, which httpx's
parser keeps exactly as they are. So the URL before the query is parsed by httpx (once per action when it
has no path placeholders), and the query string is set on that parse: the same ``httpx.URL`` as parsing
the whole text (tests/test_url_compose.py compares them), or a plain parse when httpx's internals differ.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import httpx

#: what :func:`core.render.query_string` can produce (anything else: parsed by httpx as usual)
_ENCODED_QUERY = re.compile(r"[A-Za-z0-9_.~+=&%-]*")
_MAX_URL_LENGTH = 65536  # httpx refuses longer URLs ("URL too long"): left to its parser to say so


@functools.lru_cache(maxsize=256)
def parsed(url: str) -> httpx.URL:
    """``httpx.URL(url)``, kept for URLs that recur (an action's URL without path placeholders)."""
    return httpx.URL(url)


def wire_url(request: Any) -> httpx.URL:
    """A rendered request's URL, parsed: composed from the parts render kept (``_wire``), else parsed whole."""
    parts = request.__pydantic_private__.get("_wire")
    if parts is not None:
        base, query, cached = parts
        if request.url == (base if query is None else f"{base}?{query}"):  # not edited since render
            return compose(base, query, cached=cached)
    return httpx.URL(request.url)


def compose(base: str, query: str | None, *, cached: bool) -> httpx.URL:
    """``httpx.URL(base + "?" + query)`` (``base`` alone when ``query`` is None). ``base`` has no ``?`` or ``#``
    and ``query`` is already encoded; ``cached``: ``base`` recurs (parse it once)."""
    url = parsed(base) if cached else httpx.URL(base)
    if query is None:
        return url
    text = f"{base}?{query}"
    ref = getattr(url, "_uri_reference", None)
    if len(text) > _MAX_URL_LENGTH or not _ENCODED_QUERY.fullmatch(query) or ref is None or ref.query is not None \
            or not hasattr(ref, "_replace"):
        return httpx.URL(text)
    out = httpx.URL.__new__(httpx.URL)
    out._uri_reference = ref._replace(query=query)
    return out
