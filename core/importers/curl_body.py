"""What curl sends as the body: ``-d`` pieces joined with ``&``, ``--json``, ``--data-urlencode``,
``@file`` and ``@-`` (stdin); and the action body (JSON, form or text) they become. ``-F``: curl_form."""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any, Callable, Optional, Union
from urllib.parse import parse_qsl, quote_plus

from ..body import FILE
from ..errors import PlaygroundError
from ..template import parse_body_template
from .curl_options import CurlArgs, CurlError
from .shell import ENV_RE, Command

DATA_OPTIONS = ("data", "data-ascii", "data-binary", "data-raw", "data-urlencode", "json")


#: the largest file an import embeds in the action (an action file holds at most 2 MiB; base64 adds a third)
MAX_EMBED = 1024 * 1024
#: what the caller of the import gives as curl's standard input: the text, or a function that reads it
Stdin = Union[str, Callable[[], Optional[str]], None]


class Inputs:
    """Reads what ``@file``, ``<file`` and ``@-`` name: files relative to ``cwd``; standard input from the
    command line (a heredoc, ``< file``), else the data given with the import (``stdin``)."""

    def __init__(self, cwd: Path | None, command: Command, stdin: Stdin = None) -> None:
        self.cwd, self.command, self._stdin = cwd, command, stdin

    def stdin(self, option: str) -> bytes:
        if self.command.stdin_text is not None:
            return self.command.stdin_text.encode("utf-8")
        if self.command.stdin_file:
            return self.read_bytes(self.command.stdin_file, option)
        if callable(self._stdin):  # read once, as curl does
            self._stdin = self._stdin()
        given = self._stdin
        if given is None:
            raise CurlError(f"{option} reads standard input; give the data with the import (echo DATA | playground "
                            "import curl '...'), or paste it in the command (e.g. --data-raw '...')")
        return given.encode("utf-8")

    def read_bytes(self, ref: str, option: str) -> bytes:
        if ref in ("-", "."):
            return self.stdin(option)
        if ENV_RE.search(ref):
            raise CurlError(f"{option} reads a file named by a shell variable; paste the data itself")
        if self.cwd is None:
            paste = "" if option.startswith(("-F", "-T")) else ", or paste its content (e.g. --data-raw '...')"
            raise CurlError(f"{option} reads the file {ref!r}, which cannot be read here; run playground import "
                            f"curl in the file's folder{paste}")
        path = (self.cwd / ref).expanduser()
        try:
            size = path.stat().st_size
            if size > MAX_EMBED:
                raise CurlError(f"{option} reads {ref!r}, {size / 1e6:.1f} MB; an action embeds files up to 1 MB "
                                "(an action file holds at most 2 MiB): send a smaller file")
            return path.read_bytes()
        except FileNotFoundError:
            raise CurlError(f"{option} reads the file {ref!r}, which is not in {self.cwd}; "
                            "run the import where the file is, or paste its content") from None
        except OSError as exc:
            raise CurlError(f"{option} cannot read {ref!r} ({exc.strerror})") from None

    def read(self, ref: str, option: str) -> str:
        """A file's (or standard input's) text; a binary file is refused."""
        data = self.read_bytes(ref, option)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise CurlError(f"{option} sends the binary file {ref!r} as text; an action sends a file's bytes with "
                            "--data-binary @file (alone), -F name=@file or -T file") from None


def embedded(data: bytes) -> dict[str, str]:
    """A file's content as a part object holds it: ``text`` when it is UTF-8 text that cannot read as a
    placeholder, else ``base64``."""
    try:
        text = data.decode("utf-8")
        if "{{" not in text and "}}" not in text and "\x00" not in ENV_RE.sub("", text):  # $VAR marks stay text
            return {"text": text}
    except UnicodeDecodeError:
        pass
    return {"base64": base64.b64encode(data).decode("ascii")}


def binary_data(args: CurlArgs, inputs: Inputs) -> dict[str, str] | None:
    """``--data-binary @file`` alone, of a file that is not UTF-8 text (an image, an archive): its bytes as a
    file body's object. None for anything else (text data is read by :func:`data_of`)."""
    pieces = [(n, v) for n, v in args.options if n in DATA_OPTIONS]
    if len(pieces) != 1 or pieces[0][0] != "data-binary" or not (pieces[0][1] or "").startswith("@") \
            or args.has("get"):
        return None
    ref = (pieces[0][1] or "")[1:]
    data = inputs.read_bytes(ref, "--data-binary @file")
    try:
        data.decode("utf-8")
        return None
    except UnicodeDecodeError:
        return {FILE: os.path.basename(ref.replace("\\", "/")) or "body", **embedded(data)}


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
