"""How a rendered body goes on the wire: JSON, form-encoded, multipart (text fields) or text. Pure."""

from __future__ import annotations

import json
import secrets
from typing import Any, Iterator
from urllib.parse import urlencode

from .template import to_text

CONTENT_TYPES = {
    "json": "application/json",
    "form": "application/x-www-form-urlencoded",
    "multipart": "multipart/form-data",
    "text": "text/plain; charset=utf-8",
}


def form_pairs(value: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """A form body as (name, value) pairs, in order.

    ``{"a": 1}`` -> ``a=1``; a list repeats its key (``{"tag": ["x", "y"]}`` -> ``tag=x&tag=y``,
    and a key written ``tag[]`` keeps its brackets); a nested object uses brackets
    (``{"address": {"city": "X"}}`` -> ``address[city]=X``), as do objects inside a list
    (``items[0][price]``)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from form_pairs(item, f"{prefix}[{key}]" if prefix else str(key))
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            if isinstance(item, (dict, list, tuple)):
                yield from form_pairs(item, f"{prefix}[{i}]")
            else:
                yield prefix, to_text(item)
    else:
        yield prefix, to_text(value)


def new_boundary() -> str:
    return "playground-" + secrets.token_hex(12)


def boundary_of(content_type: str) -> str | None:
    for param in content_type.split(";")[1:]:
        key, _, value = param.strip().partition("=")
        if key.lower() == "boundary" and value:
            return value.strip('"')
    return None


def multipart(pairs: list[tuple[str, str]], boundary: str) -> bytes:
    """multipart/form-data with one text part per pair (no files)."""
    out = bytearray()
    for name, value in pairs:
        quoted = name.replace("\\", "\\\\").replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{quoted}"\r\n\r\n'.encode()
        out += value.encode("utf-8") + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out)


def encode(body: Any, body_format: str, content_type: str = "") -> bytes | None:
    """The bytes of a rendered body in its format (None: no body)."""
    if body is None:
        return None
    if body_format == "form":
        return urlencode(list(form_pairs(body))).encode("ascii")
    if body_format == "multipart":
        return multipart(list(form_pairs(body)), boundary_of(content_type) or new_boundary())
    if body_format == "text":
        return to_text(body).encode("utf-8")
    try:
        return json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate has no UTF-8 form; \u escapes always do
        return json.dumps(body).encode("ascii")


def content_type(body_format: str, given: str | None) -> str:
    """The Content-Type to send: the given one (a multipart one gets its boundary), else the format's."""
    if body_format == "multipart" and (not given or not boundary_of(given)):
        base = given.split(";")[0].strip() if given else CONTENT_TYPES["multipart"]
        return f"{base}; boundary={new_boundary()}"
    return given or CONTENT_TYPES[body_format]
