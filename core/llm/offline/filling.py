"""Filling parameters from the conversation: candidates by kind, direct answers, corrections, arguments."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from .recognisers import Found, overlaps, scan
from .recognisers.codes import choice_matches, meaning_matches, normalise_shaped, shaped_matches
from .recognisers.text import clean_answer, find_free_text
from .recognisers.yesno import find_yes_no
from .tools import Param, Tool
from .words import tokens

#: a caller correcting themself inside one message: the value after it wins
CORRECTION_RE = re.compile(r"\b(?:no+|sorry|oops|wait|actually|rather|i\s+mean[t]?|make\s+(?:it|that)|instead|"
                           r"scratch\s+that|correction|not)\b", re.I)


@dataclass
class Text:
    text: str  # the message as normalised (spoken numbers as digits, ...)
    consumed: bool  # a direct answer to the simulator's question


@dataclass
class Answer:
    value: Any
    pos: int
    span: tuple[int, int] | None


def candidates(param: Param, text: str, today: dt.date, direct: bool = False) -> list[tuple[Any, int, int]]:
    """Values for ``param`` in one message, in text order."""
    if param.shape is not None:
        found = [(v, s, e) for v, s, e, _ in shaped_matches(param.shape, text)]
        if param.shape.letters_only:  # "the ICAO code": the words that name the value are not one
            named = {w.lower() for w in re.findall(r"[A-Za-z]+", f"{param.label} {param.about}")}
            found = [f for f in found if f[0].lower() not in named]
        if not found and not param.shape.digits_only and not param.shape.letters_only:
            found = labelled_code(param, text)
        if found or not param.shape.digits_only or param.kind == "string":
            return found
    if param.enum:
        return choice_matches(param.enum, text) or meaning_matches(param.enum, text)
    kind = param.kind
    if kind in ("email", "phone", "date", "time", "integer", "number"):
        sc = scan(text, today)
        field = {"email": "emails", "phone": "phones", "date": "dates", "time": "times", "integer": "integers",
                 "number": "numbers"}[kind]
        found = getattr(sc, field)
        if kind in ("integer", "number"):  # money goes to an amount, counts and readings take the other numbers
            money = [f for f in found if f in sc.amounts]
            if param.money:  # from the first amount on (a correction after it may drop the "dollars")
                found = [f for f in found if f.start >= money[0].start] if money else found
            else:
                found = [f for f in found if f not in money]
        if not found and kind == "integer" and _PEOPLE_RE.search(f"{param.label} {param.about}"):
            return people(text)  # "just me", "me and my wife"
        return [tuple(f) for f in found]
    if kind == "boolean":
        return find_yes_no(text, direct, frozenset(tokens(param.name)), lambda t: set(tokens(t)))
    if not direct:
        return find_free_text(text, param.role, param.cues)
    return []


_PEOPLE_RE = re.compile(r"\b(?:people|persons?|passengers?|travell?ers?|guests?|adults?|seats?|tickets?|party|"
                        r"travel)\b", re.I)
_SOLO_RE = re.compile(r"\b(?:just|only)\s+(?:me|myself)\b|\b(?:by|for)\s+myself\b|\b(?:alone|solo)\b|"
                      r"^\W*(?:me|myself)\W*$", re.I)
_PAIR_RE = re.compile(r"\b(?:me\s+and\s+(?:my|a)\s+\w+|(?:my|a)\s+\w+\s+and\s+(?:me|i|myself)|both\s+of\s+us|"
                      r"the\s+two\s+of\s+us|a\s+couple)\b", re.I)


def people(text: str) -> list[tuple[Any, int, int]]:
    """How many people the caller counted without a number: "just me" is 1, "me and my wife" 2."""
    for count, pattern in ((2, _PAIR_RE), (1, _SOLO_RE)):
        m = pattern.search(text)
        if m:
            return [(count, m.start(), m.end())]
    return []


def labelled_code(param: Param, text: str) -> list[tuple[Any, int, int]]:
    """A code of letters and digits said right after the variable's own words, whatever its shape: "the
    reference is HTL-4821" for a booking reference whose example is HB-40211 (APIs change formats; a
    model takes what the caller labels)."""
    label = "|".join(re.escape(w) for w in param.label_words if len(w) > 2)
    if not label:
        return []
    pattern = (r"\b(?:" + label + r")(?:\s+(?:number|no\.?|#|id|code|ref))?\s*(?:is\s+|:\s*|#\s*)?"
               r"((?=[A-Za-z0-9-]*\d)(?=[A-Za-z0-9-]*[A-Za-z]|\d{4})[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*)\b")
    return [(m.group(1).upper() if param.shape and param.shape.case == "upper" else m.group(1), m.start(1), m.end(1))
            for m in re.finditer(pattern, text, re.I) if 3 <= len(m.group(1)) <= 24 and not _NOT_A_CODE_RE.fullmatch(m.group(1))]


_NOT_A_CODE_RE = re.compile(r"\d{1,2}(?:am|pm)|\d+(?:st|nd|rd|th|kg|km|gb|mb|h|hrs?|min|mins|x)|\d{4}-\d{2}-\d{2}",
                            re.I)  # 2pm, 15th, 3kg, a date


#: a value the caller rules out in its own clause ("can't make it on Friday", "not Phoenix")
RULED_OUT_RE = re.compile(r"\b(?:can'?t|cannot|can\s+not|couldn'?t|won'?t|not|no\s+longer|instead\s+of|rather\s+than|"
                          r"except)\b[^,.;!?]*$", re.I)
_CLAUSE_RE = re.compile(r"[,.;!?]|\b(?:but|and|so)\b", re.I)


def ruled_out(text: str, start: int) -> bool:
    """Whether the clause before ``start`` says the value there is not wanted."""
    before = text[:start]
    cut = max((m.end() for m in _CLAUSE_RE.finditer(before)), default=0)
    return bool(RULED_OUT_RE.search(before[cut:]))


def pick(found: list[tuple[Any, int, int]], text: str) -> tuple[Any, int, int]:
    """The first value, unless the caller corrected themself after it ("30, no sorry, 35") or ruled it out
    ("can't make it on Friday, push it to December 12th")."""
    if len(found) > 1:
        wanted = [f for f in found if not ruled_out(text, f[1])]
        found = wanted or found
    if len(found) > 1:
        for later in reversed(found[1:]):
            if CORRECTION_RE.search(text, found[0][2], later[1]):
                return in_month_of(found[0][0], later, text)
    return found[0]


_BARE_DAY_RE = re.compile(r"(?:the\s+)?\d{1,2}(?:st|nd|rd|th)", re.I)


def in_month_of(before: Any, later: tuple[Any, int, int], text: str) -> tuple[Any, int, int]:
    """A correction that names only a day ("the 12th of April, no wait, the 14th") keeps the month and year of
    the date it corrects."""
    value, s, e = later
    if not (isinstance(before, str) and isinstance(value, str) and _BARE_DAY_RE.fullmatch(text[s:e].strip())):
        return later
    try:
        return dt.date.fromisoformat(before).replace(day=dt.date.fromisoformat(value).day).isoformat(), s, e
    except ValueError:  # not dates, or no such day in that month
        return later


def direct_answer(param: Param, text: str, today: dt.date, raw: str | None = None
                  ) -> tuple[Any, tuple[int, int] | None] | None:
    """The value a reply to "what is <param>?" gives, or None. A sentence answering a free-text question
    is kept as the caller said it (``raw``: "five minutes" stays words)."""
    stripped = text.strip()
    if not stripped:
        return None
    found = candidates(param, stripped, today, direct=True)
    if found:
        value, s, e = pick(found, stripped)
        offset = len(text) - len(text.lstrip())
        return value, (s + offset, e + offset)
    if param.kind != "string":
        return None
    if param.role in ("name", "place", "address") and _only_a_typed_value(stripped, today):
        return None  # "2026-04-04" answers no "which city?": it is left for the variable it fits
    if param.shape is not None:
        token = clean_answer(stripped, "free", param.label_words).rstrip(".!?,;")
        if token and not any(c.isspace() for c in token) and len(token) <= 64:
            runs = len(re.findall(r"[A-Za-z]+|\d+", token))
            return (normalise_shaped(param.shape, token) if runs == len([p for p in param.shape.parts if p.isalnum()])
                    else token), None
        return None
    if param.role in ("free", "labelled", "thing", "reason", "problem") and raw is not None and len(raw.split()) > 3:
        bare = clean_answer(raw.strip(), "free", param.label_words, keep_stop=True)
    else:
        bare = clean_answer(text, param.role, param.label_words)  # the Heard message: the caller's own words
    return (bare, None) if bare else None


def _only_a_typed_value(text: str, today: dt.date) -> bool:
    """Whether a message is nothing but a date, time, email, phone number or number."""
    sc = scan(text, today)
    rest = text
    for f in (*sc.emails, *sc.phones, *sc.dates, *sc.times, *sc.numbers):
        rest = rest[: f.start] + " " * (f.end - f.start) + rest[f.end:]
    return rest.strip(" .,!?;:") == "" and rest != text


_PRIORITY = {"email": 2, "phone": 3, "date": 4, "time": 4, "integer": 5, "number": 5, "boolean": 6, "string": 7}


def _priority(p: Param) -> int:
    if p.shape is not None and not p.shape.digits_only:
        return 0
    if p.enum:
        return 1
    if p.shape is not None:
        return 4
    return _PRIORITY.get(p.kind, 7)


@dataclass
class Fill:
    values: dict[str, Any]
    spans: list[tuple[int, int, int]]  # (message position, start, end) of values found in free text
    from_latest: bool


def fill(tool: Tool, texts: list[Text], answers: dict[tuple[str, str], Answer], today: dt.date) -> Fill:
    """Each parameter's value: its answer, else the latest message that holds one (later corrects earlier)."""
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
    for p in sorted(tool.params, key=_priority):
        for pos in range(last, -1, -1):
            found = [f for f in candidates(p, texts[pos].text, today) if not overlaps(used.get(pos, ()), f[1], f[2])]
            answer = answers.get((tool.name, p.name))
            if not found or (answer is not None and answer.pos >= pos):
                if answer is not None and answer.pos >= pos:
                    break
                continue
            value, s, e = pick(found, texts[pos].text)
            values[p.name] = value
            used.setdefault(pos, []).append((s, e))
            spans.append((pos, s, e))
            from_latest = from_latest or pos == last
            break
    return Fill(values, spans, from_latest)


def missing(tool: Tool, values: dict[str, Any]) -> list[Param]:
    return [p for p in tool.params if p.required and not p.has_default and p.name not in values]


def arguments(tool: Tool, values: dict[str, Any]) -> dict[str, Any]:
    args = {p.name: values[p.name] for p in tool.params if p.name in values}
    for p in tool.params:  # strict schemas list every property: send null for the optional ones not found
        if p.nullable and p.name not in args:
            args[p.name] = None
    return args


__all__ = ["Answer", "CORRECTION_RE", "Fill", "Found", "Text", "arguments", "candidates", "direct_answer", "fill",
           "missing", "pick"]
