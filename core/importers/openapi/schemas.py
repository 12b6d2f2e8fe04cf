"""JSON Schemas of parameters and bodies -> typed variables and a nested body template.

An object becomes a nested template whose leaves are ``{{flat_names}}`` (``address.city`` ->
``{{address_city}}``) down to :data:`MAX_DEPTH` levels; deeper objects, and objects without
declared properties, are one ``object`` variable; arrays are one ``array`` variable. ``allOf`` is
merged; ``oneOf``/``anyOf`` of objects offer every branch's properties (optional); of other
schemas, the first branch that is not ``null`` types the value. ``readOnly`` properties are never
sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..naming import clean_text, cut, humanize, variable_name
from .document import Document, Node

MAX_DEPTH = 3
MAX_ENUM_SHOWN = 10
_SCALARS = {"integer": "integer", "number": "float", "boolean": "boolean", "string": "string"}


@dataclass
class View:
    """A schema with ``$ref`` and ``allOf`` resolved: what the importer needs to know of it."""

    type: str | None = None
    format: str | None = None
    properties: dict[str, Node] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    items: Node | None = None
    enum: list[Any] | None = None
    example: Any = None
    has_example: bool = False
    default: Any = None
    description: str = ""
    read_only: bool = False
    free_form: bool = False  # additionalProperties without declared properties


@dataclass
class Field:
    """A variable to declare."""

    name: str
    type: str
    items: str | None
    description: str
    example: Any
    required: bool
    where: str  # "body.address.city", "query.limit"


def _first_type(raw: Any) -> str | None:
    if isinstance(raw, list):
        raw = next((t for t in raw if t != "null"), None)
    return raw if isinstance(raw, str) and raw != "null" else None


class SchemaReader:
    def __init__(self, doc: Document) -> None:
        self.doc = doc

    def view(self, node: Node, seen: frozenset[int] = frozenset()) -> View:
        node = self.doc.deref(node)
        schema = node.value if isinstance(node.value, dict) else {}
        if id(schema) in seen:  # a recursive allOf
            return View(type="object", free_form=True)
        seen = seen | {id(schema)}
        out = View(type=_first_type(schema.get("type")), format=schema.get("format"),
                   description=str(schema.get("description") or schema.get("title") or ""),
                   read_only=bool(schema.get("readOnly")), default=schema.get("default"))
        if isinstance(schema.get("enum"), list):
            out.enum = [e for e in schema["enum"] if e is not None]
        if "const" in schema:
            out.enum = [schema["const"]]
        for key in ("example", "x-example"):
            if key in schema:
                out.example, out.has_example = schema[key], True
                break
        else:
            if isinstance(schema.get("examples"), list) and schema["examples"]:
                out.example, out.has_example = schema["examples"][0], True
        self._merge_properties(out, node, schema)
        for part in schema.get("allOf") or []:
            self._absorb(out, self.view(Node(part, node.resolver), seen), required_too=True)
        branches = (schema.get("oneOf") or []) + (schema.get("anyOf") or [])
        if branches:
            views = [self.view(Node(b, node.resolver), seen) for b in branches]
            objects = [v for v in views if v.properties]
            if objects:
                for v in objects:
                    self._absorb(out, v, required_too=False)
            else:
                first = next((v for v in views if v.type or v.enum), None)
                if first:
                    self._absorb(out, first, required_too=False)
        if out.type is None:
            out.type = "object" if out.properties or out.free_form else "array" if out.items is not None else (
                "integer" if out.enum and all(isinstance(e, int) for e in out.enum) else None)
        return out

    @staticmethod
    def _merge_properties(out: View, node: Node, schema: dict[str, Any]) -> None:
        props = schema.get("properties")
        if isinstance(props, dict):
            out.properties.update({str(k): Node(v, node.resolver) for k, v in props.items()})
        if isinstance(schema.get("required"), list):
            out.required.update(str(r) for r in schema["required"])
        if schema.get("items") is not None and not isinstance(schema.get("items"), bool):
            out.items = Node(schema["items"], node.resolver)
        extra = schema.get("additionalProperties")
        if extra not in (None, False) and not props:
            out.free_form = True

    @staticmethod
    def _absorb(out: View, other: View, *, required_too: bool) -> None:
        out.type = out.type or other.type
        out.format = out.format or other.format
        for name, prop in other.properties.items():
            out.properties.setdefault(name, prop)
        if required_too:
            out.required |= other.required
        out.items = out.items if out.items is not None else other.items
        out.enum = out.enum or other.enum
        if not out.has_example and other.has_example:
            out.example, out.has_example = other.example, True
        out.description = out.description or other.description
        out.free_form = out.free_form or other.free_form
        out.default = out.default if out.default is not None else other.default

    # -- variables -----------------------------------------------------------------------
    def var_type(self, view: View) -> tuple[str, str | None]:
        if view.type == "array":
            item = self.view(view.items) if view.items is not None else View(type="string")
            if item.type == "object" or item.properties:
                return "array", "object"
            element = _SCALARS.get(item.type or "string", "string")
            return "array", None if element == "string" else element
        if view.type == "object" or view.properties:
            return "object", None
        if view.type == "string" and view.format in ("date", "email", "phone"):
            return str(view.format), None
        return _SCALARS.get(view.type or "string", "string"), None

    def describe(self, view: View, extra: str = "", where: str = "") -> str:
        text = cut(clean_text(extra or view.description)) if (extra or view.description) else ""
        if not text and where:
            text = f"The {humanize(where.split('.', 1)[-1].replace('.', ' '))}."
        notes = []
        if view.type == "array" and view.items is not None and not view.enum:
            view = View(enum=self.view(view.items).enum, format=view.format, default=view.default)
        if view.enum:
            shown = ", ".join(str(e) for e in view.enum[:MAX_ENUM_SHOWN])
            notes.append(f"One of: {shown}{', ...' if len(view.enum) > MAX_ENUM_SHOWN else ''}.")
        if view.format == "date-time":
            notes.append("An ISO 8601 date-time, e.g. 2024-01-31T09:30:00Z.")
        if view.default is not None and not isinstance(view.default, (dict, list)):
            notes.append(f"Default: {view.default}.")
        return " ".join([text] + notes).strip()

    @staticmethod
    def example(view: View) -> Any:
        if view.has_example:
            return view.example
        if view.enum:
            return view.enum[0]
        return view.default

    def field(self, node: Node, name: str, where: str, required: bool, description: str = "",
              example: Any = None, has_example: bool = False) -> Field:
        view = self.view(node)
        vtype, items = self.var_type(view)
        value = example if has_example else self.example(view)
        if vtype in ("integer", "float", "boolean") and isinstance(value, (dict, list)):
            value = None
        return Field(name, vtype, items, self.describe(view, description, where), value, required, where)

    # -- body templates ------------------------------------------------------------------
    def template(self, node: Node, names: list[str], required: bool, fields: list["Field"], taken: set[str],
                 depth: int = 1) -> Any:
        """The template for a value at ``names`` (its field names from the body's root)."""
        view = self.view(node)
        if view.properties and depth <= MAX_DEPTH and view.type in (None, "object"):
            out: dict[str, Any] = {}
            for prop, sub in view.properties.items():
                sub_view = self.view(sub)
                if sub_view.read_only:
                    continue  # never sent in a request
                out[prop] = self.template(sub, names + [prop], required and prop in view.required, fields, taken,
                                          depth + 1)
            return out
        name = unique(variable_name(*names) if names else "body", taken)
        fields.append(self.field(node, name, "body." + ".".join(names) if names else "body", required))
        return "{{" + name + "}}"


def unique(name: str, taken: set[str], prefix: str = "") -> str:
    """``name``, else ``prefix_name``, else ``name_2``... (and remember it)."""
    candidate = name
    if candidate in taken and prefix:
        candidate = f"{prefix}_{name}"
    n = 2
    while candidate in taken:
        candidate, n = f"{name}_{n}", n + 1
    taken.add(candidate)
    return candidate
