"""action + values + runtime -> the exact request, auth applied. Pure: nothing is sent."""

from __future__ import annotations

import base64
import re
import sys
from typing import Any, Mapping
from urllib.parse import quote

import httpx
from pydantic import BaseModel, PrivateAttr

from . import body as wire
from . import template
from .action import Action, BasicAuth, BearerAuth, BodyAuth, HeaderAuth
from .errors import InvalidRequestError, TemplateError, VariableError
from .schema import resolve_values
from .secret import Resolver, env_name, mask, resolve, scrub


class RenderedRequest(BaseModel):
    """A request ready to send. ``masked()`` gives the copy that may be shown or stored."""

    method: str
    url: str
    headers: dict[str, str]
    query: dict[str, str | list[str]]  # a list repeats the parameter (ids=1&ids=2)
    body: Any = None
    body_format: str = "json"
    secrets_masked: bool = False
    _secrets: list[str] = PrivateAttr(default_factory=list)
    _auth_headers: list[str] = PrivateAttr(default_factory=list)  # masked whole, however short the secret
    _auth_fields: list[str] = PrivateAttr(default_factory=list)
    _content: bytes | None = PrivateAttr(default=None)

    @property
    def content(self) -> bytes | None:
        """The body's bytes in its format (encoded once: a multipart boundary stays the same)."""
        if self.body is None:
            return None
        if self._content is None:
            ctype = next((v for k, v in self.headers.items() if k.lower() == "content-type"), "")
            self._content = wire.encode(self.body, self.body_format, ctype)
        return self._content

    def masked(self, *, reveal: bool = False) -> "RenderedRequest":
        """A copy with every secret (and its base64/URL-encoded forms) replaced by ``****last4``."""
        if reveal or not (self._secrets or self._auth_headers or self._auth_fields):
            copy = self.model_copy()
        else:
            copy = RenderedRequest(
                method=self.method, url=scrub(self.url, self._secrets), headers=scrub(self.headers, self._secrets),
                query=scrub(self.query, self._secrets), body=scrub(self.body, self._secrets),
                body_format=self.body_format, secrets_masked=True,
            )
            for name in self._auth_headers:
                scheme, sep, credential = self.headers[name].partition(" ")
                copy.headers[name] = f"{scheme} {mask(credential)}" if sep and name.lower() == "authorization" \
                    else mask(self.headers[name])
            for key in self._auth_fields:
                copy.body[key] = mask(str(self.body[key]))
        copy._secrets, copy._auth_headers, copy._auth_fields = [], [], []
        return copy

    @property
    def secrets(self) -> list[str]:
        """The resolved secret values (never serialised)."""
        return list(self._secrets)


# RFC 9110: a header name is a token; a value has no control character but tab, and no space at its ends
TOKEN_RE = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
_CTL_RE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
#: headers whose value is a credential: masked like auth, wherever they come from
CREDENTIAL_HEADER_RE = re.compile(r"^(authorization|proxy-authorization|cookie|x-api-key|api-key|apikey|"
                                  r".*[-_](key|token|secret|password))$", re.I)


def header_problem(name: str, value: str) -> str | None:
    """Why a header cannot be sent as written (None when it can); never quotes the value."""
    if not TOKEN_RE.match(name):
        bad = next((c for c in name if not TOKEN_RE.match(c)), "")
        shown = repr(bad) if bad.isprintable() and bad != " " else f"U+{ord(bad):04X}" if bad else "nothing"
        return (f"header name {name!r} is not a valid HTTP header name (it has {shown}); use letters, digits "
                "and - only, e.g. X-Order-Id")
    if any(c in value for c in "\r\n"):
        return f"header {name}: the value contains a line break (CR or LF); remove it"
    m = _CTL_RE.search(value)
    if m:
        return f"header {name}: the value contains the control character U+{ord(m.group()):04X}; remove it"
    if value != value.strip(" \t"):
        return f"header {name}: the value has a space or tab at its start or end; remove it"
    return None


