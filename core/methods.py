"""HTTP methods an action may send, and which the project's target allows.

* ``synthflow`` (the default target) sends the seed's five: GET, POST, PUT, PATCH, DELETE.
* ``generic`` also sends HEAD, OPTIONS, TRACE and extension methods (``PURGE``, ``PROPFIND``, ...).

A file loads with any of them (like path placeholders, the target decides: lint reports an error and
``call`` refuses under synthflow). Standard names are case-insensitive and written upper case; an
extension method is sent exactly as written, as HTTP method names are case-sensitive.
"""

from __future__ import annotations

import re

#: what the synthflow target (the seed's static rule) sends
STANDARD_METHODS: tuple[str, ...] = ("GET", "POST", "PUT", "PATCH", "DELETE")
#: RFC 9110's methods an action can send, plus PATCH (RFC 5789): case-insensitive in the file
KNOWN_METHODS: tuple[str, ...] = (*STANDARD_METHODS, "HEAD", "OPTIONS", "TRACE")
#: what the generic target's editor offers besides an extension method
GENERIC_METHODS: tuple[str, ...] = (*STANDARD_METHODS, "HEAD", "OPTIONS")
#: methods that change nothing on the server (RFC 9110 9.2.1); every other one counts as a write
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
#: an HTTP token (RFC 9110 5.6.2)
TOKEN_RE = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")


def check_method(value: str) -> str:
    """The method as it is sent: a known name upper-cased, an extension token as written; else ValueError."""
    text = value.strip()
    if text.upper() in KNOWN_METHODS:
        return text.upper()
    if text.upper() == "CONNECT":
        raise ValueError("CONNECT opens a tunnel, not a request an action can send; use GET, POST, PUT, PATCH "
                         "or DELETE")
    if not TOKEN_RE.match(text):
        shown = repr(value)[:40]
        raise ValueError(f"unknown method {shown}: a method is one word of letters, digits and -; use GET, POST, "
                         "PUT, PATCH or DELETE (or HEAD, OPTIONS, an extension method under the generic target)")
    return text


def is_write(method: str) -> bool:
    """True for a method that may change something on the server (anything but GET, HEAD, OPTIONS, TRACE)."""
    return method.upper() not in SAFE_METHODS


def method_fix(method: str) -> str | None:
    """Why the synthflow target cannot send ``method``, with the fix (None: it can)."""
    if method in STANDARD_METHODS:
        return None
    return (f"{method} is not a method the synthflow target sends ({', '.join(STANDARD_METHODS)}): use one of "
            "those, or set target = \"generic\" in playground.toml")


def extension_note(method: str) -> str | None:
    """A warning for an extension method (None for a known one): it is sent as written; maybe a typo."""
    if method in KNOWN_METHODS:
        return None
    import difflib  # only lint needs it: loading an action stays light

    close = difflib.get_close_matches(method.upper(), KNOWN_METHODS, n=1, cutoff=0.6)
    guess = f"; did you mean {close[0]}?" if close else ""
    return (f"{method} is not a standard HTTP method; it is sent exactly as written (case matters), so check "
            f"that the API expects it{guess}")
