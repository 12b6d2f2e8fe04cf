"""The optional voice-call fields of an action file: what the model receives (``result``), ``retry``, and the
OAuth2 client-credentials auth; absent, each leaves the action as it was. Re-exported by core.action."""

from __future__ import annotations

import re
from typing import Literal, Optional, Union

import httpx
from pydantic import BaseModel, ConfigDict, Field, field_validator

from . import pick
from .http.guard import url_problem

MODES = ("sync", "async")
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: what ``retry.on`` accepts besides HTTP statuses: a timeout, a connection that failed, a reset or broken response
RETRY_KINDS = ("timeout", "connect", "protocol")
DEFAULT_RETRY_ON: tuple[str | int, ...] = ("timeout", "connect", 429, 502, 503, 504)
#: optional fields a file only holds when they are set (absent = today's behaviour)
OPTIONAL_FIELDS = ("result", "retry", "retry_writes", "speak_during", "mode")
NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _check_host_and_port(url: httpx.URL) -> None:
    problem = url_problem(url)
    if problem:
        raise ValueError(problem)


def check_url(url: str) -> str:
    """A static http(s) URL with a host (``https://`` prepended when the scheme is missing), or ValueError."""
    url = url.strip()
    if not url:
        raise ValueError("the URL is empty; write the full URL, e.g. https://api.example.com/orders")
    if not SCHEME_RE.match(url):
        url = "https://" + url
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise ValueError(f"{url!r} is not a valid URL ({exc}); fix it, e.g. https://api.example.com/orders") from None
    if parsed.scheme not in ("http", "https"):
        raise ValueError(f"scheme {parsed.scheme}:// is not supported; use https:// (or http:// for a local server)")
    if not parsed.host:
        raise ValueError(f"{url!r} has no host name; write the full URL, e.g. https://api.example.com/orders")
    _check_host_and_port(parsed)
    return url


class OAuth2ClientCredentials(_Model):
    """OAuth2 client credentials: a token is fetched from ``token_url`` and sent as a bearer token."""

    type: Literal["oauth2_client_credentials"] = "oauth2_client_credentials"
    token_url: str
    client_id: str
    client_secret: str
    scope: str = ""
    #: how the client authenticates at the token endpoint: HTTP basic (the RFC's default) or form fields
    client_auth: Literal["basic", "post"] = "basic"

    @field_validator("token_url")
    @classmethod
    def _token_url(cls, url: str) -> str:
        if "{{" in url:
            raise ValueError("the token URL is static; remove the {{placeholder}}")
        return check_url(url)


class ResultSpec(_Model):
    """What the model receives: only the picked fields (name -> JSONPath), and at most ``max_chars``."""

    pick: dict[str, str] = Field(default_factory=dict)
    max_chars: Optional[int] = Field(default=None, ge=50, le=100_000)

    @field_validator("pick")
    @classmethod
    def _paths(cls, picks: dict[str, str]) -> dict[str, str]:
        for name, path in picks.items():
            if not NAME_RE.match(name):
                flat = re.sub(r"[^A-Za-z0-9_]+", "_", name).strip("_") or "value"
                raise ValueError(f"{name!r} must be letters, digits and _ only (it becomes a variable); "
                                 f"rename it to {flat!r}")
            try:
                pick.compile_path(path)
            except ValueError as exc:
                raise ValueError(f"{name}: {exc}") from None
        return picks


class RetrySpec(_Model):
    """Attempts with exponential backoff and jitter, all within the action's timeout_s."""

    attempts: int = Field(default=3, ge=1, le=10)
    backoff_s: float = Field(default=0.5, ge=0, le=60)
    on: list[Union[int, str]] = Field(default_factory=lambda: list(DEFAULT_RETRY_ON))

    @field_validator("on")
    @classmethod
    def _conditions(cls, on: list[int | str]) -> list[int | str]:
        out: list[int | str] = []
        for item in on:
            if isinstance(item, str) and item.strip().isdigit():
                item = int(item)
            if isinstance(item, int) and not isinstance(item, bool) and 400 <= item <= 599:
                out.append(item)
            elif isinstance(item, str) and item.strip().lower() in RETRY_KINDS:
                out.append(item.strip().lower())
            else:
                raise ValueError(f"{item!r} is not a retry condition; use {', '.join(RETRY_KINDS)} "
                                 "or an HTTP status from 400 to 599 such as 503")
        return out
