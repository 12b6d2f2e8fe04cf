"""An OpenAPI (3.0, 3.1) or Swagger (2.0) document, JSON or YAML, with its ``$ref`` resolved lazily.

``$ref`` resolution uses ``referencing`` (the JSON-reference library of ``jsonschema``): references
inside the document (``#/components/schemas/Pet``) and to local files next to it
(``models/pet.yaml#/Pet``, the way multi-file specs are written) resolve on demand, so recursive
schemas and 10 MB specs cost only what an operation uses.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable

from ...errors import ImportSourceError

MAX_REF_HOPS = 32
SPEC_URI = "urn:playground:openapi"


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """YAML without timestamps: ``2024-01-01`` stays the text an API sends, not a date object."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_text(text: str, source: str) -> Any:
    """JSON or YAML text -> data. A syntax error is an ImportSourceError naming the line."""
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            return json.loads(text)
        except ValueError as exc:
            raise ImportSourceError(f"{source}: not valid JSON ({exc}); fix the syntax") from None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise ImportSourceError(f"{source}: not valid YAML or JSON{where}; fix the syntax") from None


@dataclass
class Node:
    """A value of the document and the resolver that knows where it came from (for relative ``$ref``)."""

    value: Any
    resolver: Any

    def get(self, key: str, default: Any = None) -> "Node":
        value = self.value.get(key, default) if isinstance(self.value, dict) else default
        return Node(value, self.resolver)


class Document:
    """The parsed document; :meth:`deref` follows ``$ref`` chains."""

    def __init__(self, data: Any, source: str, base_uri: str = SPEC_URI, folder: Path | None = None) -> None:
        if not isinstance(data, dict):
            raise ImportSourceError(f"{source}: not an OpenAPI document (it is not a JSON/YAML object)")
        version = str(data.get("openapi") or data.get("swagger") or "")
        if not version:
            raise ImportSourceError(f"{source}: not an OpenAPI document: it has no 'openapi' or 'swagger' field; "
                                    "give an OpenAPI 3.x or Swagger 2.0 file")
        if not (version.startswith("3.") or version.startswith("2.")):
            raise ImportSourceError(f"{source}: OpenAPI version {version!r} is not supported; use 2.0, 3.0 or 3.1")
        if not isinstance(data.get("paths") or {}, dict):
            raise ImportSourceError(f"{source}: 'paths' is not an object; it maps paths to operations")
        self.data, self.source, self.version = data, source, version
        self.swagger2 = version.startswith("2.")
        self._files: dict[str, Any] = {}
        self._folder = folder
        registry: Registry = Registry(retrieve=self._retrieve)  # type: ignore[call-arg]
        self.root = Node(data, registry.with_resource(base_uri, Resource.opaque(data)).resolver(base_uri))

    def _retrieve(self, uri: str) -> Resource:
        parts = urlsplit(uri)
        if parts.scheme != "file" or self._folder is None:
            raise ImportSourceError(f"{self.source}: $ref {uri!r} points outside the document; only references "
                                    "inside it and to local files next to it are followed")
        if uri not in self._files:
            path = Path(unquote(parts.path))
            try:
                text = path.read_text(encoding="utf-8")
            except OSError as exc:
                raise ImportSourceError(f"{self.source}: $ref to {path} cannot be read ({exc.strerror})") from None
            self._files[uri] = parse_text(text, str(path))
        return Resource.opaque(self._files[uri])

    def deref(self, node: Node) -> Node:
        """The node itself, or what its ``$ref`` (chain) points to. Other keys beside ``$ref`` (3.1) win."""
        hops = 0
        while isinstance(node.value, dict) and isinstance(node.value.get("$ref"), str):
            if hops >= MAX_REF_HOPS:
                raise ImportSourceError(f"{self.source}: $ref {node.value['$ref']!r} loops; fix the reference")
            ref, siblings = node.value["$ref"], {k: v for k, v in node.value.items() if k != "$ref"}
            try:
                resolved = node.resolver.lookup(ref)
            except Unresolvable:
                raise ImportSourceError(f"{self.source}: $ref {ref!r} points to nothing; fix the reference") from None
            except ImportSourceError:
                raise
            except Exception as exc:  # noqa: BLE001 - a bad pointer or file in someone else's document
                raise ImportSourceError(f"{self.source}: $ref {ref!r} cannot be followed ({exc})") from None
            target = resolved.contents
            if siblings and isinstance(target, dict):
                target = {**target, **siblings}
            node = Node(target, resolved.resolver)
            hops += 1
        return node

    def get(self, node: Node, key: str) -> Node:
        """``node[key]`` with both the node and the child dereferenced."""
        return self.deref(self.deref(node).get(key))

    @property
    def title(self) -> str:
        info = self.data.get("info") if isinstance(self.data.get("info"), dict) else {}
        return str(info.get("title") or "")


def load_document(source: str | Path, *, text: str | None = None) -> Document:
    """A document from a file path, or from ``text`` (then ``source`` only names it in messages)."""
    if text is not None:
        return Document(parse_text(text, str(source)), str(source))
    path = Path(source)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ImportSourceError(f"{path}: no such file; check the path") from None
    except UnicodeDecodeError:
        raise ImportSourceError(f"{path}: not UTF-8 text; an OpenAPI document is JSON or YAML") from None
    except OSError as exc:
        raise ImportSourceError(f"{path}: cannot read it ({exc.strerror})") from None
    resolved = path.resolve()
    return Document(parse_text(raw, str(path)), str(path), resolved.as_uri(), resolved.parent)
