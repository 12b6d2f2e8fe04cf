"""The action and its variables: the models an action file is validated into."""

from typing import Any, Literal, Optional

from pydantic import Field, PrivateAttr, field_validator, model_validator

from .. import template
from ..errors import PlaygroundError, TemplateError
from ..http.headers import name_problem, value_problem
from ..methods import check_method
from .auth import Auth, BodyAuth, NoAuth
from .base import NAME_RE, FileModel
from .names import tool_name, variable_name_problem
from .options import OPTIONAL_FIELDS, ResultSpec, RetrySpec
from .urls import check_url, url_path_placeholders, with_scheme

Method = Literal["GET", "POST", "PUT", "PATCH", "DELETE"]
VarType = Literal["string", "integer", "float", "boolean", "date", "email", "phone", "array", "object"]
ItemType = Literal["string", "integer", "float", "boolean", "object"]
BodyFormat = Literal["json", "form", "multipart", "text", "file"]
METHODS: tuple[str, ...] = Method.__args__  # type: ignore[attr-defined]
VAR_TYPES: tuple[str, ...] = VarType.__args__  # type: ignore[attr-defined]
BODY_FORMATS: tuple[str, ...] = BodyFormat.__args__  # type: ignore[attr-defined]


class Variable(FileModel):
    name: str
    type: VarType = "string"
    description: str = ""
    example: Any = None
    required: bool = True
    default: Any = None
    items: Optional[ItemType] = None  # the element type of an array (default string)

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


class Action(FileModel):
    # default factories are lambdas: pydantic inspects a factory's signature, and a builtin's costs milliseconds
    name: str = Field(min_length=1)
    description: str = ""
    method: str = "GET"  # the five under synthflow; HEAD, OPTIONS, extension methods under generic (core.methods)
    url: str = Field(min_length=1)
    auth: Auth = Field(default_factory=lambda: NoAuth())
    headers: dict[str, str] = Field(default_factory=lambda: {})
    query: dict[str, str] = Field(default_factory=lambda: {})
    body: Any = None
    body_format: BodyFormat = "json"
    variables: list[Variable] = Field(default_factory=lambda: [])
    timeout_s: float = Field(default=10.0, gt=0, le=300)
    # optional voice-call fields; absent = one synchronous attempt, the whole response to the model
    result: Optional[ResultSpec] = None
    retry: Optional[RetrySpec] = None
    retry_writes: bool = False
    speak_during: Optional[str] = Field(default=None, max_length=300)
    mode: Literal["sync", "async"] = "sync"
    _tool_name: Optional[str] = PrivateAttr(default=None)  # set by distinct_tool_names when two names collide
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
        url = with_scheme(url)
        if not url:
            raise ValueError("the endpoint URL is empty; write the full URL, e.g. https://api.example.com/orders")
        check_url(url_path_placeholders(url)[0])  # the scheme, the host, the port
        return url

    @field_validator("speak_during")
    @classmethod
    def _speech(cls, text: Optional[str]) -> Optional[str]:
        return (text or "").strip() or None

    @model_validator(mode="after")
    def _body_fits_format(self) -> "Action":
        if self.body is None or self.body_format == "json":
            return self
        if self.body_format == "text":
            if not isinstance(self.body, str):
                raise ValueError("body: a text body is a string (placeholders allowed); write it as one JSON string")
            return self
        from .. import body as wire  # the wire format's rules, read only for the bodies that have parts

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

    def variable(self, name: str) -> Optional[Variable]:
        return next((v for v in self.variables if v.name == name), None)

    @property
    def tool_name(self) -> str:
        """The function name a model sees: snake_case of the action name (made distinct from the other
        actions' by :func:`core.action.distinct_tool_names`)."""
        private = self.__pydantic_private__ or {}  # read directly: pydantic's private-name look-up is slow
        return private.get("_tool_name") or tool_name(self.name)

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
