"""`playground schema` and `lint`: what the model sees, and what is wrong with an action."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..session import SAMPLE_ACTIONS_DIR
from .common import dump, load_cli_actions


def cmd_schema(args: argparse.Namespace) -> int:
    from ..schema import tool_schema

    dump([tool_schema(a, strict=args.strict) for a in load_cli_actions(args.actions, args)])
    return 0


def _loadable(files: list[Path], skip: set[Path]) -> list[Any]:
    """The actions of ``files`` that load (those in ``skip`` and broken ones left out): the rest of the tool set
    of a file linted alone, whose result picks may feed its placeholders."""
    from ..action import load_action
    from ..errors import ActionFileError

    out = []
    for file in files:
        if file.absolute() in skip:
            continue
        try:
            out.append(load_action(file))
        except ActionFileError:
            continue
    return out


def _lint_files(paths: list[str]) -> list[dict[str, Any]]:
    """Every file of the paths, in order: {"file", "findings", "error"} (error: why it could not be loaded)."""
    from ..action import load_action
    from ..errors import ActionFileError
    from ..lint import lint_all
    from ..project import target_for

    entries: list[dict[str, Any]] = []
    loaded = []
    for path in map(Path, paths):
        files = sorted(path.glob("*.json")) if path.is_dir() else [path]
        if path.is_dir() and not files:
            entries.append({"file": str(path), "findings": [], "error": f"{path}: the folder holds no *.json "
                                                                         "action files"})
        for file in files:
            try:
                loaded.append((len(entries), load_action(file), target_for(file).target))
                entries.append({"file": str(file), "findings": [], "error": None})
            except ActionFileError as exc:
                entries.append({"file": str(file), "findings": [], "error": str(exc)})
    linted = {Path(e["file"]).absolute() for e in entries}
    beside = [a for folder in {Path(p).absolute().parent for p in paths if not Path(p).is_dir()}
              for a in _loadable(sorted(folder.glob("*.json")), skip=linted)]
    all_findings = lint_all([a for _, a, _ in loaded], targets=[t for _, _, t in loaded], beside=beside)
    for (i, _, _), findings in zip(loaded, all_findings):
        entries[i]["findings"] = [f.model_dump() for f in findings]
    return entries


def cmd_lint(args: argparse.Namespace) -> int:
    report = _lint_files(args.actions)
    if args.json:
        dump(report)
    else:
        for entry in report:
            if entry["error"]:
                reason = entry["error"].removeprefix(f"{entry['file']}: ")
                print(f"{entry['file']}: cannot load: {reason}")
                continue
            status = "ok" if not entry["findings"] else f"{len(entry['findings'])} finding(s)"
            print(f"{entry['file']}: {status}")
            for f in entry["findings"]:
                print(f"  {f['severity']}: {f['field']}: {f['message']} [{f['code']}]")
    broken = [e for e in report if e["error"]]
    if broken:
        print(f"playground: error: {len(broken)} of {len(report)} file(s) could not be loaded, "
              f"e.g. {broken[0]['error']}", file=sys.stderr)
        return 2
    return 1 if any(f["severity"] == "error" for e in report for f in e["findings"]) else 0


def register(sub: Any) -> None:
    sp = sub.add_parser("schema", help="print the tools exactly as the model receives them")
    sp.add_argument("actions", nargs="*", default=[str(SAMPLE_ACTIONS_DIR)], help="action files or folders")
    sp.add_argument("--strict", action="store_true",
                    help="OpenAI strict mode schemas; and a file that cannot be loaded is an error, not a warning")
    sp.set_defaults(fn=cmd_schema)

    sp = sub.add_parser("lint", help="check actions for mistakes")
    sp.add_argument("actions", nargs="+", help="action files or folders")
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(fn=cmd_lint)
