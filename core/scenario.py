"""Regression scenarios: a kept conversation (user turns + expectations) rerun after every change.

A scenario is one human-editable file (YAML or JSON, see README.md, "Regression scenarios")::

    name: order status, multi-turn
    actions: ../sample_actions          # a folder, a file, or a list of them (relative to this file)
    model: offline
    runtime: {cal_email: bookings@demo.example.com}
    turns:
      - user: I'd like to check on my order
        expect: {action: none, reply_contains: order number}
      - user: ORD-10042
        expect: {action: Lookup Order Status, arguments: {order_number: ORD-10042}, status: 200, error: none}

:func:`load_scenario` validates a file (errors are one line naming the file and the field),
:func:`run_scenario` replays its user turns through an :class:`~core.agent.Agent` and
:func:`check_turn` compares each turn with its expectations. Never imports streamlit.
"""

from __future__ import annotations

import asyncio
import difflib
import json
import os
import re
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Iterable, Literal, Sequence

import yaml
from pydantic import (BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, computed_field, field_validator,
                      model_validator)

from .action import Action, parse_action, tool_name
from .agent import Agent, Conversation, Turn
from .errors import ActionFileError, PlaygroundError, ScenarioError
from .executor import Executor
from .trace import ErrorKind, Trace

SCENARIO_SUFFIXES = (".yaml", ".yml", ".json")
ERROR_KINDS: tuple[str, ...] = ErrorKind.__args__  # type: ignore[attr-defined]
MODEL_RE = re.compile(r"^(offline|openai:\S.*)$")
STATUS_CLASS_RE = re.compile(r"^[1-5]xx$")
EXPECT_FIELDS = ("action", "arguments", "arguments_exact", "arguments_regex", "status", "error",
                 "reply_contains", "reply_regex", "max_calls")


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
    model: str = "offline"  # offline or openai:MODEL
    base_url: str | None = None  # OpenAI-compatible server URL (openai: models only)
    runtime: dict[str, Any] = Field(default_factory=dict)  # merged over core.session.default_runtime()
    system_prompt: str | None = None  # None: the agent's default prompt
    overrides: dict[str, dict[str, Any]] = Field(default_factory=dict)  # action name -> fields to change
    turns: list[TurnSpec] = Field(min_length=1)

    _source: Path | None = PrivateAttr(default=None)

    @field_validator("actions")
    @classmethod
    def _actions(cls, v: str | list[str]) -> str | list[str]:
        if not v or (isinstance(v, list) and not all(isinstance(s, str) and s.strip() for s in v)):
            raise ValueError("name an actions folder or a list of action files, e.g. ../sample_actions")
        return v

    @field_validator("model")
    @classmethod
    def _model(cls, v: str) -> str:
        if not MODEL_RE.match(v.strip()):
            raise ValueError(f"unknown model {v!r}; use offline or openai:MODEL (e.g. openai:gpt-4o-mini)")
        return v.strip()

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


