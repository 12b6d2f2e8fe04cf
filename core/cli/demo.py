"""`playground demo-api`: the demo backend in the foreground."""

from __future__ import annotations

import argparse
from typing import Any

from ..demo import PORT_ENV


def cmd_demo_api(args: argparse.Namespace) -> int:
    from ..demo import serve

    serve(args.port)  # None: $PLAYGROUND_DEMO_PORT, else 8765
    return 0


def register(sub: Any) -> None:
    sp = sub.add_parser("demo-api", help="run the demo API in the foreground")
    sp.add_argument("--port", type=int, help=f"the port (default: ${PORT_ENV}, else 8765; 0 = any free port)")
    sp.set_defaults(fn=cmd_demo_api)
