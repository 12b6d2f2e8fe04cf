"""The operations of a document, their servers, parameters and bodies (3.x and Swagger 2.0)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ..naming import clean_text
from .document import Document, Node

METHODS = ("get", "post", "put", "patch", "delete")
NOT_SENDABLE = ("head", "options", "trace")
IGNORED_HEADERS = {"accept", "content-type", "authorization"}
PLACEHOLDER_HOST = "https://api.example.com"


@dataclass
class Operation:
    path: str
    method: str
    node: Node  # the operation object
    item: Node  # its path item
    operation_id: str = ""
    summary: str = ""
    tags: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.method.upper()} {self.path}"


def list_operations(doc: Document) -> list[Operation]:
    """Every operation in document order (``head``, ``options`` and ``trace`` included, marked by method)."""
    out: list[Operation] = []
    paths = doc.get(doc.root, "paths")
    for path in (paths.value or {}):
        item = doc.get(paths, path)
        if not isinstance(item.value, dict):
            continue
        for method in item.value:
            if str(method).lower() not in METHODS + NOT_SENDABLE:
                continue
            node = doc.get(item, method)
            op = node.value if isinstance(node.value, dict) else {}
            out.append(Operation(str(path), str(method).lower(), node, item, str(op.get("operationId") or ""),
                                 clean_text(str(op.get("summary") or "")).split("\n")[0],
                                 [str(t) for t in op.get("tags") or []]))
    return out


def _server_url(server: dict[str, Any]) -> str:
    url = str(server.get("url") or "")
    for name, var in (server.get("variables") or {}).items():
        if isinstance(var, dict):
            value = var.get("default")
            if value is None and isinstance(var.get("enum"), list) and var["enum"]:
                value = var["enum"][0]
            url = url.replace("{" + str(name) + "}", str(value if value is not None else name))
    return url


def base_url(doc: Document, op: Operation, chosen: str | None, notes: list[str]) -> str:
    """The server: ``--server``, else the operation's, the path item's, the document's (variables filled)."""
    if chosen:
        return chosen.rstrip("/")
    if doc.swagger2:
        data = doc.data
        schemes = [str(s) for s in data.get("schemes") or []]
        scheme = "https" if "https" in schemes or not schemes else schemes[0]
        host, base = str(data.get("host") or ""), str(data.get("basePath") or "")
        url = f"{scheme}://{host}{base}" if host else base
    else:
        url = ""
        for node in (op.node, op.item, doc.root):
            servers = doc.get(node, "servers").value
            if isinstance(servers, list) and servers and isinstance(servers[0], dict):
                url = _server_url(servers[0])
                break
    if not urlsplit(url).netloc:
        notes.append(f"the document gives no server host ({url or 'none'}); the action uses {PLACEHOLDER_HOST}: "
                     "pass --server https://HOST... to set it")
        url = PLACEHOLDER_HOST + ("/" + url.lstrip("/") if url.strip("/") else "")
    if "{" in url:
        notes.append(f"the server URL {url} has variables without defaults; pass --server to set them")
        url = re.sub(r"\{([^}]*)\}", r"\1", url)
    return url.rstrip("/")


def parameters(doc: Document, op: Operation) -> list[Node]:
    """The path item's parameters overridden by the operation's (by name and location)."""
    merged: dict[tuple[str, str], Node] = {}
    for owner in (op.item, op.node):
        listed = doc.get(owner, "parameters").value
        for i, _ in enumerate(listed if isinstance(listed, list) else []):
            param = doc.deref(Node(listed[i], doc.get(owner, "parameters").resolver))
            if isinstance(param.value, dict) and param.value.get("name") is not None:
                merged[(str(param.value["name"]), str(param.value.get("in")))] = param
    return list(merged.values())


def param_schema(doc: Document, param: Node) -> Node:
    """The schema of a parameter: ``schema``, the first ``content`` entry's, or (2.0) the parameter itself."""
    value = param.value
    if "schema" in value:
        return doc.get(param, "schema")
    content = value.get("content")
    if isinstance(content, dict) and content:
        return doc.get(doc.get(param, "content"), next(iter(content)))
    return param


def param_example(param: dict[str, Any]) -> tuple[bool, Any]:
    if "example" in param:
        return True, param["example"]
    if "x-example" in param:
        return True, param["x-example"]
    examples = param.get("examples")
    if isinstance(examples, dict) and examples:
        first = next(iter(examples.values()))
        if isinstance(first, dict) and "value" in first:
            return True, first["value"]
    return False, None


MEDIA_PREFERENCE = (("json", "json"), ("application/x-www-form-urlencoded", "form"),
                    ("multipart/form-data", "multipart"), ("text/", "text"), ("xml", "text"))


def body_media(content: dict[str, Any]) -> tuple[str, str] | None:
    """(media type, body_format) of the request body an action can send, JSON first."""
    for needle, fmt in MEDIA_PREFERENCE:
        for media in content:
            lower = str(media).lower()
            if needle in lower and (fmt != "json" or "json" in lower.split(";")[0]):
                return str(media), fmt
    if "*/*" in content:
        return "*/*", "json"
    return None
