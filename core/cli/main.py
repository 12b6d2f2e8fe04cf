"""The `playground` command. Exit codes: 0 success, 1 the call or check failed, 2 bad input."""

from __future__ import annotations

import argparse
import sys
from typing import Sequence

from .. import __version__
from ..errors import ActionFileError, PlaygroundError, VariableError
from . import chat, check, demo, mcp, request, scenarios
from .common import ArgParser, UsageError

BAD_INPUT = (UsageError, ActionFileError, VariableError)


def build_parser() -> argparse.ArgumentParser:
    p = ArgParser(prog="playground", description="Define, test and debug custom HTTP actions for voice and chat agents.")
    p.add_argument("--version", action="version", version=f"playground {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=ArgParser)
    for group in (request, check, chat, scenarios, demo, mcp):
        group.register(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return args.fn(args)
    except BAD_INPUT as exc:
        print(f"playground: error: {exc}", file=sys.stderr)
        return 2
    except PlaygroundError as exc:
        print(f"playground: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