# -- loading ---------------------------------------------------------------------------------------------
class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates (2026-12-01) and +-prefixed numbers (+15551234567) as strings,
    because that is what a tool call carries."""


_Loader.yaml_implicit_resolvers = {
    ch: [(tag, rx) for tag, rx in resolvers
         if tag != "tag:yaml.org,2002:timestamp" and not (ch == "+" and tag.endswith((":int", ":float")))]
    for ch, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_FIXES = {
    "missing": "add it",
    "extra_forbidden": "remove it or check its spelling",
    "string_type": "write text",
    "dict_type": "write a mapping of names to values",
    "list_type": "write a list",
    "int_type": "write a whole number",
    "int_parsing": "write a whole number",
    "too_short": "add at least one",
    "string_too_short": "give it a value",
    "greater_than_equal": "use 0 or more",
}


def _where(loc: Sequence[Any]) -> str:
    """('turns', 1, 'expect', 'status', 'int') -> 'turn 2: expect.status'."""
    parts = [p for p in loc if not (isinstance(p, str) and (p in ("int", "str", "list[int]", "list[str]")
                                                             or p.startswith(("function-", "list[", "dict["))))]
    if len(parts) >= 2 and parts[0] == "turns" and isinstance(parts[1], int):
        rest = ".".join(str(p) for p in parts[2:])
        return f"turn {parts[1] + 1}" + (f": {rest}" if rest else "")
    return ".".join(str(p) for p in parts)


def _describe(exc: ValidationError) -> str:
    errors = exc.errors()
    # a misspelt field explains the "missing" error of the right one; a union (status: int | list | str)
    # reports one error per branch: show the most specific one
    err = next((e for e in errors if e["type"] == "extra_forbidden"),
               next((e for e in errors if e["type"] == "value_error"), errors[0]))
    where = _where(err["loc"])
    if err["type"] == "extra_forbidden":
        fields = {"expect": EXPECT_FIELDS, "turn": ("user", "expect")}
        parent = "expect" if "expect" in [str(p) for p in err["loc"][:-1]] else (
            "turn" if err["loc"][0] == "turns" and len(err["loc"]) == 3 else "scenario")
        allowed = fields.get(parent, tuple(Scenario.model_fields))
        close = difflib.get_close_matches(str(err["loc"][-1]), allowed, n=1)
        hint = f"did you mean {close[0]}? " if close else ""
        return f"{where}: unknown field; {hint}the fields are: {', '.join(allowed)}"
    msg = err["msg"].removeprefix("Value error, ")
    fix = _FIXES.get(err["type"])
    if err["type"] == "missing" and where.endswith("user"):
        fix = "add the user's words: user: ..."
    text = f"{where}: {msg}" if where else msg
    text = f"{text} ({fix})" if fix else text
    more = len({_where(e["loc"]) for e in errors}) - 1
    return re.sub(r"\s*[\r\n]+\s*", " ", text) + (f" (and {more} more)" if more > 0 else "")


def parse_scenario(data: Any, source: str | Path = "scenario", *, check_actions: bool = True) -> Scenario:
    """Validate decoded scenario data. Errors are one line: the source, the field, the fix."""
    src = str(source)
    if not isinstance(data, dict):
        kind = "nothing" if data is None else type(data).__name__
        raise ScenarioError(f"{src}: a scenario is a mapping with name, actions and turns; got {kind}")
    if "name" not in data and isinstance(source, Path):
        data = {"name": source.stem.replace("_", " "), **data}
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(f"{src}: {_describe(exc)}") from None
    if isinstance(source, Path):
        scenario.with_source(source)
    if check_actions:
        actions = scenario_actions(scenario)
        check_expectations(scenario, actions)
    return scenario


def load_scenario(path: str | Path) -> Scenario:
    """One scenario file (.yaml, .yml or .json). Raises ScenarioError (one line, naming file and field)."""
    path = Path(path)
    if path.suffix.lower() not in SCENARIO_SUFFIXES:
        raise ScenarioError(f"{path}: a scenario file ends in .yaml, .yml or .json")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(f"{path}: no such scenario file; check the path") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{path}: cannot read it ({getattr(exc, 'strerror', None) or exc})") from None
    if not text.strip():
        raise ScenarioError(f"{path}: the file is empty; a scenario needs name, actions and turns")
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ScenarioError(f"{path}: not valid JSON at line {exc.lineno} column {exc.colno} ({exc.msg})") from None
    else:
        try:
            data = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            at = f" at line {mark.line + 1} column {mark.column + 1}" if mark else ""
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise ScenarioError(f"{path}: not valid YAML{at} ({problem}); fix the syntax "
                                "(quote text that holds ': ' or starts with a special character)") from None
    return parse_scenario(data, path)


def _is_action_file(path: Path) -> bool:
    """A JSON action file kept next to scenarios (it has a url and no turns)."""
    if path.suffix.lower() != ".json":
        return False
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and "url" in data and "turns" not in data


def scenario_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; folders contribute their *.yaml, *.yml and *.json files (sorted, not recursive,
    skipping hidden files and JSON action files kept next to the scenarios)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(f for f in p.iterdir() if f.is_file() and f.suffix.lower() in SCENARIO_SUFFIXES
                           and not f.name.startswith(".") and not _is_action_file(f))
            if not found:
                raise ScenarioError(f"{p}: the folder holds no scenario files (*.yaml, *.yml, *.json)")
            out += found
        elif p.exists():
            out.append(p)
        else:
            raise ScenarioError(f"{p}: no such scenario file or folder; check the path")
    return out


def load_scenarios(paths: Iterable[str | Path]) -> list[Scenario]:
    """Scenarios from files and folders; the first bad file raises ScenarioError."""
    return [load_scenario(f) for f in scenario_files(paths)]


def _find_action(actions: Sequence[Action], ref: str) -> Action | None:
    key = ref.strip().lower()
    return next((a for a in actions if a.name.lower() == key or a.tool_name == key or a.tool_name == tool_name(ref)),
                None)


def _names(actions: Sequence[Action]) -> str:
    return ", ".join(a.name for a in actions) or "none"


def scenario_actions(scenario: Scenario, *, rebase_demo_to: str | None = None) -> list[Action]:
    """The scenario's actions, loaded fresh from disk, with its overrides applied.

    ``rebase_demo_to``: point actions that talk to the demo API (http://127.0.0.1:8765) at another
    base URL, e.g. a demo server a test started on a free port.
    """
    from .store import load_actions

    where = scenario.label
    for ref, path in zip(scenario.action_refs, scenario.action_paths()):
        if not path.exists():
            raise ScenarioError(f"{where}: actions: {ref}: no such folder or file (paths are relative to the "
                                "scenario file's folder)")
    try:
        actions = load_actions(scenario.action_paths())
    except ActionFileError as exc:
        raise ScenarioError(f"{where}: actions: {exc}") from None
    if not actions:
        raise ScenarioError(f"{where}: actions: no action files found; name a folder of *.json action files")
    for ref, patch in scenario.overrides.items():
        action = _find_action(actions, ref)
        if action is None:
            raise ScenarioError(f"{where}: overrides.{ref}: no action named {ref!r}; the actions are: {_names(actions)}")
        data = action.to_file_dict()
        for key, value in patch.items():
            data[key] = {**data[key], **value} if isinstance(data.get(key), dict) and isinstance(value, dict) else value
        try:
            new = parse_action(data, f"overrides.{ref}")
        except ActionFileError as exc:
            raise ScenarioError(f"{where}: {exc}") from None
        actions = [new if a is action else a for a in actions]
    if rebase_demo_to:
        from .demo import rebase_url

        actions = [a.model_copy(update={"url": rebase_url(a.url, rebase_demo_to)}) for a in actions]
    return actions


def check_expectations(scenario: Scenario, actions: Sequence[Action]) -> None:
    """Expectations that name actions and arguments must name real ones (catches typos at load time)."""
    for i, spec in enumerate(scenario.turns, 1):
        exp = spec.expect
        if exp.action is None or exp.action == "none":
            continue
        action = _find_action(actions, exp.action)
        if action is None:
            raise ScenarioError(f"{scenario.label}: turn {i}: expect.action: no action named {exp.action!r}; "
                                f"the actions are: {_names(actions)}")
        known = {v.name for v in action.variables}
        for field in ("arguments", "arguments_exact", "arguments_regex"):
            for arg in getattr(exp, field) or {}:
                if arg not in known:
                    raise ScenarioError(
                        f"{scenario.label}: turn {i}: expect.{field}.{arg}: {action.name} has no variable {arg!r}; "
                        f"its variables are: {', '.join(sorted(known)) or 'none'}")


# -- checking one turn -----------------------------------------------------------------------------------
def _short(value: Any, limit: int = 80) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = re.sub(r"\s+", " ", text)
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


def _scalar_text(v: Any) -> str | None:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)
    if isinstance(v, str):
        return v.strip()
    return None


def values_match(expected: Any, actual: Any) -> bool:
    """Equal as JSON values, or as scalars written differently (3 and "3", true and "true")."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        return expected.keys() == actual.keys() and all(values_match(expected[k], actual[k]) for k in expected)
    if isinstance(expected, list) and isinstance(actual, list):
        return len(expected) == len(actual) and all(values_match(e, a) for e, a in zip(expected, actual))
    if isinstance(expected, bool) or isinstance(actual, bool):  # True is not 1
        return _scalar_text(expected) == _scalar_text(actual) and _scalar_text(expected) is not None
    if expected == actual:
        return True
    a, b = _scalar_text(expected), _scalar_text(actual)
    return a is not None and b is not None and a == b


def _call_matches(call: Any, ref: str) -> bool:
    key = ref.lower()
    return (call.action or "").lower() == key or call.tool_name.lower() == key or call.tool_name == tool_name(ref)


def _call_names(calls: Sequence[Any], like: str) -> str:
    """Names of the calls, as tool names when the expectation was written as a tool name."""
    as_tool = like == tool_name(like)
    return ", ".join(c.tool_name if as_tool or not c.action else c.action for c in calls)


def _status_ok(expected: Any, status: int | None) -> bool:
    for item in expected if isinstance(expected, list) else [expected]:
        if isinstance(item, int) and status == item:
            return True
        if isinstance(item, str):
            text = item.strip().lower()
            if text == "none" and status is None:
                return True
            if STATUS_CLASS_RE.match(text) and status is not None and str(status)[0] == text[0]:
                return True
    return False


def _status_text(expected: Any) -> str:
    items = expected if isinstance(expected, list) else [expected]
    texts = ["no response" if str(i).lower() == "none" else str(i) for i in items]
    return texts[0] if len(texts) == 1 else "one of " + ", ".join(texts)


def _error_ok(expected: Any, kind: str | None) -> bool:
    for item in expected if isinstance(expected, list) else [expected]:
        if (item == "none" and kind is None) or (item == "any" and kind is not None) or item == kind:
            return True
    return False


def _error_text(expected: Any) -> str:
    items = expected if isinstance(expected, list) else [expected]
    texts = ["no error" if i == "none" else "an error" if i == "any" else f"error {i}" for i in items]
    return texts[0] if len(texts) == 1 else "one of: " + ", ".join(texts)


def check_turn(expect: Expectation, turn: Turn) -> list[str]:
    """The differences between what a turn did and what was expected, most important first ([] = pass).

    Messages read after ``turn N: `` e.g. ``expected action check_inventory, got order_status``.
    """
    out: list[str] = []
    if turn.error:
        out.append(f"the turn failed: {turn.error}")
    calls = list(turn.calls)
    call = calls[-1] if calls else None  # the checked call
    checked_call = True
    if expect.action is not None:
        if expect.action == "none":
            checked_call = False
            if calls:
                out.append(f"expected no action, got {_call_names(calls, calls[0].tool_name)}")
        else:
            matching = [c for c in calls if _call_matches(c, expect.action)]
            if matching:
                call = matching[-1]
            else:
                checked_call = False
                got = _call_names(calls, expect.action) if calls else "no call"
                out.append(f"expected action {expect.action}, got {got}")
    if expect.max_calls is not None and len(calls) > expect.max_calls:
        out.append(f"expected at most {expect.max_calls} tool call{'s' if expect.max_calls != 1 else ''}, "
                   f"got {len(calls)} ({_call_names(calls, calls[0].tool_name)})")
    needs_call = (expect.arguments is not None or expect.arguments_exact is not None
                  or expect.arguments_regex is not None or expect.status is not None
                  or (expect.error is not None and not _error_ok(expect.error, None)))
    if checked_call and call is None and needs_call:
        out.append("expected a tool call, got no call")
    elif checked_call and call is not None:
        args = call.arguments if isinstance(call.arguments, dict) else {}
        for name, value in (expect.arguments or {}).items():
            if name not in args:
                out.append(f"expected argument {name} = {_short(value)}, got no {name} (arguments: {_short(args)})")
            elif not values_match(value, args[name]):
                out.append(f"expected argument {name} = {_short(value)}, got {_short(args[name])}")
        if expect.arguments_exact is not None and not values_match(expect.arguments_exact, args):
            out.append(f"expected arguments exactly {_short(expect.arguments_exact)}, got {_short(args)}")
        for name, pattern in (expect.arguments_regex or {}).items():
            if name not in args:
                out.append(f"expected argument {name} to match {pattern!r}, got no {name}")
                continue
            value = args[name]
            text = value if isinstance(value, str) else _scalar_text(value) or json.dumps(value, default=str)
            if not re.search(pattern, text):
                out.append(f"expected argument {name} to match {pattern!r}, got {_short(value)}")
        if expect.status is not None and not _status_ok(expect.status, call.status_code):
            got = call.status_code if call.status_code is not None else "no response"
            if call.status_code is None and call.error_kind:
                got = f"no response ({call.error_kind})"
            out.append(f"expected status {_status_text(expect.status)}, got {got}")
        if expect.error is not None and not _error_ok(expect.error, call.error_kind):
            out.append(f"expected {_error_text(expect.error)}, got {'error ' + call.error_kind if call.error_kind else 'no error'}"
                       + (f" (status {call.status_code})" if call.status_code is not None else ""))
    for fragment in ([expect.reply_contains] if isinstance(expect.reply_contains, str)
                     else expect.reply_contains or []):
        if fragment.lower() not in turn.reply.lower():
            out.append(f"expected the reply to contain {fragment!r}, got {_short(turn.reply)}")
    if expect.reply_regex is not None and not re.search(expect.reply_regex, turn.reply):
        out.append(f"expected the reply to match {expect.reply_regex!r}, got {_short(turn.reply)}")
    return out


# -- results ---------------------------------------------------------------------------------------------
class Failure(BaseModel):
    """The first difference of a failed run."""

    run: int  # 1-based
    turn: int | None  # 1-based; None when the run failed before or outside a turn
    message: str

    def __str__(self) -> str:
        return f"turn {self.turn}: {self.message}" if self.turn is not None else self.message


class TurnResult(BaseModel):
    index: int  # 1-based
    user: str
    expect: Expectation
    turn: Turn  # what actually happened
    traces: list[Trace] = Field(default_factory=list)  # this turn's calls, in call order
    failures: list[str] = Field(default_factory=list)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def passed(self) -> bool:
        return not self.failures


class RunResult(BaseModel):
    run: int  # 1-based
    turns: list[TurnResult] = Field(default_factory=list)
    error: str | None = None  # the run broke (e.g. an unexpected exception)
    elapsed_ms: float = 0.0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def passed(self) -> bool:
        return self.error is None and all(t.passed for t in self.turns)

    @property
    def first_failure(self) -> Failure | None:
        if self.error is not None:
            return Failure(run=self.run, turn=None, message=self.error)
        for t in self.turns:
            if t.failures:
                return Failure(run=self.run, turn=t.index, message=t.failures[0])
        return None


class ScenarioResult(BaseModel):
    name: str
    file: str | None = None
    model: str = ""
    runs: list[RunResult] = Field(default_factory=list)
    elapsed_ms: float = 0.0

    @computed_field  # type: ignore[prop-decorator]
    @property
    def passed(self) -> bool:
        """A scenario passes only when every repeat passes."""
        return bool(self.runs) and all(r.passed for r in self.runs)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def passes(self) -> int:
        return sum(r.passed for r in self.runs)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def pass_rate(self) -> str:
        return f"{self.passes}/{len(self.runs)}"

    @computed_field  # type: ignore[prop-decorator]
    @property
    def failures(self) -> list[Failure]:
        """The first difference of each failed run."""
        return [f for f in (r.first_failure for r in self.runs) if f is not None]

    @property
    def first_failure(self) -> str | None:
        """``turn 2: expected ...``, prefixed with ``run K: `` when there were repeats."""
        if not self.failures:
            return None
        f = self.failures[0]
        return f"run {f.run}: {f}" if len(self.runs) > 1 else str(f)


# -- running ---------------------------------------------------------------------------------------------
def _make_model(spec: str, base_url: str | None, api_key: str | None) -> Any:
    from .llm import make_model

    return make_model(spec, base_url=base_url, api_key=api_key)


async def arun_scenario(scenario: Scenario, *, model: Any = None, executor: Executor | None = None,
                        repeat: int = 1, base_url: str | None = None, api_key: str | None = None,
                        rebase_demo_to: str | None = None, runtime: dict[str, Any] | None = None,
                        max_turns: int = 6) -> ScenarioResult:
    """Run the scenario's user turns ``repeat`` times, each in a new conversation, and check every turn.

    ``model``: a ChatModel instance (reused across repeats, e.g. a ScriptedModel), a spec string
    (``offline``, ``openai:MODEL``) overriding the scenario's, or None for the scenario's own model.
    ``executor``: shared one (the caller closes it) or None
    (one is made and closed here). ``rebase_demo_to``: see :func:`scenario_actions`. ``runtime``:
    runtime variables applied over the defaults and under the scenario's own.
    Actions are reloaded from disk on every call, so an edited action is what runs.
    """
    from .session import default_runtime

    if repeat < 1:
        raise ValueError("repeat must be at least 1")
    actions = scenario_actions(scenario, rebase_demo_to=rebase_demo_to)
    spec = model if isinstance(model, str) else scenario.model
    url = base_url or scenario.base_url
    own_executor = executor is None
    executor = executor or Executor()
    result = ScenarioResult(name=scenario.name, file=str(scenario.source) if scenario.source else None)
    started_all = time.perf_counter()
    own_model = model is None or isinstance(model, str)
    chat_model = _make_model(spec, url, api_key) if own_model else model  # models keep no state between runs
    result.model = getattr(chat_model, "name", "") or spec
    try:
        for n in range(1, repeat + 1):
            kwargs: dict[str, Any] = {} if scenario.system_prompt is None else {"system_prompt": scenario.system_prompt}
            agent = Agent(chat_model, actions, executor, max_turns=max_turns,
                          runtime={**default_runtime(), **(runtime or {}), **scenario.runtime}, **kwargs)
            run = RunResult(run=n)
            started = time.perf_counter()
            conv = agent.new_conversation()
            try:
                for i, spec_turn in enumerate(scenario.turns, 1):
                    before = len(conv.traces)
                    async for _ in agent.run(conv, spec_turn.user):
                        pass
                    turn = conv.turns[-1]
                    run.turns.append(TurnResult(index=i, user=spec_turn.user, expect=spec_turn.expect, turn=turn,
                                                traces=conv.traces[before:],
                                                failures=check_turn(spec_turn.expect, turn)))
            except PlaygroundError as exc:
                run.error = str(exc)
            except Exception as exc:  # noqa: BLE001 - a broken run is a failed run, not a crash of the suite
                run.error = f"the run crashed ({type(exc).__name__}: {exc})"
            run.elapsed_ms = round((time.perf_counter() - started) * 1000, 2)
            result.runs.append(run)
    finally:
        if own_executor:
            await executor.async_client.aclose()
            executor.close()
        close = getattr(getattr(chat_model, "client", None), "close", None) if own_model else None
        if close is not None and asyncio.iscoroutinefunction(close):
            await close()
    result.elapsed_ms = round((time.perf_counter() - started_all) * 1000, 2)
    return result


def run_scenario(scenario: Scenario, *, loop: Any = None, **kwargs: Any) -> ScenarioResult:
    """Sync wrapper of :func:`arun_scenario`. ``loop``: a core.loop.LoopThread to run on (needed when
    ``executor`` is shared with other work on that loop, as in the app); else a private event loop."""
    if loop is not None:
        return loop.run(arun_scenario(scenario, **kwargs))
    return asyncio.run(arun_scenario(scenario, **kwargs))


# -- from a conversation ---------------------------------------------------------------------------------
_STOPWORDS = set("""a about above after again all also am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had has have having
he her here hers him his how i if in into is it its just me more most my no nor not now of off on once only or
other our out over own same she should so some such than that the their them then there these they this those
through to too under until up very was we were what when where which while who whom why will with would you your
yours please thanks thank sorry sure okay could would shall might must let here's there's it's i'm i'll you're
simulator offline called call tool action result""".split())


def _scalars(value: Any) -> Iterable[str]:
    if isinstance(value, dict):
        for v in value.values():
            yield from _scalars(v)
    elif isinstance(value, list):
        for v in value[:50]:
            yield from _scalars(v)
    elif isinstance(value, (str, int, float)) and not isinstance(value, bool):
        text = str(value).strip()
        if 3 <= len(text) <= 40:
            yield text


def distinctive_fragment(reply: str, traces: Sequence[Trace] = (), arguments: Sequence[Any] = ()) -> str | None:
    """A short piece of ``reply`` worth asserting on: a value from an API response that the reply repeats
    (stable across wordings), else an argument value, else its longest uncommon word."""
    low = reply.lower()
    if not low.strip():
        return None
    echoed = {t.lower() for args in arguments for t in _scalars(args)}
    values = [text for trace in traces if trace.response is not None and trace.response.is_json
              for text in _scalars(trace.response.body)
              if text.lower() in low and not text.isdigit() and text.lower() not in echoed]
    for text in sorted(values, key=lambda t: any(ch.isdigit() for ch in t)):  # words (shipped) before ids
        return text
    for args in arguments:
        for text in _scalars(args):
            if text.lower() in low:
                return text
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'-]{3,}", reply) if w.lower() not in _STOPWORDS]
    return max(words, key=len) if words else None


def _runtime_changes(runtime: dict[str, Any]) -> dict[str, Any]:
    from .session import default_runtime

    defaults = default_runtime()
    return {k: v for k, v in runtime.items() if k != "call_id" and defaults.get(k) != v}


def scenario_from_conversation(name: str, conv: Conversation, actions_ref: str | list[str] | Path,
                               model: str = "offline") -> Scenario:
    """A scenario whose expectations are what happened in ``conv``: the action called (or none), its
    arguments (as a subset), its status code and error (or none), and a short distinctive piece of each
    reply. ``actions_ref``: the actions folder or files (absolute, or relative to where the scenario will
    be saved; :func:`save_scenario` makes absolute ones relative)."""
    traces = {t.id: t for t in conv.traces}
    turns = []
    for turn in conv.turns:
        exp: dict[str, Any] = {}
        if turn.calls:
            call = turn.calls[-1]
            exp["action"] = call.action or call.tool_name
            if call.error_kind != "invalid_arguments" and isinstance(call.arguments, dict) and call.arguments:
                exp["arguments"] = call.arguments
            if call.status_code is not None:
                exp["status"] = call.status_code
            exp["error"] = call.error_kind or "none"
        else:
            exp["action"] = "none"
        fragment = distinctive_fragment(turn.reply, [traces[c.trace_id] for c in turn.calls if c.trace_id in traces],
                                        [c.arguments for c in turn.calls])
        if fragment:
            exp["reply_contains"] = fragment
        turns.append(TurnSpec(user=turn.user, expect=Expectation(**exp)))
    if not turns:
        raise ScenarioError("the conversation has no turns yet; chat first, then save it as a scenario")
    ref: str | list[str] = [str(p) for p in actions_ref] if isinstance(actions_ref, list) else str(actions_ref)
    return Scenario(name=name, actions=ref, model=model or "offline", runtime=_runtime_changes(conv.runtime),
                    turns=turns)


# -- saving ----------------------------------------------------------------------------------------------
def scenario_dict(s: Scenario) -> dict[str, Any]:
    """The file form, in reading order, without empty fields."""
    data: dict[str, Any] = {"name": s.name}
    if s.description:
        data["description"] = s.description
    data["actions"] = s.actions
    data["model"] = s.model
    for key in ("base_url", "system_prompt"):
        if getattr(s, key) is not None:
            data[key] = getattr(s, key)
    if s.runtime:
        data["runtime"] = dict(s.runtime)
    if s.overrides:
        data["overrides"] = {k: dict(v) for k, v in s.overrides.items()}
    data["turns"] = []
    for t in s.turns:
        expect = t.expect.model_dump(exclude_none=True, include=set(t.expect.model_fields_set) | {
            f for f in EXPECT_FIELDS if getattr(t.expect, f) is not None})
        data["turns"].append({"user": t.user, "expect": {f: expect[f] for f in EXPECT_FIELDS if f in expect}}
                             if expect else {"user": t.user})
    return data


def dump_scenario(s: Scenario, fmt: Literal["yaml", "json"] = "yaml") -> str:
    """The scenario as an editable YAML (default) or JSON document."""
    data = scenario_dict(s)
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    head = "# A playground scenario: run it with `playground test <this file>` (format: README.md, section Regression scenarios)\n"
    return head + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False)


