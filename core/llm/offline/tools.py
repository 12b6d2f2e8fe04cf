"""The tools a model sees, parsed once: parameters, their kinds, roles, examples and shapes.

Everything here comes from the tool schema a real model receives (``core.schema.tool_schema``): the
tool's name and description, and each parameter's name, JSON type, format and description (which
carries the example). Better descriptions and examples make every later step better.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from . import lexicon
from .recognisers.codes import Shape, shape_of
from .recognisers.emails import EMAIL_RE
from .words import CAMEL_RE, GENERIC, RESTRICTED_RE, STOPWORDS, stem, tokens, words

RELATED = 0.7  # a word related in meaning (WordNet) counts half as much as the word itself
_PREPOSITIONS = ("from", "to", "in", "at", "for", "on", "under", "with")
_ROLE_PREPS = {"origin": ("from",), "destination": ("to",), "source": ("from",), "target": ("to",),
               "city": ("in", "to", "from"), "location": ("in", "at")}


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # string | integer | number | boolean | date | time | email | phone
    label: str  # "order number"
    phrase: str  # "the order number on the confirmation email"
    example: str | None
    enum: tuple[str, ...]
    shape: Shape | None
    role: str  # name | place | address | reason | thing | free (for strings)
    cues: tuple[str, ...]  # words after which its value comes ("from", "send back")
    label_words: tuple[str, ...]
    required: bool
    has_default: bool
    nullable: bool


@dataclass
class Tool:
    index: int
    name: str
    description: str
    params: list[Param]
    purpose: str  # "To look up the order status"
    weights: dict[str, float] = field(default_factory=dict)
    name_weights: dict[str, float] = field(default_factory=dict)
    restricted: bool = False  # its description says to use it only in some case
    kinds: frozenset[str] = frozenset()


@dataclass
class ToolSet:
    tools: list[Tool]
    index: dict[str, list[tuple[int, float]]]  # stem -> [(tool index, weight)]
    name_index: dict[str, list[tuple[int, float]]]  # the same, name words only
    related: dict[str, list[tuple[int, float]]]  # WordNet concept key -> [(tool index, weight)]
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


def humanize(name: str) -> str:
    words = CAMEL_RE.sub(r"\1 \2", name).replace("_", " ").replace("-", " ").lower().split()
    return " ".join(_LABEL_WORDS.get(w, w) for w in words) or name


def article(word: str) -> str:
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
    text = re.sub(r"\b(?:the|a) (?:caller|customer|user|patient)'s\b", "your", text, flags=re.I)
    if re.search(r"\b(?:the|a) (?:caller|customer|user)\b", text, flags=re.I):
        text = re.sub(r"\b(?:the|a) (?:caller|customer|user)\b", "you", text, flags=re.I)
        text = re.sub(r"\btheir\b", "your", text)
        text = re.sub(r"\byou (wants|needs|has|is|reports)\b",
                      lambda m: "you " + {"wants": "want", "needs": "need", "has": "have", "is": "are", "reports": "report"}[m.group(1)], text)
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


def _purpose(name: str, description: str) -> str:
    words = CAMEL_RE.sub(r"\1 \2", name).replace("-", "_").replace(" ", "_").lower().split("_")
    words = [w for w in words if w]
    if words and words[0] in _VERBS and words[0] != "report":
        verb, rest = words[0], words[1:]
        if verb == "lookup" or (verb == "look" and rest[:1] == ["up"]):
            verb, rest = "look up", rest[1:] if verb == "look" else rest
        if rest:
            obj = " ".join(_LABEL_WORDS.get(w, w) for w in rest)
            det = article(obj) if words[0] in _CREATING else "the"
            return f"To {verb} {det} {obj}"
        return f"To {verb}"
    first = re.split(r"[,;(]|\.\s|\s(?:when|by|if|once|before|after|so that)\s", description.strip(), maxsplit=1)[0]
    first = first.strip(" .")
    if first and first.split()[0].lower() in _VERBS | {"look"}:
        return "To " + first[0].lower() + first[1:]
    return f"For {humanize(name)}"


def _role_and_cues(name: str, desc: str, tool_words: list[str], required: bool) -> tuple[str, tuple[str, ...]]:
    lowered = name.lower()
    text = desc.lower()
    if re.search(r"address|street", lowered):
        return "address", ()
    if re.search(r"reason|why|cause|motive", lowered) or text.startswith("why"):
        return "reason", ()
    if "name" in lowered.split("_") or lowered.endswith("name"):
        return "name", ("name is", "name's", "for", "patient", "this is", "it's for")
    last = re.findall(r"[a-z]+", text)[-1:] or [""]
    if last[0] in _PREPOSITIONS:
        return "place", (last[0],)
    for key, preps in _ROLE_PREPS.items():
        if key in lowered:
            return "place", preps
    verb = re.search(r"\bwants?\s+to\s+([a-z]+(?:\s+(?:back|up|off|out|in|over|away))?)", text)
    cues = (verb.group(1),) if verb else ()
    return ("thing" if cues else "free"), cues


def _parse_param(name: str, prop: dict[str, Any], required: bool, tool_words: list[str]) -> Param:
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
    label = humanize(name)
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
        elif example and EMAIL_RE.fullmatch(example):
            kind = "email"
        elif example and re.fullmatch(r"\d{4}-\d{2}-\d{2}", example):
            kind = "date"
        elif (example and re.fullmatch(r"\d{1,2}:\d{2}(?:\s*[ap]m)?", example, re.I)) or re.search(
                r"(?:^|_)time(?:$|_)|\bhh:mm\b", lowered):
            kind = "time"
    enum: tuple[str, ...] = ()
    if isinstance(prop.get("enum"), list):
        enum = tuple(str(v) for v in prop["enum"] if v is not None)
    elif kind == "string":
        enum = _enum_from_description(before, example)
    shape = shape_of(example) if kind == "string" and not enum else None
    role, cues = _role_and_cues(name, before, tool_words, required) if kind == "string" else ("free", ())
    return Param(name=name, kind=kind, label=label, phrase=_phrase(before, label), example=example, enum=enum,
                 shape=shape, role=role, cues=cues, label_words=tuple(words(label)), required=required,
                 has_default="default" in prop, nullable=nullable)


def _parse_tools(raw_tools: list[dict[str, Any]]) -> ToolSet:
    parsed: list[Tool] = []
    for raw in raw_tools or []:
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
        name_words = [w for w in words(name) if w not in GENERIC]
        params = [_parse_param(pname, prop, pname in required, name_words) for pname, prop in props.items()]
        tool = Tool(index=len(parsed), name=name, description=description, params=params,
                    purpose=_purpose(name, description))
        weights: dict[str, float] = {}

        def add(text: str, weight: float) -> None:
            for tok in tokens(text):
                here = weight * (0.4 if tok in GENERIC else 1.0)
                if weights.get(tok, 0.0) < here:
                    weights[tok] = here

        add(name, 3.0)
        tool.name_weights = dict(weights)
        tool.restricted = bool(RESTRICTED_RE.search(description))
        add(description, 1.5)
        for p in params:
            add(p.name, 1.0)
            add(p.phrase, 0.5)
        tool.weights = weights
        tool.kinds = frozenset(p.kind for p in params) | frozenset(p.role for p in params)
        parsed.append(tool)
    df: dict[str, int] = {}
    for tool in parsed:
        for tok in tool.weights:
            df[tok] = df.get(tok, 0) + 1
    index: dict[str, list[tuple[int, float]]] = {}
    name_index: dict[str, list[tuple[int, float]]] = {}
    related: dict[str, list[tuple[int, float]]] = {}
    for tool in parsed:
        best: dict[str, float] = {}
        for tok, w in tool.weights.items():
            w = w / math.sqrt(df[tok])
            index.setdefault(tok, []).append((tool.index, w))
            for key, factor in lexicon.concepts(tok).items():
                if best.get(key, 0.0) < w * factor * RELATED:
                    best[key] = w * factor * RELATED
        for tok, w in tool.name_weights.items():
            name_index.setdefault(tok, []).append((tool.index, w / math.sqrt(df[tok])))
        for key, w in best.items():
            related.setdefault(key, []).append((tool.index, w))
    return ToolSet(parsed, index, name_index, related)


_TOOLSET_CACHE: dict[str, ToolSet] = {}


def toolset(raw_tools: list[dict[str, Any]]) -> ToolSet:
    """Parsed tools; memoised by content (a pure function of the tool dicts)."""
    key = json.dumps(raw_tools or [], sort_keys=True, default=str)
    ts = _TOOLSET_CACHE.get(key)
    if ts is None:
        if len(_TOOLSET_CACHE) >= 32:
            _TOOLSET_CACHE.clear()
        ts = _TOOLSET_CACHE[key] = _parse_tools(raw_tools)
    return ts
