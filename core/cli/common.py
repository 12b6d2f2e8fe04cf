"""What every command shares: the one-line usage error, ``k=v`` flags, runtime defaults and printing."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any, Sequence

from ..errors import DemoApiError, PlaygroundError
from ..session import default_runtime, demo_target

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


def runtime_arg(items: Sequence[str] | None) -> dict[str, str]:
    """The session's runtime variables: the defaults, overridden by ``--runtime k=v``."""
    return {**default_runtime(), **parse_pairs(items, "--runtime")}


def demo_for(actions: Sequence[Action], args: argparse.Namespace, *, start: bool = True,
             fallback: bool = False) -> tuple[list[Action], DemoTarget | None]:
    """The actions pointed at this process's demo API (started when they use it and nothing answers;
    see core.session.demo_target), unless --no-demo. A note (e.g. a port held by another program) goes
    to stderr; the caller stops the target's server when done."""
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
    print(trace.summary())
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
    for hint in trace.hints:
        print(f"hint: {hint}")