def _relative_refs(s: Scenario, folder: Path) -> Scenario:
    def rel(ref: str) -> str:
        p = Path(ref)
        if not p.is_absolute():
            return ref
        base = folder.resolve()
        try:
            if os.path.commonpath([p, base]) == base.anchor:  # nothing in common but the root: keep it absolute
                return ref
            return Path(os.path.relpath(p, base)).as_posix()
        except ValueError:  # another drive (Windows)
            return ref

    refs = [rel(r) for r in s.action_refs]
    return s.model_copy(update={"actions": refs[0] if isinstance(s.actions, str) else refs})


def save_scenario(s: Scenario, path: str | Path, *, overwrite: bool = False) -> Path:
    """Write atomically (.yaml/.yml as YAML, .json as JSON). Absolute action paths become relative to
    the file's folder. An existing file is never replaced unless ``overwrite``."""
    from .store import atomic_write

    path = Path(path)
    if path.suffix.lower() not in SCENARIO_SUFFIXES:
        raise ScenarioError(f"{path}: a scenario file ends in .yaml, .yml or .json")
    if path.exists() and not overwrite:
        raise ScenarioError(f"{path}: the file already exists; pick another name or choose to overwrite it")
    if s.source is None:  # refs relative to the cwd become relative to the new file
        s = s.model_copy(update={"actions": [str(Path(r).resolve()) for r in s.action_refs]
                                 if isinstance(s.actions, list) else str(Path(s.actions).resolve())})
    else:
        base = s.base_dir
        s = s.model_copy(update={"actions": [str((base / r).resolve()) for r in s.action_refs]
                                 if isinstance(s.actions, list) else str((base / s.actions).resolve())})
    s = _relative_refs(s, path.parent)
    atomic_write(path, dump_scenario(s, "json" if path.suffix.lower() == ".json" else "yaml"))
    s.with_source(path)
    return path


