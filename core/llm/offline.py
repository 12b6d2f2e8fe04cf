"""The offline simulator: a rule-based, deterministic stand-in for an LLM (no network, no I/O).

It sees exactly what a real model sees, the messages and the tool dicts made by
``core.schema.tool_schema``, and behaves like a careful agent would:

* picks the tool whose name, description and parameters best match the user's words
  (a value shaped like a parameter's example, such as ``ORD-10042``, is a strong signal; on a near-tie
  the best name match wins, and a tool whose description says "use only when ..." gives way);
* fills parameters by type from the user's words: emails, phone numbers, dates (ISO and
  natural: "tomorrow", "next friday", "March 3rd"), integers, numbers, yes/no, values
  shaped like the parameter's example, enum words listed in the description, and direct
  answers to its own question;
* asks for each missing required parameter, one at a time, using its description and example;
* calls the tool (several tools at once only for clearly separate requests: each from its own
  values and words; one value never calls two similar tools);
* summarises the tool result, or explains the error with its hint;
* says honestly that it is a simulator when asked.

It keeps no state: every reply is derived from ``messages`` + ``tools`` (and ``today``), so
the same inputs always give the same output. Because descriptions and examples drive it,
better ones visibly make it better, as they would an LLM.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from http import HTTPStatus
from typing import Any, AsyncIterator, Iterable

from .base import AssistantTurn, Message, ModelOutput, ToolCall

__all__ = ["OfflineModel"]

#: A tool is chosen only when its score reaches this (a name word counts 3, a description word 1.5).
THRESHOLD = 1.5
EXAMPLE_BONUS = 4.0      # a value in the text shaped like a parameter's example
DIGITS_BONUS = 1.0       # ... when the example is digits only (any number matches)
TYPED_BONUS = 0.75       # an email / phone number in the text and an email / phone parameter
DATE_BONUS = 0.5         # a date in the text and a date parameter
EARLIER_WEIGHT = 0.5     # earlier messages of the segment count half as much as the latest
NEAR_TIE = 0.1           # tools within 10% of the best score are tied: the best name match wins
WORDS_PER_CHUNK = 4
MAX_LISTED_TOOLS = 8
MAX_FIELDS = 6

SIMULATOR_NOTE = "I'm the offline simulator of the Custom Actions Playground (rule-based, no LLM)"
SWITCH_NOTE = ("To chat with a real model, pick one in Settings, or run the CLI with "
               "`--model openai:MODEL` (any OpenAI-compatible server works).")

# --------------------------------------------------------------------------- words

_STOPWORDS = frozenset("""
a an the and or but if then else of to in on at by for with from about as into like through over after before
between out up down off than so such too very can could would should will shall may might must do does did done
doing have has had having be is am are was were been being i me my mine myself we us our ours you your yours he
him his she her it its they them their theirs this that these those there here what which who whom whose when
where why how all any both each few more most other some no nor not only own same just also s t don doesn didn
isn aren wasn won ll re ve d m o y hi hello hey hiya howdy please pls thanks thank thx ok okay yes yeah yep yup
sure want wanted wants need needs needed know let lets get got tell give say said would like im wanna gonna hmm
um uh well now still again really something anything thing one caller user agent ask asks asked given use used
using whether today tomorrow yesterday tonight monday tuesday wednesday thursday friday saturday sunday morning
afternoon evening day via e g eg etc
""".split())

#: verbs that appear in many tool names; they say little about which tool is meant
_GENERIC = frozenset({"check", "look", "lookup", "find", "fetch", "show", "see", "view", "make", "run", "do", "get"})

_SYNONYM_GROUPS = [
    "order package parcel shipment delivery purchase ship track",
    "stock inventory available availability supply",
    "appointment booking book schedule meeting slot reserve reservation",
    "ticket issue problem complaint broken bug support",
    "customer account profile client",
    "verify verification identity authenticate",
    "email mail",
    "price cost",
    "cancel cancellation",
    "refund reimburse",
    "report sales",
]

#: phrases that mean more than their (stop)words: "where is my order?" asks for its status / tracking.
#: Each phrase counts like a synonym (half weight) of the best of its words, once per tool.
_INTENT_PHRASES = [
    (re.compile(r"\bwhere(?:'s|\s+(?:is|are|was|were|has|have|did|does))\b", re.I),
     "status track ship delivery location"),
]

#: a description that restricts its tool ("use only when asked to test redirects") loses near-ties
_RESTRICTED_RE = re.compile(r"\b(?:use|call|choose|pick)\s+(?:it\s+|this\s+(?:action|tool)\s+)?only\s+(?:when|if|for)\b"
                            r"|\bonly\s+use\s+(?:it\s+|this\s+(?:action|tool)\s+)?(?:when|if|for)\b"
                            r"|\b(?:troubleshooting|testing|debug(?:ging)?)\s+(?:sample|example|only)\b", re.I)

_WORD_RE = re.compile(r"[a-z0-9]+")
_CAMEL_RE = re.compile(r"([a-z0-9])([A-Z])")


def _stem(w: str) -> str:
    if len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if w.endswith("ing") and len(w) > 5:
        w = w[:-3]
    elif w.endswith("ed") and len(w) > 4:
        w = w[:-2]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "lsz":
        w = w[:-1]
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w


@lru_cache(maxsize=8192)
def _stem_word(w: str) -> str:
    return _stem(w)


def _tokens(text: str) -> list[str]:
    """Lowercase, split, drop stopwords and numbers, light stemming."""
    out = []
    for w in _WORD_RE.findall(_CAMEL_RE.sub(r"\1 \2", text).replace("_", " ").lower()):
        if w in _STOPWORDS or w.isdigit() or len(w) < 2:
            continue
        out.append(_stem_word(w))
    return out


_SYNONYMS: dict[str, tuple[str, ...]] = {}
for _group in _SYNONYM_GROUPS:
    _stems = [_stem(w) for w in _group.split()]
    for _s in _stems:
        _SYNONYMS[_s] = tuple(x for x in _stems if x != _s)

_INTENTS: list[tuple[re.Pattern[str], tuple[str, ...]]] = [
    (pattern, tuple(_stem(w) for w in words.split())) for pattern, words in _INTENT_PHRASES]

_WORD_NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "hundred": 100, "dozen": 12, "a dozen": 12, "a couple": 2, "a couple of": 2,
}
_NUMBER_WORD_RE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _WORD_NUMBERS), key=len, reverse=True))
                             + r")\b", re.I)

# --------------------------------------------------------------------------- typed scanning

_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_PHONE_RE = re.compile(r"(?<![\w+])\+?\(?\d[\d\s().-]{5,20}\d(?![\w])")
_NUMBER_RE = re.compile(r"(?<![\w.,/:@-])(-?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\w/:@]|[.,]\d|-\d)")
_ID_RE = re.compile(r"(?=[\w-]*[A-Za-z])(?=[\w-]*\d)\b\w+(?:-\w+)*\b")
_ISO_RE = re.compile(r"(?<![\d-])(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?![\d-])")
_MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
           "oct": 10, "nov": 11, "dec": 12}
_MONTH = (r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_MONTH_DAY_RE = re.compile(r"\b" + _MONTH + r"\s+(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4})\b)?", re.I)
_DAY_MONTH_RE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+(\d{4})\b)?", re.I)
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_WEEKDAY_RE = re.compile(r"\b(?:(next|this|coming|on)\s+)?(" + "|".join(_WEEKDAYS) + r")\b", re.I)
_RELATIVE_RE = re.compile(
    r"\b(?:(?:the\s+)?day\s+after\s+tomorrow|tomorrow|tmrw|today|tonight|yesterday|next\s+week|"
    r"in\s+(\d+|a|one|two|three|four|five|six|seven|eight|nine|ten)\s+(days?|weeks?))\b", re.I)
_TRUE_WORDS = {"yes", "yeah", "yep", "yup", "sure", "true", "correct", "affirmative", "y", "please do", "ok", "okay"}
_FALSE_WORDS = {"no", "nope", "nah", "false", "negative", "n", "not", "don't", "dont", "do not"}
_BOOL_RE = re.compile(r"\b(yes|yeah|yep|yup|sure|true|correct|affirmative|please do|okay|ok|"
                      r"no|nope|nah|false|negative|don't|dont|do not|not)\b", re.I)


@dataclass(frozen=True)
class _Scan:
    """Typed values found in one message: lists of (value, start, end)."""

    emails: tuple = ()
    phones: tuple = ()
    dates: tuple = ()
    numbers: tuple = ()  # (value, start, end, is_integer)


def _overlaps(spans: Iterable[tuple[int, int]], s: int, e: int) -> bool:
    return any(s < b and a < e for a, b in spans)


def _year_for(month: int, day: int, year: str | None, today: dt.date) -> dt.date | None:
    try:
        if year:
            return dt.date(int(year), month, day)
        value = dt.date(today.year, month, day)
        if value < today:
            value = dt.date(today.year + 1, month, day)
        return value
    except ValueError:
        return None


def _scan_dates(text: str, today: dt.date) -> list[tuple[str, int, int]]:
    found: list[tuple[str, int, int]] = []
    spans: list[tuple[int, int]] = []

    def add(value: dt.date | None, s: int, e: int) -> None:
        if value is not None and not _overlaps(spans, s, e):
            found.append((value.isoformat(), s, e))
            spans.append((s, e))

    for m in _ISO_RE.finditer(text):
        try:
            add(dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), m.start(), m.end())
        except ValueError:
            pass
    for m in _MONTH_DAY_RE.finditer(text):
        add(_year_for(_MONTHS[m.group(1)[:3].lower()], int(m.group(2)), m.group(3), today), m.start(), m.end())
    for m in _DAY_MONTH_RE.finditer(text):
        add(_year_for(_MONTHS[m.group(2)[:3].lower()], int(m.group(1)), m.group(3), today), m.start(), m.end())
    for m in _RELATIVE_RE.finditer(text):
        word = m.group(0).lower()
        if "after" in word:
            days = 2
        elif word.startswith(("tomorrow", "tmrw")):
            days = 1
        elif word in ("today", "tonight"):
            days = 0
        elif word == "yesterday":
            days = -1
        elif word.startswith("next"):
            days = 7
        else:
            n = m.group(1).lower()
            count = int(n) if n.isdigit() else (1 if n == "a" else _WORD_NUMBERS.get(n, 1))
            days = count * (7 if m.group(2).lower().startswith("week") else 1)
        add(today + dt.timedelta(days=days), m.start(), m.end())
    for m in _WEEKDAY_RE.finditer(text):
        target = _WEEKDAYS.index(m.group(2).lower())
        ahead = (target - today.weekday()) % 7
        if ahead == 0 and (m.group(1) or "").lower() != "this":
            ahead = 7
        add(today + dt.timedelta(days=ahead), m.start(), m.end())
    found.sort(key=lambda f: f[1])
    return found


@lru_cache(maxsize=4096)
def _scan(text: str, today: dt.date) -> _Scan:
    emails = [(m.group(0), m.start(), m.end()) for m in _EMAIL_RE.finditer(text)]
    taken = [(s, e) for _, s, e in emails]
    dates = [d for d in _scan_dates(text, today) if not _overlaps(taken, d[1], d[2])]
    taken += [(s, e) for _, s, e in dates]
    phones = []
    for m in _PHONE_RE.finditer(text):
        raw = m.group(0).strip()
        digits = re.sub(r"\D", "", raw)
        if 7 <= len(digits) <= 15 and not _overlaps(taken, m.start(), m.end()):
            if raw.count("(") != raw.count(")"):
                raw = raw.lstrip("(")
            phones.append((("+" if raw.startswith("+") else "") + digits, m.start(), m.end()))
    taken += [(s, e) for _, s, e in phones]
    taken += [(m.start(), m.end()) for m in _ID_RE.finditer(text)]
    numbers = []
    for m in _NUMBER_RE.finditer(text):
        if _overlaps(taken, m.start(), m.end()):
            continue
        whole = m.group(2).replace(",", "")
        if m.group(3):
            numbers.append((float(m.group(1) + whole + m.group(3)), m.start(), m.end(), False))
        else:
            numbers.append((int(m.group(1) + whole), m.start(), m.end(), True))
    for m in _NUMBER_WORD_RE.finditer(text):
        if not _overlaps(taken, m.start(), m.end()):
            numbers.append((_WORD_NUMBERS[m.group(1).lower()], m.start(), m.end(), True))
    numbers.sort(key=lambda n: n[1])
    return _Scan(tuple(emails), tuple(phones), tuple(dates), tuple(numbers))


def _bool_candidates(text: str, direct: bool, name_tokens: frozenset[str] = frozenset()) -> list[tuple[bool, int, int]]:
    """yes/no values: anywhere in a direct answer; in free text "true"/"false", a yes/no opening the
    message, or a yes/no right after the parameter's name ("outdoor: yes")."""
    out = []
    for m in _BOOL_RE.finditer(text):
        word = m.group(1).lower()
        value = word in _TRUE_WORDS
        if direct or word in ("true", "false"):
            out.append((value, m.start(), m.end()))
        elif word in ("yes", "yeah", "yep", "yup", "no", "nope", "nah") and (
                m.start() == len(text) - len(text.lstrip())
                or name_tokens & set(_tokens(text[max(0, m.start() - 24): m.start()]))):
            out.append((value, m.start(), m.end()))
    return out


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


