"""How a rendered body goes on the wire: JSON, form-encoded, multipart (text fields and parts), text or
one file. Pure.

A multipart field's value may be a *part* object (and a ``file`` body is one):

* ``{"$file": "photo.jpg", "content_type": "image/jpeg", "base64": "..."}`` (or ``"text": "..."``): a file,
  embedded in the action so that it stays self-contained;
* ``{"$text": "...", "content_type": "application/json"}``: a text part with its own Content-Type.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
from typing import Any, Iterator
from urllib.parse import urlencode

from .template import PART_MARKERS, to_text

CONTENT_TYPES = {
    "json": "application/json",
    "form": "application/x-www-form-urlencoded",
    "multipart": "multipart/form-data",
    "text": "text/plain; charset=utf-8",
}
FILE, TEXT = PART_MARKERS
#: the keys a part may have, by its marker
PART_KEYS = {FILE: ("$file", "content_type", "text", "base64"), TEXT: ("$text", "content_type")}
#: a file part's Content-Type when it gives none: by the file name's extension, as curl does
FILE_TYPES = {".gif": "image/gif", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
              ".svg": "image/svg+xml", ".txt": "text/plain", ".htm": "text/html", ".html": "text/html",
              ".pdf": "application/pdf", ".xml": "application/xml"}
DEFAULT_FILE_TYPE = "application/octet-stream"


def is_part(value: Any) -> bool:
    return isinstance(value, dict) and (FILE in value or TEXT in value)


def file_type(filename: str) -> str:
    """curl's Content-Type for a file part named ``filename``."""
    dot = filename.rfind(".")
    return FILE_TYPES.get(filename[dot:].lower(), DEFAULT_FILE_TYPE) if dot >= 0 else DEFAULT_FILE_TYPE


def _decoded(text: str) -> bytes:
    """Standard base64; line breaks and spaces (as ``base64`` wraps its output) are ignored."""
    return base64.b64decode("".join(text.split()), validate=True)


def part_content(part: dict[str, Any]) -> bytes:
    """The bytes a part carries (its base64 decoded, or its text in UTF-8)."""
    if TEXT in part:
        return to_text(part[TEXT]).encode("utf-8")
    if "base64" in part:
        return _decoded(part["base64"])
    return to_text(part.get("text", "")).encode("utf-8")


def part_problem(part: dict[str, Any]) -> str | None:
    """What makes a part object unusable (None: it is fine), with the fix."""
    if FILE in part and TEXT in part:
        return 'a part is a file ("$file") or a text ("$text"), not both; keep one'
    marker = FILE if FILE in part else TEXT
    extra = [k for k in part if k not in PART_KEYS[marker]]
    if extra:
        return f"{marker} part: unknown key {extra[0]!r}; a {marker} part has {', '.join(PART_KEYS[marker])}"
    wrong = [k for k, v in part.items() if not isinstance(v, str)]
    if wrong:
        return f"{marker} part: {wrong[0]} is {type(part[wrong[0]]).__name__}; write it as a JSON string"
    if "text" in part and "base64" in part:
        return "$file part: give its content as text or as base64, not both"
    if any(c in part.get("content_type", "") for c in "\r\n\x00"):
        return f"{marker} part: content_type has a line break; write one media type, e.g. image/png"
    if "base64" in part:
        try:
            _decoded(part["base64"])
        except (binascii.Error, ValueError):
            return "$file part: base64 is not valid base64; paste the file's base64 text (or use text)"
    return None


def parts_in(value: Any) -> Iterator[dict[str, Any]]:
    """Every part object inside a body value (not inside another part)."""
    if is_part(value):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from parts_in(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from parts_in(item)


def form_pairs(value: Any, prefix: str = "", *, parts: bool = False) -> Iterator[tuple[str, Any]]:
    """A form body as (name, value) pairs, in order.

    ``{"a": 1}`` -> ``a=1``; a list repeats its key (``{"tag": ["x", "y"]}`` -> ``tag=x&tag=y``,
    and a key written ``tag[]`` keeps its brackets); a nested object uses brackets
    (``{"address": {"city": "X"}}`` -> ``address[city]=X``), as do objects inside a list
    (``items[0][price]``). With ``parts`` (multipart), a part object is one value, not an object."""
    if isinstance(value, dict) and not (parts and is_part(value)):
        for key, item in value.items():
            yield from form_pairs(item, f"{prefix}[{key}]" if prefix else str(key), parts=parts)
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            if isinstance(item, (list, tuple)) or (isinstance(item, dict) and not (parts and is_part(item))):
                yield from form_pairs(item, f"{prefix}[{i}]", parts=parts)
            else:
                yield prefix, item if parts and is_part(item) else to_text(item)
    else:
        yield prefix, value if parts and is_part(value) else to_text(value)


def new_boundary() -> str:
    return "playground-" + secrets.token_hex(12)


def boundary_of(content_type: str) -> str | None:
    for param in content_type.split(";")[1:]:
        key, _, value = param.strip().partition("=")
        if key.lower() == "boundary" and value:
            return value.strip('"')
    return None


def _quoted(name: str) -> str:
    return name.replace("\\", "\\\\").replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


def multipart(pairs: list[tuple[str, Any]], boundary: str) -> bytes:
    """multipart/form-data: one part per pair, a text field or a part object (a file, a typed text)."""
    out = bytearray()
    for name, value in pairs:
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{_quoted(name)}"'
        if is_part(value):
            ctype = value.get("content_type")
            if FILE in value:
                filename = to_text(value[FILE])
                head += f'; filename="{_quoted(filename)}"'
                ctype = file_type(filename) if ctype is None else ctype  # "" sends none
            head += f"\r\nContent-Type: {ctype}" if ctype else ""
            content = part_content(value)
        else:
            content = value.encode("utf-8")
        out += f"{head}\r\n\r\n".encode() + content + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out)


def encode(body: Any, body_format: str, content_type: str = "") -> bytes | None:
    """The bytes of a rendered body in its format (None: no body)."""
    if body is None:
        return None
    if body_format == "form":
        return urlencode(list(form_pairs(body))).encode("ascii")
    if body_format == "multipart":
        return multipart(list(form_pairs(body, parts=True)), boundary_of(content_type) or new_boundary())
    if body_format == "file":
        return part_content(body) if is_part(body) else b""
    if body_format == "text":
        return to_text(body).encode("utf-8")
    try:
        return json.dumps(body, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate has no UTF-8 form; \u escapes always do
        return json.dumps(body).encode("ascii")


def content_type(body_format: str, given: str | None, body: Any = None) -> str | None:
    """The Content-Type to send: the given one (a multipart one gets its boundary), else the format's; a file
    body's own ``content_type``, else none (as ``curl -T`` sends it)."""
    if body_format == "multipart" and (not given or not boundary_of(given)):
        base = given.split(";")[0].strip() if given else CONTENT_TYPES["multipart"]
        return f"{base}; boundary={new_boundary()}"
    if body_format == "file":
        return given or (body.get("content_type") if is_part(body) else None) or None
    return given or CONTENT_TYPES[body_format]
