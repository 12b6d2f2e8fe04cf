"""The `playground` command. Exit codes: 0 success, 1 the call or check failed, 2 bad input."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Sequence

from . import __version__
from .action import load_action
from .errors import ActionFileError, PlaygroundError, SecretError, TemplateError, VariableError
from .executor import Executor
from .lint import has_errors, lint
from .render import render
from .schema import tool_schema
from .session import SAMPLE_ACTIONS_DIR, default_runtime, ensure_demo_api
from .store import load_actions
from .trace import Trace, to_curl

BAD_INPUT = (ActionFileError, VariableError)


class UsageError(PlaygroundError):
    """Bad command-line arguments."""


class _Parser(argparse.ArgumentParser):
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


def _dump(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def _print_trace(trace: Trace) -> None:
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


# -- subcommands ------------------------------------------------------------------------------
def cmd_call(args: argparse.Namespace) -> int:
    action = load_action(args.action)
    values, runtime = parse_pairs(args.var, "--var"), runtime_arg(args.runtime)
    if not args.no_demo:
        ensure_demo_api([action])
    executor = Executor(allow_link_local=args.allow_link_local)
    try:
        trace = executor.execute(action, values, runtime, reveal=args.reveal_secrets)
    finally:
        executor.close()
    if trace.error and trace.error.kind == "invalid_arguments":  # bad --var: exit 2 with a one-line reason
        if args.json:
            _dump(trace.model_dump(mode="json"))
        print(f"playground: error: {trace.error.message}", file=sys.stderr)
        return 2
    _dump(trace.model_dump(mode="json")) if args.json else _print_trace(trace)
    return 0 if trace.ok else 1


def cmd_render(args: argparse.Namespace) -> int:
    action = load_action(args.action)
    runtime = runtime_arg(args.runtime)
    if not args.no_demo:
        ensure_demo_api([action], start=False)
    req = render(action, parse_pairs(args.var, "--var"), runtime).masked(reveal=args.reveal_secrets)
    if getattr(args, "curl", False):
        print(to_curl(req))
    elif args.json:
        _dump(req.model_dump(mode="json"))
    else:
        print(f"{req.method} {req.url}")
        for k, v in req.headers.items():
            print(f"{k}: {v}")
        if req.body is not None:
            print()
            print(json.dumps(req.body, indent=2, ensure_ascii=False))
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    _dump([tool_schema(a, strict=args.strict) for a in load_actions(args.actions)])
    return 0


def cmd_lint(args: argparse.Namespace) -> int:
    report, failed = [], False
    for path in args.actions:
        files = sorted(Path(path).glob("*.json")) if Path(path).is_dir() else [Path(path)]
        for file in files:
            findings = lint(load_action(file))
            failed |= has_errors(findings)
            report.append({"file": str(file), "findings": [f.model_dump() for f in findings]})
    if args.json:
        _dump(report)
    else:
        for entry in report:
            status = "ok" if not entry["findings"] else f"{len(entry['findings'])} finding(s)"
            print(f"{entry['file']}: {status}")
            for f in entry["findings"]:
                print(f"  {f['severity']}: {f['field']}: {f['message']} [{f['code']}]")
    return 1 if failed else 0


def cmd_chat(args: argparse.Namespace) -> int:
    from .chat_cli import run_chat

    return run_chat(args)


def cmd_test(args: argparse.Namespace) -> int:
    from .scenario_cli import run_tests

    return run_tests(args)


def cmd_demo_api(args: argparse.Namespace) -> int:
    from .demo_api import serve

    serve(args.port)
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="playground", description="Define, test and debug custom HTTP actions for voice and chat agents.")
    p.add_argument("--version", action="version", version=f"playground {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

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

    sp = sub.add_parser("schema", help="print the tools exactly as the model receives them")
    sp.add_argument("actions", nargs="*", default=[str(SAMPLE_ACTIONS_DIR)], help="action files or folders")
    sp.add_argument("--strict", action="store_true", help="OpenAI strict mode schemas")
    sp.set_defaults(fn=cmd_schema)

    sp = sub.add_parser("lint", help="check actions for mistakes")
    sp.add_argument("actions", nargs="+", help="action files or folders")
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(fn=cmd_lint)

    sp = sub.add_parser("chat", help="chat with the test agent")
    sp.add_argument("--model", default="offline", help="offline (default) or openai:MODEL")
    sp.add_argument("--base-url", help="OpenAI-compatible server URL (e.g. http://localhost:11434/v1)")
    sp.add_argument("--api-key", help="API key (default: $OPENAI_API_KEY)")
    sp.add_argument("--actions", default=str(SAMPLE_ACTIONS_DIR), help="actions folder or file")
    sp.add_argument("--runtime", action="append", metavar="NAME=VALUE", help="a runtime variable (repeatable)")
    sp.add_argument("--max-turns", type=int, default=6, help="model turns per user turn (default 6)")
    sp.add_argument("--json", action="store_true", help="one JSON event per line")
    sp.add_argument("--no-demo", action="store_true", help="do not start the demo API for sample actions")
    sp.set_defaults(fn=cmd_chat)

    sp = sub.add_parser("test", help="run regression scenarios")
    sp.add_argument("paths", nargs="+", help="scenario files or folders")
    sp.add_argument("--model", help="override the scenarios' model (offline or openai:MODEL)")
    sp.add_argument("--base-url", help="OpenAI-compatible server URL")
    sp.add_argument("--api-key", help="API key (default: $OPENAI_API_KEY)")
    sp.add_argument("--repeat", type=int, default=1, help="run each scenario N times and report the pass rate")
    sp.add_argument("--junit", metavar="FILE", help="write JUnit XML to FILE")
    sp.add_argument("--json", action="store_true")
    sp.add_argument("--no-demo", action="store_true", help="do not start the demo API for sample actions")
    sp.set_defaults(fn=cmd_test)

    sp = sub.add_parser("demo-api", help="run the demo API in the foreground")
    sp.add_argument("--port", type=int, default=8765)
    sp.set_defaults(fn=cmd_demo_api)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        return args.fn(args)
    except UsageError as exc:
        print(f"playground: error: {exc}", file=sys.stderr)
        return 2
    except BAD_INPUT as exc:
        print(f"playground: error: {exc}", file=sys.stderr)
        return 2
    except (TemplateError, SecretError, PlaygroundError) as exc:
        print(f"playground: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