# --------------------------------------------------------------------------- scoring and filling


def _shaped_matches(param: _Param, text: str) -> list[tuple[str, int, int]]:
    for pat in param.patterns:
        found = [(_normalise_shaped(param, m.group(0)), m.start(), m.end()) for m in pat.finditer(text)]
        if found:
            return found
    return []


def _enum_matches(param: _Param, text: str) -> list[tuple[str, int, int]]:
    out = []
    for value in param.enum:
        for m in re.finditer(r"(?<![\w-])" + re.escape(value) + r"(?![\w-])", text, re.I):
            out.append((value, m.start(), m.end()))
    out.sort(key=lambda f: f[1])
    return out


def _word_scores(ts: _ToolSet, text: str, index: dict[str, list[tuple[int, float]]]) -> list[float]:
    """How well the words of ``text`` match each tool's words in ``index`` (all words, or the name's only)."""
    scores = [0.0] * len(ts.tools)
    tokens = set(_tokens(text))
    for tok in tokens:
        best: dict[int, float] = {}
        for ti, w in index.get(tok, ()):
            best[ti] = w
        for syn in _SYNONYMS.get(tok, ()):
            for ti, w in index.get(syn, ()):
                if best.get(ti, 0.0) < 0.5 * w:
                    best[ti] = 0.5 * w
        if len(tok) >= 5 and tok not in ts.index:
            for voc in ts.prefixes.get(tok[:5], ()):
                if voc.startswith(tok) or tok.startswith(voc):
                    for ti, w in index.get(voc, ()):
                        if best.get(ti, 0.0) < 0.6 * w:
                            best[ti] = 0.6 * w
        for ti, w in best.items():
            scores[ti] += w
    for pattern, words in _INTENTS:
        if not pattern.search(text):
            continue
        best = {}
        for word in words:
            if word in tokens:  # already counted in full
                continue
            for ti, w in index.get(word, ()):
                if best.get(ti, 0.0) < 0.5 * w:
                    best[ti] = 0.5 * w
        for ti, w in best.items():
            scores[ti] += w
    return scores


