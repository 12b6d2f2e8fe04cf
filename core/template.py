"""{{placeholder}} parsing and substitution. Pure: no I/O, no HTTP.

Rules (see DESIGN.md): ``{{name}}`` with optional inner spaces, flat names only. A name
resolves to a value given by the caller (action variables first, then runtime variables).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any, Callable, Iterator, Mapping, NamedTuple

from .errors import InvalidRequestError, TemplateError

PLACEHOLDER_RE = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
FLAT_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

#: Runtime variables a session may provide (an action variable of the same name wins).
RUNTIME_VARIABLES: tuple[str, ...] = (
    "account_id",
    "cal_email",
    "call_id",
    "user_phone_number",
    "from_phone_number",
    "to_phone_number",
)

#: keys that make an object a multipart part (core.body): the part is left out when its marker is
PART_MARKERS = ("$file", "$text")

_SENTINEL = "\x00ph:{}\x00"
_SENTINEL_RE = re.compile(r"^\x00ph:([A-Za-z_][A-Za-z0-9_]*)\x00$")


class Placeholder(NamedTuple):  # a NamedTuple: every command imports this module, a dataclass is slower to create
    name: str
    raw: str


def check_name(name: str) -> str:
    """Return the placeholder name or raise a TemplateError that says what to do."""
    if FLAT_NAME_RE.match(name):
        return name
    if not name:
        raise TemplateError("placeholder {{}} is empty: put a variable name inside, e.g. {{order_number}}")
    flat = re.sub(r"[^A-Za-z0-9_]+", "_", name).strip("_") or "value"
    if "." in name:
        raise TemplateError(
            f"placeholder {{{{{name}}}}}: nested names are not supported; add a variable named {flat}"
        )
    raise TemplateError(
        f"placeholder {{{{{name}}}}}: names use letters, digits and _ only; rename it to {{{{{flat}}}}}"
    )


def find(text: str) -> list[Placeholder]:
    """Every placeholder in ``text`` (names are not checked)."""
    return [Placeholder(m.group(1), m.group(0)) for m in PLACEHOLDER_RE.finditer(text)]


def walk_strings(obj: Any) -> Iterator[str]:
    """Every string (keys and values) inside a JSON-like value."""
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, Mapping):
        for k, v in obj.items():
            yield str(k)
            yield from walk_strings(v)
    elif isinstance(obj, (list, tuple)):
        for item in obj:
            yield from walk_strings(item)


def names_in(*objs: Any) -> list[str]:
    """Placeholder names (unchecked, in order, unique) used anywhere in the given values."""
    seen: dict[str, None] = {}
    for obj in objs:
        for s in walk_strings(obj):
            for ph in find(s):
                seen.setdefault(ph.name, None)
    return list(seen)


def to_text(value: Any) -> str:
    """How a typed value reads inside a string (a header, a query value, a JSON string)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _lookup(name: str, values: Mapping[str, Any]) -> Any:
    if name in values:  # the fast path: a known name is a valid one
        return values[name]
    check_name(name)
    if name not in values:
        raise TemplateError(
            f"placeholder {{{{{name}}}}} was not replaced: no variable or runtime variable named {name!r}; "
            f"add a variable named {name} or fix the spelling"
        )
    return values[name]


def render_text(text: str, values: Mapping[str, Any]) -> str:
    """Substitute every placeholder in ``text`` in one pass (values are never re-scanned)."""
    return PLACEHOLDER_RE.sub(lambda m: to_text(_lookup(m.group(1), values)), text)


class _Omit:
    """Marks a value left out: an optional variable that was not given."""

    def __repr__(self) -> str:
        return "OMIT"


OMIT = _Omit()


Renderer = Callable[[Mapping[str, Any]], Any]


def _exact(name: str) -> Renderer:
    """A value that is exactly one placeholder: the typed value (a date as ISO text); None is left out."""
    def render(values: Mapping[str, Any]) -> Any:
        value = values[name] if name in values else _lookup(name, values)
        if value is None:  # an optional variable nobody gave: leave the field out, never send null
            return OMIT
        return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value
    return render


def _text(text: str) -> Renderer:
    return lambda values: render_text(text, values)


def _constant(value: Any) -> Renderer:
    return lambda values: value


