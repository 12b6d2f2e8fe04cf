"""What an import gives back, and turning literal values of an imported action into variables."""

from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from ..action import Action, parse_action
from ..body import is_part
from ..errors import ImportSourceError
from ..schema import EMAIL_RE
from ..secret import env_name, mask
from ..template import PLACEHOLDER_RE
from .naming import humanize, variable_name


@dataclass
class Candidate:
    """A literal value of an imported action that could become a variable."""

    where: tuple[Any, ...]  # ("body", "user", "name"), ("query", "page")
    name: str
    value: Any
    type: str
    items: str | None = None

    @property
    def label(self) -> str:
        return ".".join(str(p) for p in self.where)


@dataclass
class ImportResult:
    actions: list[Action]
    notes: list[str] = field(default_factory=list)  # what the user should know: ignored options, moved secrets
    secrets: dict[str, str] = field(default_factory=dict)  # env var -> the value the input held (never printed whole)
    skipped: list[str] = field(default_factory=list)  # operations not imported, each with why

    @property
    def action(self) -> Action:
        return self.actions[0]

    def secret_notes(self) -> list[str]:
        return [f"set {name} (the value from the input, {mask(value)}): export {name}=..." if value
                else f"set {name} to your credential: export {name}=..." for name, value in self.secrets.items()]


def infer_type(value: Any) -> tuple[str, str | None]:
    """A variable type (and an array's item type) for a literal value."""
    if isinstance(value, bool):
        return "boolean", None
    if isinstance(value, int):
        return "integer", None
    if isinstance(value, float):
        return "float", None
    if isinstance(value, list):
        first = value[0] if value else ""
        item = "object" if isinstance(first, dict) else infer_type(first)[0]
        return "array", item if item in ("integer", "float", "boolean", "object") else None
    if isinstance(value, dict):
        return "object", None
    text = str(value)
    if EMAIL_RE.match(text):
        return "email", None
    try:
        dt.date.fromisoformat(text)
        return "date", None
    except ValueError:
        pass
    if re.fullmatch(r"\+\d{7,15}", text):
        return "phone", None
    return "string", None


def _is_literal(value: Any) -> bool:
    if isinstance(value, str):
        return not PLACEHOLDER_RE.search(value) and not env_name(value) and value != ""
    return value is not None


def _leaves(value: Any, where: tuple[Any, ...]) -> Iterable[tuple[tuple[Any, ...], Any]]:
    if is_part(value):
        return  # an embedded file or typed text part stays as imported
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*where, key))
    elif _is_literal(value) and not (isinstance(value, list) and any(PLACEHOLDER_RE.search(str(v)) for v in value)):
        yield where, value


def candidates(action: Action) -> list[Candidate]:
    """Literal values in the body (JSON, form or multipart) and the query that could be variables."""
    found: list[tuple[tuple[Any, ...], Any]] = [(("query", k), v) for k, v in action.query.items() if _is_literal(v)]
    if isinstance(action.body, (dict, list)) and action.body_format not in ("text", "file"):
        found += list(_leaves(action.body, ("body",)))
    taken = {v.name for v in action.variables}
    out: list[Candidate] = []
    for where, value in found:
        keys = [str(p) for p in where[1:] if not isinstance(p, int)]
        name = variable_name(keys[-1]) if keys else "value"
        if name in taken and len(keys) > 1:
            name = variable_name(*keys[-2:])
        base, n = name, 2
        while name in taken:
            name, n = f"{base}_{n}", n + 1
        taken.add(name)
        vtype, items = infer_type(value)
        out.append(Candidate(where, name, value, vtype, items))
    return out


def with_variables(action: Action, chosen: Iterable[Candidate]) -> Action:
    """The action with each chosen literal replaced by a ``{{placeholder}}`` and declared as a variable."""
    data = action.to_file_dict()
    data["body"] = copy.deepcopy(action.body)
    for c in chosen:
        section, *path = c.where
        if section == "query":
            data["query"][path[0]] = "{{" + c.name + "}}"
        else:
            node = data["body"]
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = "{{" + c.name + "}}"
        data["variables"].append({"name": c.name, "type": c.type, "items": c.items,
                                  "description": humanize(str(c.where[-1])).capitalize() or c.name,
                                  "example": c.value, "required": True})
    return parse_action(data, f"import of {action.name}")


def choose(all_candidates: list[Candidate], spec: str | None) -> list[Candidate]:
    """``all`` or comma-separated names or dotted places (``body.user.name``) -> those candidates."""
    if not spec:
        return []
    if spec.strip() == "all":
        return list(all_candidates)
    wanted = [w.strip() for w in spec.split(",") if w.strip()]
    by_key = {c.name: c for c in all_candidates} | {c.label: c for c in all_candidates}
    unknown = [w for w in wanted if w not in by_key]
    if unknown:
        offered = ", ".join(c.name for c in all_candidates) or "none"
        raise ImportSourceError(f"--vars {unknown[0]!r} is not a candidate; pick from: {offered}")
    return [by_key[w] for w in wanted]