def _message_scores(ts: _ToolSet, text: str, today: dt.date) -> list[float]:
    cached = ts.score_cache.get(text)
    if cached is not None:
        return cached
    scores = _word_scores(ts, text, ts.index)
    scan = _scan(text, today)
    for tool in ts.tools:
        for p in tool.params:
            if p.shaped and _shaped_matches(p, text):
                scores[tool.index] += DIGITS_BONUS if p.digits_only else EXAMPLE_BONUS
        if tool.has_email and scan.emails:
            scores[tool.index] += TYPED_BONUS
        if tool.has_phone and scan.phones:
            scores[tool.index] += TYPED_BONUS
        if tool.has_date and scan.dates:
            scores[tool.index] += DATE_BONUS
    if len(ts.score_cache) > 512:
        ts.score_cache.clear()
    ts.score_cache[text] = scores
    return scores


@dataclass
class _Text:
    text: str
    consumed: bool  # a direct answer to the simulator's question


@dataclass
class _Answer:
    value: Any
    pos: int
    span: tuple[int, int] | None


def _candidates(param: _Param, text: str, today: dt.date, direct: bool = False) -> list[tuple[Any, int, int]]:
    if param.shaped:
        return _shaped_matches(param, text)
    if param.enum:
        return _enum_matches(param, text)
    kind = param.kind
    if kind in ("email", "phone", "date", "integer", "number"):
        scan = _scan(text, today)
        if kind == "email":
            return list(scan.emails)
        if kind == "phone":
            return list(scan.phones)
        if kind == "date":
            return list(scan.dates)
        if kind == "integer":
            return [(v, s, e) for v, s, e, is_int in scan.numbers if is_int]
        return [(v, s, e) for v, s, e, _ in scan.numbers]
    if kind == "boolean":
        return _bool_candidates(text, direct, frozenset(_tokens(param.name)))
    return []


