"""The action file: pydantic models of one custom action, and loading/saving it."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Annotated, Any, Literal, Optional, Sequence, Union

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from . import body as wire
from . import jsonfile, template
from .options import (DEFAULT_RETRY_ON, MODES, NAME_RE, OPTIONAL_FIELDS, RETRY_KINDS,  # noqa: F401 (API)
                      SCHEME_RE, WRITE_METHODS, OAuth2ClientCredentials, ResultSpec, RetrySpec, check_url)
from .errors import ActionFileError, PlaygroundError, TemplateError
from .http.headers import name_problem, value_problem
from .methods import check_method

Method = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
VarType = Literal["string", "integer", "float", "boolean", "date", "email", "phone", "array", "object"]
ItemType = Literal["string", "integer", "float", "boolean", "object"]
BodyFormat = Literal["json", "form", "multipart", "text", "file"]
METHODS: tuple[str, ...] = Method.__args__  # type: ignore[attr-defined]
VAR_TYPES: tuple[str, ...] = VarType.__args__  # type: ignore[attr-defined]
BODY_FORMATS: tuple[str, ...] = BodyFormat.__args__  # type: ignore[attr-defined]
AUTH_TYPES = ("none", "bearer", "basic", "header", "body", "oauth2_client_credentials")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NoAuth(_Model):
    type: Literal["none"] = "none"


class BearerAuth(_Model):
    type: Literal["bearer"] = "bearer"
    token: str


class BasicAuth(_Model):
    type: Literal["basic"] = "basic"
    username: str
    password: str


class HeaderAuth(_Model):
    type: Literal["header"] = "header"
    name: str = "X-API-Key"
    value: str

    @field_validator("name")
    @classmethod
    def _header_name(cls, name: str) -> str:
        issue = name_problem(name)
        if issue:
            raise ValueError(issue)
        return name


class BodyAuth(_Model):
    type: Literal["body"] = "body"
    fields: dict[str, str]


Auth = Annotated[Union[NoAuth, BearerAuth, BasicAuth, HeaderAuth, BodyAuth, OAuth2ClientCredentials],
                 Field(discriminator="type")]


class Variable(_Model):
    name: str
    type: VarType = "string"
    description: str = ""
    example: Any = None
    required: bool = True
    default: Any = None
    items: ItemType | None = None  # the element type of an array (default string)

    @field_validator("name")
    @classmethod
    def _flat_name(cls, name: str) -> str:
        if not NAME_RE.match(name):
            problem, valid = variable_name_problem(name)
            raise ValueError(f"variable name {name!r} {problem}; rename it to {valid!r}")
        return name

    @model_validator(mode="after")
    def _items_only_for_arrays(self) -> "Variable":
        if self.items is not None and self.type != "array":
            raise ValueError(f"variable {self.name!r}: items is only for type array; remove it or set type array")
        return self


def variable_name_problem(name: str) -> tuple[str, str]:
    """What is wrong with a variable name that is not letters, digits and _ (starting with no digit), and a
    valid name to suggest instead: ``("starts with a digit ...", "var_2345")``."""
    valid = re.sub(r"[^A-Za-z0-9_]+", "_", name).strip("_") or "value"
    if valid[0].isdigit():
        valid = f"var_{valid}"
    bad = "".join(dict.fromkeys(c for c in name if not (c.isascii() and (c.isalnum() or c == "_"))))
    if not name:
        return "is empty", valid
    if bad:
        shown = ", ".join(repr(c) for c in bad[:4])
        return f"has {shown} in it (a name is letters, digits and _ only)", valid
    return "starts with a digit (a name starts with a letter or _)", valid


class Action(_Model):
    name: str = Field(min_length=1)
    description: str = ""
    method: str = "GET"  # the five under synthflow; HEAD, OPTIONS, extension methods under generic (core.methods)
    url: str = Field(min_length=1)
    auth: Auth = Field(default_factory=NoAuth)
    headers: dict[str, str] = Field(default_factory=dict)
    query: dict[str, str] = Field(default_factory=dict)
    body: Any = None
    body_format: BodyFormat = "json"
    variables: list[Variable] = Field(default_factory=list)
    timeout_s: float = Field(default=10.0, gt=0, le=300)
    # optional voice-call fields; absent = one synchronous attempt, the whole response to the model
    result: Optional[ResultSpec] = None
    retry: Optional[RetrySpec] = None
    retry_writes: bool = False
    speak_during: Optional[str] = Field(default=None, max_length=300)
    mode: Literal["sync", "async"] = "sync"
    _tool_name: str | None = PrivateAttr(default=None)  # set by distinct_tool_names when two names collide
    _render_plan: Any = PrivateAttr(default=None)  # core.render's per-action work, checked against the fields

    @field_validator("timeout_s", mode="before")
    @classmethod
    def _seconds(cls, v: Any) -> Any:
        if isinstance(v, bool):  # true would silently become 1 second
            raise ValueError(f"{str(v).lower()} is not a number of seconds; use a number, e.g. 10")
        return v

    @field_validator("headers")
    @classmethod
    def _sendable_headers(cls, headers: dict[str, str]) -> dict[str, str]:
        for name, raw in headers.items():
            # the written text around placeholders must already be sendable (values are checked when rendered)
            issue = name_problem(name) or value_problem(name, template.PLACEHOLDER_RE.sub("x", raw))
            if issue:
                raise ValueError(issue)
        return headers

    @field_validator("method")
    @classmethod
    def _method(cls, method: str) -> str:
        return check_method(method)

    @field_validator("url")
    @classmethod
    def _valid_url(cls, url: str) -> str:
        url = url.strip()
        if not url:
            raise ValueError("the endpoint URL is empty; write the full URL, e.g. https://api.example.com/orders")
        if not SCHEME_RE.match(url):
            url = "https://" + url
        check_url(url_path_placeholders(url)[0])  # the scheme, the host, the port
        return url

    @field_validator("speak_during")
    @classmethod
    def _speech(cls, text: str | None) -> str | None:
        return (text or "").strip() or None

    @model_validator(mode="after")
    def _body_fits_format(self) -> "Action":
        if self.body is None or self.body_format == "json":
            return self
        if self.body_format == "text":
            if not isinstance(self.body, str):
                raise ValueError("body: a text body is a string (placeholders allowed); write it as one JSON string")
            return self
        body = self.body
        if self.body_format == "file":
            if not (isinstance(body, dict) and wire.FILE in body):
                raise ValueError('body: a file body is one file object, e.g. {"$file": "report.pdf", '
                                 '"content_type": "application/pdf", "base64": "..."} (or "text" for a text file)')
            problem = wire.part_problem(body)
            if problem:
                raise ValueError(f"body: {problem}")
            return self
        if isinstance(body, str) and body.strip():
            try:
                body = template.parse_body_template(body)
            except PlaygroundError as exc:
                raise ValueError(f"body: {exc}") from None
        if not isinstance(body, dict):
            raise ValueError(f"body: a {self.body_format} body is a JSON object of field names to values, "
                             'e.g. {"amount": "{{amount}}"}')
        for part in wire.parts_in(body):
            problem = wire.part_problem(part) if self.body_format == "multipart" else \
                "file and text parts ($file, $text) are sent only in a multipart body; set body_format to multipart"
            if problem:
                raise ValueError(f"body: {problem}")
        return self

    @model_validator(mode="after")
    def _body_auth_has_an_object(self) -> "Action":
        if not isinstance(self.auth, BodyAuth) or self.body is None:
            return self
        if self.body_format == "file":
            raise ValueError("auth type body merges its fields into the body, but a file body has no fields; "
                             "use header or bearer auth, or a multipart body")
        body = self.body
        if isinstance(body, str) and self.body_format != "text":
            if not body.strip() or template.PLACEHOLDER_RE.fullmatch(body.strip()):
                return self  # empty, or one placeholder whose value's type decides (checked when rendered)
            try:
                body = template.parse_body_template(body)
            except PlaygroundError:
                return self  # reported by _renderable_templates
        if not isinstance(body, dict):
            raise ValueError("auth type body merges its fields into a JSON object body, but the body is "
                             f"{'text' if isinstance(body, str) else type(body).__name__}; make the body an object")
        return self

    @model_validator(mode="after")
    def _unique_variables(self) -> "Action":
        seen: set[str] = set()
        for var in self.variables:
            if var.name in seen:
                raise ValueError(f"variables: {var.name!r} is defined twice; keep one definition per name")
            seen.add(var.name)
        return self

    @model_validator(mode="after")
    def _renderable_templates(self) -> "Action":
        """A placeholder name that can never resolve ({{contact.email}}) or a JSON body template that can never
        be valid JSON makes the file bad when it loads, not at the first call."""
        auth_fields = self.auth.fields if isinstance(self.auth, BodyAuth) else {}
        for where, obj in (("headers", self.headers), ("query", self.query), ("body", self.body),
                           ("auth.fields", auth_fields)):
            try:
                for name in template.names_in(obj):
                    template.check_name(name)
                if where == "body" and self.body_format == "json":
                    template.body_template(obj)
            except TemplateError as exc:
                raise ValueError(str(exc) if str(exc).startswith(where) else f"{where}: {exc}") from None
        return self

    def placeholder_names(self) -> list[str]:
        """Every {{name}} used in the URL path, headers, query, body and body-auth fields (unchecked, in order)."""
        auth_fields = self.auth.fields if isinstance(self.auth, BodyAuth) else {}
        return list(dict.fromkeys(self.path_placeholders() + template.names_in(self.headers, self.query, self.body,
                                                                                auth_fields)))

    def path_placeholders(self) -> list[str]:
        """The {{name}} placeholders in the URL path (allowed only under the project's generic target)."""
        return url_path_placeholders(self.url)[1]

    def variable(self, name: str) -> Variable | None:
        return next((v for v in self.variables if v.name == name), None)

    @property
    def tool_name(self) -> str:
        """The function name a model sees: snake_case of the action name (made distinct from the other
        actions' by :func:`distinct_tool_names`)."""
        return self._tool_name or tool_name(self.name)

    def with_tool_name(self, name: str) -> "Action":
        copy = self.model_copy()
        copy._tool_name = name
        return copy

    @property
    def picks(self) -> dict[str, str]:
        """The result variables this action sets (name -> JSONPath); empty without ``result.pick``."""
        return dict(self.result.pick) if self.result else {}

    def to_file_dict(self) -> dict[str, Any]:
        """The file's JSON; optional fields left at their defaults are left out, as they were written."""
        data = self.model_dump(mode="json")
        for name in OPTIONAL_FIELDS:
            if data.get(name) == Action.model_fields[name].default:
                data.pop(name, None)
        if data.get("result") is not None and data["result"].get("max_chars") is None:
            data["result"].pop("max_chars")
        return data





def url_path_placeholders(url: str) -> tuple[str, list[str]]:
    """(the URL with each path placeholder replaced by ``x``, the placeholder names in order).

    A placeholder may stand only in the path; one in the host, the query or the fragment, or a
    stray ``{{`` / ``}}``, raises a ValueError that says what to do instead."""
    if "{{" not in url and "}}" not in url:
        return url, []
    m = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*://)?([^/?#]*)([^?#]*)(.*)$", url, re.S)
    assert m is not None  # the pattern matches any text
    scheme, host, path, rest = m.groups()
    if any(mark in part for part in (host, rest) for mark in ("{{", "}}")):
        raise ValueError("a {{placeholder}} may stand only in the URL's path (e.g. /orders/{{order_id}}); "
                         "move query values to query parameters and keep the host static")
    names = [_flat_name(p.name) for p in template.find(path)]
    stripped = template.PLACEHOLDER_RE.sub("x", path)
    if "{{" in stripped or "}}" in stripped:
        raise ValueError("the URL path has a stray {{ or }}; write placeholders as {{name}}")
    return (scheme or "") + host + stripped + rest, names


def _flat_name(name: str) -> str:
    try:
        return template.check_name(name)
    except PlaygroundError as exc:
        raise ValueError(str(exc)) from None


@functools.lru_cache(maxsize=4096)
def tool_name(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    return (slug or "action")[:64]


def distinct_tool_names(actions: Sequence[Action]) -> list[Action]:
    """The actions, those whose tool name is already taken by an earlier one renamed ``NAME_2``, ``NAME_3``...
    ("Book Table (v2)!" after "book_table_v2" becomes ``book_table_v2_2``): a model API refuses two tools of
    one name. Deterministic for a given order; names already distinct (or made so before) are kept."""
    taken = {a.tool_name for a in actions}
    seen: set[str] = set()
    out: list[Action] = []
    for action in actions:
        name = action.tool_name
        if name in seen:
            n = 2
            while (new := f"{name[:64 - len(str(n)) - 1]}_{n}") in taken:
                n += 1
            taken.add(new)
            action, name = action.with_tool_name(new), new
        seen.add(name)
        out.append(action)
    return out


_FIXES = {
    "literal_error": "use one of the allowed values",
    "union_tag_invalid": f"use one of: {', '.join(AUTH_TYPES)}",
    "union_tag_not_found": f"add \"type\": one of {', '.join(AUTH_TYPES)}",
    "missing": "add this field",
    "extra_forbidden": "remove it or check its spelling",
    "string_type": "use a JSON string in quotes, e.g. \"10\"",
    "string_too_short": "give it a value",
    "dict_type": "use a JSON object {...}",
    "model_type": "use a JSON object {...}",
    "model_attributes_type": "use a JSON object {...}",
    "list_type": "use a JSON list [...]",
    "float_type": "use a number, e.g. 10",
    "float_parsing": "use a number, e.g. 10",
    "int_type": "use a whole number, e.g. 10",
    "int_parsing": "use a whole number, e.g. 10",
    "bool_type": "use true or false",
    "bool_parsing": "use true or false",
}


_BOUNDS = {"result.max_chars": "50 to 100000", "retry.attempts": "1 to 10", "retry.backoff_s": "0 to 60 seconds"}


def _bounds(loc: str) -> str:
    return _BOUNDS.get(loc, "")


def _describe(err: dict[str, Any]) -> str:
    loc = ".".join(str(p)[:40] for p in err["loc"] if not str(p).startswith(("function-", "tagged-union")))
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] == "union_tag_invalid":
        tag = err.get("ctx", {}).get("tag")
        msg = f"unknown auth type {tag!r}"
    if err["type"] == "union_tag_not_found":
        msg = "no auth \"type\""
    if err["type"] == "literal_error":
        msg = f"unknown {str(err['loc'][-1]) if err['loc'] else 'value'} {repr(err.get('input'))[:60]}"
    fix = _FIXES.get(err["type"])
    if err["type"] == "literal_error":
        fix = "use " + err.get("ctx", {}).get("expected", "an allowed value")
    if err["type"] in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        fix = "use a number of seconds above 0 and at most 300" if loc == "timeout_s" else \
            f"use an allowed number ({_bounds(loc)})" if _bounds(loc) else "use an allowed number"
    if err["type"] == "string_too_long":
        fix = "shorten it"
    text = f"{loc}: {msg}" if loc else msg
    text = f"{text} ({fix})" if fix and fix not in text else text
    return re.sub(r"\s*[\r\n]+\s*", " ", text)


def parse_action(data: Any, source: str = "action") -> Action:
    """Validate a decoded action dict; errors name the source, the field and the fix."""
    if not isinstance(data, dict):
        raise ActionFileError(f"{source}: an action file holds one JSON object, got {type(data).__name__}")
    jsonfile.check_tree(data, lambda reason: ActionFileError(f"{source}: {reason}"))
    try:
        return Action.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise ActionFileError(f"{source}: {_describe(errors[0])}{more}") from None


def load_action(path: str | Path) -> Action:
    """One action file; any problem with it is one ActionFileError line naming the file and the fix."""
    path = Path(path)

    def fail(reason: str) -> ActionFileError:
        return ActionFileError(f"{path}: {reason}")

    data = jsonfile.loads(jsonfile.read_text(path, fail, "action file"), fail)
    return parse_action(data, str(path))
