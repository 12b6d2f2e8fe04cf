"""`playground export FORMAT ACTION_OR_DIR... [--out FILE]`: the actions in another tool's format.

What the format cannot express is said on stderr; a file is never overwritten unless --force.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .common import UsageError

FORMATS = ("openai", "openapi", "postman", "vapi", "retell", "elevenlabs", "curl")


def cmd_export(args: argparse.Namespace) -> int:
    from ..export import export
    from ..store import atomic_write, load_actions

    result = export(args.format, load_actions(args.actions))
    text = result.text if result.text is not None else json.dumps(result.data, indent=2, ensure_ascii=False) + "\n"
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.out:
        out = Path(args.out)
        if out.exists() and not args.force:
            raise UsageError(f"--out {out} exists; choose another file or add --force to replace it")
        atomic_write(out, text)
        print(f"wrote {out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def register(sub: Any) -> None:
    sp = sub.add_parser("export", help="write actions in another tool's format")
    sp.add_argument("format", choices=FORMATS, help="openai tools, an OpenAPI 3.1 document, a Postman v2.1 "
                                                    "collection, Vapi/Retell/ElevenLabs tools, or cURL commands")
    sp.add_argument("actions", nargs="+", metavar="ACTION_OR_DIR", help="action files or folders")
    sp.add_argument("--out", metavar="FILE", help="write to FILE instead of stdout")
    sp.add_argument("--force", action="store_true", help="replace an existing --out file")
    sp.set_defaults(fn=cmd_export)
