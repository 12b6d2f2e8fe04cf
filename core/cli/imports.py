"""`playground import curl|openapi`: actions from a cURL command or an OpenAPI document.

The action files go to --out (never over an existing file: a free name is picked); --json prints
them instead. What the user should know goes to stderr: secrets moved to env:NAME, options that
were ignored, candidate variables, and lint findings (so an import that does not pass lint says why).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .common import UsageError, dump


def _read(source: str | None, what: str) -> str:
    if source in (None, "-"):
        if source is None and sys.stdin.isatty():
            raise UsageError(f"give the {what} as an argument, or - to read it from standard input")
        return sys.stdin.read()
    return source


def _piped() -> str | None:
    """What was piped in, for a command that reads standard input (None at a terminal: nothing was given)."""
    return None if sys.stdin is None or sys.stdin.isatty() else sys.stdin.read()


def _report(result: Any, action_files: list[tuple[Any, Path | None]], target: str) -> None:
    from ..lint import lint

    err = sys.stderr
    for note in result.notes:
        print(f"note: {note}", file=err)
    for line in result.secret_notes():
        print(f"secret: {line}", file=err)
    for skipped in result.skipped:
        print(f"skipped: {skipped}", file=err)
    for action, path in action_files:
        where = f" -> {path}" if path else ""
        print(f"imported: {action.name} ({action.method} {action.url}){where}", file=err)
        for finding in lint(action, target=target):
            if finding.severity != "info":
                print(f"  lint {finding}", file=err)


def _write(actions: list[Any], out: str) -> list[Path]:
    from ..store import file_name, save_action

    folder = Path(out)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--out {out}: not a folder; give the folder to write the action files into")
    paths = []
    for action in actions:
        path = file_name(action, folder)  # a free name: an existing file is never overwritten
        save_action(action, path)
        paths.append(path)
    return paths


def _emit(result: Any, args: argparse.Namespace, single: bool) -> int:
    from ..project import target_for

    target = target_for(args.out or ".").target
    if args.json:
        data = [a.to_file_dict() for a in result.actions]
        dump(data[0] if single else data)
        _report(result, [(a, None) for a in result.actions], target)
        return 0
    paths = _write(result.actions, args.out or ".")
    _report(result, list(zip(result.actions, paths)), target)
    return 0


def cmd_import_curl(args: argparse.Namespace) -> int:
    from ..importers import candidates, choose, import_curl, with_variables

    from_stdin = args.command_text in (None, "-")
    result = import_curl(_read(args.command_text, "cURL command"), name=args.name, cwd=Path.cwd(),
                         stdin=None if from_stdin else _piped)  # `echo DATA | playground import curl '... -d @-'`
    offered = candidates(result.action)
    chosen = choose(offered, args.vars)
    if chosen:
        result.actions = [with_variables(result.action, chosen)]
    left = [c for c in offered if c not in chosen]
    if left:
        listed = ", ".join(f"{c.name} = {json.dumps(c.value, ensure_ascii=False)[:40]}" for c in left[:12])
        more = f" (and {len(left) - 12} more)" if len(left) > 12 else ""
        result.notes.append(f"candidate variables (make them variables with --vars NAME,... or --vars all): "
                            f"{listed}{more}")
    return _emit(result, args, single=True)


def cmd_import_openapi(args: argparse.Namespace) -> int:
    from ..importers.openapi import import_openapi

    if args.all and (args.operation or args.path or args.method):
        raise UsageError("--all imports every operation; leave out --operation, --path and --method")
    if args.spec == "-":
        result = import_openapi("stdin", text=_read("-", "OpenAPI document"), operation=args.operation,
                                path=args.path, method=args.method, all_ops=args.all, server=args.server)
    else:
        result = import_openapi(args.spec, operation=args.operation, path=args.path, method=args.method,
                                all_ops=args.all, server=args.server)
    if not result.actions:
        raise UsageError(f"{args.spec}: no operation could be imported ({len(result.skipped)} skipped: "
                         f"{result.skipped[0] if result.skipped else 'none'})")
    return _emit(result, args, single=False)


def register(sub: Any) -> None:
    sp = sub.add_parser("import", help="create actions from a cURL command or an OpenAPI document")
    kinds = sp.add_subparsers(dest="kind", required=True)

    c = kinds.add_parser("curl", help="import a cURL command (as pasted from docs or a browser)")
    c.add_argument("command_text", nargs="?", metavar="COMMAND",
                   help="the command, quoted; - or nothing reads stdin (given here, stdin is the data of its @-)")
    c.add_argument("--name", help="the action's name (default: from the method and the path)")
    c.add_argument("--vars", metavar="NAMES", help="turn these literal values into variables: all, or names/places "
                                                   "from the candidate list (e.g. title,body.user.name)")
    c.add_argument("--out", metavar="DIR", help="the folder to write the action file into (default: here)")
    c.add_argument("--json", action="store_true", help="print the action instead of writing a file")
    c.set_defaults(fn=cmd_import_curl)

    o = kinds.add_parser("openapi", help="import operations of an OpenAPI 3.x or Swagger 2.0 document")
    o.add_argument("spec", metavar="SPEC", help="the document (JSON or YAML); - reads stdin")
    pick = o.add_argument_group("which operations (one is enough when the document has only one)")
    pick.add_argument("--operation", metavar="ID", help="the operationId")
    pick.add_argument("--path", metavar="P", help="the path, e.g. /pets/{petId} (with --method)")
    pick.add_argument("--method", metavar="M", help="the method, e.g. get (with --path)")
    pick.add_argument("--all", action="store_true", help="every operation (those an action cannot send are skipped)")
    o.add_argument("--server", metavar="URL", help="the base URL to use instead of the document's servers")
    o.add_argument("--out", metavar="DIR", help="the folder to write the action files into (default: here)")
    o.add_argument("--json", action="store_true", help="print the actions (a JSON list) instead of writing files")
    o.set_defaults(fn=cmd_import_openapi)
