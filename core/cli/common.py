"""What every command shares: the one-line usage error, ``k=v`` flags, runtime defaults and printing."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any, Sequence

from ..errors import DemoApiError, PlaygroundError

if TYPE_CHECKING:
    from ..action import Action
    from ..session import DemoTarget
    from ..trace import Trace


class UsageError(PlaygroundError):
    """Bad command-line arguments."""


class ArgParser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, no usage dump
        raise UsageError(f"{message}; run `{self.prog} --help` for usage")


def parse_pairs(items: Sequence[str] | None, flag: str) -> dict[str, str]:
    """``["k=v", ...]`` from a repeatable flag; anything else is a UsageError naming the flag."""
    out: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"{flag} {item!r}: write it as name=value")
        out[key.strip()] = value
    return out


def var_arg(items: Sequence[str] | None, action: Action) -> dict[str, str]:
    """``--var k=v`` values for the action; a name it has no variable for is a UsageError with a "did you mean"."""
    values = parse_pairs(items, "--var")
    names = [v.name for v in action.variables]
    for key in values:
        if key in names:
            continue
        if key in action.placeholder_names():  # e.g. {{cal_email}}: a runtime variable of the session
            raise UsageError(f"--var {key}: {key} is a runtime variable of {action.name!r}, not one of its "
                             f"variables; pass --runtime {key}=...")
        import difflib

        close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
        known = ", ".join(names) or "none"
        guess = f"did you mean {close[0]}? " if close else ""
        raise UsageError(f"--var {key}: {action.name!r} has no variable {key!r}; {guess}its variables are: {known}")
    return values


def runtime_arg(items: Sequence[str] | None) -> dict[str, str]:
    """The session's runtime variables: the defaults, overridden by ``--runtime k=v``."""
    from ..session import default_runtime  # here, not at the top: `import core.cli` stays light (see start)

    return {**default_runtime(), **parse_pairs(items, "--runtime")}


def warn_broken(path: str, reason: str) -> None:
    print(f"playground: warning: {reason} (skipped it; --strict makes this an error)", file=sys.stderr)


class BrokenFiles(dict):
    """Given as ``broken=`` to the loaders (core.store.load_actions, core.scenario): each action file that
    cannot be loaded is skipped, with one warning on stderr per file, however often it is met."""

    def __setitem__(self, path: str, reason: str) -> None:
        if path not in self:
            warn_broken(path, reason)
        super().__setitem__(path, reason)


def broken_files(args: argparse.Namespace) -> BrokenFiles | None:
    """None with --strict (a broken file is fatal, exit 2), else a BrokenFiles that warns and skips."""
    return None if getattr(args, "strict", False) else BrokenFiles()


def load_cli_actions(paths: Sequence[str], args: argparse.Namespace) -> list[Action]:
    """The actions of files and folders: good files load, each broken one is a warning on stderr (with
    --strict: the error, exit 2). When none loads, the one-line error names the (first) broken file."""
    from ..errors import ActionFileError
    from ..store import load_actions

    broken: dict[str, str] | None = None if getattr(args, "strict", False) else {}
    actions = load_actions(list(paths), broken=broken)
    if not actions:
        reasons = list((broken or {}).values())
        raise ActionFileError(reasons[0] if len(reasons) == 1 else
                              f"none of the {len(reasons)} action files could be loaded, e.g. {reasons[0]}")
    for path, reason in (broken or {}).items():
        warn_broken(path, reason)
    return actions


def demo_for(actions: Sequence[Action], args: argparse.Namespace, *, start: bool = True,
             fallback: bool = False) -> tuple[list[Action], DemoTarget | None]:
    """The actions pointed at this process's demo API (started when they use it and nothing answers;
    see core.session.demo_target), unless --no-demo. A note (e.g. a port held by another program) goes
    to stderr; the caller stops the target's server when done."""
    from ..session import demo_target

    if getattr(args, "no_demo", False):
        return list(actions), None
    try:
        target = demo_target(actions, start=start, fallback=fallback)
    except DemoApiError as exc:
        raise DemoApiError(f"{exc}; or pass --no-demo to send the actions where their files say") from None
    if target is None:
        return list(actions), None
    if target.note:
        print(f"playground: note: {target.note}", file=sys.stderr)
    return target.rebase(actions), target


def dump(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def print_trace(trace: Trace) -> None:
    for step in trace.steps:  # OAuth2 token requests, before the call
        print(f"  token: {step.summary()}")
    print(trace.summary())
    for a in trace.attempts:
        outcome = a.status_code if a.status_code is not None else a.error
        print(f"  attempt {a.attempt}: {outcome} in {a.elapsed_ms:.0f} ms" + (f", then waited {a.wait_ms:.0f} ms"
                                                                              if a.wait_ms else ""))
    if trace.request:
        for k, v in trace.request.headers.items():
            print(f"  > {k}: {v}")
        if trace.request.body is not None:
            print("  > " + json.dumps(trace.request.body, ensure_ascii=False))
    if trace.response:
        body = trace.response.body
        text = json.dumps(body, indent=2, ensure_ascii=False) if trace.response.is_json else str(body)
        print(text[:4000] + ("\n... (cut)" if len(text) > 4000 or trace.response.truncated else ""))
    if trace.error:
        print(f"error ({trace.error.kind}): {trace.error.message}")
    if trace.result is not None and (trace.result.picks is not None or trace.result.cut):
        print(f"model receives{' (cut)' if trace.result.cut else ''}: {trace.result.text}")
    for hint in trace.hints:
        print(f"hint: {hint}")
