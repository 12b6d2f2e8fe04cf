"""Secret references (a literal or ``env:NAME``), resolvers, validation and masking.

One chain of sources for the CLI and the app (:func:`default_resolver`): the environment, then
``.streamlit/secrets.toml`` of the current directory (Streamlit's format, read with tomllib, so the CLI
needs no Streamlit). A resolver may say which sources it reads (:func:`sources_of`), so that a
missing-secret message names only those.
"""

from __future__ import annotations

import functools
import json
import os
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping
from urllib.parse import quote, quote_plus

from .errors import SecretError, SecretValueError

Resolver = Callable[[str], "str | None"]
ENV_PREFIX = "env:"
ENVIRONMENT = "the environment"
SECRETS_FILE = Path(".streamlit") / "secrets.toml"  # relative to the current directory, as Streamlit reads it


def _described(resolver: Resolver, *sources: str) -> Resolver:
    resolver.sources = sources  # type: ignore[attr-defined]
    return resolver


def sources_of(resolver: Resolver | None) -> tuple[str, ...]:
    """What a resolver reads, e.g. ("the environment", "/work/app/.streamlit/secrets.toml"); () if it does not say."""
    return getattr(resolver, "sources", ()) if resolver is not None else sources_of(default_resolver())


__all__ = ["ENVIRONMENT", "Resolver", "SecretValueError", "Scrubber", "chain", "default_resolver", "env_name",
           "env_resolver", "file_resolver", "find", "mask", "resolve", "scrub", "sources_of", "where_to_set"]


def env_resolver(environ: Mapping[str, str] | None = None) -> Resolver:
    env = os.environ if environ is None else environ
    return _described(lambda name: env.get(name) or None, ENVIRONMENT)


