"""Filling parameters from the conversation: candidates by type, direct answers, the arguments."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from .words import _tokens
from .recognisers import _bool_candidates, _overlaps, _scan
from .tools import _Param, _Tool, _normalise_shaped

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
