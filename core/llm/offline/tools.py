"""The tools a model sees, parsed once: parameters, their kinds, roles, examples and shapes.

Everything here comes from the tool schema a real model receives (``core.schema.tool_schema``): the
tool's name and description, and each parameter's name, JSON type, format and description (which
carries the example). Better descriptions and examples make every later step better.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from typing import Any

from .lexicon import lemmas
from .evidence import Index, acting, backed, build_index, definitions, described, is_verb, leading_verb, objects
from .recognisers.codes import Shape, shape_of
from .recognisers.emails import EMAIL_RE
from .words import CAMEL_RE, GENERIC, RESTRICTED_RE, STOPWORDS, stem, words

_PREPOSITIONS = ("from", "to", "in", "at", "for", "on", "under", "with")
_ROLE_PREPS = {"origin": ("from",), "destination": ("to",), "source": ("from",), "target": ("to",),
               "city": ("in", "to", "from"), "location": ("in", "at")}


@dataclass(frozen=True)
class Param:
    name: str
    kind: str  # string | integer | number | boolean | date | time | email | phone
    label: str  # "order number"
    phrase: str  # "the order number on the confirmation email"
    about: str  # what its description says, without the example and format notes ("" when nothing)
    example: str | None
    enum: tuple[str, ...]
    shape: Shape | None
    role: str  # name | place | address | reason | thing | labelled | free (for strings)
    cues: tuple[str, ...]  # words after which its value comes ("from", "send back"); a reason's: the tool's things
    label_words: tuple[str, ...]
    required: bool
    has_default: bool
    nullable: bool
    money: bool = False  # a number that is an amount of money ("The amount to refund in dollars")


@dataclass
class Tool:
    index: int
    name: str
    description: str
    params: list[Param]
    purpose: str  # "To look up the order status"
    name_words: tuple[str, ...] = ()
    told: tuple[str, ...] = ()  # the words of its description (the tool's own)
    things: frozenset[str] = frozenset()  # what its description says it acts on ("flight", "ticket")
    verb: str = ""  # the verb its description starts with ("book")
    actions: tuple[str, ...] = ()  # the verbs that say what it does: its name's and its description's
    restricted: bool = False  # its description says to use it only in some case


@dataclass
class ToolSet:
    tools: list[Tool]
    index: Index  # stem -> [(tool index, weight, backed by a description)]
    name_index: Index  # the same, name words only
    related: Index  # WordNet concept key -> [(tool index, weight, backed)]
    defined: dict[str, frozenset[str]] = field(default_factory=dict)  # definition word -> tool words (stems)
    acting: dict[str, list[tuple[int, float, bool]]] = field(default_factory=dict)  # concept -> tools doing it
    score_cache: dict[str, list[float]] = field(default_factory=dict)


_MONEY_RE = re.compile(r"(?:\b|_)(?:dollars?|amount|price|cost|fee|money|usd|eur|euros?|pounds?|payment|charge)(?:\b|_)|\$")
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
             "how ", "when ", "whether ", "what ", "who ", "where ", "why ", "one ", "any ", "each ", "all ")


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


def _about(desc: str) -> str:
    """What a parameter's description says, without the notes the schema adds for its type."""
    for note in _FORMAT_NOTES:
        desc = desc.replace(note, "")
    return desc.strip(" .;,(")


_PERSONS = ("caller", "customer", "user", "patient", "client")
_AGREE = {"wants": "want", "needs": "need", "has": "have", "is": "are", "was": "were", "reports": "report",
          "reads": "read", "owns": "own", "lives": "live", "calls": "call", "chooses": "choose", "gives": "give"}


def second_person(text: str) -> str:
    """A description's words for the person it serves, as said to that person: "the caller's card" -> "your
    card", "the item the caller wants to send back" -> "the item you want to send back"."""
    who = "(?:" + "|".join(_PERSONS) + ")"
    said = re.search(r"\b(?:the|a|this) " + who + r"\b", text, flags=re.I)
    text = re.sub(r"\b(?:the|a|this) " + who + r"'s\b", lambda m: _cased("your", m), text, flags=re.I)
    if said:  # "the customer account" is yours; "the customer asks" is you
        text = re.sub(r"\b(?:the|a|this) " + who + r"\b(\s+[A-Za-z]+)?",
                      lambda m: _cased("your" if m.group(1) and _names_a_thing(m.group(1).strip()) else "you", m)
                      + (m.group(1) or ""),
                      text, flags=re.I)
        text = re.sub(r"\btheir\b", "your", text)
        text = re.sub(r"\bthemselves\b", "yourself", text)
        text = re.sub(r"\b(?:they|them)\b", "you", text)  # the same person, said again
        text = re.sub(r"\b([Yy]ou) (\w+)\b", lambda m: f"{m.group(1)} {_agree(m.group(2))}", text)
    return text