def scenario_file_name(name: str, folder: str | Path, suffix: str = ".yaml") -> Path:
    """A free file name for a new scenario in ``folder``."""
    base = tool_name(name)
    path, n = Path(folder) / f"{base}{suffix}", 2
    while path.exists():
        path, n = Path(folder) / f"{base}_{n}{suffix}", n + 1
    return path


# -- reports ---------------------------------------------------------------------------------------------
def _call_dict(turn: Turn) -> list[dict[str, Any]]:
    return [{"action": c.action, "tool_name": c.tool_name, "arguments": c.arguments, "status_code": c.status_code,
             "error": c.error_kind} for c in turn.calls]


def report(results: Sequence[ScenarioResult]) -> dict[str, Any]:
    """The JSON report of ``playground test --json``."""
    scenarios = []
    for r in results:
        scenarios.append({
            "name": r.name, "file": r.file, "model": r.model, "passed": r.passed, "pass_rate": r.pass_rate,
            "runs": len(r.runs), "passes": r.passes, "elapsed_ms": r.elapsed_ms,
            "failure": r.first_failure,
            "failures": [{"run": f.run, "turn": f.turn, "message": f.message} for f in r.failures],
            "turns": [{"turn": t.index, "user": t.user, "calls": _call_dict(t.turn), "reply": t.turn.reply,
                       "error": t.turn.error, "passed": t.passed, "failures": t.failures}
                      for t in (r.runs[-1].turns if r.runs else [])],
        })
    failed = sum(not r.passed for r in results)
    return {"passed": failed == 0, "total": len(results), "failed": failed,
            "scenarios": scenarios}


