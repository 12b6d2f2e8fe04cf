"""What every exporter shares: a result with its warnings, secrets shown as references, variable schemas."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ..action import Action, BasicAuth, BearerAuth, BodyAuth, HeaderAuth
from ..schema import tool_schema
from ..secret import env_name, mask
from ..template import PLACEHOLDER_RE


@dataclass
class Exported:
    """The exported document (JSON data) or text, and what the target cannot express (for stderr)."""

    data: Any = None
    text: str | None = None
    warnings: list[str] = field(default_factory=list)

    def warn(self, action: Action, message: str) -> None:
        self.warnings.append(f"{action.name}: {message}")


def secret_ref(value: str, style: str = "{{{{{}}}}}") -> str:
    """``env:NAME`` -> a reference the target fills in (``{{NAME}}``); a literal secret is masked, never exported."""
    name = env_name(value)
    return style.format(name) if name else mask(value)


def parameters(action: Action) -> dict[str, Any]:
    """The variables as a JSON Schema object (the OpenAI tool's parameters)."""
    return tool_schema(action)["function"]["parameters"]


def variable_schema(action: Action, name: str) -> dict[str, Any]:
    return dict(parameters(action)["properties"].get(name, {"type": "string"}))


def auth_headers(action: Action, out: Exported, style: str = "{{{{{}}}}}") -> dict[str, str]:
    """The auth as headers with secret references; body auth is reported (no header form)."""
    auth = action.auth
    if isinstance(auth, BearerAuth):
        return {"Authorization": f"Bearer {secret_ref(auth.token, style)}"}
    if isinstance(auth, BasicAuth):
        out.warn(action, "basic auth is exported as an Authorization header to fill in: Basic base64(user:password)")
        return {"Authorization": f"Basic {secret_ref(auth.password, style)}"}
    if isinstance(auth, HeaderAuth):
        return {auth.name: secret_ref(auth.value, style)}
    if isinstance(auth, BodyAuth):
        out.warn(action, "body auth (credential fields merged into the body) cannot be expressed here; add the "
                         f"fields {', '.join(auth.fields)} by hand")
    elif auth.type != "none":
        out.warn(action, f"auth type {auth.type} cannot be expressed here; set it up in the platform")
    return {}


def headers_with_refs(action: Action) -> dict[str, str]:
    return {k: (secret_ref(v) if env_name(v) else v) for k, v in action.headers.items()}


def split_url(action: Action) -> tuple[str, str]:
    """(scheme://host, path with {{placeholders}}) of the action's URL (its static query stays on the path)."""
    parts = urlsplit(action.url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return urlunsplit((parts.scheme, parts.netloc, "", "", "")), path or "/"


def single_braces(text: str) -> str:
    """``/pets/{{pet_id}}`` -> ``/pets/{pet_id}`` (OpenAPI and ElevenLabs path syntax)."""
    return PLACEHOLDER_RE.sub(lambda m: "{" + m.group(1) + "}", text)


def body_is_flat_variables(action: Action) -> bool:
    """True when the body is an object whose values are each exactly one variable of the same name."""
    body = action.body
    if body is None:
        return True
    if not isinstance(body, dict):
        return False
    return all(isinstance(v, str) and re.fullmatch(r"\{\{\s*" + re.escape(str(k)) + r"\s*\}\}", v)
               for k, v in body.items())