def _direct_answer(param: _Param, text: str, today: dt.date) -> tuple[Any, tuple[int, int] | None] | None:
    """The value a reply to "what is <param>?" gives, or None."""
    stripped = text.strip()
    if not stripped:
        return None
    found = _candidates(param, stripped, today, direct=True)
    if found:
        value, s, e = found[0]
        offset = len(text) - len(text.lstrip())
        return value, (s + offset, e + offset)
    if param.kind != "string":
        return None
    bare = stripped.strip("\"'`\u201c\u201d\u2018\u2019").strip()
    if param.shaped:
        token = bare.rstrip(".!?,;")
        if token and not any(c.isspace() for c in token) and len(token) <= 64:
            return _normalise_shaped(param, token) if len(re.findall(r"[A-Za-z]+|\d+", token)) == len(
                [p for p in param.example_parts if p.isalnum()]) else token, None
        return None
    return (bare, None) if bare else None


_PRIORITY = {"email": 2, "phone": 3, "date": 4, "integer": 5, "number": 5, "boolean": 6, "string": 7}


def _param_priority(p: _Param) -> int:
    if p.shaped:
        return 0
    if p.enum:
        return 1
    return _PRIORITY.get(p.kind, 7)


@dataclass
class _Fill:
    values: dict[str, Any]
    spans: list[tuple[int, int, int]]  # (message position, start, end) of values found in free text
    from_latest: bool


def _fill(tool: _Tool, texts: list[_Text], answers: dict[tuple[str, str], _Answer], today: dt.date) -> _Fill:
    values: dict[str, Any] = {}
    spans: list[tuple[int, int, int]] = []
    used: dict[int, list[tuple[int, int]]] = {}
    last = len(texts) - 1
    from_latest = False
    for p in tool.params:
        answer = answers.get((tool.name, p.name))
        if answer is not None:
            values[p.name] = answer.value
            from_latest = from_latest or answer.pos == last
            if answer.span:
                used.setdefault(answer.pos, []).append(answer.span)
                spans.append((answer.pos, *answer.span))
    for p in sorted(tool.params, key=_param_priority):
        if p.name in values:
            continue
        for pos in range(last, -1, -1):
            hit = next(((v, s, e) for v, s, e in _candidates(p, texts[pos].text, today)
                        if not _overlaps(used.get(pos, ()), s, e)), None)
            if hit is not None:
                value, s, e = hit
                values[p.name] = value
                used.setdefault(pos, []).append((s, e))
                spans.append((pos, s, e))
                from_latest = from_latest or pos == last
                break
    return _Fill(values, spans, from_latest)


def _missing(tool: _Tool, values: dict[str, Any]) -> list[_Param]:
    return [p for p in tool.params if p.required and not p.has_default and p.name not in values]


def _arguments(tool: _Tool, values: dict[str, Any]) -> dict[str, Any]:
    args = {p.name: values[p.name] for p in tool.params if p.name in values}
    for p in tool.params:  # strict schemas list every property: send null for the optional ones not found
        if p.nullable and p.name not in args:
            args[p.name] = None
    return args


