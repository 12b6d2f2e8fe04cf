"""What curl sends as the body: ``-d`` pieces joined with ``&``, ``--json``, ``--data-urlencode``,
``@file`` and ``@-`` (stdin), ``-F`` forms; and the action body (JSON, form or text) they become."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote_plus

from ..errors import PlaygroundError
from ..template import parse_body_template
from .curl_options import CurlArgs, CurlError
from .shell import ENV_RE, Command

DATA_OPTIONS = ("data", "data-ascii", "data-binary", "data-raw", "data-urlencode", "json")
FORM_OPTIONS = ("form", "form-string")


class Inputs:
    """Reads what ``@file``, ``<file`` and ``@-`` name: files relative to ``cwd``, stdin from the command line."""

    def __init__(self, cwd: Path | None, command: Command) -> None:
        self.cwd, self.command = cwd, command

    def read(self, ref: str, option: str) -> str:
        if ref in ("-", "."):
            if self.command.stdin_text is not None:
                if ENV_RE.fullmatch(self.command.stdin_text.strip()):
                    raise CurlError(f"{option} reads {self.command.stdin_text.strip()[5:-1]!r} from a shell "
                                    "variable; paste the value itself")
                return self.command.stdin_text
            if self.command.stdin_file:
                return self.read(self.command.stdin_file, option)
            raise CurlError(f"{option} reads standard input; paste the data itself (e.g. --data-raw '...')")
        if ENV_RE.search(ref):
            raise CurlError(f"{option} reads a file named by a shell variable; paste the data itself")
        if self.cwd is None:
            raise CurlError(f"{option} reads the file {ref!r}; paste its content instead (e.g. --data-raw '...')")
        path = (self.cwd / ref).expanduser()
        try:
            return path.read_bytes().decode("utf-8")
        except FileNotFoundError:
            raise CurlError(f"{option} reads the file {ref!r}, which is not in {self.cwd}; "
                            "run the import where the file is, or paste its content") from None
        except UnicodeDecodeError:
            raise CurlError(f"{option} sends the binary file {ref!r}; an action sends text only") from None
        except OSError as exc:
            raise CurlError(f"{option} cannot read {ref!r} ({exc.strerror})") from None


def data_of(args: CurlArgs, inputs: Inputs) -> tuple[str | None, bool]:
    """curl's POST data: the pieces joined with ``&`` (``--json`` pieces are concatenated)."""
    out: str | None = None
    previous_json = False
    for name, value in args.options:
        if name not in DATA_OPTIONS or value is None:
            continue
        if name in ("data", "data-ascii"):
            piece = inputs.read(value[1:], "-d @file").replace("\r", "").replace("\n", "") \
                if value.startswith("@") else value
        elif name in ("data-binary", "json"):
            piece = inputs.read(value[1:], f"--{name} @file") if value.startswith("@") else value
        elif name == "data-raw":
            piece = value
        else:
            piece = urlencoded(value, inputs)
        joiner = "" if (name == "json" and previous_json) else "&"
        out = piece if out is None else out + joiner + piece
        previous_json = name == "json"
    return out, args.has("json")


def urlencoded(value: str, inputs: Inputs) -> str:
    """``--data-urlencode`` / ``--url-query``: ``content``, ``=content``, ``name=content``, ``@file``, ``name@file``."""
    if value.startswith("+"):  # --url-query +name=value: sent as is
        return value[1:]
    eq, at = value.find("="), value.find("@")
    if at >= 0 and (eq < 0 or at < eq):
        name, content = value[:at], inputs.read(value[at + 1:], "--data-urlencode @file")
    elif eq >= 0:
        name, content = value[:eq], value[eq + 1:]
    else:
        name, content = "", value
    encoded = quote_plus(content, safe="*-._")
    return f"{name}={encoded}" if name else encoded


def form_of(args: CurlArgs, inputs: Inputs, notes: list[str]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for option, value in args.options:
        if option not in FORM_OPTIONS or value is None:
            continue
        name, sep, content = value.partition("=")
        if not sep:
            raise CurlError(f"-F {value!r} is not name=content; curl refuses it too")
        if option == "form":
            if content.startswith("@"):
                raise CurlError(f"-F {name}=@... uploads a file; an action sends text fields only "
                                "(paste the file's text with -F 'name=<text>' or send a JSON body)")
            if content.startswith("<"):
                content = inputs.read(content[1:].split(";")[0], "-F name=<file")
            elif content.startswith('"'):
                end, text, i = False, [], 1
                while i < len(content) and not end:
                    if content[i] == "\\" and i + 1 < len(content):
                        text.append(content[i + 1])
                        i += 2
                        continue
                    end = content[i] == '"'
                    text.append("" if end else content[i])
                    i += 1
                params, content = content[i:], "".join(text)
                if params.lstrip().startswith(";"):
                    notes.append(f"-F {name}: the part's ;type/;filename settings were dropped")
            elif ";" in content:
                content, _, params = content.partition(";")
                notes.append(f"-F {name}: the part's ;{params.split('=')[0]} setting was dropped")
        if name in fields:
            fields[name] = (fields[name] if isinstance(fields[name], list) else [fields[name]]) + [content]
        else:
            fields[name] = content
    return fields


def body_of(data: str, ctype: str | None, json_option: bool) -> tuple[Any, str]:
    """The action's (body, body_format) for curl's data and Content-Type."""
    lower = (ctype or "").lower()
    if "json" in lower or json_option:
        try:
            value = json.loads(data)
            if isinstance(value, (dict, list)):
                return value, "json"
        except ValueError:
            try:
                parse_body_template(data)
                return data, "json"  # a JSON template such as {"qty": {{qty}}}
            except PlaygroundError:
                pass
    if (ctype is None or "x-www-form-urlencoded" in lower) and data:
        pieces = data.split("&")
        if all("=" in p for p in pieces):
            form: dict[str, Any] = {}
            for key, value in parse_qsl(data, keep_blank_values=True):
                form[key] = (form[key] if isinstance(form[key], list) else [form[key]]) + [value] \
                    if key in form else value
            return form, "form"
    return data, "text"


def is_json(text: str) -> bool:
    try:
        return isinstance(json.loads(text), (dict, list))
    except ValueError:
        return False
