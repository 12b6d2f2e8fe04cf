"""Credentials found in an imported request, moved out of the file into ``env:NAME`` references.

Whatever the input held literally (``Authorization: Bearer sk-...``, ``-u user:pass``, an
``X-API-Key`` header, a ``password`` field) becomes ``env:LABEL_WHAT`` (``STRIPE_TOKEN``); the
value is kept in :attr:`Credentials.secrets` so the user can be told which variable to set.
``$VAR`` in the input (a shell variable) becomes ``env:VAR`` directly.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

from ..lint import SECRET_NAME_RE
from .naming import env_var
from .shell import ENV_RE

#: Values that are credentials whatever their name (Stripe, GitHub, Slack, AWS key shapes).
KEY_SHAPE_RE = re.compile(r"^(sk|pk|rk)_(live|test)_[A-Za-z0-9]{8,}$|^(ghp|gho|ghs|github_pat)_[A-Za-z0-9_]{20,}$"
                          r"|^xox[abpr]-[A-Za-z0-9-]{10,}$|^AKIA[A-Z0-9]{12,}$|^sk-[A-Za-z0-9_-]{20,}$")
NOT_SECRET_HEADERS = {"user-agent", "referer", "origin", "host", "accept", "accept-language",
                      "accept-encoding", "content-type", "cache-control", "pragma", "connection"}


#: Header and query parameter names that carry credentials (X-API-Key, X-App-Key, key, user-token, ...).
SECRET_PARAM_RE = re.compile(r"(^|_)(api_?key|apikey|app_?key|key|token|secret|password|passwd|pwd|auth|signature|"
                             r"credentials?|access_?key)$")


def is_secret_name(name: str, *, broad: bool = True) -> bool:
    """A header or query name that holds a credential (``broad``), or a body field named like one."""
    flat = name.strip().lower().replace("-", "_")
    return bool((SECRET_PARAM_RE if broad else SECRET_NAME_RE).search(flat))


class Credentials:
    """Collects the action's auth and the secrets moved out of an imported request."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.auth: dict[str, Any] = {"type": "none"}
        self.secrets: dict[str, str] = {}
        self.notes: list[str] = []

    @property
    def free(self) -> bool:
        return self.auth["type"] == "none"

    def ref(self, value: str, what: str) -> str:
        """``env:NAME`` for a secret: ``$VAR`` -> ``env:VAR``; a literal -> ``env:LABEL_WHAT`` (remembered)."""
        whole = ENV_RE.fullmatch(value)
        if whole:
            return f"env:{whole.group(1)}"
        if ENV_RE.search(value):  # "Token $KEY": no single env value holds it; it becomes a {{variable}}
            return value
        name, n = env_var(self.label, what), 2
        while name in self.secrets and self.secrets[name] != value:
            name, n = f"{env_var(self.label, what)}_{n}", n + 1
        self.secrets[name] = value
        return f"env:{name}"

    # -- auth sources ----------------------------------------------------------------------
    def basic(self, username: str, password: str) -> None:
        if not password and (KEY_SHAPE_RE.match(username) or ENV_RE.fullmatch(username)):
            user_ref = self.ref(username, "api key")  # Stripe style: the key is the user name
        else:
            user_ref = f"env:{ENV_RE.fullmatch(username).group(1)}" if ENV_RE.fullmatch(username) else username
        self.auth = {"type": "basic", "username": user_ref, "password": self.ref(password, "password") if password
                     else ""}

    def bearer(self, token: str) -> None:
        self.auth = {"type": "bearer", "token": self.ref(token, "token")}

    def header(self, name: str, value: str) -> str | None:
        """A header of the request: None when it became the auth, else the value to keep (maybe env:NAME)."""
        lower = name.strip().lower()
        if lower == "authorization":
            scheme, _, credential = value.strip().partition(" ")
            if scheme.lower() == "bearer" and credential.strip() and self.free:
                self.bearer(credential.strip())
                return None
            if scheme.lower() == "basic" and self.free:
                try:
                    user, sep, password = base64.b64decode(credential.strip(), validate=True).decode().partition(":")
                except (binascii.Error, ValueError, UnicodeDecodeError):
                    sep = ""
                if sep:
                    self.basic(user, password)
                    return None
        if lower in NOT_SECRET_HEADERS:
            return value
        if lower == "cookie":  # a session cookie is a credential: its whole value moves to the environment
            return self.ref(value.strip(), "cookie") if not ENV_RE.search(value) else value
        if ENV_RE.fullmatch(value.strip()):
            return self.ref(value.strip(), name)
        if not (lower == "authorization" or is_secret_name(lower) or KEY_SHAPE_RE.match(value.strip())):
            return value
        if self.free:
            self.auth = {"type": "header", "name": name, "value": self.ref(value.strip(), name)}
            return None
        return self.ref(value.strip(), name)

    def query(self, name: str, value: str) -> str:
        if ENV_RE.fullmatch(value) or (value and (is_secret_name(name) or KEY_SHAPE_RE.match(value))):
            return self.ref(value, name)
        return value

    def body_fields(self, body: dict[str, Any]) -> dict[str, Any]:
        """Top-level body fields holding credentials move into body auth (when the auth is still free)."""
        found = {k: v for k, v in body.items()
                 if isinstance(v, str) and v and (is_secret_name(str(k), broad=False) or ENV_RE.fullmatch(v))}
        if not found:
            return body
        if not self.free:
            self.notes.append(f"body field(s) {', '.join(found)} look like credentials but the auth is taken; "
                              "they were kept as written: move them to env:NAME by hand")
            return body
        self.auth = {"type": "body", "fields": {k: self.ref(v, str(k)) for k, v in found.items()}}
        return {k: v for k, v in body.items() if k not in found}

    def summary(self) -> list[str]:
        return self.notes + [f"moved a credential to env:{name}; set it before calling: export {name}=..."
                             for name in self.secrets]
