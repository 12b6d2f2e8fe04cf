"""The scenario file's models: a scenario, its user turns and what each turn must do (see README.md,
"Regression scenarios")."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from ..mcp.spec import McpServerSpec
from ..recording import Recording
from ..trace import ErrorKind

SCENARIO_SUFFIXES = (".yaml", ".yml", ".json")
ERROR_KINDS: tuple[str, ...] = ErrorKind.__args__  # type: ignore[attr-defined]
MODEL_RE = re.compile(r"^(offline|replay|openai:\S.*)$")
HTTP_MODES = ("live", "replay", "dry-run")
HttpMode = Literal["live", "replay", "dry-run"]
STATUS_CLASS_RE = re.compile(r"^[1-5]xx$")
EXPECT_FIELDS = ("action", "arguments", "arguments_exact", "arguments_regex", "status", "error",
                 "reply_contains", "reply_regex", "max_calls", "max_dead_air_ms")


# -- the file format ------------------------------------------------------------------------------------
class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Expectation(_Strict):
    """What one turn must do. Every field is optional; an empty expectation only requires the turn to finish.

    Call-level fields (arguments*, status, error) apply to the *checked call*: the last call to ``action``
    when it is given, else the last call of the turn (so a model that retries is judged on its retry).
    """

    action: str | None = None  # action name or tool name; "none" = no tool call in this turn
    arguments: dict[str, Any] | None = None  # subset: these arguments, with these values
    arguments_exact: dict[str, Any] | None = None  # exactly these arguments
    arguments_regex: dict[str, str] | None = None  # per argument, a regex its value must match (re.search)
    status: int | list[int] | str | None = None  # 200, [200, 503], "2xx", or "none" (no HTTP response)
    error: str | list[str] | None = None  # "none", "any", an error kind (timeout, http_401, not_json...), or a list
    reply_contains: str | list[str] | None = None  # case-insensitive; a list means all of them
    reply_regex: str | None = None  # re.search on the reply
    max_calls: int | None = Field(default=None, ge=0)  # at most this many tool calls in the turn
    max_dead_air_ms: float | None = Field(default=None, gt=0)  # at most this much silence before the first words

    @field_validator("action", "error", mode="before")
    @classmethod
    def _null_is_none(cls, v: Any) -> Any:  # `action: null` / `error: ~` read as "none"
        return "none" if v is None else v

    @field_validator("action")
    @classmethod
    def _action(cls, v: str | None) -> str | None:
        if v is not None and not v.strip():
            raise ValueError("empty action name; write an action name, a tool name, or none")
        return v.strip() if v else v

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, v: Any) -> Any:
        items = v if isinstance(v, list) else [v]
        for item in items:
            if isinstance(item, bool) or item is None:
                raise ValueError(f"{item!r} is not a status; write a code like 200, a list like [200, 503], "
                                 "a class like 2xx, or none")
            if isinstance(item, int):
                if not 100 <= item <= 599:
                    raise ValueError(f"{item} is not an HTTP status code (100-599)")
            elif isinstance(item, str):
                text = item.strip().lower()
                if not (text.isdigit() or STATUS_CLASS_RE.match(text) or text == "none"):
                    raise ValueError(f"{item!r} is not a status; write a code like 200, a class like 2xx, or none")
            else:
                raise ValueError(f"{item!r} is not a status; write a code like 200, a list, a class like 2xx, or none")
        if isinstance(v, str) and v.strip().isdigit():
            return int(v)
        return [int(i) if isinstance(i, str) and i.strip().isdigit() else i for i in v] if isinstance(v, list) else v

    @field_validator("error")
    @classmethod
    def _error(cls, v: str | list[str] | None) -> str | list[str] | None:
        for item in (v if isinstance(v, list) else [v] if v is not None else []):
            if item not in ("none", "any") and item not in ERROR_KINDS:
                raise ValueError(f"unknown error kind {item!r}; use none, any, or one of: {', '.join(ERROR_KINDS)}")
        return v

    @field_validator("arguments_regex")
    @classmethod
    def _arg_regexes(cls, v: dict[str, str] | None) -> dict[str, str] | None:
        for name, pattern in (v or {}).items():
            _compile(pattern, f"{name}: ")
        return v

    @field_validator("reply_regex")
    @classmethod
    def _reply_regex(cls, v: str | None) -> str | None:
        if v is not None:
            _compile(v)
        return v

    @field_validator("reply_contains")
    @classmethod
    def _contains(cls, v: str | list[str] | None) -> str | list[str] | None:
        if v is not None and any(not s for s in (v if isinstance(v, list) else [v])):
            raise ValueError("an empty string matches every reply; write the text the reply must contain")
        return v

    def is_empty(self) -> bool:
        return not self.model_fields_set


def _compile(pattern: str, prefix: str = "") -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"{prefix}invalid regex {pattern!r} ({exc}); escape special characters with \\") from None


class TurnSpec(_Strict):
    """One user turn and what the agent must do in answer."""

    user: str = Field(min_length=1)
    expect: Expectation = Field(default_factory=Expectation)

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, v: Any) -> Any:  # `- hello` is a turn without expectations
        return {"user": v} if isinstance(v, str) else v


class Scenario(_Strict):
    name: str = Field(min_length=1)
    description: str = ""
    actions: str | list[str]  # folder(s) and/or action file(s), relative to the scenario file
    model: str = "offline"  # offline, openai:MODEL, or replay (the recording's model turns)
    base_url: str | None = None  # OpenAI-compatible server URL (openai: models only)
    runtime: dict[str, Any] = Field(default_factory=dict)  # merged over core.session.default_runtime()
    system_prompt: str | None = None  # None: the agent's default prompt
    overrides: dict[str, dict[str, Any]] = Field(default_factory=dict)  # action name -> fields to change
    mcp: list[McpServerSpec] = Field(default_factory=list)  # MCP servers whose tools join the actions
    turns: list[TurnSpec] = Field(min_length=1)
    http: HttpMode = "live"  # live, replay (answers from the recording) or dry-run (nothing is sent)
    recording: Recording | None = None  # what happened when it was recorded (core.recording)

    _source: Path | None = PrivateAttr(default=None)

    @field_validator("actions")
    @classmethod
    def _actions(cls, v: str | list[str]) -> str | list[str]:
        if not v or (isinstance(v, list) and not all(isinstance(s, str) and s.strip() for s in v)):
            raise ValueError("name an actions folder or a list of action files, e.g. ../sample_actions")
        return v

    @field_validator("mcp", mode="before")
    @classmethod
    def _mcp(cls, v: Any) -> Any:  # `mcp: python server.py`, or a list of commands, URLs or mappings
        items = [v] if isinstance(v, (str, dict)) else v
        return [{"target": i} if isinstance(i, str) else i for i in items] if isinstance(items, list) else v

    def mcp_specs(self) -> list[McpServerSpec]:
        """The MCP servers, commands run from the scenario's folder (so relative paths in them work)."""
        return [s.model_copy(update={"cwd": str(self.base_dir / (s.cwd or "."))}) if s.transport == "stdio" else s
                for s in self.mcp]

    @field_validator("model")
    @classmethod
    def _model(cls, v: str) -> str:
        if not MODEL_RE.match(v.strip()):
            raise ValueError(f"unknown model {v!r}; use offline, replay or openai:MODEL (e.g. openai:gpt-4o-mini)")
        return v.strip()

    @model_validator(mode="after")
    def _needs_recording(self) -> "Scenario":
        if self.recording is None and (self.model == "replay" or self.http == "replay"):
            what = "model: replay" if self.model == "replay" else "http: replay"
            raise ValueError(f"{what} needs a recording; record one (playground chat --record FILE, or save the "
                             "chat from the Scenarios page) or use a live model and http: live")
        return self

    @property
    def source(self) -> Path | None:
        """The file this scenario was loaded from (relative action paths resolve against its folder)."""
        return self._source

    def with_source(self, path: str | Path | None) -> "Scenario":
        self._source = Path(path) if path is not None else None
        return self

    @property
    def base_dir(self) -> Path:
        return self._source.parent if self._source is not None else Path.cwd()

    @property
    def action_refs(self) -> list[str]:
        return [self.actions] if isinstance(self.actions, str) else list(self.actions)

    def action_paths(self) -> list[Path]:
        return [p if p.is_absolute() else self.base_dir / p for p in map(Path, map(os.path.expanduser,
                                                                                    self.action_refs))]

    @property
    def label(self) -> str:
        return str(self._source) if self._source is not None else self.name

