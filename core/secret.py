"""Secret references (a literal or ``env:NAME``), resolvers, validation and masking."""

from __future__ import annotations

import json
import os
import unicodedata
from typing import Any, Callable, Iterable, Mapping
from urllib.parse import quote, quote_plus

from .errors import SecretError, SecretValueError

Resolver = Callable[[str], "str | None"]
ENV_PREFIX = "env:"
__all__ = ["Resolver", "SecretValueError", "Scrubber", "chain", "env_name", "env_resolver", "mask", "resolve", "scrub"]


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


def _char_name(c: str) -> str:
    names = {" ": "a space", "\t": "a tab", "\n": "a line break (LF)", "\r": "a carriage return (CR)"}
    return names.get(c) or f"the control character U+{ord(c):04X} ({unicodedata.name(c, 'unnamed')})"


def problem(value: str) -> str | None:
    """What makes a secret value unsendable, without quoting the value; None when it is fine."""
    if value != value.strip():
        end = "trailing" if value[-1:].isspace() else "leading"
        c = value[-1] if end == "trailing" else value[0]
        return f"has {end} whitespace ({_char_name(c)}), a common copy-paste slip"
    for i, c in enumerate(value):
        if unicodedata.category(c) == "Cc":
            return f"contains {_char_name(c)} at character {i + 1}"
    return None


def check_value(value: str, field: str, name: str | None) -> str:
    """Refuse a secret that would break the request (and get quoted whole in an HTTP error)."""
    issue = problem(value)
    if issue is None:
        return value
    if name is None:
        raise SecretValueError(f"{field}: the literal value in the action file {issue}; remove it in the action file")
    raise SecretValueError(
        f"{field}: the value of environment variable {name} {issue}; set it again without it "
        f"(export {name}=... with no spaces around the value, or fix it in .streamlit/secrets.toml)")


def resolve(ref: str, resolver: Resolver | None = None, *, field: str = "secret") -> str:
    name = env_name(ref)
    if name is None:
        return check_value(ref, field, None)
    value = (resolver or env_resolver())(name)
    if not value:
        raise SecretError(
            f"{field}: environment variable {name} is not set; set it (export {name}=...) "
            "or add it to .streamlit/secrets.toml"
        )
    return check_value(value, field, name)


def mask(secret: str) -> str:
    """``"abcd1234b3f1"`` -> ``"****b3f1"``: only the last 4 characters of long secrets survive."""
    return "****" + secret[-4:] if len(secret) >= 12 else "****"


def forms(secret: str) -> set[str]:
    """Every way a secret may be written in text: raw, URL-encoded, JSON- and repr-escaped, trimmed."""
    out = {secret, secret.strip(), quote(secret, safe=""), quote_plus(secret, safe=""), json.dumps(secret)[1:-1],
           secret.encode("unicode_escape").decode("ascii", "replace")}
    return {f for f in out if len(f) >= 3}


class Scrubber:
    """Replaces every secret form inside strings, keys and nested values. Build once, apply many times."""

    def __init__(self, secrets: Iterable[str]) -> None:
        self.forms = sorted({f for s in secrets if s for f in forms(s)}, key=len, reverse=True)

    def __bool__(self) -> bool:
        return bool(self.forms)

    def text(self, v: str) -> str:
        for form in self.forms:
            if form in v:
                v = v.replace(form, mask(form))
        return v

    def __call__(self, value: Any) -> Any:
        if not self.forms:
            return value
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {self(k): self(x) for k, x in value.items()}
        if isinstance(value, list):
            return [self(x) for x in value]
        return value


def scrub(value: Any, secrets: Iterable[str]) -> Any:
    """Replace every secret (and its encoded forms) inside strings, keys and nested values."""
    return Scrubber(secrets)(value)
