"""Secret references (a literal or ``env:NAME``), resolvers and masking."""

from __future__ import annotations

import os
from typing import Any, Callable, Iterable, Mapping
from urllib.parse import quote

from .errors import SecretError

Resolver = Callable[[str], "str | None"]
ENV_PREFIX = "env:"


def env_resolver(environ: Mapping[str, str] | None = None) -> Resolver:
    env = os.environ if environ is None else environ
    return lambda name: env.get(name) or None


def chain(*resolvers: Resolver) -> Resolver:
    """The first resolver that knows the name wins (e.g. environment, then Streamlit secrets)."""
    def resolve(name: str) -> str | None:
        for r in resolvers:
            value = r(name)
            if value:
                return value
        return None
    return resolve


def env_name(ref: str) -> str | None:
    """``"env:TOKEN"`` -> ``"TOKEN"``; a literal -> None."""
    return ref[len(ENV_PREFIX):].strip() if ref.startswith(ENV_PREFIX) else None


def resolve(ref: str, resolver: Resolver | None = None, *, field: str = "secret") -> str:
    name = env_name(ref)
    if name is None:
        return ref
    value = (resolver or env_resolver())(name)
    if not value:
        raise SecretError(
            f"{field}: environment variable {name} is not set; set it (export {name}=...) "
            "or add it to .streamlit/secrets.toml"
        )
    return value


def mask(secret: str) -> str:
    """``"abcd1234b3f1"`` -> ``"****b3f1"``: only the last 4 characters of long secrets survive."""
    return "****" + secret[-4:] if len(secret) >= 12 else "****"


def scrub(value: Any, secrets: Iterable[str]) -> Any:
    """Replace every secret (and its URL-encoded form) inside strings, keys and nested values."""
    forms = sorted({f for s in secrets if s for f in (s, quote(s, safe="")) if len(f) >= 3}, key=len, reverse=True)
    if not forms:
        return value

    def walk(v: Any) -> Any:
        if isinstance(v, str):
            for form in forms:
                if form in v:
                    v = v.replace(form, mask(form))
            return v
        if isinstance(v, dict):
            return {walk(k): walk(x) for k, x in v.items()}
        if isinstance(v, list):
            return [walk(x) for x in v]
        return v

    return walk(value)
