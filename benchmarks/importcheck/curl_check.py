"""Is an imported cURL command the same request curl sends? Both go to one local echo server.

curl itself runs the command (under bash, as pasted, with ``--connect-to`` pointing every host at
the echo server, standard input empty); the import is given the same files and the same empty
standard input, and runs through the playground's executor with a transport that does the same. The first request curl sent is compared with the action's:

* method; path (percent-decoded); query pairs (decoded, order ignored);
* headers, except what only the HTTP client decides: Content-Length, Connection, Expect, Upgrade,
  HTTP2-Settings, TE, and the clients' defaults (curl's ``User-Agent: curl/...``, ``Accept: */*``,
  ``--compressed``'s Accept-Encoding) - a User-Agent or Accept the command sets is compared;
* the body: JSON compared as JSON, form bodies as decoded pairs, multipart as its parts (the
  boundary is random), anything else byte for byte.
"""

from __future__ import annotations

import email.parser
import email.policy
import json
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import httpx

from core.errors import ImportSourceError
from core.executor import Executor
from core.importers import import_curl
from core.importers.naming import variable_name
from core.lint import has_errors, lint

from .echo import EchoServer, Received

TRANSPORT_HEADERS = {"content-length", "connection", "expect", "upgrade", "http2-settings", "te", "keep-alive",
                     "proxy-connection"}
CURL_COMPRESSED = {"deflate, gzip, br, zstd", "deflate, gzip, br", "deflate, gzip", "deflate, gzip, zstd"}
VAR_RE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")


@dataclass
class CurlCase:
    id: str
    source: str
    command: str


@dataclass
class CurlOutcome:
    case: CurlCase
    status: str  # equivalent | different | refused | crash | invalid
    detail: str = ""
    lint_errors: list[str] | None = None


class _ToEcho(httpx.BaseTransport):
    def __init__(self, port: int) -> None:
        self.port = port
        self.inner = httpx.HTTPTransport(verify=False)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.url = request.url.copy_with(host="127.0.0.1", port=self.port)
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def shell_env(command: str) -> dict[str, str]:
    """A fixed value for every $VAR the command names (the same for curl and for the import)."""
    return {name: f"bench-{name.lower()}-value" for name in VAR_RE.findall(command)}


def run_curl(command: str, echo: EchoServer, workdir: Path, env: dict[str, str]) -> tuple[Received | None, str]:
    script = workdir / "command.sh"
    script.write_text(command, encoding="utf-8")
    wrapper = (f'curl() {{ command curl --connect-to "::127.0.0.1:{echo.port}" -k -s -S -o /dev/null '
               f'--max-time 10 "$@"; }}\nsource ./command.sh\n')
    before = len(echo.received)
    proc = subprocess.run(["bash", "-c", wrapper], cwd=workdir, capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL, env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                                                         "HOME": str(workdir), **env})
    got = echo.received[before:]
    return (got[0] if got else None), proc.stderr.strip().splitlines()[-1:] and proc.stderr.strip().splitlines()[-1] or ""


def run_import(command: str, echo: EchoServer, workdir: Path, env: dict[str, str]) -> tuple[Received | None, Any, str]:
    result = import_curl(command, cwd=workdir, stdin="")  # the standard input curl had: empty (/dev/null)
    action = result.action
    values = {}
    for var in action.variables:
        origin = next((v for n, v in env.items() if variable_name(n) == var.name), None)
        values[var.name] = origin if origin is not None else var.example
    resolver = lambda name: result.secrets.get(name) or env.get(name)  # noqa: E731
    before = len(echo.received)
    with httpx.Client(transport=_ToEcho(echo.port), trust_env=False) as client:
        trace = Executor(client, resolver=resolver).execute(action, values, {})
    got = echo.received[before:]
    error = f"{trace.error.kind}: {trace.error.message}" if trace.error and not got else ""
    return (got[0] if got else None), result, error