def _cased(word: str, m: re.Match[str]) -> str:
    return word.capitalize() if m.group(0)[:1].isupper() else word


_AUXILIARIES = frozenset("is was has had can could will would may might must should shall did does do are were and or "
                         "to who that".split())


_PARTICLES = frozenset("back up off out in on over down away about".split())  # "to call the caller back"


def _names_a_thing(word: str) -> bool:
    """A word after "the customer" that makes it a modifier ("the customer account"), not a subject."""
    low = word.lower()
    if low in _AUXILIARIES or low in _PARTICLES or low.endswith(("s", "ed")):
        return False
    return any(pos == "noun" for _, pos in lemmas(low))


def _agree(verb: str) -> str:
    """The verb after "you": "asks" -> "ask", "reports" -> "report", "has" -> "have"; other words stay."""
    if verb in _AGREE:
        return _AGREE[verb]
    for cut in (1, 2):  # "asks" -> "ask", "reaches" -> "reach"
        stem = verb[:-cut]
        if verb.endswith("s"[-cut:] if cut == 1 else "es") and len(stem) > 2 and lemmas(stem) and all(
                pos == "verb" for _, pos in lemmas(verb) if _ == verb) and is_verb(stem):
            return stem
    return verb


def _phrase(desc: str, label: str) -> str:
    """The parameter as a noun phrase for a question."""
    text = _about(desc)
    if not described(text):  # "Does a thing." says nothing: ask by the name
        return "the " + label
    text = re.split(r"\.\s", text.strip(), maxsplit=1)[0].strip(" .;,(")
    if not text:
        return "the " + label
    text = second_person(text)
    if len(text) > 1 and not text[1:2].isupper():
        text = text[0].lower() + text[1:]
    if not text.lower().startswith(_ARTICLES):  # "why you want a call back" takes no article
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
    """What the tool is for, to say to the caller: "To cancel the order", "To open a claim on your policy"."""
    words = CAMEL_RE.sub(r"\1 \2", name).replace("-", "_").replace(" ", "_").lower().split("_")
    words = [w for w in words if w]
    lead = leading_verb(description)
    if words and words[0] != "report" and (words[0] in _VERBS or words[0] == lead or _only_a_verb(words[0])):
        verb, rest = words[0], words[1:]
        if verb == "lookup" or (verb == "look" and rest[:1] == ["up"]):
            verb, rest = "look up", rest[1:] if verb == "look" else rest
        if rest and rest[0] in _PERSONS:  # find_caller_account: "To find your account"; verify_caller: "you"
            return f"To {verb} " + (" ".join(["your", *rest[1:]]) if rest[1:] else "you")
        if rest:
            obj = " ".join(_LABEL_WORDS.get(w, w) for w in rest)
            det = article(obj) if words[0] in _CREATING else "the"
            return f"To {verb} {det} {obj}"
        return f"To {verb}"
    first = re.split(r"[,;(]|\.\s|\s(?:when|by|if|once|before|after|so that|and then)\s", description.strip(),
                     maxsplit=1)[0]
    first = re.sub(r"\s+(?:and|or|but|to|for|with)$", "", first.strip(" ."))
    if first and (first.split()[0].lower() in _VERBS | {"look"} or (lead and (lead, "verb") in lemmas(lead))):
        return "To " + second_person(first[0].lower() + first[1:])
    return f"For {humanize(name)}"


def _only_a_verb(word: str) -> bool:
    """A word WordNet knows only as a verb ("reschedule"), never as a thing ("order", "flight")."""
    found = lemmas(word)
    return bool(found) and all(pos == "verb" for _, pos in found)


