"""The `playground` command. Exit codes: 0 success, 1 the call or check failed, 2 bad input."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence

from .. import __version__
from ..errors import ActionFileError, ImportSourceError, PlaygroundError, VariableError
from . import chat, check, demo, export, imports, mcp, request, scenarios
from .common import ArgParser, UsageError

BAD_INPUT = (UsageError, ActionFileError, VariableError, ImportSourceError)


GROUPS = (request, check, chat, scenarios, demo, mcp, imports, export)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; given the arguments, only the command group they name is registered (a quicker start).
    A group module may list its commands in ``COMMANDS``; one that does not is always registered."""
    p = ArgParser(prog="playground", description="Define, test and debug custom HTTP actions for voice and chat agents.")
    p.add_argument("--version", action="version", version=f"playground {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=ArgParser)
    first = next((a for a in argv or () if not a.startswith("-")), None)
    named = [g for g in GROUPS if first in getattr(g, "COMMANDS", ())]
    for group in GROUPS:
        if not named or group in named or not hasattr(group, "COMMANDS"):
            group.register(sub)
    return p


def _quiet_broken_pipe() -> int:
    """The reader went away (``playground schema | head``): stop quietly with 141 (128 + SIGPIPE), as Unix
    tools do."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the interpreter's final flush does not fail again
    except (OSError, ValueError):
        pass
    return 141


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        args = build_parser(argv).parse_args(argv)
        code = args.fn(args)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        return _quiet_broken_pipe()
    except BAD_INPUT as exc:
        print(f"playground: error: {exc}", file=sys.stderr)
        return 2
    except PlaygroundError as exc:
        print(f"playground: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