def _check_header(name: str, value: str, source: str = "the value") -> None:
    issue = header_problem(name, value)
    if issue:
        raise InvalidRequestError(issue.replace("the value", source, 1))


def _credential_headers(headers: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """(names, secret values) of credential headers written literally in ``headers`` (masked like auth)."""
    names, secrets = [], []
    for name, value in headers.items():
        if CREDENTIAL_HEADER_RE.match(name) and value:
            names.append(name)
            scheme, sep, credential = value.partition(" ")
            secrets += [value, credential] if sep and credential else [value]
    return names, secrets


def _userinfo_secrets(url: str) -> list[str]:
    """Credentials written in the URL (https://user:pass@host): httpx sends them as basic auth."""
    parsed = httpx.URL(url)
    if not parsed.password:
        return []
    b64 = base64.b64encode(f"{parsed.username}:{parsed.password}".encode()).decode()
    return [parsed.password, b64]


def _lookup_table(action: Action, typed: dict[str, Any], runtime: Mapping[str, Any] | None) -> dict[str, Any]:
    table = {k: v for k, v in (runtime or {}).items() if v not in (None, "")}
    table.update(typed)  # an action variable shadows a runtime variable of the same name
    for name in action.placeholder_names():
        template.check_name(name)
        if name not in table and name in template.RUNTIME_VARIABLES:
            raise TemplateError(
                f"placeholder {{{{{name}}}}} is a runtime variable this session did not set; "
                f"set it (--runtime {name}=... or in Settings) or add a variable named {name}"
            )
    return table


def _omitted(raw: str, table: Mapping[str, Any]) -> bool:
    """True when the value is exactly one placeholder whose variable is optional and was not given."""
    whole = template.PLACEHOLDER_RE.fullmatch(raw.strip())
    return bool(whole) and table.get(template.check_name(whole.group(1)), "") is None


def render_url(action: Action, table: Mapping[str, Any]) -> str:
    """The URL with each path placeholder filled, URL-encoded as one path segment."""
    if not action.path_placeholders():
        return action.url

    def segment(m: Any) -> str:
        name = template.check_name(m.group(1))
        value = table.get(name)
        if value is None or value == "":
            raise VariableError(f"{name} is required: it is a path parameter of the URL, so give it a value")
        return quote(template.to_text(value), safe="")

    base, sep, rest = action.url.partition("?")
    return template.PLACEHOLDER_RE.sub(segment, base) + sep + rest


def auth_parts(action: Action, resolver: Resolver | None) -> tuple[dict[str, str], dict[str, str], list[str]]:
    """(headers, body fields, secrets) for the action's auth. A pure function of the action."""
    auth = action.auth
    if isinstance(auth, BearerAuth):
        token = resolve(auth.token, resolver, field="auth.token")
        return {"Authorization": f"Bearer {token}"}, {}, [token]
    if isinstance(auth, BasicAuth):
        user = resolve(auth.username, resolver, field="auth.username")
        password = resolve(auth.password, resolver, field="auth.password")
        b64 = base64.b64encode(f"{user}:{password}".encode()).decode()
        secrets = [password, b64] + ([user] if env_name(auth.username) else [])  # a username from env: is secret too
        return {"Authorization": f"Basic {b64}"}, {}, secrets
    if isinstance(auth, HeaderAuth):
        value = resolve(auth.value, resolver, field="auth.value")
        return {auth.name: value}, {}, [value]
    if isinstance(auth, BodyAuth):
        fields = {k: resolve(v, resolver, field=f"auth.fields.{k}") for k, v in auth.fields.items()}
        return {}, fields, list(fields.values())
    return {}, {}, []


def render(
    action: Action,
    values: Mapping[str, Any] | None = None,
    runtime: Mapping[str, Any] | None = None,
    resolver: Resolver | None = None,
) -> RenderedRequest:
    """Fill the action's templates. Raises VariableError, TemplateError or SecretError."""
    try:
        return _render(action, values, runtime, resolver)
    except ValueError as exc:  # int -> str past Python's digit limit, NaN in a JSON body
        if "digits" in str(exc):
            limit = getattr(sys, "get_int_max_str_digits", lambda: 4300)()
            raise VariableError(f"a value is a number with more than {limit} digits, which cannot be written "
                                "out; send a shorter number, or the digits as text") from None
        raise InvalidRequestError(f"the body cannot be encoded ({exc}); NaN and Infinity are not JSON, "
                                  "use null or a number") from None


def _render(action: Action, values: Mapping[str, Any] | None, runtime: Mapping[str, Any] | None,
            resolver: Resolver | None) -> RenderedRequest:
    typed = resolve_values(action, values)
    table = _lookup_table(action, typed, runtime)

    headers: dict[str, str] = {}
    value_secrets: list[str] = []  # header and query values written env:NAME are secrets too
    secret_headers: list[str] = []
    for name, raw in action.headers.items():
        if env_name(raw):
            headers[name] = resolve(raw, resolver, field=f"headers.{name}")
            value_secrets.append(headers[name])
            secret_headers.append(name)
            _check_header(name, headers[name], f"the secret from env var {env_name(raw)}")
            continue
        if _omitted(raw, table):
            continue  # an optional variable with no value: leave the header out
        headers[name] = template.render_text(raw, table)
        _check_header(name, headers[name])

    query: dict[str, str | list[str]] = {}
    for name, raw in action.query.items():
        if env_name(raw):
            query[name] = resolve(raw, resolver, field=f"query.{name}")
            value_secrets.append(query[name])
            continue
        if _omitted(raw, table):
            continue  # an optional variable with no value: leave the parameter out
        whole = template.PLACEHOLDER_RE.fullmatch(raw.strip())
        value = table.get(whole.group(1)) if whole else None
        if isinstance(value, list):  # an array variable: the key repeats, as OpenAPI's form style does
            query[name] = [template.to_text(v) for v in value]
        else:
            query[name] = template.render_text(raw, table)

    if action.body_format == "text":
        body = None if action.body is None else template.render_text(action.body, table)
    else:
        body = template.render_body(template.body_template(action.body), table)
    auth_headers, auth_fields, secrets = auth_parts(action, resolver)
    if auth_fields:
        if body is None:
            body = {}
        if not isinstance(body, dict):
            raise InvalidRequestError(
                "auth type body needs a JSON object body to merge its fields into; make the body an object")
        refs = action.auth.fields if isinstance(action.auth, BodyAuth) else {}
        body = dict(body)
        for key, value in auth_fields.items():
            # a literal field may hold placeholders; a secret read from env:NAME is never scanned for them
            body[key] = value if env_name(refs.get(key, "")) else template.render_value(value, table)
    ref = getattr(action.auth, "token", None) or getattr(action.auth, "value", None) or ""
    for name, value in auth_headers.items():
        _check_header(name, value, f"the secret from env var {env_name(ref)}" if env_name(ref) else "the credential")
    literal_names, literal_secrets = _credential_headers(headers)
    headers.update(auth_headers)
    if body is not None:
        given = next((k for k in headers if k.lower() == "content-type"), "Content-Type")
        headers[given] = wire.content_type(action.body_format, headers.get(given))

    url = render_url(action, table)
    url = str(httpx.URL(url).copy_merge_params(query)) if query else url
    req = RenderedRequest(method=action.method, url=url, headers=headers, query=query, body=body,
                          body_format=action.body_format)
    req.content  # encoded now: an encoding problem is a render error, and the executor reuses the bytes
    req._secrets = [s for s in secrets + value_secrets + literal_secrets + _userinfo_secrets(action.url) if s]
    req._auth_headers = list(dict.fromkeys(literal_names + secret_headers + list(auth_headers)))
    req._auth_fields = list(auth_fields)
    return req