def _target(r: Received) -> tuple[str, list[tuple[str, str]]]:
    parts = urlsplit(r.target)
    return unquote(parts.path or "/"), sorted(parse_qsl(parts.query, keep_blank_values=True))


def _multipart(ctype: str, body: bytes) -> list[tuple[Any, ...]]:
    msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {ctype}\r\n\r\n".encode() + body)
    return [(p.get_param("name", header="content-disposition"), p.get_filename(), p.get_content_type(),
             p.get_payload(decode=True)) for p in msg.iter_parts()]


def _body(r: Received) -> Any:
    ctype = r.header_values().get("content-type", [""])[0].lower()
    if "json" in ctype:
        try:
            return ("json", json.loads(r.body))
        except ValueError:
            pass
    if "x-www-form-urlencoded" in ctype:
        return ("form", sorted(parse_qsl(r.body.decode("latin-1"), keep_blank_values=True)))
    if ctype.startswith("multipart/"):
        return ("multipart", _multipart(ctype, r.body))
    return ("bytes", r.body)


def _headers(r: Received, other: Received) -> dict[str, list[str]]:
    mine, theirs = r.header_values(), other.header_values()
    out = {}
    for name, values in mine.items():
        if name in TRANSPORT_HEADERS:
            continue
        if name == "user-agent" and (values[0].startswith(("curl/", "python-httpx/"))):
            continue
        if name == "accept" and values == ["*/*"] and theirs.get(name, ["*/*"]) == ["*/*"]:
            continue
        if name == "accept-encoding" and (values[0] in CURL_COMPRESSED or values[0] == "gzip, deflate"
                                          or values[0].startswith("gzip, deflate")):
            continue
        if name == "content-type" and values[0].lower().startswith("multipart/"):
            values = [values[0].split(";")[0].strip().lower()]
        out[name] = [" ".join(v.split()) for v in values]
    return out


def differences(curl: Received, ours: Received) -> list[str]:
    diffs = []
    if curl.method != ours.method:
        diffs.append(f"method {curl.method} != {ours.method}")
    if _target(curl) != _target(ours):
        diffs.append(f"target {curl.target} != {ours.target}")
    theirs_h, ours_h = _headers(curl, ours), _headers(ours, curl)
    for name in sorted(set(theirs_h) | set(ours_h)):
        if theirs_h.get(name) != ours_h.get(name):
            diffs.append(f"header {name}: {theirs_h.get(name)} != {ours_h.get(name)}")
    if _body(curl) != _body(ours):
        diffs.append(f"body {curl.body[:80]!r} != {ours.body[:80]!r}")
    return diffs


def check(case: CurlCase, echo: EchoServer, files: Path | None = None) -> CurlOutcome:
    with tempfile.TemporaryDirectory(prefix="curlcheck-") as tmp:
        workdir = Path(tmp)
        if files is not None and files.is_dir():
            shutil.copytree(files, workdir, dirs_exist_ok=True)
        env = shell_env(case.command)
        theirs, curl_error = run_curl(case.command, echo, workdir, env)
        if theirs is None:
            return CurlOutcome(case, "invalid", f"curl sent nothing ({curl_error or 'no output'})")
        try:
            ours, result, error = run_import(case.command, echo, workdir, env)
        except ImportSourceError as exc:
            return CurlOutcome(case, "refused", str(exc))
        except Exception as exc:  # noqa: BLE001 - a crash is a finding
            return CurlOutcome(case, "crash", f"{type(exc).__name__}: {exc}")
        errors = [str(f) for f in lint(result.action, target="generic") if f.severity == "error"]
        if ours is None:
            return CurlOutcome(case, "different", f"the action sent nothing ({error})", errors)
        diffs = differences(theirs, ours)
        return CurlOutcome(case, "different" if diffs else "equivalent", "; ".join(diffs), errors)


def has_lint_errors(outcome: CurlOutcome) -> bool:
    return bool(outcome.lint_errors)


__all__ = ["CurlCase", "CurlOutcome", "EchoServer", "check", "differences", "has_errors"]