class _TomlFile:
    """Top-level keys of a TOML file, re-read when the file changes; {} when there is none or it is broken."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._stamp: tuple[int, int] | None = None
        self._values: dict[str, Any] = {}

    def get(self, name: str) -> str | None:
        try:
            st = self.path.stat()
            stamp = (st.st_mtime_ns, st.st_size)
        except OSError:
            return None
        if stamp != self._stamp:
            self._values, self._stamp = self._read(), stamp
        value = self._values.get(name)
        return str(value) if value not in (None, "") and not isinstance(value, dict) else None

    def _read(self) -> dict[str, Any]:
        if sys.version_info >= (3, 11):
            import tomllib
        else:  # pragma: no cover - Python 3.10
            import tomli as tomllib
        try:
            with self.path.open("rb") as fh:
                return tomllib.load(fh)
        except (OSError, ValueError):  # tomllib.TOMLDecodeError is a ValueError
            return {}


def file_resolver(path: str | Path = SECRETS_FILE) -> Resolver:
    """Secrets from a TOML file's top-level keys (``NAME = "value"``), Streamlit's secrets.toml format."""
    toml = _TomlFile(Path(path).absolute())  # the current directory when the resolver is made
    return _described(lambda name: toml.get(name), str(toml.path))


def default_resolver() -> Resolver:
    """The chain the CLI and the app share: the environment, then ``.streamlit/secrets.toml``."""
    return chain(env_resolver(), file_resolver())


def find(name: str) -> tuple[str, str] | None:
    """``(value, source)`` of ``name`` through the default chain (source as in :func:`sources_of`), or None."""
    for resolver in (env_resolver(), file_resolver()):
        value = resolver(name)
        if value:
            return value, sources_of(resolver)[0]
    return None


def chain(*resolvers: Resolver) -> Resolver:
    """The first resolver that knows the name wins (e.g. environment, then .streamlit/secrets.toml)."""
    def resolve(name: str) -> str | None:
        for r in resolvers:
            value = r(name)
            if value:
                return value
        return None
    sources = tuple(s for r in resolvers for s in sources_of(r))
    return _described(resolve, *sources) if all(sources_of(r) for r in resolvers) else resolve


def where_to_set(name: str, sources: tuple[str, ...]) -> str:
    """How to provide ``name`` through the sources a resolver reads, e.g. "export TOKEN=... or add
    TOKEN = \"...\" to /app/.streamlit/secrets.toml"."""
    ways = [f"export {name}=..." if s == ENVIRONMENT else f'add {name} = "..." to {s}' for s in sources]
    return " or ".join(ways) or f"export {name}=..."


def env_name(ref: str) -> str | None:
    """``"env:TOKEN"`` -> ``"TOKEN"``; a literal -> None."""
    return ref[len(ENV_PREFIX):].strip() if ref.startswith(ENV_PREFIX) else None


def _char_name(c: str) -> str:
    names = {" ": "a space", "\t": "a tab", "\n": "a line break (LF)", "\r": "a carriage return (CR)"}
    return names.get(c) or f"the control character U+{ord(c):04X} ({unicodedata.name(c, 'unnamed')})"


_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # Unicode category Cc


def problem(value: str) -> str | None:
    """What makes a secret value unsendable, without quoting the value; None when it is fine."""
    if value[:1].isspace() or value[-1:].isspace():
        end = "trailing" if value[-1:].isspace() else "leading"
        c = value[-1] if end == "trailing" else value[0]
        return f"has {end} whitespace ({_char_name(c)}), a common copy-paste slip"
    m = _CONTROL_RE.search(value)
    if m:
        return f"contains {_char_name(m.group())} at character {m.start() + 1}"
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
    resolver = resolver or default_resolver()
    value = resolver(name)
    if not value:
        sources = sources_of(resolver)
        missing = f"environment variable {name} is not set" if sources in ((), (ENVIRONMENT,)) else \
            f"{name} is not set in {' or '.join(sources)}"
        raise SecretError(f"{field}: {missing}; set it: {where_to_set(name, sources)}")
    return check_value(value, field, name)


def mask(secret: str) -> str:
    """``"abcd1234b3f1"`` -> ``"****b3f1"``: only the last 4 characters of long secrets survive."""
    return "****" + secret[-4:] if len(secret) >= 12 else "****"


@functools.lru_cache(maxsize=1024)
def forms(secret: str) -> frozenset[str]:
    """Every way a secret may be written in text: raw, URL-encoded, JSON- and repr-escaped, trimmed."""
    out = {secret, secret.strip(), quote(secret, safe=""), quote_plus(secret, safe=""), json.dumps(secret)[1:-1],
           secret.encode("unicode_escape").decode("ascii", "replace")}
    return frozenset(f for f in out if len(f) >= 3)


@functools.lru_cache(maxsize=256)
def _pattern(all_forms: frozenset[str]) -> tuple[list[str], "re.Pattern[str] | None"]:
    """The forms, longest first, and one regex that finds any of them (compiled once per set of secrets)."""
    ordered = sorted(all_forms, key=len, reverse=True)
    return ordered, (re.compile("|".join(map(re.escape, ordered))) if ordered else None)


@functools.lru_cache(maxsize=256)
def _secrets_pattern(secrets: tuple[str, ...]) -> tuple[list[str], "re.Pattern[str] | None"]:
    """:func:`_pattern` of the given secrets' forms (each call of an action has the same secrets)."""
    return _pattern(frozenset(f for s in secrets if s for f in forms(s)))


class Scrubber:
    """Replaces every secret form inside strings, keys and nested values. Build once, apply many times."""

    def __init__(self, secrets: Iterable[str]) -> None:
        self.forms, self._re = _secrets_pattern(tuple(secrets))

    def __bool__(self) -> bool:
        return bool(self.forms)

    def text(self, v: str) -> str:
        if self._re is None or not self._re.search(v):
            return v
        return self._re.sub(lambda m: mask(m.group()), v)

    def absent(self, *values: Any) -> bool:
        """True when no secret form can be anywhere inside ``values`` (one C-speed scan of their JSON
        text; the JSON-escaped form of each secret is among the forms, so escaping cannot hide one)."""
        if self._re is None:
            return True
        try:
            dumped = json.dumps(values, ensure_ascii=False, default=str)
        except (ValueError, TypeError, RecursionError):
            return False
        return not self._re.search(dumped)

    def __call__(self, value: Any) -> Any:
        if self._re is None:
            return value
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, (dict, list)) and self.absent(value):
            return value
        return self._walk(value)

    def _walk(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {self._walk(k): self._walk(x) for k, x in value.items()}
        if isinstance(value, list):
            return [self._walk(x) for x in value]
        return value


def scrub(value: Any, secrets: Iterable[str]) -> Any:
    """Replace every secret (and its encoded forms) inside strings, keys and nested values."""
    return Scrubber(secrets)(value)
