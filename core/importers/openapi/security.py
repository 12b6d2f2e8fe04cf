"""``securitySchemes`` (3.x) / ``securityDefinitions`` (2.0) -> the action's auth, secrets as ``env:NAME``.

The secret's variable is named after the API and the scheme (``PETSTORE_API_KEY`` for the scheme
``api_key`` of petstore.swagger.io). Of several alternatives the first that an action can send
wins; schemes that must all be sent together take the auth slot, then extra headers and query
parameters written ``env:NAME``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..naming import env_var
from .document import Document


@dataclass
class AuthPlan:
    auth: dict[str, Any] = field(default_factory=lambda: {"type": "none"})
    headers: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    env: list[str] = field(default_factory=list)  # env variables to set


def _schemes(doc: Document) -> dict[str, dict[str, Any]]:
    container = doc.get(doc.root, "securityDefinitions") if doc.swagger2 else \
        doc.get(doc.get(doc.root, "components"), "securitySchemes")
    names = container.value if isinstance(container.value, dict) else {}
    found = {str(name): doc.get(container, name).value for name in names}
    return {name: scheme for name, scheme in found.items() if isinstance(scheme, dict)}


def _sendable(scheme: dict[str, Any]) -> bool:
    kind = str(scheme.get("type", "")).lower()
    if kind == "http":
        return str(scheme.get("scheme", "")).lower() in ("bearer", "basic")
    if kind == "apikey":
        return scheme.get("in") in ("header", "query", "cookie")
    return kind in ("basic", "oauth2", "openidconnect")


def _rank(scheme: dict[str, Any]) -> int:
    """Simplest to set up first: one bearer token, an API-key header, basic, then the rest."""
    kind, how = str(scheme.get("type", "")).lower(), str(scheme.get("scheme", "")).lower()
    if kind == "http" and how == "bearer":
        return 0
    if kind == "apikey" and scheme.get("in") == "header":
        return 1
    if kind == "basic" or how == "basic":
        return 2
    return 3


def plan_auth(doc: Document, requirements: Any, label: str) -> AuthPlan:
    """How to send the operation's security requirements (None or [] -> no auth)."""
    plan = AuthPlan()
    if not isinstance(requirements, list) or not requirements:
        return plan
    schemes = _schemes(doc)
    sendable = [alt for alt in requirements  # {} = "no auth" is an alternative; a real one is preferred
                if isinstance(alt, dict) and alt and all(n in schemes and _sendable(schemes[n]) for n in alt)]
    chosen = min(sendable, key=lambda alt: (len(alt), min(_rank(schemes[n]) for n in alt)), default=None)
    if chosen is None:
        names = [n for alt in requirements if isinstance(alt, dict) for n in alt]
        if names:
            plan.notes.append(f"the API's auth ({', '.join(dict.fromkeys(names))}) cannot be sent by an action "
                              "(bearer, basic, API key or body only); add it by hand")
        return plan
    for name in chosen:
        _apply(plan, name, schemes[name], label)
    return plan


def _apply(plan: AuthPlan, name: str, scheme: dict[str, Any], label: str) -> None:
    kind = str(scheme.get("type", "")).lower()
    free = plan.auth["type"] == "none"

    def ref(what: str) -> str:
        given = scheme.get("x-env")  # the variable's own name (written by `playground export openapi`)
        if isinstance(given, dict):
            given = given.get(what.rsplit(" ", 1)[-1])
        var = given if isinstance(given, str) and given else env_var(label, what)
        plan.env.append(var)
        return f"env:{var}"

    if kind == "basic" or (kind == "http" and str(scheme.get("scheme", "")).lower() == "basic"):
        if free:
            given = scheme.get("x-env", {}).get("username") if isinstance(scheme.get("x-env"), dict) else None
            user = given if isinstance(given, str) and given else ref(f"{name} username")  # env:NAME or a name
            plan.auth = {"type": "basic", "username": user, "password": ref(f"{name} password")}
            return
    elif kind in ("http", "oauth2", "openidconnect"):  # a bearer token (OAuth2 and OIDC send their access token so)
        if free:
            plan.auth = {"type": "bearer", "token": ref(name)}
            if kind != "http":
                plan.notes.append(f"{name} is {scheme.get('type')}: the action sends an access token you get "
                                  f"elsewhere as a bearer token (env:{plan.env[-1]})")
            return
        plan.headers["Authorization"] = ref(name)
        return
    elif kind == "apikey":
        where, key = scheme.get("in"), str(scheme.get("name") or name)
        if where == "header":
            if free:
                plan.auth = {"type": "header", "name": key, "value": ref(name)}
            else:
                plan.headers[key] = ref(name)
        elif where == "query":
            plan.query[key] = ref(name)
        elif where == "cookie":
            plan.headers["Cookie"] = ref(name)
            plan.notes.append(f"the API key {key} goes in a cookie: set env:{plan.env[-1]} to {key}=<the key>")
        return
    plan.notes.append(f"{name}: a second auth of this kind cannot be sent by the same action; add it by hand")
