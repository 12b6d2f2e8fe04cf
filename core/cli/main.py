"""The `playground` command. Exit codes: 0 success, 1 the call or check failed, 2 bad input."""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from typing import Sequence

from .. import __version__
from ..errors import ActionFileError, ImportSourceError, PlaygroundError, VariableError
from .common import ArgParser, UsageError

BAD_INPUT = (UsageError, ActionFileError, VariableError, ImportSourceError)


#: command group (the module core/cli/NAME.py, which has ``register(sub)``) -> the commands it registers.
#: Only the group a command line names is imported (a quicker start); a new group is one line here.
GROUPS: dict[str, tuple[str, ...]] = {
    "request": ("call", "render", "curl"),
    "check": ("schema", "lint"),
    "chat": ("chat",),
    "scenarios": ("test",),
    "demo": ("demo-api",),
    "mcp": ("mcp",),
    "imports": ("import",),
    "export": ("export",),
}


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser; given the arguments, only the command group they name is imported and registered (all of
    them when they name none: ``--help``, a typo)."""
    p = ArgParser(prog="playground", description="Define, test and debug custom HTTP actions for voice and chat agents.")
    p.add_argument("--version", action="version", version=f"playground {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=ArgParser)
    first = next((a for a in argv or () if not a.startswith("-")), None)
    named = [g for g, commands in GROUPS.items() if first in commands]
    for group in named or GROUPS:
        importlib.import_module(f"{__package__}.{group}").register(sub)
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


def _started() -> None:
    """The command line is parsed: what start-up allocated (modules, classes, validators) lives as long as the
    process. Freeze it out of the collector's way (what CPython's ``gc.freeze`` is for), also at exit, where
    the interpreter would otherwise walk all of it once more, and let collections resume for the command."""
    gc.freeze()
    gc.enable()


def main(argv: Sequence[str] | None = None, *, process: bool = False) -> int:
    """One command line. ``process``: this is the `playground` process (``core.cli.start``), which paused the
    collector for start-up."""
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        args = build_parser(argv).parse_args(argv)
        if process:
            _started()
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
