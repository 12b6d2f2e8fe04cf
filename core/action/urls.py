"""The action's URLs: a static http(s) URL with a host, and {{placeholders}} only in its path."""

from __future__ import annotations

import re

import httpx

from .. import template
from ..errors import PlaygroundError
from ..http.guard import url_problem

SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_PARTS = r"^([A-Za-z][A-Za-z0-9+.-]*://)?([^/?#]*)([^?#]*)(.*)$"  # compiled on first use (re caches it)


def with_scheme(url: str) -> str:
    """The URL stripped, ``https://`` prepended when it names no scheme."""
    url = url.strip()
    return url if not url or SCHEME_RE.match(url) else "https://" + url


def check_url(url: str) -> str:
    """A static http(s) URL with a host (``https://`` prepended when the scheme is missing), or ValueError."""
    url = with_scheme(url)
    if not url:
        raise ValueError("the URL is empty; write the full URL, e.g. https://api.example.com/orders")
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise ValueError(f"{url!r} is not a valid URL ({exc}); fix it, e.g. https://api.example.com/orders") from None
    if parsed.scheme not in ("http", "https"):
        raise ValueError(f"scheme {parsed.scheme}:// is not supported; use https:// (or http:// for a local server)")
    if not parsed.host:
        raise ValueError(f"{url!r} has no host name; write the full URL, e.g. https://api.example.com/orders")
    problem = url_problem(parsed)
    if problem:
        raise ValueError(problem)
    return url


def url_path_placeholders(url: str) -> tuple[str, list[str]]:
    """(the URL with each path placeholder replaced by ``x``, the placeholder names in order).

    A placeholder may stand only in the path; one in the host, the query or the fragment, or a
    stray ``{{`` / ``}}``, raises a ValueError that says what to do instead."""
    if "{{" not in url and "}}" not in url:
        return url, []
    m = re.match(_PARTS, url, re.S)
    assert m is not None  # the pattern matches any text
    scheme, host, path, rest = m.groups()
    if any(mark in part for part in (host, rest) for mark in ("{{", "}}")):
        raise ValueError("a {{placeholder}} may stand only in the URL's path (e.g. /orders/{{order_id}}); "
                         "move query values to query parameters and keep the host static")
    names = [_checked_name(p.name) for p in template.find(path)]
    stripped = template.PLACEHOLDER_RE.sub("x", path)
    if "{{" in stripped or "}}" in stripped:
        raise ValueError("the URL path has a stray {{ or }}; write placeholders as {{name}}")
    return (scheme or "") + host + stripped + rest, names


def _checked_name(name: str) -> str:
    try:
        return template.check_name(name)
    except PlaygroundError as exc:
        raise ValueError(str(exc)) from None
