"""`playground call`, `render` and `curl`: one action, once."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..action import load_action
from .common import demo_for, dump, print_trace, runtime_arg, var_arg


def cmd_call(args: argparse.Namespace) -> int:
    from ..executor import Executor
    from ..project import check_target, target_for

    action = load_action(args.action)
    check_target(action, target_for(args.action).target)
    values, runtime = var_arg(args.var, action), runtime_arg(args.runtime)
    (action,), demo = demo_for([action], args)
    executor = Executor(allow_link_local=args.allow_link_local)
    try:
        trace = executor.execute(action, values, runtime, reveal=args.reveal_secrets)
    finally:
        executor.close()
        if demo is not None:
            demo.stop()
    if trace.error and trace.error.kind == "invalid_arguments":  # bad --var: exit 2 with a one-line reason
        if args.json:
            dump(trace.model_dump(mode="json"))
        print(f"playground: error: {trace.error.message}", file=sys.stderr)
        return 2
    dump(trace.model_dump(mode="json")) if args.json else print_trace(trace)
    return 0 if trace.ok else 1


def cmd_render(args: argparse.Namespace) -> int:
    from ..render import render

    action = load_action(args.action)
    runtime = runtime_arg(args.runtime)
    (action,), _ = demo_for([action], args, start=False)
    req = render(action, var_arg(args.var, action), runtime).masked(reveal=args.reveal_secrets)
    if getattr(args, "curl", False):
        from ..trace import to_curl

        print(to_curl(req))
    elif args.json:
        dump(req.model_dump(mode="json"))
    else:
        print(f"{req.method} {req.url}")
        for k, v in req.headers.items():
            print(f"{k}: {v}")
        if req.body is not None:
            print()
            print(json.dumps(req.body, indent=2, ensure_ascii=False))
    return 0


def register(sub: Any) -> None:
    def action_cmd(name: str, help: str, fn: Any) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help)
        sp.add_argument("action", help="path to an action file (JSON)")
        sp.add_argument("--var", action="append", metavar="NAME=VALUE", help="a variable value (repeatable)")
        sp.add_argument("--runtime", action="append", metavar="NAME=VALUE", help="a runtime variable (repeatable)")
        sp.add_argument("--reveal-secrets", action="store_true", help="show secrets instead of ****last4")
        sp.add_argument("--no-demo", action="store_true", help="do not start the demo API for sample actions")
        sp.set_defaults(fn=fn)
        return sp

    sp = action_cmd("call", "execute an action once and print its trace", cmd_call)
    sp.add_argument("--json", action="store_true", help="print the trace as JSON")
    sp.add_argument("--allow-link-local", action="store_true", help="allow link-local / cloud-metadata addresses")
    sp = action_cmd("render", "print the rendered request without sending it", cmd_render)
    sp.add_argument("--json", action="store_true")
    sp = action_cmd("curl", "print the request as a cURL command (secrets masked)", cmd_render)
    sp.set_defaults(curl=True, json=False)
