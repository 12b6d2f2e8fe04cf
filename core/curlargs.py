"""The curl options that send a body as an action sends it: shared by a trace's cURL command
(:func:`core.trace.to_curl`) and the cURL export (:mod:`core.export.curl`). Pure: words, not quoting."""

from __future__ import annotations

import json
from typing import Any

from .body import FILE, TEXT, file_type, form_pairs, is_part
from .template import to_text


def _escaped(text: str) -> str:
    """A ``-F`` value in double quotes, as curl reads it (``\\"`` and ``\\\\`` escaped)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _form_part(part: dict[str, Any], files: list[str]) -> str:
    """The ``-F name=...`` value of a part object: ``@file`` for embedded binary content, else the text."""
    if TEXT in part:
        ctype = part.get("content_type")
        return _escaped(to_text(part[TEXT])) + (f";type={ctype}" if ctype else "")
    filename = to_text(part[FILE])
    ctype = part.get("content_type")
    ctype = file_type(filename) if ctype is None else ctype
    if "base64" in part:
        files.append(filename)
        value = "@" + _escaped(filename)
    else:
        value = _escaped(to_text(part.get("text", ""))) + ";filename=" + _escaped(filename)
    return value + (f";type={ctype}" if ctype else "")


def body_args(body: Any, body_format: str, has_content_type: bool) -> tuple[list[str], list[str]]:
    """(curl options with their values, in order; the files the command reads: embedded binary files, which
    must be saved next to it). ``has_content_type``: the command already sends a Content-Type header."""
    args: list[str] = []
    files: list[str] = []
    if body is None:
        return args, files
    if body_format == "form":
        for key, value in form_pairs(body):
            args += ["--data-urlencode", f"{key}={value}"]
    elif body_format == "multipart":
        for key, value in form_pairs(body, parts=True):
            # --form-string: a value starting with @ or < is text, not a file
            args += ["-F", f"{key}={_form_part(value, files)}"] if is_part(value) else ["--form-string", f"{key}={value}"]
    elif body_format == "file":
        if not has_content_type:
            args += ["-H", "Content-Type:"]  # curl would send its form Content-Type; a file body sends none
        if is_part(body) and "base64" in body:
            files.append(to_text(body[FILE]))
            args += ["--data-binary", "@" + files[-1]]
        else:
            args += ["--data-raw", to_text(body.get("text", "")) if isinstance(body, dict) else ""]
    elif body_format == "text":
        args += ["--data-raw", str(body)]
    else:
        args += ["--data-raw", json.dumps(body, ensure_ascii=False)]
    return args, files

