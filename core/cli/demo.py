"""`playground demo-api`: the demo backend in the foreground."""

from __future__ import annotations

import argparse
from typing import Any

from ..demo import DEFAULT_PORT


def cmd_demo_api(args: argparse.Namespace) -> int:
    from ..demo import serve

    serve(args.port)
    return 0


def register(sub: Any) -> None:
    sp = sub.add_parser("demo-api", help="run the demo API in the foreground")
    sp.add_argument("--port", type=int, default=DEFAULT_PORT)
    sp.set_defaults(fn=cmd_demo_api)
