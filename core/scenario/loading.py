"""Reading scenario files: YAML or JSON -> a validated Scenario, errors as one line naming file and field;
and the scenario's actions, loaded fresh from disk with its overrides applied."""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path
from typing import Any, Iterable, Sequence

import yaml
from pydantic import ValidationError

from ..action import Action, parse_action, tool_name
from ..errors import ActionFileError, ScenarioError
from .model import EXPECT_FIELDS, SCENARIO_SUFFIXES, Scenario

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
        fields = {"expect": EXPECT_FIELDS, "turn": ("user", "expect"), "mcp": ("target", "name", "env", "cwd")}
        parent = "expect" if "expect" in [str(p) for p in err["loc"][:-1]] else (
            "turn" if err["loc"][0] == "turns" and len(err["loc"]) == 3 else
            "mcp" if err["loc"][0] == "mcp" else "scenario")
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


def parse_scenario(data: Any, source: str | Path = "scenario", *, check_actions: bool = True,
                   broken: dict[str, str] | None = None) -> Scenario:
    """Validate decoded scenario data. Errors are one line: the source, the field, the fix.
    ``broken``: see :func:`scenario_actions`."""
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
        actions = scenario_actions(scenario, broken=broken)
        check_expectations(scenario, actions)
    return scenario


def load_scenario(path: str | Path, *, broken: dict[str, str] | None = None) -> Scenario:
    """One scenario file (.yaml, .yml or .json). Raises ScenarioError (one line, naming file and field).
    ``broken``: see :func:`scenario_actions`."""
    path = Path(path)
    if path.suffix.lower() not in SCENARIO_SUFFIXES:
        raise ScenarioError(f"{path}: a scenario file ends in .yaml, .yml or .json")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(f"{path}: no such scenario file; check the path") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{path}: cannot read it ({getattr(exc, 'strerror', None) or exc})") from None
    return parse_scenario_text(text, path, broken=broken)


def parse_scenario_text(text: str, path: str | Path, *, broken: dict[str, str] | None = None) -> Scenario:
    """A scenario from the text of its file (YAML, or JSON for a .json ``path``), as if read from ``path``
    (relative paths in it are relative to its folder): check an edit before it is written."""
    path = Path(path)
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
    return parse_scenario(data, path, broken=broken)


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


def load_scenarios(paths: Iterable[str | Path], *, broken: dict[str, str] | None = None) -> list[Scenario]:
    """Scenarios from files and folders; the first bad file raises ScenarioError. ``broken``: bad *action*
    files are skipped and recorded there (see :func:`scenario_actions`)."""
    return [load_scenario(f, broken=broken) for f in scenario_files(paths)]


def _find_action(actions: Sequence[Action], ref: str) -> Action | None:
    key = ref.strip().lower()
    return next((a for a in actions if a.name.lower() == key or a.tool_name == key or a.tool_name == tool_name(ref)),
                None)


def _names(actions: Sequence[Action]) -> str:
    return ", ".join(a.name for a in actions) or "none"


def scenario_actions(scenario: Scenario, *, rebase_demo_to: str | None = None,
                     broken: dict[str, str] | None = None) -> list[Action]:
    """The scenario's actions, loaded fresh from disk, with its overrides applied.

    ``rebase_demo_to``: point actions that talk to the demo API (http://127.0.0.1:8765) at another
    base URL, e.g. a demo server a test started on a free port. ``broken``: when given, action files
    that cannot be loaded are skipped and recorded there (path -> reason) instead of failing the scenario.
    """
    from ..store import load_actions

    where = scenario.label
    for ref, path in zip(scenario.action_refs, scenario.action_paths()):
        if not path.exists():
            raise ScenarioError(f"{where}: actions: {ref}: no such folder or file (paths are relative to the "
                                "scenario file's folder)")
    try:
        actions = load_actions(scenario.action_paths(), broken=broken)
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
        from ..demo import rebase_action

        actions = [rebase_action(a, rebase_demo_to) for a in actions]
    return actions


def check_expectations(scenario: Scenario, actions: Sequence[Action]) -> None:
    """Expectations that name actions and arguments must name real ones (catches typos at load time)."""
    for i, spec in enumerate(scenario.turns, 1):
        exp = spec.expect
        if exp.action is None or exp.action == "none":
            continue
        action = _find_action(actions, exp.action)
        if action is None and scenario.mcp:
            continue  # an MCP server's tool: its name and arguments are known only once the server runs
        if action is None:
            raise ScenarioError(f"{scenario.label}: turn {i}: expect.action: no action named {exp.action!r}; "
                                f"the actions are: {_names(actions)} (an MCP server's tool needs the server "
                                "in mcp:)")
        known = {v.name for v in action.variables}
        for field in ("arguments", "arguments_exact", "arguments_regex"):
            for arg in getattr(exp, field) or {}:
                if arg not in known:
                    raise ScenarioError(
                        f"{scenario.label}: turn {i}: expect.{field}.{arg}: {action.name} has no variable {arg!r}; "
                        f"its variables are: {', '.join(sorted(known)) or 'none'}")