def _key(key: str) -> Renderer | None:
    """How an object key renders: None when it is written as is (no placeholder, no marker)."""
    if "{" not in key and "\x00" not in key:
        return None
    whole = _SENTINEL_RE.match(key)
    if whole:  # a bare {{name}} in the key position: a key is always text
        name = whole.group(1)
        return lambda values: to_text(_lookup(name, values))
    return _text(key)


def compile_template(obj: Any) -> Renderer:
    """A JSON-like template worked out once: a function of the values that renders it (OMIT when the whole
    value is left out). Plain text stays as is; a string that is exactly one placeholder takes the typed
    value; other text is substituted; objects and lists are rebuilt on every call, without the fields and
    items left out, and are left out themselves when they lose every one that way."""
    if isinstance(obj, str):
        if "{" not in obj and "\x00" not in obj:  # plain text
            return _constant(obj)
        whole = _SENTINEL_RE.match(obj) or PLACEHOLDER_RE.fullmatch(obj)
        return _exact(whole.group(1)) if whole else _text(obj)
    if isinstance(obj, Mapping):
        fields = [(str(k), _key(str(k)), compile_template(v)) for k, v in obj.items()]
        some = bool(fields)
        markers = [k for k in PART_MARKERS if k in obj]  # a multipart part: left out whole without its content

        def mapping(values: Mapping[str, Any]) -> Any:
            out = {}
            for key, key_renderer, renderer in fields:
                rendered = renderer(values)
                if rendered is not OMIT:
                    out[key if key_renderer is None else key_renderer(values)] = rendered
            if markers and len(out) < len(fields) and any(k not in out for k in markers):
                return OMIT  # a multipart part whose content ($text, $file) was left out is left out whole
            return OMIT if some and not out else out  # an object whose every field was left out is left out too
        return mapping
    if isinstance(obj, (list, tuple)):
        items = [compile_template(v) for v in obj]
        some = bool(items)

        def sequence(values: Mapping[str, Any]) -> Any:
            out = [r for r in (renderer(values) for renderer in items) if r is not OMIT]
            return OMIT if some and not out else out
        return sequence
    return _constant(obj)


def render_value(obj: Any, values: Mapping[str, Any]) -> Any:
    """Render a JSON-like value: a string that is exactly one placeholder takes the typed value.

    A field (or list item) whose whole value is an optional variable that was not given (None)
    is left out, and so is an object or list that loses every item that way; at the top level
    such a value renders as None."""
    rendered = compile_template(obj)(values)
    return None if rendered is OMIT else rendered


def body_renderer(obj: Any) -> Renderer:
    """:func:`render_body` for one template, worked out once (core.render keeps it per action)."""
    renderer = compile_template(obj)
    empty = {} if isinstance(obj, Mapping) else None

    def render(values: Mapping[str, Any]) -> Any:
        rendered = renderer(values)
        return (dict(empty) if empty is not None else None) if rendered is OMIT else rendered
    return render


def render_body(obj: Any, values: Mapping[str, Any]) -> Any:
    """Like :func:`render_value`, but an object body that lost every field is sent as ``{}``."""
    return body_renderer(obj)(values)


def parse_body_template(text: str) -> Any:
    """Parse a JSON body template given as text, where placeholders may stand as bare values.

    ``{"qty": {{qty}}, "note": "about {{item}}"}`` parses; the bare ``{{qty}}`` becomes a
    marker that :func:`render_value` replaces with the typed value.
    """
    out: list[str] = []
    i, n, in_string = 0, len(text), False
    while i < n:
        ch = text[i]
        if in_string:
            out.append(ch)
            if ch == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 2
                continue
            if ch == '"':
                in_string = False
            i += 1
            continue
        if ch == '"':
            in_string = True
            out.append(ch)
            i += 1
            continue
        m = PLACEHOLDER_RE.match(text, i) if ch == "{" else None
        if m:
            out.append(json.dumps(_SENTINEL.format(check_name(m.group(1)))))
            i = m.end()
            continue
        out.append(ch)
        i += 1
    try:
        return json.loads("".join(out))
    except json.JSONDecodeError as exc:
        raise InvalidRequestError(
            f"body is not valid JSON (line {exc.lineno} column {exc.colno}: {exc.msg}); "
            "fix the body template, e.g. {\"qty\": {{qty}}, \"note\": \"{{note}}\"}"
        ) from None


def body_template(body: Any) -> Any:
    """The body as a JSON-like template value (text templates are parsed)."""
    if isinstance(body, str):
        return parse_body_template(body) if body.strip() else None
    return body