# --------------------------------------------------------------------------- conversation rules

_HONESTY_RE = re.compile(
    r"\b(?:are|r)\s+(?:you|u)\s+(?:an?\s+|just\s+an?\s+|really\s+an?\s+|actually\s+an?\s+)?"
    r"(?:real|human|person|bot|robot|ai|a\.i\.|machine|computer|simulat\w*|llm|chat\s?bot|language model|gpt|"
    r"program|automated|live)\b"
    r"|\bam\s+i\s+(?:talking|speaking|chatting)\s+(?:to|with)\s+(?:an?\s+)?(?:real|human|person|bot|robot|ai|"
    r"machine|computer|live)"
    r"|\b(?:what|which)\s+(?:llm|model|ai|language model)\b"
    r"|\bwho\s+are\s+you\b|\bwhat\s+are\s+you\b|\bis\s+this\s+an?\s+(?:bot|real|human|ai|robot|person|machine)"
    r"|\bwho\s+am\s+i\s+(?:talking|speaking|chatting)\s+(?:to|with)",
    re.I)
_GREETING_RE = re.compile(r"^\W*(?:hi|hello|hey|hiya|howdy|yo|greetings|good\s+(?:morning|afternoon|evening|day))\b",
                          re.I)
_THANKS_RE = re.compile(r"\b(?:thanks|thank\s+you|thx|ty|cheers|much\s+appreciated)\b", re.I)
_BYE_RE = re.compile(r"^\W*(?:bye|goodbye|good\s+bye|see\s+you|that'?s\s+all|that\s+is\s+all)\b", re.I)
_CANCEL_RE = re.compile(r"^\W*(?:never\s*mind|nvm|cancel(?:\s+(?:that|it|this))?|forget\s+(?:it|that|about\s+it)|"
                        r"stop)\W*$", re.I)


_WH_WORDS = ("whether ", "how ", "when ", "which ", "what ", "who ", "where ", "if ")


def _ask_text(tool: _Tool, param: _Param, note: str = "") -> str:
    if param.example:
        shown = f"\u201c{param.example}\u201d" if " " in param.example.strip() else param.example
        example = f" \u2014 for example {shown}"
    elif param.kind == "date":
        example = " \u2014 a date like tomorrow, next Friday or YYYY-MM-DD"
    elif param.kind == "email":
        example = " \u2014 an email address like name@example.com"
    else:
        example = ""
    if param.enum:
        options = list(param.enum)
        question = "Is it " + (", ".join(options[:-1]) + " or " + options[-1] if len(options) > 1 else options[0]) + "?"
    elif param.kind == "boolean":
        question = "Yes or no?"
    elif param.kind == "date":
        question = "Which date?"
    else:
        question = "What is it?"
    need = "I need to know" if param.phrase.lower().startswith(_WH_WORDS) else "I need"
    return f"{note}{tool.purpose}, {need} {param.phrase}{example}. {question}"


def _sorry(param: _Param) -> str:
    return f"Sorry, I couldn't find {_a(param.label)} {param.label} in that. "


def _capabilities(ts: _ToolSet) -> str:
    lines = []
    for tool in ts.tools[:MAX_LISTED_TOOLS]:
        desc = re.split(r"(?<=[.!?])\s|;", tool.description.strip(), maxsplit=1)[0].strip().rstrip(".")
        lines.append(f"- {desc} ({tool.name})" if desc else f"- {tool.name}")
    if len(ts.tools) > MAX_LISTED_TOOLS:
        lines.append(f"- and {len(ts.tools) - MAX_LISTED_TOOLS} more")
    return "\n".join(lines)


def _help_text(ts: _ToolSet, latest: str) -> str:
    if _BYE_RE.search(latest):
        return "Goodbye! Come back any time to test your actions."
    if _GREETING_RE.search(latest):
        lead = "Hello! "
    elif _THANKS_RE.search(latest):
        if ts.tools and not set(_tokens(latest)) - {"great", "cool", "nice", "perfect", "awesome", "lot", "much"}:
            return "You're welcome! Is there anything else I can help with?"
        lead = "You're welcome! "
    elif _tokens(latest):
        lead = "I couldn't match that to any of the actions. "
    else:
        lead = ""
    if not ts.tools:
        return (f"{lead}{SIMULATOR_NOTE}. There are no actions to call yet: add or select an action, "
                "then ask me for something it does.")
    return (f"{lead}{SIMULATOR_NOTE}, so I can only help through these actions:\n{_capabilities(ts)}\n"
            "What do you need?")


def _honesty_text(pending_ask: str | None) -> str:
    text = ("I'm the offline simulator of the Custom Actions Playground: a rule-based program, not a person and "
            "not an LLM. I match your words against each action's name, "
            "description and variables, fill the variables from what you type, ask for what is missing, call "
            f"the action and summarise the result. {SWITCH_NOTE}")
    if pending_ask:
        text += f"\n\nBack to your request: {pending_ask}"
    return text


# --------------------------------------------------------------------------- summaries

