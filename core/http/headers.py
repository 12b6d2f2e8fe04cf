"""What may go in an HTTP header (RFC 9110), checked before anything is sent. Pure, no imports from core."""

from __future__ import annotations

import re

# a header name is a token; a value has no control character but tab, and no space or tab at its ends
TOKEN_RE = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
_CTL_RE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
#: headers whose value is a credential: masked like auth, wherever they come from
CREDENTIAL_HEADER_RE = re.compile(r"^(authorization|proxy-authorization|cookie|x-api-key|api-key|apikey|"
                                  r".*[-_](key|token|secret|password))$", re.I)


def name_problem(name: str) -> str | None:
    if TOKEN_RE.fullmatch(name):
        return None
    if not name:
        return "a header name is empty; give it a name, e.g. X-Order-Id"
    bad = next((c for c in name if not TOKEN_RE.fullmatch(c)), "")
    shown = repr(bad) if bad.isprintable() and bad != " " else f"U+{ord(bad):04X}" if bad else "nothing"
    return (f"header name {name[:40]!r} is not a valid HTTP header name (it has {shown}); use ASCII letters, "
            "digits and - only, e.g. X-Order-Id")


def value_problem(name: str, value: str) -> str | None:
    """Why a header value cannot be sent (None when it can); never quotes the value."""
    m = _CTL_RE.search(value)
    if m and m.group() in "\r\n":
        return f"header {name}: the value contains a line break (CR or LF); remove it"
    if m:
        return f"header {name}: the value contains the control character U+{ord(m.group()):04X}; remove it"
    if value[:1] in (" ", "\t") or value[-1:] in (" ", "\t"):
        return f"header {name}: the value has a space or tab at its start or end; remove it"
    return None


def header_problem(name: str, value: str) -> str | None:
    return name_problem(name) or value_problem(name, value)
