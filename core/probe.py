"""A one-off request edited from an action's rendered request: send it without touching the file, or
save what was edited back into the action.

The probe starts as the request the action renders for the given values, minus its auth (auth is
added again when the probe is sent, so credentials never sit in an editable field). Saving keeps
every template the user did not edit: a query value still equal to what ``{{order_number}}``
rendered stays ``{{order_number}}``.
"""

from __future__ import annotations

import json
from typing import Any, Mapping

import httpx
from pydantic import BaseModel, ValidationError

from .action import METHODS, Action, NoAuth, parse_action
from .errors import ActionFileError
from .render import render
from .secret import Resolver
from .template import names_in


class Probe(BaseModel):
    """What the user may edit: everything but the auth, which the action adds when the probe is sent."""

    method: str
    url: str                       # without the query string
    query: dict[str, str]
    headers: dict[str, str]
    body: str = ""                 # as text: JSON (or the text body); "" = no body


def _body_text(body: Any, body_format: str) -> str:
    if body is None:
        return ""
    if body_format == "text" and isinstance(body, str):
        return body
    return json.dumps(body, ensure_ascii=False, indent=2)


def probe_from(action: Action, values: Mapping[str, Any] | None = None,
               runtime: Mapping[str, Any] | None = None, resolver: Resolver | None = None) -> Probe:
    """The request the action renders for ``values``, without its auth. Raises what ``render`` raises."""
    bare = action.model_copy(update={"auth": NoAuth()})
    req = render(bare, values, runtime, resolver)
    url = httpx.URL(req.url)
    return Probe(method=req.method, url=str(url.copy_with(query=None)), query=dict(url.params),
                 headers=dict(req.headers), body=_body_text(req.body, action.body_format))


def _body_value(probe: Probe, body_format: str) -> Any:
    if not probe.body.strip():
        return None
    if body_format == "text":
        return probe.body
    return json.loads(probe.body)


def probe_errors(action: Action, probe: Probe) -> dict[str, str]:
    """Every field of the probe that cannot be sent, with what is wrong (all at once, not the first)."""
    errors: dict[str, str] = {}
    if probe.method.upper() not in METHODS:
        errors["method"] = f"{probe.method!r} is not a method; use one of {', '.join(METHODS)}"
    try:
        Action(name="probe", url=probe.url)
    except ValidationError as exc:
        errors["url"] = str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
    for where, pairs in (("headers", probe.headers), ("query", probe.query)):
        for name, value in pairs.items():
            if not name.strip():
                errors[f"{where}.{name}"] = f"{where}: a row has a value but no name; name it or remove the row"
            elif "{{" in name + value:
                errors[f"{where}.{name}"] = (f"{name}: {{{{placeholders}}}} are not filled in a one-off request; "
                                             "type the value itself")
            elif where == "headers" and any(c in name + value for c in "\r\n"):
                errors[f"headers.{name}"] = f"{name}: a header value cannot contain a line break; remove it"
    try:
        _body_value(probe, action.body_format)
    except ValueError as exc:
        errors["body"] = f"not valid JSON ({exc}); fix it, or empty the body to send none"
    if "{{" in probe.body:
        errors["body"] = "{{placeholders}} are not filled in a one-off request; type the values themselves"
    return errors


def probe_action(action: Action, probe: Probe) -> Action:
    """The action that sends exactly the probe: its literal parts with the action's auth, format and timeout.

    Raises ActionFileError when the probe has invalid fields (see :func:`probe_errors`)."""
    errors = probe_errors(action, probe)
    if errors:
        raise ActionFileError("; ".join(errors.values()))
    return action.model_copy(update={
        "method": probe.method.upper(), "url": probe.url, "query": dict(probe.query), "headers": dict(probe.headers),
        "body": _body_value(probe, action.body_format), "variables": []})


def _merge(templates: Mapping[str, str], start: Mapping[str, str], edited: Mapping[str, str]) -> dict[str, str]:
    """Edited pairs, with each value left as rendered put back as its template; generated ones left out."""
    out: dict[str, str] = {}
    for name, value in edited.items():
        unchanged = name in start and start[name] == value
        if unchanged and name in templates:
            out[name] = templates[name]
        elif not unchanged or name in templates:
            out[name] = value
    return out


def saved_probe(action: Action, start: Probe, probe: Probe) -> tuple[Action, list[str]]:
    """The action with what the user edited in the probe since ``start``, and the placeholders that a
    typed value replaced (say them before saving: the agent can no longer fill them)."""
    data = action.to_file_dict()
    if probe.method.upper() != start.method:
        data["method"] = probe.method.upper()
    if probe.url != start.url:
        data["url"] = probe.url
    data["headers"] = _merge(action.headers, start.headers, probe.headers)
    data["query"] = _merge(action.query, start.query, probe.query)
    if probe.body != start.body:
        edited = _body_value(probe, action.body_format)
        before = _body_value(start, action.body_format) if start.body.strip() else None
        if isinstance(edited, dict) and isinstance(before, dict) and isinstance(action.body, dict):
            edited = {k: action.body[k] if k in action.body and before.get(k) == v else v for k, v in edited.items()}
        data["body"] = edited
    saved = parse_action(data, source=action.name)
    kept = set(names_in(saved.url, saved.headers, saved.query, saved.body))
    lost = [name for name in dict.fromkeys(names_in(action.url, action.headers, action.query, action.body))
            if name not in kept]
    return saved, lost
