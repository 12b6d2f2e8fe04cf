"""`playground mcp serve`: every action as an MCP tool, over stdio (default) or streamable HTTP."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..session import SAMPLE_ACTIONS_DIR
from .common import UsageError, demo_for, runtime_arg


def cmd_serve(args: argparse.Namespace) -> int:
    from ..executor import Executor
    from ..store import load_actions

    runtime = runtime_arg(args.runtime)  # bad arguments first, before starting anything
    if args.port is not None and args.transport != "http":
        raise UsageError("--port applies to --transport http; add --transport http, or drop --port")
    actions = load_actions([args.actions])
    from ..mcp.server import ActionServer  # the MCP SDK loads only for this command
    from ..mcp.serving import DEFAULT_PORT, serve_http, serve_stdio

    actions, demo = demo_for(actions, args)
    executor = Executor(allow_link_local=args.allow_link_local)
    served = ActionServer(actions, executor, runtime, trace_dir=args.trace_dir)
    try:
        if args.transport == "http":
            serve_http(served.server(), DEFAULT_PORT if args.port is None else args.port, tools=len(actions))
        else:
            print(f"playground mcp: {len(actions)} tools over stdio", file=sys.stderr, flush=True)
            serve_stdio(served.server())
    except KeyboardInterrupt:
        pass
    finally:
        executor.close()
        if demo is not None:
            demo.stop()
    return 0


def register(sub: Any) -> None:
    sp = sub.add_parser("mcp", help="serve the actions to MCP clients")
    group = sp.add_subparsers(dest="mcp_command", required=True, parser_class=type(sp))
    serve = group.add_parser("serve", help="every action as an MCP tool (stdio by default)")
    serve.add_argument("--actions", default=str(SAMPLE_ACTIONS_DIR), help="actions folder or file")
    serve.add_argument("--runtime", action="append", metavar="NAME=VALUE", help="a runtime variable (repeatable)")
    serve.add_argument("--transport", choices=("stdio", "http"), default="stdio",
                       help="stdio (default; the client starts this command) or http (streamable HTTP)")
    serve.add_argument("--port", type=int, help="HTTP port on 127.0.0.1 (default 8770; 0 = any free port)")
    serve.add_argument("--trace-dir", help="write each call's trace there as JSON")
    serve.add_argument("--allow-link-local", action="store_true", help="allow link-local and metadata addresses")
    serve.add_argument("--no-demo", action="store_true", help="do not start the demo API for sample actions")
    serve.set_defaults(fn=cmd_serve)