_KIND_TEXT = {
    "timeout": "a timeout", "connection_refused": "connection refused", "dns": "a DNS error",
    "tls": "a TLS error", "protocol": "a protocol error", "too_many_redirects": "too many redirects",
    "not_json": "a response that is not JSON", "unreplaced_placeholder": "an unreplaced placeholder",
    "invalid_arguments": "invalid arguments", "secret_missing": "a missing secret",
    "blocked": "a blocked destination", "invalid_request": "an invalid request",
}


def _fmt_value(v: Any) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() else f"{v:g}"
    text = str(v).replace("\n", " ")
    return text if len(text) <= 80 else text[:77] + "..."


def _is_scalar(v: Any) -> bool:
    return isinstance(v, (str, int, float, bool))


def _fields(obj: dict[str, Any], cap: int) -> list[str]:
    out: list[str] = []
    for key, value in obj.items():
        if len(out) >= cap:
            break
        label = _humanize(str(key))
        if value is None or value == "":
            continue
        if _is_scalar(value):
            out.append(f"{label}: {_fmt_value(value)}")
        elif isinstance(value, dict):
            for k2, v2 in value.items():
                if len(out) >= cap:
                    break
                if _is_scalar(v2) and v2 != "":
                    out.append(f"{_humanize(str(k2))}: {_fmt_value(v2)}")
        elif isinstance(value, list):
            if not value:
                out.append(f"{label}: none")
            elif all(_is_scalar(v) for v in value):
                shown = ", ".join(_fmt_value(v) for v in value[:3])
                more = f" and {len(value) - 3} more" if len(value) > 3 else ""
                out.append(f"{label}: {shown}{more}")
            else:
                out.append(f"{label}: {_list_text(value)}")
    return out


def _list_text(items: list[Any]) -> str:
    n = len(items)
    text = f"{n} item{'s' if n != 1 else ''}"
    first = items[0] if items else None
    if isinstance(first, dict):
        inner = _fields({k: v for k, v in first.items() if _is_scalar(v)}, 3)
        if inner:
            text += f" (first: {', '.join(inner)})"
    elif first is not None and _is_scalar(first):
        text += f" (first: {_fmt_value(first)})"
    return text


def _status_text(status: Any) -> str:
    try:
        return f"{status} {HTTPStatus(int(status)).phrase}"
    except (ValueError, TypeError):
        return str(status)


def _api_message(body: Any) -> str:
    if isinstance(body, dict):
        for key in ("message", "error_description", "detail", "error"):
            value = body.get(key)
            if isinstance(value, str) and value.strip():
                return value.strip()
            if isinstance(value, dict) and isinstance(value.get("message"), str):
                return value["message"].strip()
    return ""


def _summarise(tool_name: str, content: str) -> str:
    name = tool_name or "the action"
    try:
        data = json.loads(content)
    except (json.JSONDecodeError, TypeError):
        m = re.search(r'"status"\s*:\s*(\d{3})', content or "")
        status = f" with {_status_text(m.group(1))}" if m else ""
        if content and content.rstrip().endswith("[truncated]"):
            return (f"The {name} call answered{status}, but the result was too large and was cut short, so I "
                    "can only see part of it. Return only the fields the agent needs.")
        return f"The {name} call returned: {_fmt_value(content or 'nothing')}"
    if not isinstance(data, dict) or not ({"status", "body", "error"} & set(data)):
        return f"The {name} call returned: {_body_text(data)}."
    status, body, error, hint = data.get("status"), data.get("body"), data.get("error"), data.get("hint")
    if error:
        kind = error.get("kind", "") if isinstance(error, dict) else ""
        message = (error.get("message", "") if isinstance(error, dict) else str(error)).strip().rstrip(".")
        if isinstance(status, int) and status >= 400:
            text = f"The {name} call failed with {_status_text(status)}"
            if message and not re.match(r"HTTP \d{3}\b", message):
                text += f" ({message})"
        elif status is not None:
            text = f"The {name} call answered {_status_text(status)}, but {message or _KIND_TEXT.get(kind, kind)}"
        else:
            text = f"The {name} call failed with {_KIND_TEXT.get(kind, kind.replace('_', ' ') or 'an error')}"
            if message:
                text += f": {message}"
        text += "."
        api = _api_message(body)
        if api and api not in (hint or "") and api not in message:
            text += f" The API said: {api.rstrip('.')}."
        if hint:
            text += f" Hint: {hint}"
        return text
    head = f"The {name} call succeeded ({_status_text(status)})" if status is not None else f"The {name} call returned"
    return f"{head}: {_body_text(body)}."


def _body_text(body: Any) -> str:
    if body is None or body == "" or body == {} or body == []:
        return "an empty response"
    if isinstance(body, dict):
        fields = _fields(body, MAX_FIELDS)
        return "; ".join(fields) if fields else "an object with no simple fields"
    if isinstance(body, list):
        return _list_text(body)
    return _fmt_value(body).rstrip(".")


def _summary(msgs: list[Message]) -> str:
    start = len(msgs)
    while start > 0 and msgs[start - 1].role == "tool":
        start -= 1
    names: dict[str, str] = {}
    if start > 0 and msgs[start - 1].role == "assistant":
        names = {c.id: c.name for c in msgs[start - 1].tool_calls}
    parts = []
    for m in msgs[start:]:
        name = m.name or names.get(m.tool_call_id or "", "")
        parts.append(_summarise(name, m.content or ""))
    return "\n\n".join(parts)