def _role_and_cues(name: str, desc: str, tool_words: list[str], required: bool) -> tuple[str, tuple[str, ...]]:
    lowered = name.lower()
    text = desc.lower()
    if re.search(r"address|street", lowered):
        return "address", ()
    if re.search(r"reason|why|cause|motive", lowered) or text.startswith("why"):
        return "reason", ()
    if re.search(r"problem|complaint|symptom|fault|summary", lowered) or (
            "issue" in lowered and not re.search(r"date|time|id|number", lowered)) or re.search(
            r"\b(?:summary|description) of (?:the |your |their |an? )?(?:\w+'s )?(?:problem|issue|fault|complaint)", text):
        return "problem", ()  # "issue_description": what went wrong, in the caller's words
    if "name" in lowered.split("_") or lowered.endswith("name"):
        return "name", ("name is", "name's", "for", "patient", "this is", "it's for")
    last = re.findall(r"[a-z]+", text)[-1:] or [""]
    if last[0] in _PREPOSITIONS:
        return "place", (last[0],)
    for key, preps in _ROLE_PREPS.items():
        if key in lowered:
            return "place", preps
    verb = re.search(r"\bwants?\s+to\s+([a-z]+(?:\s+(?:back|up|off|out|in|over|away))?)", text)
    if verb:  # "the item the caller wants to send back": after "send back", or the tool's own verb ("return")
        return "thing", (verb.group(1), *[w for w in tool_words if w != verb.group(1) and is_verb(w)])
    # free text the caller names before saying it ("with the note rent for March"): by its name or the
    # noun its description starts with ("A note for the recipient")
    head = [w for w in words(desc)[:1] if w not in GENERIC]
    return "labelled", tuple(dict.fromkeys([name.lower().replace("_", " ").split()[-1], *head]))


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
    about = _about(before)
    return Param(name=name, kind=kind, label=label, phrase=_phrase(before, label),
                 about=about if described(about) else "", example=example, enum=enum,
                 shape=shape, role=role, cues=cues, label_words=tuple(words(label)), required=required,
                 has_default="default" in prop, nullable=nullable,
                 money=kind in ("integer", "number") and bool(_MONEY_RE.search(lowered)))


def actions(name: str, description: str) -> tuple[str, ...]:
    """The verbs that say what a tool does: its name's first word and its description's first, unless they
    say little (``GENERIC``: "check", "start", "request"); after such a verb, the word it acts on when the
    name has it and it can be a verb ("Start a return" on start_return: "return")."""
    named = words(name)
    lead = leading_verb(description)
    out = [w for w in (named[:1] + [lead]) if w and w not in GENERIC | STOPWORDS and is_verb(w)]
    after = re.match(r"\W*[A-Za-z]+\s+(?:(?:a|an|the)\s+)?([A-Za-z]+)", description)
    if lead in GENERIC and after and after.group(1).lower() in named and is_verb(after.group(1).lower()):
        out.append(after.group(1).lower())
    return tuple(dict.fromkeys(out))


def _parse_tools(raw_tools: list[dict[str, Any]]) -> ToolSet:
    parsed: list[Tool] = []
    every: list[dict[str, tuple[float, bool]]] = []
    names: list[dict[str, tuple[float, bool]]] = []
    surfaces: list[dict[str, str]] = []  # per tool: stem -> the word as written ("move", not "mov"), for WordNet
    saying: list[dict[str, str]] = []  # the same, of its name and description only
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
        things = tuple(dict.fromkeys([*name_words, *(w for p in params for w in p.label_words)]))
        params = [replace(p, cues=things) if p.role == "reason" else p for p in params]
        told = [w for w in words(description)]
        tool = Tool(index=len(parsed), name=name, description=description, params=params,
                    purpose=_purpose(name, description), name_words=tuple(name_words), told=tuple(told),
                    things=objects(description), verb=leading_verb(description), restricted=bool(RESTRICTED_RE.search(description)),
                    actions=actions(name, description))
        told += [w for p in params for w in words(p.about)]
        weights: dict[str, tuple[float, bool]] = {}
        surface: dict[str, str] = {}

        def add(text: str, weight: float) -> None:
            for word in words(text):
                tok = stem(word)
                surface.setdefault(tok, word)
                here = weight * (0.4 if tok in GENERIC else 1.0)
                if weights.get(tok, (0.0, False))[0] < here:
                    weights[tok] = (here, tok in weights and weights[tok][1] or backed(word, told))

        add(name, 3.0)
        names.append({tok: (w, True) for tok, (w, _) in weights.items()})
        add(description, 1.5)
        saying.append(dict(surface))  # the words that say what it does (its variables' say what values are)
        for p in params:
            add(p.name, 1.0)
            add(p.about, 0.5)
        every.append(weights)
        surfaces.append(surface)
        parsed.append(tool)
    index, related = build_index(every, surfaces)
    name_index, _ = build_index(names, related=False)
    return ToolSet(parsed, index, name_index, related, definitions(saying), acting(parsed))


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
