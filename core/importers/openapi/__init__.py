"""Actions from an OpenAPI 3.0/3.1 or Swagger 2.0 document (JSON or YAML, ``$ref`` and ``allOf`` resolved)."""

from __future__ import annotations

from pathlib import Path

from ...action import parse_action
from ...errors import ActionFileError, ImportSourceError
from ..naming import distinct
from ..result import ImportResult
from .build import build
from .document import Document, load_document
from .operations import NOT_SENDABLE, Operation, list_operations

__all__ = ["Document", "Operation", "import_openapi", "list_operations", "load_document", "select"]


def select(doc: Document, *, operation: str | None = None, path: str | None = None, method: str | None = None,
           all_ops: bool = False) -> list[Operation]:
    """The operations asked for; a bad choice is an ImportSourceError that lists what there is."""
    ops = list_operations(doc)
    if not ops:
        raise ImportSourceError(f"{doc.source}: the document has no operations under 'paths'")

    def offer() -> str:
        shown = ", ".join(o.operation_id or o.key for o in ops[:8])
        return f"{shown}{', ...' if len(ops) > 8 else ''} ({len(ops)} in all)"

    if all_ops:
        return ops
    if operation:
        found = [o for o in ops if o.operation_id == operation] or \
                [o for o in ops if o.operation_id.lower() == operation.lower()]
        if not found:
            raise ImportSourceError(f"{doc.source}: no operation with operationId {operation!r}; pick one of: {offer()}")
        return found[:1]
    if path or method:
        if not (path and method):
            raise ImportSourceError("give both --path and --method (e.g. --path /pets --method get)")
        found = [o for o in ops if o.path == path and o.method == method.lower()]
        if not found:
            raise ImportSourceError(f"{doc.source}: no operation {method.upper()} {path}; pick one of: {offer()}")
        return found
    if len(ops) == 1:
        return ops
    raise ImportSourceError(f"{doc.source}: the document has {len(ops)} operations; pick one with --operation ID "
                            f"or --path P --method M, or import them all with --all: {offer()}")


def import_openapi(source: str | Path, *, text: str | None = None, operation: str | None = None,
                   path: str | None = None, method: str | None = None, all_ops: bool = False,
                   server: str | None = None) -> ImportResult:
    """Actions for the chosen operations. With ``all_ops`` an operation that cannot be imported is skipped
    (listed in ``skipped`` with why); a single one that cannot raises an ImportSourceError."""
    doc = load_document(source, text=text)
    return import_operations(doc, select(doc, operation=operation, path=path, method=method, all_ops=all_ops),
                             server=server, strict=not all_ops)


def import_operations(doc: Document, ops: list[Operation], *, server: str | None = None,
                      strict: bool = True) -> ImportResult:
    result = ImportResult([])
    built = []
    by_note: dict[str, list[str]] = {}
    for op in ops:
        if op.method in NOT_SENDABLE:
            reason = (f"{op.key}: {op.method.upper()} operations are not imported (an action sends {op.method.upper()} "
                      "only under the generic target); write that action by hand if you need it")
            if strict:
                raise ImportSourceError(reason)
            result.skipped.append(reason)
            continue
        try:
            built.append((op, build(doc, op, server)))
        except ImportSourceError as exc:
            if strict:
                raise
            result.skipped.append(f"{op.key}: {exc}")
    names = distinct([b.data["name"] for _, b in built], [o.tags[0] if o.tags else o.path for o, _ in built])
    for (op, b), name in zip(built, names):
        b.data["name"] = name
        try:
            result.actions.append(parse_action(b.data, f"OpenAPI {op.key}"))
        except ActionFileError as exc:
            if strict:
                raise ImportSourceError(str(exc)) from None
            result.skipped.append(str(exc))
            continue
        for note in b.notes:
            by_note.setdefault(note, []).append(op.key)
        for var in b.env:
            if var not in result.secrets:
                result.secrets[var] = ""
    for note, keys in by_note.items():
        where = "" if len(ops) == 1 else f"{keys[0]}: " if len(keys) == 1 else f"{len(keys)} operations: "
        result.notes.append(where + note)
    return result
