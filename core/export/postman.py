"""A Postman collection (v2.1): one request per action, ``{{variables}}`` and ``{{SECRETS}}`` as collection variables."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from ..action import Action, BasicAuth, BearerAuth, HeaderAuth
from ..body import FILE, TEXT, form_pairs, is_part
from ..secret import env_name
from ..template import names_in, to_text
from .common import Exported, headers_with_refs, secret_ref

SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"


def _auth(action: Action, out: Exported) -> dict[str, Any] | None:
    auth = action.auth
    if isinstance(auth, BearerAuth):
        return {"type": "bearer", "bearer": [{"key": "token", "value": secret_ref(auth.token), "type": "string"}]}
    if isinstance(auth, BasicAuth):
        user = secret_ref(auth.username) if env_name(auth.username) else auth.username
        return {"type": "basic", "basic": [{"key": "username", "value": user, "type": "string"},
                                           {"key": "password", "value": secret_ref(auth.password), "type": "string"}]}
    if isinstance(auth, HeaderAuth):
        return {"type": "apikey", "apikey": [{"key": "key", "value": auth.name, "type": "string"},
                                             {"key": "value", "value": secret_ref(auth.value), "type": "string"},
                                             {"key": "in", "value": "header", "type": "string"}]}
    if auth.type != "none":
        out.warn(action, f"auth type {auth.type} has no Postman form here; add its fields to the request by hand")
    return None


def _form_field(action: Action, key: str, value: Any, out: Exported) -> dict[str, Any]:
    """A Postman formdata/urlencoded field; a part object becomes a typed text or a file field."""
    if not is_part(value):
        return {"key": key, "value": value, "type": "text"}
    if TEXT in value:
        return {"key": key, "value": value[TEXT], "type": "text", "contentType": value.get("content_type", "")}
    out.warn(action, f"the file {value[FILE]} of field {key} is embedded in the action; Postman reads it from disk: "
                     "pick it in the request's body")
    return {"key": key, "type": "file", "src": value[FILE], "contentType": value.get("content_type", "")}


def _body(action: Action, out: Exported) -> dict[str, Any] | None:
    body = action.body
    if body is None:
        return None
    if action.body_format in ("form", "multipart"):
        mode = "urlencoded" if action.body_format == "form" else "formdata"
        pairs = [_form_field(action, k, v, out) for k, v in form_pairs(body, parts=mode == "formdata")]
        return {"mode": mode, mode: pairs}
    if action.body_format == "file":
        if "base64" in body:
            out.warn(action, f"the file {body[FILE]} is embedded in the action; Postman reads it from disk: pick it "
                             "in the request's body")
            return {"mode": "file", "file": {"src": body[FILE]}}
        return {"mode": "raw", "raw": body.get("text", "")}
    if action.body_format == "text":
        return {"mode": "raw", "raw": str(body)}
    raw = body if isinstance(body, str) else json.dumps(body, indent=2, ensure_ascii=False)
    return {"mode": "raw", "raw": raw, "options": {"raw": {"language": "json"}}}


def _item(action: Action, out: Exported) -> dict[str, Any]:
    parts = urlsplit(action.url)
    query = [{"key": k, "value": secret_ref(v) if env_name(v) else v} for k, v in action.query.items()]
    raw = action.url + ("?" + "&".join(f"{q['key']}={q['value']}" for q in query) if query else "")
    request: dict[str, Any] = {
        "method": action.method,
        "header": [{"key": k, "value": v} for k, v in headers_with_refs(action).items()],
        "url": {"raw": raw, "protocol": parts.scheme, "host": (parts.hostname or "").split("."),
                "path": [p for p in parts.path.split("/") if p], "query": query,
                **({"port": str(parts.port)} if parts.port else {})},
        "description": action.description,
    }
    body = _body(action, out)
    if body is not None:
        request["body"] = body
    auth = _auth(action, out)
    if auth is not None:
        request["auth"] = auth
    if action.auth.type == "body":
        out.warn(action, "body auth: the credential fields are not in the Postman body; add them by hand")
    return {"name": action.name, "request": request}


def export(actions: list[Action], title: str = "Custom actions") -> Exported:
    out = Exported()
    items = [_item(a, out) for a in actions]
    variables: dict[str, str] = {}
    for action in actions:
        for var in action.variables:
            variables.setdefault(var.name, to_text(var.example))
        for ref in names_in(json.dumps([i["request"] for i in items])):
            variables.setdefault(ref, "")
    out.data = {"info": {"name": title, "schema": SCHEMA,
                         "description": "Exported by the Custom Actions Playground. Fill in the secret variables "
                                        "(upper case) before sending."},
                "item": items, "variable": [{"key": k, "value": v, "type": "string"} for k, v in variables.items()]}
    return out
