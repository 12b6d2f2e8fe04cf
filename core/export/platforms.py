"""Voice platforms' tool objects: Vapi (API-request tool), Retell (custom function), ElevenLabs (webhook tool).

Each platform sends the model's arguments its own way; what an action does that the platform
cannot (a nested body template, fixed body values, form bodies, body auth) is said, never dropped
silently.
"""

from __future__ import annotations

from typing import Any

from ..action import Action
from .common import (Exported, auth_headers, body_is_flat_variables, headers_with_refs, parameters, single_braces,
                     variable_schema)


def _body_names(action: Action) -> set[str]:
    from ..template import names_in

    return set(names_in(action.body))


def _check_body(action: Action, out: Exported, platform: str) -> None:
    if action.body_format in ("form", "multipart", "text", "file") and action.body is not None:
        out.warn(action, f"{platform} sends a JSON body; this action sends a {action.body_format} body")
    elif not body_is_flat_variables(action):
        out.warn(action, f"{platform} builds the JSON body from the model's arguments: the body template's nesting "
                         "and fixed values are not kept")


def _object(action: Action, names: set[str] | list[str]) -> dict[str, Any]:
    props = {n: variable_schema(action, n) for n in names if action.variable(n)}
    required = [n for n in props if action.variable(n).required]  # type: ignore[union-attr]
    return {"type": "object", "properties": props, "required": required}


def vapi(actions: list[Action]) -> Exported:
    out = Exported(data=[])
    for action in actions:
        _check_body(action, out, "Vapi")
        headers = {**headers_with_refs(action), **auth_headers(action, out)}
        url = action.url
        if action.query:
            url += ("&" if "?" in url else "?") + "&".join(f"{k}={v}" for k, v in action.query.items())
        tool: dict[str, Any] = {
            "type": "apiRequest", "name": action.tool_name, "description": action.description,
            "method": action.method, "url": url, "timeoutSeconds": action.timeout_s,
            "headers": {"type": "object", "properties": {k: {"type": "string", "value": v} for k, v in headers.items()}},
        }
        if action.body is not None:
            tool["body"] = _object(action, sorted(_body_names(action)))
        out.data.append(tool)
    return out


def retell(actions: list[Action]) -> Exported:
    out = Exported(data=[])
    for action in actions:
        if action.path_placeholders():
            out.warn(action, "Retell calls a fixed URL: the path placeholders are sent as arguments instead")
        if action.method not in ("GET", "POST", "PUT", "PATCH", "DELETE"):
            out.warn(action, f"Retell does not send {action.method}")
        _check_body(action, out, "Retell")
        headers = {**headers_with_refs(action), **auth_headers(action, out)}
        fixed_query = {k: v for k, v in action.query.items() if "{{" not in v}
        out.data.append({
            "type": "custom", "name": action.tool_name, "description": action.description,
            "url": action.url, "method": action.method, "parameters": parameters(action), "headers": headers,
            "query_params": fixed_query, "speak_during_execution": False, "speak_after_execution": True,
            "timeout_ms": int(action.timeout_s * 1000),
        })
    return out


def elevenlabs(actions: list[Action]) -> Exported:
    out = Exported(data=[])
    for action in actions:
        _check_body(action, out, "ElevenLabs")
        headers = {**headers_with_refs(action), **auth_headers(action, out)}
        query_names = [v[2:-2].strip() for v in action.query.values() if v.strip().startswith("{{")]
        schema: dict[str, Any] = {
            "url": single_braces(action.url), "method": action.method,
            "path_params_schema": {n: variable_schema(action, n) for n in action.path_placeholders()},
            "request_headers": headers,
        }
        if query_names:
            schema["query_params_schema"] = _object(action, query_names)
        if action.body is not None:
            schema["request_body_schema"] = {**_object(action, sorted(_body_names(action))),
                                             "description": f"The body of {action.name}"}
        out.data.append({"type": "webhook", "name": action.tool_name, "description": action.description,
                         "response_timeout_secs": int(action.timeout_s), "api_schema": schema})
    return out
