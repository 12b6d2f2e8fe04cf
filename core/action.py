"""The action file: pydantic models of one custom action, and loading/saving it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Any, Literal, Sequence, Union

import httpx
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from . import template
from .errors import ActionFileError, PlaygroundError, TemplateError

Method = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
VarType = Literal["string", "integer", "float", "boolean", "date", "email", "phone", "array", "object"]
ItemType = Literal["string", "integer", "float", "boolean", "object"]
BodyFormat = Literal["json", "form", "multipart", "text"]
METHODS: tuple[str, ...] = Method.__args__  # type: ignore[attr-defined]
VAR_TYPES: tuple[str, ...] = VarType.__args__  # type: ignore[attr-defined]
BODY_FORMATS: tuple[str, ...] = BodyFormat.__args__  # type: ignore[attr-defined]
AUTH_TYPES = ("none", "bearer", "basic", "header", "body")
NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


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


class BodyAuth(_Model):
    type: Literal["body"] = "body"
    fields: dict[str, str]


Auth = Annotated[Union[NoAuth, BearerAuth, BasicAuth, HeaderAuth, BodyAuth], Field(discriminator="type")]


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
            flat = re.sub(r"[^A-Za-z0-9_]+", "_", name).strip("_") or "value"
            raise ValueError(f"variable name {name!r} must be letters, digits and _ only; rename it to {flat!r}")
        return name

    @model_validator(mode="after")
    def _items_only_for_arrays(self) -> "Variable":
        if self.items is not None and self.type != "array":
            raise ValueError(f"variable {self.name!r}: items is only for type array; remove it or set type array")
        return self


class Action(_Model):
    name: str = Field(min_length=1)
    description: str = ""
    method: Method = "GET"
    url: str = Field(min_length=1)
    auth: Auth = Field(default_factory=NoAuth)
    headers: dict[str, str] = Field(default_factory=dict)
    query: dict[str, str] = Field(default_factory=dict)
    body: Any = None
    body_format: BodyFormat = "json"
    variables: list[Variable] = Field(default_factory=list)
    timeout_s: float = Field(default=10.0, gt=0, le=300)
    _tool_name: str | None = PrivateAttr(default=None)  # set by distinct_tool_names when two names collide

    @field_validator("method", mode="before")
    @classmethod
    def _upper_method(cls, v: Any) -> Any:
        return v.upper() if isinstance(v, str) else v

    @field_validator("url")
    @classmethod
    def _valid_url(cls, url: str) -> str:
        url = url.strip()
        if not url:
            raise ValueError("the endpoint URL is empty; write the full URL, e.g. https://api.example.com/orders")
        if not SCHEME_RE.match(url):
            url = "https://" + url
        try:
            parsed = httpx.URL(url_path_placeholders(url)[0])
        except httpx.InvalidURL as exc:
            raise ValueError(f"{url!r} is not a valid URL ({exc}); fix it, e.g. https://api.example.com/orders") from None
        if parsed.scheme not in ("http", "https"):
            raise ValueError(f"scheme {parsed.scheme}:// is not supported; use https:// (or http:// for a local server)")
        if not parsed.host:
            raise ValueError(f"{url!r} has no host name; write the full URL, e.g. https://api.example.com/orders")
        return url

    @model_validator(mode="after")
    def _body_fits_format(self) -> "Action":
        if self.body is None or self.body_format == "json":
            return self
        if self.body_format == "text":
            if not isinstance(self.body, str):
                raise ValueError("body: a text body is a string (placeholders allowed); write it as one JSON string")
            return self
        body = self.body
        if isinstance(body, str) and body.strip():
            try:
                body = template.parse_body_template(body)
            except PlaygroundError as exc:
                raise ValueError(f"body: {exc}") from None
        if not isinstance(body, dict):
            raise ValueError(f"body: a {self.body_format} body is a JSON object of field names to values, "
                             'e.g. {"amount": "{{amount}}"}')
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

    def to_file_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


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


def _describe(err: dict[str, Any]) -> str:
    loc = ".".join(str(p) for p in err["loc"] if not str(p).startswith(("function-", "tagged-union")))
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] == "union_tag_invalid":
        tag = err.get("ctx", {}).get("tag")
        msg = f"unknown auth type {tag!r}"
    if err["type"] == "union_tag_not_found":
        msg = "no auth \"type\""
    if err["type"] == "literal_error":
        msg = f"unknown {str(err['loc'][-1]) if err['loc'] else 'value'} {err.get('input')!r}"
    fix = _FIXES.get(err["type"])
    if err["type"] == "literal_error":
        fix = "use " + err.get("ctx", {}).get("expected", "an allowed value")
    if err["type"] in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        fix = "use a number of seconds above 0 and at most 300" if loc == "timeout_s" else "use an allowed number"
    text = f"{loc}: {msg}" if loc else msg
    text = f"{text} ({fix})" if fix and fix not in text else text
    return re.sub(r"\s*[\r\n]+\s*", " ", text)


def parse_action(data: Any, source: str = "action") -> Action:
    """Validate a decoded action dict; errors name the source, the field and the fix."""
    if not isinstance(data, dict):
        raise ActionFileError(f"{source}: an action file holds one JSON object, got {type(data).__name__}")
    try:
        return Action.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise ActionFileError(f"{source}: {_describe(errors[0])}{more}") from None


def load_action(path: str | Path) -> Action:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ActionFileError(f"{path}: no such action file; check the path") from None
    except UnicodeDecodeError:
        raise ActionFileError(f"{path}: not UTF-8 text; save the action file as UTF-8 JSON") from None
    except OSError as exc:
        raise ActionFileError(f"{path}: cannot read it ({exc.strerror})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ActionFileError(
            f"{path}: not valid JSON at line {exc.lineno} column {exc.colno} ({exc.msg}); fix the syntax"
        ) from None
    return parse_action(data, str(path))
