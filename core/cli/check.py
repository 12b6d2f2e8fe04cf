"""`playground schema` and `lint`: what the model sees, and what is wrong with an action."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..session import SAMPLE_ACTIONS_DIR
from .common import dump


def cmd_schema(args: argparse.Namespace) -> int:
    from ..schema import tool_schema
    from ..store import load_actions

    dump([tool_schema(a, strict=args.strict) for a in load_actions(args.actions)])
    return 0


def _siblings(folder: Path) -> list[Any]:
    """The actions in a folder that load (an agent's tool set: their result picks may feed each other)."""
    from ..action import load_action
    from ..errors import PlaygroundError

    out = []
    for file in sorted(folder.glob("*.json")):
        try:
            out.append(load_action(file))
        except PlaygroundError:
            continue
    return out


def cmd_lint(args: argparse.Namespace) -> int:
    from ..action import load_action
    from ..lint import has_errors, lint
    from ..project import target_for

    report, failed = [], False
    beside: dict[Path, list[Any]] = {}
    for path in args.actions:
        files = sorted(Path(path).glob("*.json")) if Path(path).is_dir() else [Path(path)]
        for file in files:
            if file.parent not in beside:
                beside[file.parent] = _siblings(file.parent)
            findings = lint(load_action(file), beside[file.parent], target=target_for(file).target)
            failed |= has_errors(findings)
            report.append({"file": str(file), "findings": [f.model_dump() for f in findings]})
    if args.json:
        dump(report)
    else:
        for entry in report:
            status = "ok" if not entry["findings"] else f"{len(entry['findings'])} finding(s)"
            print(f"{entry['file']}: {status}")
            for f in entry["findings"]:
                print(f"  {f['severity']}: {f['field']}: {f['message']} [{f['code']}]")
    return 1 if failed else 0


COMMANDS = ("schema", "lint")  # registered by main.build_parser only when named


def register(sub: Any) -> None:
    sp = sub.add_parser("schema", help="print the tools exactly as the model receives them")
    sp.add_argument("actions", nargs="*", default=[str(SAMPLE_ACTIONS_DIR)], help="action files or folders")
    sp.add_argument("--strict", action="store_true", help="OpenAI strict mode schemas")
    sp.set_defaults(fn=cmd_schema)

    sp = sub.add_parser("lint", help="check actions for mistakes")
    sp.add_argument("actions", nargs="+", help="action files or folders")
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(fn=cmd_lint)
