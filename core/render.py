"""action + values + runtime -> the exact request, auth applied. Pure: nothing is sent."""

from __future__ import annotations

import base64
import datetime as dt
import functools
import re
import sys
from typing import Any, Mapping, NamedTuple, Sequence
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ConfigDict, PrivateAttr

from . import body as wire
from . import template
from .action import Action, BasicAuth, BearerAuth, BodyAuth, HeaderAuth, OAuth2ClientCredentials
from .errors import InvalidRequestError, TemplateError, VariableError
from .http.headers import CREDENTIAL_HEADER_RE, value_problem
from .instances import construct
from .schema import resolve_values
from .secret import Resolver, Scrubber, env_name, mask, resolve


class RenderedRequest(BaseModel):
    """A request ready to send. ``masked()`` gives the copy that may be shown or stored."""

    # built when first validated or serialised: render builds instances without validating (core.instances),
    # so `playground render` never needs the validator
    model_config = ConfigDict(defer_build=True)

    method: str
    url: str
    headers: dict[str, str]
    query: dict[str, str | list[str]]  # a list repeats the parameter (ids=1&ids=2)
    body: Any = None
    body_format: str = "json"
    secrets_masked: bool = False
    # empty-list defaults, not factories: pydantic copies an empty default cheaply, but inspects a factory's
    # signature on every construction (for ``list``, a builtin, that costs milliseconds the first time)
    _secrets: list[str] = PrivateAttr(default=[])
    _auth_headers: list[str] = PrivateAttr(default=[])  # masked whole, however short the secret
    _auth_fields: list[str] = PrivateAttr(default=[])
    _content: bytes | None = PrivateAttr(default=None)
    _wire: tuple[str, str | None, bool] | None = PrivateAttr(default=None)  # for core.http.url.wire_url

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
        private = self.__pydantic_private__  # read once: pydantic's attribute lookup for private names is slow
        secrets, auth_headers, auth_fields = private["_secrets"], private["_auth_headers"], private["_auth_fields"]
        if reveal or not (secrets or auth_headers or auth_fields):
            copy = self.model_copy()
        else:
            hide = Scrubber(secrets)
            others = {k: v for k, v in self.headers.items() if k not in auth_headers}  # those are masked whole
            if hide.absent(self.url, others, self.body):  # one scan: the secrets are only where auth put them
                url, headers, query, body = self.url, dict(self.headers), dict(self.query), self.body
                body = dict(body) if isinstance(body, dict) and auth_fields else body
            else:
                url, headers, query, body = hide.text(self.url), hide(self.headers), hide(self.query), hide(self.body)
            copy = construct(RenderedRequest, {"method": self.method, "url": url, "headers": headers, "query": query,
                                               "body": body, "body_format": self.body_format, "secrets_masked": True},
                             {"_secrets": [], "_auth_headers": [], "_auth_fields": [], "_content": None, "_wire": None})
            for name in auth_headers:
                scheme, sep, credential = self.headers[name].partition(" ")
                copy.headers[name] = f"{scheme} {mask(credential)}" if sep and name.lower() == "authorization" \
                    else mask(self.headers[name])
            for key in auth_fields:
                copy.body[key] = mask(str(self.body[key]))
            return copy
        copy.__pydantic_private__.update(_secrets=[], _auth_headers=[], _auth_fields=[])
        return copy

    @property
    def secrets(self) -> list[str]:
        """The resolved secret values (never serialised)."""
        return list(self._secrets)


_URL_SAFE = re.compile(r"^[A-Za-z0-9_.~-]*$")
# quote_plus(safe=""), byte by byte: unreserved characters as they are, space as +, the rest %XX
_QUOTED = tuple(chr(b) if _URL_SAFE.fullmatch(chr(b)) else "+" if b == 32 else f"%{b:02X}" for b in range(256))


_ASCII = {b: _QUOTED[b] for b in range(128) if _QUOTED[b] != chr(b)}


def quote_value(text: str) -> str:
    """``urllib.parse.quote_plus(text)``, faster: ASCII text in one ``str.translate``, other text byte by byte."""
    if text.isascii():
        return text.translate(_ASCII)
    return "".join(map(_QUOTED.__getitem__, text.encode("utf-8")))


@functools.lru_cache(maxsize=1024)
def _quote_key(key: str) -> str:
    return quote_value(key)