# --------------------------------------------------------------------------- planning


@dataclass
class _Decision:
    kind: str  # help | ask | call | honesty | cancel | summary
    text: str = ""
    tool: _Tool | None = None
    param: _Param | None = None
    calls: list[tuple[_Tool, dict[str, Any]]] = field(default_factory=list)


#: where one request ends and another may start: a sentence or clause break, or "and" / "also" / "then"
_CLAUSE_RE = re.compile(r"[.!?;,]+(?=\s|$)|\s(?:and|also|plus|then|but|as\s+well\s+as)\s", re.I)


def _best_tool(ts: _ToolSet, scores: dict[int, float],
               words: list[tuple[str, float]] | dict[int, list[tuple[str, float]]]) -> int | None:
    """The best-scoring tool of ``scores`` (tool index -> score). Tools within NEAR_TIE of the best are
    tied: the one whose NAME best matches the user's ``words`` ((text, weight) pairs, or such pairs by tool
    index when each tool is judged on its own part of the text) wins, then one whose
    description does not restrict it ("use only when ..."), then the higher score, then the earlier tool,
    so the choice never depends on chance (nor on anything but the inputs)."""
    if not scores:
        return None
    top = max(scores.values())
    tied = [i for i, t in scores.items() if t > 0 and t >= top * (1 - NEAR_TIE)]
    if len(tied) <= 1:
        return max(scores, key=lambda i: (scores[i], -i))
    names: dict[int, float] = {}
    for i in tied:
        for text, weight in (words.get(i, []) if isinstance(words, dict) else words):
            names[i] = names.get(i, 0.0) + weight * _word_scores(ts, text, ts.name_index)[i]
    return max(tied, key=lambda i: (round(names.get(i, 0.0), 6), not ts.tools[i].restricted, scores[i], -i))


def _own_part(texts: list[_Text], spans: list[tuple[int, int, int]], taken: list[tuple[int, int, int]]) -> list[str]:
    """The words around a tool's values: for each value, its clause, cut short at any value of another call."""
    parts: dict[tuple[int, int, int], str] = {}
    for pos, s, e in spans:
        text = texts[pos].text
        lo, hi = 0, len(text)
        for m in _CLAUSE_RE.finditer(text):
            if m.end() <= s:
                lo = max(lo, m.end())
            elif m.start() >= e:
                hi = min(hi, m.start())
        for p2, s2, e2 in taken:
            if p2 == pos and e2 <= s:
                lo = max(lo, e2)
            elif p2 == pos and s2 >= e:
                hi = min(hi, s2)
        parts[(pos, lo, hi)] = text[lo:hi]
    return [parts[k] for k in sorted(parts)]


def _decide(ts: _ToolSet, texts: list[_Text], answers: dict[tuple[str, str], _Answer], sticky: _Tool | None,
            consumed: bool, failed: _Param | None, today: dt.date) -> _Decision:
    scoring = [t.text for t in texts if not t.consumed]
    totals = [0.0] * len(ts.tools)
    for i, text in enumerate(scoring):
        weight = 1.0 if i == len(scoring) - 1 else EARLIER_WEIGHT
        for ti, s in enumerate(_message_scores(ts, text, today)):
            totals[ti] += weight * s
    best = _best_tool(ts, dict(enumerate(totals)),
                      [(text, 1.0 if i == len(scoring) - 1 else EARLIER_WEIGHT) for i, text in enumerate(scoring)])
    if consumed and sticky is not None:
        tool = sticky
    elif best is not None and totals[best] >= THRESHOLD:
        tool = ts.tools[best]
    elif sticky is not None:
        tool = sticky
    else:
        return _Decision("help", _help_text(ts, texts[-1].text if texts else ""))
    fill = _fill(tool, texts, answers, today)
    missing = _missing(tool, fill.values)
    if missing:
        param = missing[0]
        note = _sorry(param) if failed is not None and failed.name == param.name and not fill.from_latest else ""
        return _Decision("ask", _ask_text(tool, param, note), tool=tool, param=param)
    calls = [(tool, fill.values, fill.spans)]
    # More calls only for clearly separate requests: another tool whose values all come from other words
    # than the values already used (ONE value never makes two calls, however well two tools fit it), and
    # whose own part of the text (its values' clauses) scores above THRESHOLD for it, better than for
    # any tool already called (else the part is just more of the same request).
    used = list(fill.spans)
    for (name, _), answer in answers.items():  # an answer taken whole (no span) uses its whole message
        if name == tool.name and answer.span is None and 0 <= answer.pos < len(texts):
            used.append((answer.pos, 0, len(texts[answer.pos].text)))
    overall = [0.0] * len(ts.tools)  # every message, answers too: a first sieve
    for i, t in enumerate(texts):
        weight = 1.0 if i == len(texts) - 1 else EARLIER_WEIGHT
        for ti, s in enumerate(_message_scores(ts, t.text, today)):
            overall[ti] += weight * s
    others = [t for t in ts.tools if t is not tool and t.params
              and max(totals[t.index], overall[t.index]) >= THRESHOLD]
    while others:
        found: dict[int, tuple[float, _Fill, list[str]]] = {}
        for other in others:
            extra = _fill(other, texts, {}, today)
            if not extra.spans or _missing(other, extra.values):
                continue
            if any(pos == p2 and s < e2 and s2 < e for pos, s, e in extra.spans for p2, s2, e2 in used):
                continue
            parts = _own_part(texts, extra.spans, used)
            own = [0.0] * len(ts.tools)
            for part in parts:
                for i, s in enumerate(_message_scores(ts, part, today)):
                    own[i] += s
            if own[other.index] >= THRESHOLD and all(own[c.index] < own[other.index] for c, _, _ in calls):
                found[other.index] = (own[other.index], extra, parts)
        if not found:
            break
        # near-duplicates competing for the same value: the same preference as for the first tool
        pick = _best_tool(ts, {i: f[0] for i, f in found.items()},
                          {i: [(part, 1.0) for part in f[2]] for i, f in found.items()})
        assert pick is not None
        extra = found[pick][1]
        calls.append((ts.tools[pick], extra.values, extra.spans))
        used += extra.spans
        others = [t for t in others if t.index != pick]
    if len(calls) > 1:
        calls.sort(key=lambda c: min(((pos, s) for pos, s, _ in c[2]), default=(0, 0)))
    return _Decision("call", tool=tool, calls=[(t, _arguments(t, v)) for t, v, _ in calls])


