"""The tools a model sees, parsed once: parameters, their kinds, examples and shapes."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from .words import _CAMEL_RE, _GENERIC, _RESTRICTED_RE, _tokens
from .recognisers import _EMAIL_RE

# --------------------------------------------------------------------------- tools


@dataclass(frozen=True)
class _Param:
    name: str
    kind: str  # string | integer | number | boolean | date | email | phone
    label: str  # "order number"
    phrase: str  # "the order number on the confirmation email: ORD- followed by 5 digits"
    example: str | None
    enum: tuple[str, ...]
    patterns: tuple[re.Pattern[str], ...]
    example_parts: tuple[str, ...]
    digits_only: bool
    required: bool
    has_default: bool
    nullable: bool

    @property
    def shaped(self) -> bool:
        return bool(self.patterns)


@dataclass
class _Tool:
    index: int
    name: str
    description: str
    params: list[_Param]
    purpose: str  # "To look up the order status"
    raw_weights: dict[str, float] = field(default_factory=dict)
    name_weights: dict[str, float] = field(default_factory=dict)
    restricted: bool = False  # its description says to use it only in some case
    has_email: bool = False
    has_phone: bool = False
    has_date: bool = False


@dataclass
class _ToolSet:
    tools: list[_Tool]
    index: dict[str, list[tuple[int, float]]]  # token -> [(tool index, weight)]
    prefixes: dict[str, list[str]]  # first 5 letters -> vocabulary tokens
    name_index: dict[str, list[tuple[int, float]]] = field(default_factory=dict)  # the same, name words only
    score_cache: dict[str, list[float]] = field(default_factory=dict)


_FORMAT_NOTES = ("ISO date YYYY-MM-DD", "phone number, digits with optional leading +")
_EG_RE = re.compile(r"\(?\b(?:e\.\s?g\.?|for example|for instance|example:)\s*[:,]?\s*", re.I)
_VERBS = {
    "check", "look", "lookup", "get", "find", "fetch", "create", "open", "book", "schedule", "verify", "cancel",
    "update", "delete", "remove", "send", "export", "generate", "list", "search", "add", "submit", "register",
    "reset", "track", "retrieve", "make", "place", "start", "stop", "close", "confirm", "validate", "request",
    "transfer", "refund", "log", "record", "set", "change", "edit", "upload", "download", "query", "read", "show",
    "view", "calculate", "estimate", "reserve", "notify", "subscribe", "unsubscribe", "apply", "assign",
    "escalate", "save", "post", "sync", "process", "charge", "pay", "report",
}
_CREATING = {"create", "open", "book", "schedule", "add", "submit", "register", "make", "place", "start",
             "reserve", "generate", "log", "send", "request", "record", "post", "upload"}
_LABEL_WORDS = {"id": "ID", "sku": "SKU", "num": "number", "no": "number", "qty": "quantity", "dob": "date of birth",
                "url": "URL", "api": "API", "crm": "CRM", "zip": "ZIP", "vin": "VIN"}
_ARTICLES = ("the ", "a ", "an ", "your ", "my ", "his ", "her ", "their ", "its ", "this ", "that ", "which ",
             "how ", "when ", "whether ", "what ", "who ", "where ", "one ", "any ", "each ", "all ")


def _humanize(name: str) -> str:
    words = _CAMEL_RE.sub(r"\1 \2", name).replace("_", " ").replace("-", " ").lower().split()
    return " ".join(_LABEL_WORDS.get(w, w) for w in words) or name


def _a(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"


def _split_example(desc: str) -> tuple[str, str | None]:
    """(description without the example, the example after "e.g." or None)."""
    m = _EG_RE.search(desc)
    if not m:
        return desc, None
    rest = desc[m.end():]
    if m.group(0).startswith("("):
        rest = rest.split(")", 1)[0]
    rest = re.split(r";|\.\s", rest, maxsplit=1)[0].strip().rstrip(".").strip("\"'`\u201c\u201d\u2018\u2019")
    return desc[: m.start()], rest or None


def _phrase(desc: str, label: str) -> str:
    """The parameter as a noun phrase for a question."""
    text = desc
    for note in _FORMAT_NOTES:
        text = text.replace(note, "")
    text = re.split(r"\.\s", text.strip(), maxsplit=1)[0].strip(" .;,(")
    if not text:
        return "the " + label
    text = re.sub(r"\b(?:the|a) (?:caller|customer|user)'s\b", "your", text, flags=re.I)
    if len(text) > 1 and not text[1:2].isupper():
        text = text[0].lower() + text[1:]
    if not text.lower().startswith(_ARTICLES):
        text = "the " + text
    return text


def _enum_from_description(desc: str, example: str | None) -> tuple[str, ...]:
    """Allowed values listed in a description: "one of low, normal, high", "low, normal, high or urgent"."""
    for m in re.finditer(r"\b([A-Za-z][\w-]*)((?:\s*,\s*[A-Za-z][\w-]*)+)(?:,?\s+(or|and)\s+([A-Za-z][\w-]*))?", desc):
        items = [m.group(1)] + [w.strip() for w in m.group(2).split(",") if w.strip()]
        if m.group(4):
            items.append(m.group(4))
        before = desc[: m.start()].lower().rstrip()
        choice = (m.group(3) == "or" or before.endswith(("one of", "either", ":", "(", "values", "options", "from"))
                  or (example is not None and example.lower() in (i.lower() for i in items)))
        if choice and len(items) >= 2:
            return tuple(items)
    for m in re.finditer(r"\b([A-Za-z][\w-]*(?:\s*[/|]\s*[A-Za-z][\w-]*)+)\b", desc):
        items = [w.strip() for w in re.split(r"[/|]", m.group(1))]
        if len(items) >= 2 and not any(i.lower() in ("and", "or") for i in items):
            return tuple(items)
    return ()


def _shape(example: str) -> tuple[tuple[re.Pattern[str], ...], tuple[str, ...], bool]:
    """Regexes for values shaped like the example: literal letters first, then any letters."""
    if not example or any(c.isspace() for c in example) or len(example) < 3 or len(example) > 40:
        return (), (), False
    parts = tuple(re.findall(r"[A-Za-z]+|\d+|[^A-Za-z\d]", example))
    has_letters = any(p.isalpha() for p in parts)
    has_digits = any(p.isdigit() for p in parts)
    if not has_digits:
        return (), (), False
    if not has_letters and sum(len(p) for p in parts if p.isdigit()) < 3:
        return (), (), False
    literal, shape = [], []
    for p in parts:
        if p.isalpha():
            literal.append(re.escape(p))
            shape.append(f"[A-Za-z]{{{len(p)}}}")
        elif p.isdigit():
            literal.append(f"\\d{{{len(p)}}}")
            shape.append(f"\\d{{{len(p)}}}")
        else:
            literal.append(f"(?:{re.escape(p)}|\\s)?")
            shape.append(re.escape(p))
    edge_l, edge_r = r"(?<![A-Za-z0-9])", r"(?![A-Za-z0-9])"
    pats = [re.compile(edge_l + "".join(literal) + edge_r, re.I)]
    if has_letters:
        pats.append(re.compile(edge_l + "".join(shape) + edge_r))
    return tuple(pats), parts, not has_letters


def _normalise_shaped(param: _Param, matched: str) -> str:
    runs = re.findall(r"[A-Za-z]+|\d+", matched)
    slots = [p for p in param.example_parts if p.isalnum()]
    if len(runs) != len(slots):
        value = matched
    else:
        it = iter(runs)
        value = "".join(next(it) if p.isalnum() else p for p in param.example_parts)
    letters = "".join(c for c in (param.example or "") if c.isalpha())
    if letters.isupper():
        value = value.upper()
    elif letters.islower():
        value = value.lower()
    return value


def _parse_param(name: str, prop: dict[str, Any], required: bool) -> _Param:
    prop = prop if isinstance(prop, dict) else {}
    jtype = prop.get("type", "string")
    nullable = False
    if isinstance(jtype, list):
        nullable = "null" in jtype
        jtype = next((t for t in jtype if t != "null"), "string")
    if nullable:
        required = False
    desc = str(prop.get("description") or "")
    before, desc_example = _split_example(desc)
    examples = prop.get("examples")
    example: str | None = None
    if isinstance(examples, list) and examples and examples[0] not in (None, ""):
        example = examples[0] if isinstance(examples[0], str) else json.dumps(examples[0])
    elif prop.get("example") not in (None, ""):
        example = str(prop["example"])
    else:
        example = desc_example
    label = _humanize(name)
    fmt = str(prop.get("format") or "").lower()
    lowered = (name + " " + desc).lower()
    kind = {"integer": "integer", "number": "number", "boolean": "boolean"}.get(jtype, "string")
    if kind == "string":
        if fmt in ("date", "date-time"):
            kind = "date"
        elif fmt == "email":
            kind = "email"
        elif re.search(r"(?:\b|_)(?:phone|telephone|mobile|cell)(?:\b|_)", lowered):
            kind = "phone"
        elif example and _EMAIL_RE.fullmatch(example):
            kind = "email"
        elif example and re.fullmatch(r"\d{4}-\d{2}-\d{2}", example):
            kind = "date"
    enum: tuple[str, ...] = ()
    if isinstance(prop.get("enum"), list):
        enum = tuple(str(v) for v in prop["enum"] if v is not None)
    elif kind == "string":
        enum = _enum_from_description(before, example)
    patterns, parts, digits_only = ((), (), False)
    if kind == "string" and not enum and example:
        patterns, parts, digits_only = _shape(example)
    return _Param(name=name, kind=kind, label=label, phrase=_phrase(before, label), example=example, enum=enum,
                  patterns=patterns, example_parts=parts, digits_only=digits_only, required=required,
                  has_default="default" in prop, nullable=nullable)


def _purpose(name: str, description: str) -> str:
    words = _CAMEL_RE.sub(r"\1 \2", name).replace("-", "_").replace(" ", "_").lower().split("_")
    words = [w for w in words if w]
    if words and words[0] in _VERBS and words[0] != "report":
        verb, rest = words[0], words[1:]
        if verb == "lookup" or (verb == "look" and rest[:1] == ["up"]):
            verb, rest = "look up", rest[1:] if verb == "look" else rest
        if rest:
            obj = " ".join(_LABEL_WORDS.get(w, w) for w in rest)
            article = _a(obj) if words[0] in _CREATING else "the"
            return f"To {verb} {article} {obj}"
        return f"To {verb}"
    first = re.split(r"[,;(]|\.\s|\s(?:when|by|if|once|before|after|so that)\s", description.strip(), maxsplit=1)[0]
    first = first.strip(" .")
    if first and first.split()[0].lower() in _VERBS | {"look"}:
        return "To " + first[0].lower() + first[1:]
    return f"For {_humanize(name)}"


def _parse_tools(tools: list[dict[str, Any]]) -> _ToolSet:
    parsed: list[_Tool] = []
    for raw in tools or []:
        if not isinstance(raw, dict):
            continue
        fn = raw.get("function") if isinstance(raw.get("function"), dict) else raw
        name = fn.get("name")
        if not isinstance(name, str) or not name:
            continue
        description = str(fn.get("description") or "")
        schema = fn.get("parameters") if isinstance(fn.get("parameters"), dict) else {}
        props = schema.get("properties") if isinstance(schema.get("properties"), dict) else {}
        required = set(schema.get("required") or [])
        params = [_parse_param(pname, prop, pname in required) for pname, prop in props.items()]
        tool = _Tool(index=len(parsed), name=name, description=description, params=params,
                     purpose=_purpose(name, description))
        weights: dict[str, float] = {}

        def add(text: str, weight: float) -> None:
            for tok in _tokens(text):
                weight_here = weight * (0.4 if tok in _GENERIC else 1.0)
                if weights.get(tok, 0.0) < weight_here:
                    weights[tok] = weight_here

        add(name, 3.0)
        tool.name_weights = dict(weights)
        tool.restricted = bool(_RESTRICTED_RE.search(description))
        add(description, 1.5)
        for p in params:
            add(p.name, 1.0)
            add(p.phrase, 0.5)
        tool.raw_weights = weights
        tool.has_email = any(p.kind == "email" for p in params)
        tool.has_phone = any(p.kind == "phone" for p in params)
        tool.has_date = any(p.kind == "date" for p in params)
        parsed.append(tool)
    df: dict[str, int] = {}
    for tool in parsed:
        for tok in tool.raw_weights:
            df[tok] = df.get(tok, 0) + 1
    index: dict[str, list[tuple[int, float]]] = {}
    name_index: dict[str, list[tuple[int, float]]] = {}
    prefixes: dict[str, list[str]] = {}
    for tool in parsed:
        for tok, w in tool.raw_weights.items():
            index.setdefault(tok, []).append((tool.index, w / math.sqrt(df[tok])))
        for tok, w in tool.name_weights.items():
            name_index.setdefault(tok, []).append((tool.index, w / math.sqrt(df[tok])))
    for tok in index:
        if len(tok) >= 5:
            prefixes.setdefault(tok[:5], []).append(tok)
    return _ToolSet(parsed, index, prefixes, name_index)


_TOOLSET_CACHE: dict[str, _ToolSet] = {}


def _toolset(tools: list[dict[str, Any]]) -> _ToolSet:
    """Parsed tools; memoised by content (a pure function of the tool dicts)."""
    key = json.dumps(tools or [], sort_keys=True, default=str)
    ts = _TOOLSET_CACHE.get(key)
    if ts is None:
        if len(_TOOLSET_CACHE) >= 32:
            _TOOLSET_CACHE.clear()
        ts = _TOOLSET_CACHE[key] = _parse_tools(tools)
    return ts