def query_string(query: Mapping[str, str | list[str]]) -> str:
    """``urlencode(query, doseq=True)`` (what httpx sends): names are quoted once; a list repeats its name."""
    return "&".join(f"{_quote_key(k)}={quote_value(item)}" for k, v in query.items()
                    for item in (v if isinstance(v, list) else (v,)))


@functools.lru_cache(maxsize=512)
def _parsed_body(text: str) -> Any:
    return template.body_template(text)


def _body_template(body: Any) -> Any:
    """The body as a template value; a text template is parsed once per distinct text (the result is only read)."""
    return _parsed_body(body) if isinstance(body, str) else template.body_template(body)


def _check_header(name: str, value: str, source: str = "the value") -> None:
    """A header value that cannot be sent is an InvalidRequestError (names were checked when the action loaded)."""
    issue = value_problem(name, value)
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
    if "@" not in url:
        return []
    parsed = httpx.URL(url)
    if not parsed.password:
        return []
    b64 = base64.b64encode(f"{parsed.username}:{parsed.password}".encode()).decode()
    return [parsed.password, b64]


def _lookup_table(names: Sequence[str], typed: dict[str, Any], runtime: Mapping[str, Any] | None) -> dict[str, Any]:
    table = {k: v for k, v in (runtime or {}).items() if v not in (None, "")}
    table.update(typed)  # an action variable shadows a runtime variable of the same name
    unset = [name for name in template.RUNTIME_VARIABLES if name not in table]
    if unset:  # names were checked when the action loaded; only an unset runtime variable needs a look
        for name in names:
            if name in unset:
                raise TemplateError(
                    f"placeholder {{{{{name}}}}} is a runtime variable this session did not set; "
                    f"set it (--runtime {name}=... or in Settings) or add a variable named {name}"
                )
    return table


def _omitted(raw: str, table: Mapping[str, Any]) -> bool:
    """True when the value is exactly one placeholder whose variable is optional and was not given."""
    if "{{" not in raw:
        return False
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
    if isinstance(auth, OAuth2ClientCredentials):  # the token itself is fetched when sending (core.oauth)
        client_id = resolve(auth.client_id, resolver, field="auth.client_id")
        secret = resolve(auth.client_secret, resolver, field="auth.client_secret")
        b64 = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
        return {}, {}, [secret, b64] + ([client_id] if env_name(auth.client_id) else [])
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
        raise InvalidRequestError(f"the request cannot be encoded ({exc}); a value may hold a lone surrogate, "
                                  "or NaN or Infinity, which JSON cannot carry") from None


class _Field(NamedTuple):  # NamedTuples, not dataclasses: quicker to create at start-up, and to read
    """One header or query value, sorted once: ``static`` text, an ``env`` secret, one ``var`` placeholder
    (``data`` = its name; ``exact`` when the value is nothing else), or a ``template``."""

    name: str
    how: str
    raw: str
    data: str = ""
    exact: bool = False


class _Plan(NamedTuple):
    """What rendering needs from an action that does not depend on the values: worked out once per action."""

    key: tuple
    names: tuple[str, ...]  # every placeholder name the action uses
    headers: tuple[_Field, ...]
    query: tuple[_Field, ...]
    body: template.Renderer | None  # the body template, worked out (template.body_renderer)
    credential_headers: frozenset[str]
    url_secrets: tuple[str, ...]
    content_type: str  # the name the action gives its Content-Type header, if it does
    has_path: bool  # path placeholders in the URL


def _fields(items: Mapping[str, str]) -> tuple[_Field, ...]:
    out = []
    for name, raw in items.items():
        if env_name(raw):
            out.append(_Field(name, "env", raw, env_name(raw) or ""))
        elif "{{" not in raw:
            out.append(_Field(name, "static", raw))
        else:
            whole = template.PLACEHOLDER_RE.fullmatch(raw.strip())
            if whole:
                out.append(_Field(name, "var", raw, template.check_name(whole.group(1)),
                                  exact=template.PLACEHOLDER_RE.fullmatch(raw) is not None))
            else:
                out.append(_Field(name, "template", raw))
    return tuple(out)


