"""Which MCP server to use: a command line (started over stdio) or an http(s) URL (streamable HTTP).

Plain data, no MCP SDK import: the CLI, scenario files and Settings parse and show it without loading
the SDK.
"""

from __future__ import annotations

import re
import shlex
from pathlib import PurePath
from typing import Literal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

_SECRET_PARAM = re.compile(r"key|token|secret|pass|auth|sig", re.I)


class McpServerSpec(BaseModel):
    """``target``: ``python my_server.py --flag`` or ``http://127.0.0.1:8000/mcp``."""

    model_config = ConfigDict(extra="forbid")

    target: str
    name: str | None = None  # default: the server's own name once connected, else derived from the target
    env: dict[str, str] = Field(default_factory=dict)  # extra environment for a command (over this process's)
    cwd: str | None = None  # working folder for a command (a scenario's folder, so relative paths work)

    @field_validator("target")
    @classmethod
    def _target(cls, v: str) -> str:
        v = v.strip()
        if not v:
            raise ValueError("empty MCP server; give a command (python server.py) or a URL (http://host/mcp)")
        if not v.lower().startswith(("http://", "https://")):
            try:
                if not shlex.split(v):
                    raise ValueError
            except ValueError:
                raise ValueError(f"{v!r} is not a command line (check its quotes), nor an http(s) URL") from None
        return v

    @property
    def transport(self) -> Literal["stdio", "http"]:
        return "http" if self.target.lower().startswith(("http://", "https://")) else "stdio"

    @property
    def argv(self) -> list[str]:
        """The command and its arguments (stdio only)."""
        return shlex.split(self.target)

    @property
    def shown_target(self) -> str:
        """The target as shown in traces and pages: a URL without credentials or secret-looking parameters."""
        return self.target if self.transport == "stdio" else mask_url(self.target)

    @property
    def label(self) -> str:
        """A short name for the server, before it names itself."""
        if self.name:
            return self.name
        if self.transport == "http":
            return urlsplit(self.target).netloc.rpartition("@")[2] or "mcp"
        argv = self.argv
        words = [w for w in argv[1:] if not w.startswith("-") and not re.search(r"[\s;()'\"]", w)]
        last = PurePath(words[-1] if words else argv[0]).name
        return re.sub(r"\.(py|js|mjs|ts)$", "", last) or "mcp"


def mask_url(url: str) -> str:
    parts = urlsplit(url)
    netloc = parts.netloc.rpartition("@")[2]
    query = urlencode([(k, "****" if _SECRET_PARAM.search(k) else v) for k, v in parse_qsl(parts.query)], safe="*")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def parse_spec(value: str | dict[str, object] | McpServerSpec) -> McpServerSpec:
    """A spec from ``--mcp VALUE`` (a string) or a scenario's mapping; ValueError with one line if it is bad."""
    if isinstance(value, McpServerSpec):
        return value
    try:
        return McpServerSpec(target=value) if isinstance(value, str) else McpServerSpec.model_validate(value)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        message = str(first["msg"]).removeprefix("Value error, ")
        if first["type"] == "extra_forbidden":
            message = "unknown field; an MCP server has target (a command or a URL), name, env and cwd"
        raise ValueError(message if isinstance(value, str) else f"{where}: {message}") from None
