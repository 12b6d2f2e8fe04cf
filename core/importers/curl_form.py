"""curl's ``-F`` forms -> a multipart body: text fields, typed text parts and embedded file parts.

Read the way curl's ``formparse`` reads them: ``name=content`` then ``;type=``, ``;filename=``,
``;headers=`` and ``;encoder=`` settings; a content or a setting may be ``"quoted"`` (``\\"`` and
``\\\\`` escaped), an unquoted one ends at ``;`` with its trailing spaces dropped. ``@file`` uploads
the file (embedded in the action, with curl's file name and Content-Type), ``<file`` sends its text
as a field, ``--form-string`` sends the text as written.
"""

from __future__ import annotations

import os
from typing import Any

from ..body import FILE, FILE_TYPES, TEXT, file_type
from .curl_body import Inputs, embedded
from .curl_options import CurlArgs, CurlError

FORM_OPTIONS = ("form", "form-string")
SETTINGS = ("type", "filename", "headers", "encoder")


def _word(text: str, i: int, ends: str) -> tuple[str, int]:
    """A word at ``text[i:]``: a quoted one (to its closing quote) or the text up to one of ``ends``."""
    if text.startswith('"', i):
        out, i = [], i + 1
        while i < len(text) and text[i] != '"':
            if text[i] == "\\" and text[i + 1:i + 2] in ('"', "\\"):
                i += 1
            out.append(text[i])
            i += 1
        while i < len(text) and text[i] not in ends:  # curl skips what follows the closing quote
            i += 1
        return "".join(out), i
    start = i
    while i < len(text) and text[i] not in ends:
        i += 1
    return text[start:i].rstrip(" \t"), i


def parse_field(value: str) -> tuple[str, str, dict[str, str], list[str]]:
    """``name=content;type=...`` -> (name, content, settings, unknown settings) as curl reads it."""
    name, sep, rest = value.partition("=")
    if not sep:
        raise CurlError(f"-F {value!r} is not name=content; curl refuses it too")
    lead = rest[:1] if rest[:1] in "@<" else ""
    content, i = _word(rest, len(lead), ";," if lead == "@" else ";")
    if lead == "@" and rest[i:i + 1] == ",":
        raise CurlError(f"-F {name}=@... sends several files in one field; import one file per -F")
    settings: dict[str, str] = {}
    unknown: list[str] = []
    while rest[i:i + 1] == ";":
        i += 1
        while rest[i:i + 1] in (" ", "\t"):
            i += 1
        key = next((k for k in SETTINGS if rest.startswith(f"{k}=", i)), None)
        if key is None:
            word, i = _word(rest, i, ";")
            unknown += [word] if word else []
            continue
        settings[key], i = _word(rest, i + len(key) + 1, ";")
    return name, lead + content, settings, unknown


def _part(option: str, value: str, inputs: Inputs, notes: list[str]) -> tuple[str, Any]:
    """One ``-F`` field: its name and the body value (a string, or a part object)."""
    if option == "form-string":
        name, _, content = value.partition("=")
        return name, content
    name, content, settings, unknown = parse_field(value)
    for word in unknown:
        notes.append(f"-F {name}: curl skips the unknown setting {word!r}, and so does the action")
    for key in ("headers", "encoder"):
        if key in settings:
            notes.append(f"-F {name}: the part's ;{key}= setting was dropped (an action's parts carry a name, a "
                         "file name and a Content-Type)")
    ctype = settings.get("type")
    if content.startswith("@"):
        path = content[1:]
        data = inputs.read_bytes(path, f"-F {name}=@file")
        filename = settings.get("filename", os.path.basename(path.replace("\\", "/")) or path)
        ctype = ctype or _known_type(filename) or file_type(path)
        return name, {FILE: filename, "content_type": ctype, **embedded(data)}
    if content.startswith("<"):
        content = inputs.read(content[1:], f"-F {name}=<file")
    if "filename" in settings:  # a text sent as a file: curl types it by the name, if it knows the name
        filename = settings["filename"]
        return name, {FILE: filename, "content_type": ctype or _known_type(filename) or "", "text": content}
    if ctype:
        return name, {TEXT: content, "content_type": ctype}
    return name, content


def _known_type(filename: str) -> str | None:
    dot = filename.rfind(".")
    return FILE_TYPES.get(filename[dot:].lower()) if dot >= 0 else None


def form_of(args: CurlArgs, inputs: Inputs, notes: list[str]) -> dict[str, Any]:
    """The multipart body of the command's ``-F`` / ``--form-string`` fields, in order (a repeated name
    becomes a list)."""
    fields: dict[str, Any] = {}
    for option, value in args.options:
        if option not in FORM_OPTIONS or value is None:
            continue
        name, content = _part(option, value, inputs, notes)
        if name in fields:
            fields[name] = (fields[name] if isinstance(fields[name], list) else [fields[name]]) + [content]
        else:
            fields[name] = content
    return fields