def _plan(action: Action) -> _Plan:
    """The action's render plan, kept on the action while its fields are the same objects (an updated
    copy, e.g. ``model_copy(update=...)``, gets a new one; actions are never edited in place)."""
    key = (id(action.headers), id(action.query), id(action.body), id(action.auth), action.body_format, action.url)
    plan = action.__pydantic_private__.get("_render_plan")  # read directly: this runs on every render
    if plan is None or plan.key != key:
        body = None if action.body_format == "text" else template.body_renderer(_body_template(action.body))
        plan = _Plan(key, tuple(action.placeholder_names()), _fields(action.headers), _fields(action.query), body,
                     frozenset(n for n in action.headers if CREDENTIAL_HEADER_RE.match(n)),
                     tuple(_userinfo_secrets(action.url)),
                     next((k for k in action.headers if k.lower() == "content-type"), "Content-Type"),
                     bool(action.path_placeholders()))
        action._render_plan = plan
    return plan


_MISSING = object()


def _value(f: _Field, table: Mapping[str, Any], resolver: Resolver | None, where: str) -> str | None:
    """One header or query value (None: an optional variable with no value, left out)."""
    if f.how == "static":
        return f.raw
    if f.how == "env":
        return resolve(f.raw, resolver, field=f"{where}.{f.name}")
    if f.how == "var":
        value = table.get(f.data, _MISSING)
        if value is None:
            return None
        if value is not _MISSING and f.exact:
            return template.to_text(value)
    return template.render_text(f.raw, table)  # raises for a name that resolves to nothing


def _render(action: Action, values: Mapping[str, Any] | None, runtime: Mapping[str, Any] | None,
            resolver: Resolver | None) -> RenderedRequest:
    plan = _plan(action)
    typed = resolve_values(action, values)
    table = _lookup_table(plan.names, typed, runtime)

    headers: dict[str, str] = {}
    value_secrets: list[str] = []  # header and query values written env:NAME are secrets too
    secret_headers: list[str] = []
    for f in plan.headers:
        value = _value(f, table, resolver, "headers")
        if value is None:
            continue
        headers[f.name] = value
        if f.how == "env":
            value_secrets.append(value)
            secret_headers.append(f.name)
            _check_header(f.name, value, f"the secret from env var {f.data}")
        elif f.how != "static":  # static text was checked when the action loaded
            _check_header(f.name, value)

    query: dict[str, str | list[str]] = {}
    for f in plan.query:
        value = table.get(f.data, _MISSING) if f.exact else _MISSING  # the common case, inline
        if isinstance(value, list):  # an array variable: the key repeats, as OpenAPI's form style does
            query[f.name] = [template.to_text(v) for v in value]
            continue
        if value is _MISSING or value is None or isinstance(value, (bool, dict, dt.date)):
            value = _value(f, table, resolver, "query")
        if value is None:
            continue
        query[f.name] = value if isinstance(value, str) else str(value)
        if f.how == "env":
            value_secrets.append(value)

    if action.body_format == "text":
        body = None if action.body is None else template.render_text(action.body, table)
    else:
        body = plan.body(table)
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
    literal_names, literal_secrets = _credential_headers(
        {n: v for n, v in headers.items() if n in plan.credential_headers}) if plan.credential_headers else ([], [])
    headers.update(auth_headers)
    if body is not None:
        ctype = wire.content_type(action.body_format, headers.get(plan.content_type), body)
        if ctype is not None:  # a file body without a content type is sent without one (as curl -T)
            headers[plan.content_type] = ctype

    url = render_url(action, table) if plan.has_path else action.url
    parts = (url, None, not plan.has_path) if "?" not in url and "#" not in url else None  # see core.http.url
    if query:  # httpx's own encoding (copy_merge_params), without parsing the URL again when nothing merges
        if parts is not None:
            parts = (url, query_string(query), parts[2])
            url = f"{url}?{parts[1]}"
        else:
            url = str(httpx.URL(url).copy_merge_params(query))
    # encoded now: an encoding problem is a render error, and the executor sends these very bytes
    content = None if body is None else wire.encode(body, action.body_format, headers.get(plan.content_type, ""))
    return construct(RenderedRequest, {
        "method": action.method, "url": url, "headers": headers, "query": query, "body": body,
        "body_format": action.body_format, "secrets_masked": False,
    }, {
        "_secrets": [s for s in secrets + value_secrets + literal_secrets + list(plan.url_secrets) if s],
        "_auth_headers": list(dict.fromkeys(literal_names + secret_headers + list(auth_headers))),
        "_auth_fields": list(auth_fields),
        "_content": content,
        "_wire": parts,
    })