def _transcript(run: RunResult) -> str:
    lines = []
    for t in run.turns:
        lines.append(f"turn {t.index} user: {t.user}")
        for c in t.turn.calls:
            outcome = c.status_code if c.status_code is not None else "no response"
            err = f" ({c.error_kind})" if c.error_kind else ""
            lines.append(f"  call {c.tool_name} {json.dumps(c.arguments, ensure_ascii=False, default=str)} -> "
                         f"{outcome}{err}")
        lines.append(f"  agent: {t.turn.reply}" if not t.turn.error else f"  error: {t.turn.error}")
        lines += [f"  FAIL {f}" for f in t.failures]
    if run.error:
        lines.append(f"error: {run.error}")
    return "\n".join(lines)


def to_junit(results: Sequence[ScenarioResult], suite_name: str = "playground scenarios") -> str:
    """JUnit XML: one <testsuite>, one <testcase> per scenario, a <failure> when any repeat failed."""
    failed = sum(not r.passed for r in results)
    total_s = sum(r.elapsed_ms for r in results) / 1000
    suites = ET.Element("testsuites", name=suite_name, tests=str(len(results)), failures=str(failed),
                        errors="0", time=f"{total_s:.3f}")
    suite = ET.SubElement(suites, "testsuite", name=suite_name, tests=str(len(results)), failures=str(failed),
                          errors="0", skipped="0", time=f"{total_s:.3f}",
                          timestamp=time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()))
    for r in results:
        classname = "scenarios." + (Path(r.file).stem if r.file else tool_name(r.name))
        case = ET.SubElement(suite, "testcase", name=r.name, classname=classname, time=f"{r.elapsed_ms / 1000:.3f}")
        if r.file:
            case.set("file", r.file)
        props = ET.SubElement(case, "properties")
        ET.SubElement(props, "property", name="model", value=r.model)
        ET.SubElement(props, "property", name="pass_rate", value=r.pass_rate)
        if not r.passed:
            message = r.first_failure or "failed"
            if len(r.runs) > 1:
                message += f" (passed {r.pass_rate} runs)"
            failure = ET.SubElement(case, "failure", message=message, type="ScenarioFailure")
            failure.text = "\n".join(f"run {f.run}: {f}" if len(r.runs) > 1 else str(f) for f in r.failures)
        if r.runs:
            out = ET.SubElement(case, "system-out")
            out.text = "\n\n".join(f"run {run.run} ({'pass' if run.passed else 'FAIL'}):\n{_transcript(run)}"
                                   for run in r.runs)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
