"""Writing scenarios: one made from a chat (expectations = what happened), dumped as YAML or JSON, saved
atomically with action paths relative to the file."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, Iterable, Literal, Sequence

import yaml

from ..action import tool_name
from ..agent import Conversation, Turn
from ..errors import ScenarioError
from ..mcp.spec import parse_spec
from ..trace import Trace
from .model import EXPECT_FIELDS, SCENARIO_SUFFIXES, Expectation, Scenario, TurnSpec
from .recording import recording_from_conversation

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
    """A short piece of ``reply`` worth asserting on, or None when nothing in it is stable.

    A value the caller gave (an argument the reply repeats, such as ``ORD-10042``) is stable. A value
    taken from an API response is not (a city, a price, a date: the data changes and the scenario
    fails for nothing), so a turn that called something asserts no reply text without an echoed
    argument: its action, arguments and status already say what matters. A turn with no call (the
    agent asks) is asserted on its longest uncommon word, what it asks about."""
    if not reply.strip():
        return None
    low = reply.lower()
    for args in arguments:
        for text in _scalars(args):
            if text.lower() in low:
                return text
    if traces or any(arguments):
        return None
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'-]{3,}", reply) if w.lower() not in _STOPWORDS]
    return max(words, key=len) if words else None


def _runtime_changes(runtime: dict[str, Any]) -> dict[str, Any]:
    from ..session import default_runtime

    defaults = default_runtime()
    return {k: v for k, v in runtime.items() if k != "call_id" and defaults.get(k) != v}


def expectation_from_turn(turn: Turn, traces: dict[str, Trace]) -> Expectation:
    """What happened in one turn, as its expectation: the action called (or none), its arguments (as a
    subset), its status and error (or none), and a stable piece of the reply (see distinctive_fragment)."""
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
    return Expectation(**exp)


def accept_actual(s: Scenario, index: int, turn: Turn, traces: Sequence[Trace]) -> Scenario:
    """``s`` with turn ``index`` (1-based) expecting what actually happened in ``turn``."""
    if not 1 <= index <= len(s.turns):
        raise ScenarioError(f"turn {index}: the scenario has {len(s.turns)} turn(s)")
    specs = list(s.turns)
    specs[index - 1] = specs[index - 1].model_copy(
        update={"expect": expectation_from_turn(turn, {t.id: t for t in traces})})
    return s.model_copy(update={"turns": specs})


def scenario_from_conversation(name: str, conv: Conversation, actions_ref: str | list[str] | Path,
                               model: str = "offline", mcp: Sequence[Any] = (), *, record: bool = False,
                               base_url: str | None = None, demo_base: str | None = None) -> Scenario:
    """A scenario whose expectations are what happened in ``conv``: the action called (or none), its
    arguments (as a subset), its status code and error (or none), and a short distinctive piece of each
    reply. ``actions_ref``: the actions folder or files (absolute, or relative to where the scenario will
    be saved; :func:`save_scenario` makes absolute ones relative). ``mcp``: the chat's MCP servers (specs or
    ``--mcp`` strings); their commands keep running from the current folder. ``record``: keep its model turns
    and HTTP exchanges too (``recording:``, for ``--model replay`` and ``--http replay``); ``demo_base``: the
    URL the demo API ran on, recorded as the action files' URL."""
    traces = {t.id: t for t in conv.traces}
    turns = [TurnSpec(user=turn.user, expect=expectation_from_turn(turn, traces)) for turn in conv.turns]
    if not turns:
        raise ScenarioError("the conversation has no turns yet; chat first, then save it as a scenario")
    ref: str | list[str] = [str(p) for p in actions_ref] if isinstance(actions_ref, list) else str(actions_ref)
    servers = [parse_spec(m) for m in mcp]
    servers = [m.model_copy(update={"cwd": str(Path(m.cwd or ".").resolve())}) if m.transport == "stdio" else m
               for m in servers]
    recording = recording_from_conversation(conv, model=model, demo_base=demo_base) if record else None
    return Scenario(name=name, actions=ref, model=model or "offline", runtime=_runtime_changes(conv.runtime),
                    mcp=servers, turns=turns, base_url=base_url or None, recording=recording)


# -- saving ----------------------------------------------------------------------------------------------
def scenario_dict(s: Scenario) -> dict[str, Any]:
    """The file form, in reading order, without empty fields."""
    data: dict[str, Any] = {"name": s.name}
    if s.description:
        data["description"] = s.description
    data["actions"] = s.actions
    data["model"] = s.model
    if s.http != "live":
        data["http"] = s.http
    for key in ("base_url", "system_prompt"):
        if getattr(s, key) is not None:
            data[key] = getattr(s, key)
    if s.runtime:
        data["runtime"] = dict(s.runtime)
    if s.overrides:
        data["overrides"] = {k: dict(v) for k, v in s.overrides.items()}
    if s.mcp:
        dumped = [m.model_dump(exclude_defaults=True) for m in s.mcp]
        data["mcp"] = [d["target"] if d.keys() == {"target"} else d for d in dumped]
    data["turns"] = []
    for t in s.turns:
        expect = t.expect.model_dump(exclude_none=True, include=set(t.expect.model_fields_set) | {
            f for f in EXPECT_FIELDS if getattr(t.expect, f) is not None})
        data["turns"].append({"user": t.user, "expect": {f: expect[f] for f in EXPECT_FIELDS if f in expect}}
                             if expect else {"user": t.user})
    if s.recording is not None:
        data["recording"] = s.recording.to_file()
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
    servers = [m.model_copy(update={"cwd": None if rel(m.cwd) == "." else rel(m.cwd)}) if m.cwd else m for m in s.mcp]
    return s.model_copy(update={"actions": refs[0] if isinstance(s.actions, str) else refs, "mcp": servers})


def relative_to(s: Scenario, folder: str | Path) -> Scenario:
    """``s`` with its absolute action and MCP paths relative to ``folder`` (where it will be saved)."""
    return _relative_refs(s, Path(folder))


def save_scenario(s: Scenario, path: str | Path, *, overwrite: bool = False) -> Path:
    """Write atomically (.yaml/.yml as YAML, .json as JSON). Absolute action paths become relative to
    the file's folder. An existing file is never replaced unless ``overwrite``."""
    from ..store import atomic_write

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
                                 if isinstance(s.actions, list) else str((base / s.actions).resolve()),
                                 "mcp": [m.model_copy(update={"cwd": str((base / m.cwd).resolve())}) if m.cwd else m
                                         for m in s.mcp]})
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

