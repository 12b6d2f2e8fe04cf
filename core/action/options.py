"""The optional voice-call fields of an action: what the model receives (``result``) and retries (``retry``)."""

from typing import Optional, Union

from pydantic import Field, field_validator

from .. import pick
from .base import NAME_RE, FileModel, flat_name

MODES = ("sync", "async")
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: what ``retry.on`` accepts besides HTTP statuses: a timeout, a connection that failed, a reset or broken response
RETRY_KINDS = ("timeout", "connect", "protocol")
DEFAULT_RETRY_ON: tuple[Union[str, int], ...] = ("timeout", "connect", 429, 502, 503, 504)
#: optional fields a file only holds when they are set (absent = today's behaviour)
OPTIONAL_FIELDS = ("result", "retry", "retry_writes", "speak_during", "mode")


class ResultSpec(FileModel):
    """What the model receives: only the picked fields (name -> JSONPath), and at most ``max_chars``."""

    pick: dict[str, str] = Field(default_factory=lambda: {})  # a lambda: pydantic inspects the factory, dict is slow
    max_chars: Optional[int] = Field(default=None, ge=50, le=100_000)

    @field_validator("pick")
    @classmethod
    def _paths(cls, picks: dict[str, str]) -> dict[str, str]:
        for name, path in picks.items():
            if not NAME_RE.match(name):
                raise ValueError(f"{name!r} must be letters, digits and _ only (it becomes a variable); "
                                 f"rename it to {flat_name(name)!r}")
            try:
                pick.compile_path(path)
            except ValueError as exc:
                raise ValueError(f"{name}: {exc}") from None
        return picks


class RetrySpec(FileModel):
    """Attempts with exponential backoff and jitter, all within the action's timeout_s."""

    attempts: int = Field(default=3, ge=1, le=10)
    backoff_s: float = Field(default=0.5, ge=0, le=60)
    on: list[Union[int, str]] = Field(default_factory=lambda: list(DEFAULT_RETRY_ON))

    @field_validator("on")
    @classmethod
    def _conditions(cls, on: list[Union[int, str]]) -> list[Union[int, str]]:
        out: list[Union[int, str]] = []
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