def _plan(messages: list[Message], ts: _ToolSet, today: dt.date) -> _Decision:
    msgs = [m for m in messages if m.role != "system"]
    if not msgs:
        return _Decision("help", _help_text(ts, ""))
    if msgs[-1].role == "tool":
        return _Decision("summary", _summary(msgs))
    boundary = -1
    for i in range(len(msgs) - 1, -1, -1):
        m = msgs[i]
        if m.role == "tool" or (m.role == "assistant" and m.tool_calls):
            boundary = i
            break
    texts: list[_Text] = []
    answers: dict[tuple[str, str], _Answer] = {}
    pending: _Decision | None = None  # the question the simulator asked last
    decision: _Decision | None = None
    for k in range(boundary + 1, len(msgs)):
        m = msgs[k]
        if m.role != "user":
            continue
        text = m.content or ""
        prev = msgs[k - 1] if k > 0 else None
        asked = pending is not None and prev is not None and prev.role == "assistant" and not prev.tool_calls
        if _CANCEL_RE.match(text):
            texts, answers, pending = [], {}, None
            decision = _Decision("cancel", "No problem, I've dropped that. What else can I help with?")
            continue
        if _HONESTY_RE.search(text):
            decision = _Decision("honesty", _honesty_text(pending.text if pending else None))
            continue
        consumed, failed = False, None
        if asked:
            assert pending is not None and pending.tool is not None and pending.param is not None
            got = _direct_answer(pending.param, text, today)
            if got is not None:
                answers[(pending.tool.name, pending.param.name)] = _Answer(got[0], len(texts), got[1])
                consumed = True
            else:
                failed = pending.param
        texts.append(_Text(text, consumed))
        decision = _decide(ts, texts, answers, pending.tool if pending else None, consumed, failed, today)
        pending = decision if decision.kind == "ask" else None
    if decision is None:
        return _Decision("help", _help_text(ts, ""))
    return decision


def _chunks(text: str, words: int = WORDS_PER_CHUNK) -> list[str]:
    pieces = re.findall(r"\s*\S+\s*|\s+", text)
    return ["".join(pieces[i:i + words]) for i in range(0, len(pieces), words)]


def _call_id(position: int, index: int, name: str, arguments: str) -> str:
    digest = hashlib.sha1(f"{position}|{index}|{name}|{arguments}".encode()).hexdigest()
    return "call_" + digest[:10]


class OfflineModel:
    """The offline simulator: deterministic, rule-based, no network.

    ``today`` fixes the date that "today", "tomorrow" or "next friday" resolve against
    (default: the real date at each call), so tests are deterministic.
    """

    name = "offline"

    def __init__(self, today: dt.date | None = None) -> None:
        self.today = today

    def plan(self, messages: list[Message], tools: list[dict[str, Any]]) -> AssistantTurn:
        """The whole turn at once (what ``respond`` streams)."""
        msgs = [m if isinstance(m, Message) else Message.model_validate(m) for m in messages or []]
        today = self.today or dt.date.today()
        decision = _plan(msgs, _toolset(tools or []), today)
        if decision.kind != "call":
            return AssistantTurn(text=decision.text)
        calls = []
        for i, (tool, args) in enumerate(decision.calls):
            arguments = json.dumps(args, ensure_ascii=False)
            calls.append(ToolCall(id=_call_id(len(msgs), i, tool.name, arguments), name=tool.name,
                                  arguments=arguments))
        return AssistantTurn(text="", tool_calls=calls)

    async def respond(self, messages: list[Message], tools: list[dict[str, Any]]) -> AsyncIterator[ModelOutput]:
        turn = self.plan(messages, tools)
        for chunk in _chunks(turn.text):
            yield chunk
        yield turn
