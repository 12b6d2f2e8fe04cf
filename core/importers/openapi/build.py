"""One operation -> one action: URL, typed variables, nested body template, auth, name and description."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ..naming import VERBS, api_label, clean_text, describe, humanize, resource_words, sentences, title, variable_name
from .document import Document, Node
from .operations import (IGNORED_HEADERS, Operation, base_url, body_media, param_example, param_schema,
                         parameters)
from .schemas import Field, SchemaReader, unique
from .security import plan_auth

NAME_MAX = 60


@dataclass
class Built:
    data: dict[str, Any]
    notes: list[str] = field(default_factory=list)
    env: list[str] = field(default_factory=list)


_THIRD_PERSON = {"Creates": "Create", "Returns": "Get", "Retrieves": "Retrieve", "Lists": "List", "Updates": "Update",
                 "Deletes": "Delete", "Gets": "Get", "Fetches": "Fetch", "Removes": "Remove", "Adds": "Add",
                 "Sends": "Send", "Cancels": "Cancel", "Searches": "Search", "Sets": "Set", "Starts": "Start"}


def action_name(op: Operation) -> str:
    summary = op.summary.strip().rstrip(".")
    if 3 <= len(summary) <= NAME_MAX and "\n" not in summary:
        return title(summary)
    raw = op.node.value if isinstance(op.node.value, dict) else {}
    first = (sentences(clean_text(str(raw.get("description") or ""))) or [""])[0].rstrip(".")
    verb, _, rest = first.partition(" ")
    if verb in _THIRD_PERSON and rest and len(first) <= NAME_MAX:
        return title(f"{_THIRD_PERSON[verb]} {rest}")
    if op.operation_id:
        return title(humanize(op.operation_id))[:NAME_MAX]
    what = resource_words(op.path) or "resource"
    return title(f"{VERBS.get(op.method.upper(), op.method.capitalize())} {what}")


def action_description(doc: Document, op: Operation) -> str:
    raw = op.node.value if isinstance(op.node.value, dict) else {}
    api = f" in the {doc.title} API" if doc.title else ""
    what = op.summary.rstrip(".") or f"{VERBS.get(op.method.upper(), '')} {resource_words(op.path)}".strip()
    fallback = f"{what}{api} ({op.method.upper()} {op.path})."
    return describe(raw.get("description"), raw.get("summary"), fallback=fallback)


def build(doc: Document, op: Operation, server: str | None = None) -> Built:
    notes: list[str] = []
    base = base_url(doc, op, server, notes)
    label = api_label(urlsplit(base).hostname or "", doc.title)
    reader = SchemaReader(doc)
    taken: set[str] = set()
    fields: list[Field] = []
    headers: dict[str, str] = {}
    query: dict[str, str] = {}
    cookies: list[str] = []
    path = op.path
    params = parameters(doc, op)
    body_params = [p for p in params if p.value.get("in") in ("body", "formData")]
    for param in params:
        p = param.value
        where, pname = str(p.get("in")), str(p["name"])
        if where in ("body", "formData") or (where == "header" and pname.lower() in IGNORED_HEADERS):
            continue
        name = unique(variable_name(pname), taken, where)
        has, example = param_example(p)
        required = bool(p.get("required")) or where == "path"
        fields.append(reader.field(param_schema(doc, param), name, f"{where}.{pname}", required,
                                   str(p.get("description") or ""), example, has))
        if where == "path":
            path = path.replace("{" + pname + "}", "{{" + name + "}}")
        elif where == "query":
            query[pname] = "{{" + name + "}}"
        elif where == "header":
            headers[pname] = "{{" + name + "}}"
        elif where == "cookie":
            cookies.append(f"{pname}={{{{{name}}}}}")
    if cookies:
        headers["Cookie"] = "; ".join(cookies)
    for left in re.findall(r"\{([^{}]+)\}", re.sub(r"\{\{[^{}]*\}\}", "", path)):
        name = unique(variable_name(left), taken, "path")
        fields.append(Field(name, "string", None, f"The {humanize(left)} in the path", None, True, f"path.{left}"))
        path = path.replace("{" + left + "}", "{{" + name + "}}")
        notes.append(f"path parameter {left} is not declared in the document; it was added as a string")

    body, body_format = _body(doc, op, reader, body_params, fields, taken, headers, notes)
    raw = op.node.value if isinstance(op.node.value, dict) else {}
    security = raw["security"] if "security" in raw else doc.data.get("security")
    plan = plan_auth(doc, security, label)
    headers.update(plan.headers)
    query.update(plan.query)
    notes += plan.notes
    data = {
        "name": action_name(op), "description": action_description(doc, op), "method": op.method.upper(),
        "url": base + path, "auth": plan.auth, "headers": headers, "query": query, "body": body,
        "body_format": body_format,
        "variables": [{"name": f.name, "type": f.type, "items": f.items, "description": f.description,
                       "example": f.example, "required": f.required} for f in fields],
    }
    if isinstance(raw.get("x-timeout-s"), (int, float)) and 0 < raw["x-timeout-s"] <= 300:
        data["timeout_s"] = raw["x-timeout-s"]
    return Built(data, notes, plan.env)


def _body(doc: Document, op: Operation, reader: SchemaReader, body_params: list[Node], fields: list[Field],
          taken: set[str], headers: dict[str, str], notes: list[str]) -> tuple[Any, str]:
    if doc.swagger2:
        return _body_v2(doc, op, reader, body_params, fields, taken, notes)
    request = doc.get(op.node, "requestBody")
    content = doc.get(request, "content")
    if not isinstance(content.value, dict) or not content.value:
        return None, "json"
    chosen = body_media(content.value)
    if chosen is None:
        notes.append(f"the request body ({', '.join(content.value)}) cannot be sent by an action (JSON, form, "
                     "multipart text fields or text only); it was left out")
        return None, "json"
    media, fmt = chosen
    media_node = doc.get(content, media)
    schema = doc.get(media_node, "schema")
    if fmt == "text":
        headers["Content-Type"] = media
        name = unique("body", taken)
        fields.append(reader.field(schema, name, "body", True, "The request body"))
        return "{{" + name + "}}", "text"
    if fmt == "json" and media not in ("application/json", "*/*"):
        headers["Content-Type"] = media
    template = reader.template(schema, [], True, fields, taken)
    if fmt in ("form", "multipart") and isinstance(template, dict):
        template = _form_keys(doc, media_node, reader, schema, template, fields, notes)
    if not isinstance(template, dict) and fmt != "json":
        return None, "json"
    return template, fmt


def _form_keys(doc: Document, media: Node, reader: SchemaReader, schema: Node, template: dict[str, Any],
               fields: list[Field], notes: list[str]) -> dict[str, Any]:
    """deepObject arrays are sent as ``key[]=a&key[]=b``; binary parts (file uploads) cannot be sent."""
    encoding = media.value.get("encoding") if isinstance(media.value, dict) else None
    view = reader.view(schema)
    out = {}
    for key, value in template.items():
        prop_view = reader.view(view.properties[key]) if key in view.properties else None
        if prop_view is not None and prop_view.format in ("binary", "byte") and prop_view.type == "string":
            _drop(fields, value)
            notes.append(f"{key} is a file upload; an action cannot send files, so it was left out")
            continue
        style = (encoding or {}).get(key, {}).get("style") if isinstance(encoding, dict) else None
        if style == "deepObject" and prop_view is not None and prop_view.type == "array":
            key = key + "[]"
        out[key] = value
    return out


def _drop(fields: list[Field], placeholder: Any) -> None:
    name = str(placeholder).strip("{}")
    fields[:] = [f for f in fields if f.name != name]


def _body_v2(doc: Document, op: Operation, reader: SchemaReader, body_params: list[Node], fields: list[Field],
             taken: set[str], notes: list[str]) -> tuple[Any, str]:
    if not body_params:
        return None, "json"
    body_param = next((p for p in body_params if p.value.get("in") == "body"), None)
    if body_param is not None:
        return reader.template(doc.get(body_param, "schema"), [], True, fields, taken), "json"
    consumes = [str(c) for c in (op.node.value.get("consumes") or doc.data.get("consumes") or [])]
    fmt = "multipart" if any("multipart" in c for c in consumes) else "form"
    body: dict[str, Any] = {}
    for param in body_params:
        p = param.value
        if p.get("type") == "file":
            notes.append(f"{p['name']} is a file upload; an action cannot send files, so it was left out")
            continue
        name = unique(variable_name(str(p["name"])), taken, "form")
        has, example = param_example(p)
        fields.append(reader.field(param, name, f"formData.{p['name']}", bool(p.get("required")),
                                   str(p.get("description") or ""), example, has))
        body[str(p["name"])] = "{{" + name + "}}"
    return (body or None), fmt
