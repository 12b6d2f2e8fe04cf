"""The actions as one OpenAPI 3.1 document; `playground import openapi` of it gives the same actions back."""

from __future__ import annotations

from typing import Any

from ..action import Action, BasicAuth, BearerAuth, HeaderAuth
from ..body import CONTENT_TYPES, FILE, TEXT, is_part
from ..secret import env_name
from ..template import PLACEHOLDER_RE
from .common import Exported, split_url, single_braces

_TYPES = {"string": {"type": "string"}, "integer": {"type": "integer"}, "float": {"type": "number"},
          "boolean": {"type": "boolean"}, "date": {"type": "string", "format": "date"},
          "email": {"type": "string", "format": "email"}, "phone": {"type": "string", "format": "phone"},
          "object": {"type": "object"}}


def _schema(action: Action, name: str) -> dict[str, Any]:
    var = action.variable(name)
    if var is None:
        return {"type": "string"}
    schema = dict(_TYPES.get(var.type, {"type": "array"}))
    if var.type == "array":
        schema["items"] = dict(_TYPES.get(var.items or "string", {"type": "string"}))
    if var.description:
        schema["description"] = var.description
    if var.example not in (None, ""):
        schema["example"] = var.example
    return schema


#: the operations an OpenAPI 3.1 path item has
PATH_ITEM_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _value_schema(action: Action, value: Any, out: Exported, where: str) -> tuple[dict[str, Any], bool]:
    """(schema, required) of one template value: a {{variable}}, a nested object, or a fixed literal."""
    if isinstance(value, str):
        whole = PLACEHOLDER_RE.fullmatch(value.strip())
        if whole:
            var = action.variable(whole.group(1))
            return _schema(action, whole.group(1)), bool(var and var.required)
    if is_part(value):
        if FILE in value:
            out.warn(action, f"{where} is the file {value[FILE]} embedded in the action; OpenAPI describes it as a "
                             "binary field (an import leaves it out)")
            return {"type": "string", "format": "binary"}, True
        return _value_schema(action, value[TEXT], out, where)  # its own Content-Type is not described
    if isinstance(value, dict):
        props, required = {}, []
        for key, sub in value.items():
            props[str(key)], req = _value_schema(action, sub, out, f"{where}.{key}")
            if req:
                required.append(str(key))
        return {"type": "object", "properties": props, **({"required": required} if required else {})}, bool(required)
    out.warn(action, f"{where} is the fixed value {value!r}: OpenAPI has no fixed values, so it becomes a "
                     "parameter with that single allowed value (an import makes it a variable)")
    return {"enum": [value], "default": value}, True


def _parameter(action: Action, name: str, where: str, raw: str, out: Exported) -> dict[str, Any]:
    schema, required = _value_schema(action, raw, out, f"{where} {name}")
    param = {"name": name, "in": where, "required": required or where == "path", "schema": schema}
    if "description" in schema:
        param["description"] = schema.pop("description")
    return param


def _security(action: Action, schemes: dict[str, Any], out: Exported) -> list[dict[str, list[str]]]:
    auth = action.auth
    if auth.type == "none":
        return []
    if isinstance(auth, BearerAuth):
        name, scheme = (env_name(auth.token) or "bearer").lower(), {"type": "http", "scheme": "bearer"}
        if env_name(auth.token):
            scheme["x-env"] = env_name(auth.token)
    elif isinstance(auth, BasicAuth):
        name, scheme = (env_name(auth.password) or "basic").lower(), {"type": "http", "scheme": "basic"}
        scheme["x-env"] = {"username": auth.username,
                           "password": env_name(auth.password) or ""}
    elif isinstance(auth, HeaderAuth):
        name = (env_name(auth.value) or auth.name).lower()
        scheme = {"type": "apiKey", "in": "header", "name": auth.name}
        if env_name(auth.value):
            scheme["x-env"] = env_name(auth.value)
    else:
        out.warn(action, f"auth type {auth.type} cannot be expressed in OpenAPI; set it up after importing")
        return []
    for key in ("token", "password", "value"):
        if getattr(auth, key, None) and not env_name(getattr(auth, key)):
            out.warn(action, f"the literal secret in auth.{key} is not exported; the scheme expects env:NAME")
    schemes[name] = scheme
    return [{name: []}]


def export(actions: list[Action], title: str = "Custom actions") -> Exported:
    out = Exported()
    paths: dict[str, Any] = {}
    schemes: dict[str, Any] = {}
    for action in actions:
        if action.method.lower() not in PATH_ITEM_METHODS:
            out.warn(action, f"OpenAPI 3.1 has no {action.method} operations; the action is not exported")
            continue
        base, path = split_url(action)
        path, _, static_query = path.partition("?")
        if static_query:
            out.warn(action, f"the URL's fixed query ?{static_query} is not exported; add it as parameters")
        op: dict[str, Any] = {"operationId": action.tool_name, "summary": action.name,
                              "description": action.description, "servers": [{"url": base}],
                              "responses": {"default": {"description": "The API's answer"}}}
        params = [_parameter(action, n, "path", "{{" + n + "}}", out) for n in action.path_placeholders()]
        params += [_parameter(action, k, "query", v, out) for k, v in action.query.items()]
        for k, v in action.headers.items():
            if k.lower() in ("content-type", "accept", "authorization"):
                out.warn(action, f"header {k}: {v} is not expressible as an OpenAPI parameter; it is left out")
                continue
            params.append(_parameter(action, k, "header", v, out))
        if params:
            op["parameters"] = params
        if action.body is not None:
            media = CONTENT_TYPES.get(action.body_format, "").split(";")[0]
            if action.body_format == "file":
                media = action.body.get("content_type") or "application/octet-stream"
                schema: dict[str, Any] = {"type": "string", "format": "binary"}
                out.warn(action, f"the body is the file {action.body[FILE]} embedded in the action; OpenAPI "
                                 "describes it as binary content (an import leaves it out)")
            elif action.body_format == "text":
                schema = {"type": "string"}
            else:
                schema, _ = _value_schema(action, action.body if isinstance(action.body, dict) else action.body,
                                          out, "body")
            op["requestBody"] = {"content": {media: {"schema": schema}}, "required": True}
        security = _security(action, schemes, out)
        op["security"] = security
        if action.timeout_s != 10:
            op["x-timeout-s"] = action.timeout_s
        paths.setdefault(single_braces(path), {})[action.method.lower()] = op
    doc: dict[str, Any] = {"openapi": "3.1.0", "info": {"title": title, "version": "1.0.0"}, "paths": paths}
    if schemes:
        doc["components"] = {"securitySchemes": schemes}
    out.data = doc
    return out
