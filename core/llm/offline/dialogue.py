"""Dialogue state: from the messages so far to one decision (ask, call, reply)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ..base import Message
from .tools import _Param, _Tool, _ToolSet
from .choice import _best_tool, _message_scores, _own_part
from .filling import _Answer, _Fill, _Text, _arguments, _direct_answer, _fill, _missing
from .prompts import _CANCEL_RE, _HONESTY_RE, _ask_text, _help_text, _honesty_text, _sorry
from .replies import _summary

THRESHOLD = 1.5
EARLIER_WEIGHT = 0.5     # earlier messages of the segment count half as much as the latest

# --------------------------------------------------------------------------- planning


@dataclass
class _Decision:
    kind: str  # help | ask | call | honesty | cancel | summary
    text: str = ""
    tool: _Tool | None = None
    param: _Param | None = None
    calls: list[tuple[_Tool, dict[str, Any]]] = field(default_factory=list)


#: where one request ends and another may start: a sentence or clause break, or "and" / "also" / "then"


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
