"""Dialogue state: from the messages so far to one decision (ask, call, reply).

The state is re-derived from the messages on every turn (nothing is kept between calls): the user
messages since the last tool call, which of them answered the simulator's own question (an answer
binds to the variable that was asked for), and the call before them (a correction right after a call,
"sorry, it's AA1118", re-runs it with the corrected value). A caller who takes the request back
("never mind", "I'll keep it", "don't cancel it") gets no call.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from ..base import Message
from .choice import Scores, best_tool, empty, message_scores, own_part, tied_tools, word_scores
from .cues import (ASKING_RE, CANCEL_RE, CHANGED_MIND_RE, CORRECTION_AFTER_RE, HONESTY_RE, HYPOTHETICAL_RE,
                   NEGATED_VERB_RE, NOT_THIS_BUT_THAT_RE, SHIFT_RE)
from .filling import Answer, Text, arguments, candidates, direct_answer, fill, in_month_of, missing
from .evidence import contradicted
from .prompts import ask_text, confirm_text, dropped_text, help_text, honesty_text, negated_text, sorry, which_text
from .recognisers import normalise, scan
from .recognisers.yesno import find_yes_no
from .replies import summary
from .tools import Param, Tool, ToolSet
from .words import tokens

THRESHOLD = 1.5          # a tool is chosen only when its score reaches this
SUPPORT = 0.75           # ... and called without asking first when descriptions back this much of it
EARLIER_WEIGHT = 0.5     # earlier messages of the segment count half as much as the latest


@dataclass
class Decision:
    kind: str  # help | ask | which | confirm | call | honesty | cancel | summary
    text: str = ""
    tool: Tool | None = None
    param: Param | None = None
    calls: list[tuple[Tool, dict[str, Any]]] = field(default_factory=list)
    options: list[Tool] = field(default_factory=list)


def _weighted(texts: list[Text]) -> list[tuple[str, float]]:
    scoring = [t.text for t in texts if not t.consumed]
    return [(text, 1.0 if i == len(scoring) - 1 else EARLIER_WEIGHT) for i, text in enumerate(scoring)]


def _totals(ts: ToolSet, weighted: list[tuple[str, float]], today: dt.date) -> Scores:
    totals = empty(ts)
    for text, weight in weighted:
        totals.plus(message_scores(ts, text, today), weight)
    return totals


def supported(tool: Tool, totals: Scores, said: str, values: dict[str, Any]) -> bool:
    """Whether what the descriptions say backs calling ``tool`` for what was said and the values given
    (else: ask first)."""
    if totals.support[tool.index] < SUPPORT:
        return False
    gave = " ".join(p.label for p in tool.params if p.name in values)
    return not contradicted(f"{said} {gave}", tool.name_words, tool.told, tool.things, tool.verb)


def _switches(ts: ToolSet, text: str, asking: Tool | None, today: dt.date) -> bool:
    """Whether a reply to the simulator's question is a new request for another action instead of an answer
    ("what plan am I on?" when asked for a reason): phrased as a request, and described backing for another
    action that outweighs the one asking."""
    if asking is None or not ASKING_RE.search(text):
        return False
    scores = message_scores(ts, text, today)
    best = max(range(len(ts.tools)), key=lambda i: scores.score[i])
    return (best != asking.index and scores.support[best] >= SUPPORT
            and scores.score[best] > 2 * scores.score[asking.index])


def negated(ts: ToolSet, text: str, tool: Tool | None) -> bool:
    """The caller takes the request back, or says not to do it ("don't cancel it")."""
    if CHANGED_MIND_RE.search(text):
        return True
    for m in NEGATED_VERB_RE.finditer(text):
        word = m.group(1)
        if tool is not None and word_scores(ts, word, ts.index).score[tool.index] > 0:
            return True
    return False


def _decide(ts: ToolSet, texts: list[Text], answers: dict[tuple[str, str], Answer], sticky: Tool | None,
            consumed: bool, failed: Param | None, today: dt.date, confirmed: Tool | None = None) -> Decision:
    weighted = _weighted(texts)
    totals = _totals(ts, weighted, today)
    tied = tied_tools(ts, dict(enumerate(totals.score)), weighted, today)
    best = tied[0] if tied else None
    said = " ".join(text for text, _ in weighted)
    if consumed and sticky is not None:
        tool = sticky
    elif best is not None and totals.score[best] >= THRESHOLD:
        if len(tied) > 1 and sticky is None:
            options = [ts.tools[i] for i in tied]
            return Decision("which", which_text(options), options=options)
        tool = ts.tools[best]
        if tool is not sticky and tool is not confirmed and (HYPOTHETICAL_RE.search(texts[-1].text) or not supported(
                tool, totals, said, fill(tool, texts, answers, today).values)):  # "should I cancel it?" asks first
            return Decision("confirm", confirm_text(tool), tool=tool)
    elif sticky is not None:
        tool = sticky
    elif best is not None and totals.full[best] >= THRESHOLD:
        return Decision("confirm", confirm_text(ts.tools[best]), tool=ts.tools[best])
    else:
        return Decision("help", help_text(ts, texts[-1].text if texts else ""))
    if negated(ts, texts[-1].text, tool):
        return Decision("cancel", negated_text(tool))
    filled = fill(tool, texts, answers, today)
    lacking = missing(tool, filled.values)
    if lacking:
        param = lacking[0]
        note = sorry(param) if failed is not None and failed.name == param.name and not filled.from_latest else ""
        return Decision("ask", ask_text(tool, param, note), tool=tool, param=param)
    calls = [(tool, filled.values, filled.spans)] + _list_calls(tool, texts, filled.values, today)
    calls += _other_calls(ts, tool, texts, answers, filled.spans, calls, today)
    if len(calls) > 1:
        calls.sort(key=lambda c: min(((pos, s) for pos, s, _ in c[2]), default=(0, 0)))
    return Decision("call", tool=tool, calls=[(t, arguments(t, v)) for t, v, _ in calls])


def _list_calls(tool: Tool, texts: list[Text], values: dict[str, Any], today: dt.date) -> list[Any]:
    """"check SKU-1 and SKU-2": one more call per further value of the tool's identifying parameter."""
    key = next((p for p in tool.params if p.shape is not None and not p.shape.digits_only and p.required), None)
    if key is None or not texts:
        return []
    pos = len(texts) - 1
    found = candidates(key, texts[pos].text, today)
    extra = []
    seen = {values.get(key.name)}
    for value, s, e in found:
        if value not in seen:
            seen.add(value)
            extra.append((tool, {**values, key.name: value}, [(pos, s, e)]))
    return extra


def _other_calls(ts: ToolSet, tool: Tool, texts: list[Text], answers: dict[tuple[str, str], Answer],
                 spans: list[tuple[int, int, int]], calls: list[Any], today: dt.date) -> list[Any]:
    """Clearly separate requests in the same message(s): another tool whose values all come from other
    words than the ones already used, and whose own part of the text scores for it above THRESHOLD and
    better than for any tool already called. ONE value never makes two calls."""
    used = list(spans)
    for _, _, extra_spans in calls[1:]:
        used += extra_spans
    for (name, _), answer in answers.items():  # an answer taken whole (no span) uses its whole message
        if name == tool.name and answer.span is None and 0 <= answer.pos < len(texts):
            used.append((answer.pos, 0, len(texts[answer.pos].text)))
    overall = _totals(ts, [(t.text, 1.0 if i == len(texts) - 1 else EARLIER_WEIGHT) for i, t in enumerate(texts)],
                      today)
    scoring = _totals(ts, _weighted(texts), today)
    others = [t for t in ts.tools if t is not tool and t.params
              and max(scoring.score[t.index], overall.score[t.index]) >= THRESHOLD]
    out: list[Any] = []
    called = [c[0] for c in calls]
    while others:
        found: dict[int, tuple[float, Any, list[str]]] = {}
        for other in others:
            extra = fill(other, texts, {}, today)
            if not extra.spans or missing(other, extra.values):
                continue
            if any(pos == p2 and s < e2 and s2 < e for pos, s, e in extra.spans for p2, s2, e2 in used):
                continue
            parts = own_part(texts, extra.spans, used)
            own = empty(ts)
            for part in parts:
                own.plus(message_scores(ts, part, today))
            mine = own.score[other.index]
            if (mine >= THRESHOLD and all(own.score[c.index] < mine for c in called)
                    and supported(other, own, " ".join(parts), extra.values)):
                found[other.index] = (mine, extra, parts)
        if not found:
            break
        pick = best_tool(ts, {i: f[0] for i, f in found.items()},
                         {i: [(part, 1.0) for part in f[2]] for i, f in found.items()})
        assert pick is not None
        extra = found[pick][1]
        out.append((ts.tools[pick], extra.values, extra.spans))
        called.append(ts.tools[pick])
        used += extra.spans
        others = [t for t in others if t.index != pick]
    return out


def _correction(ts: ToolSet, last_call: tuple[Tool, dict[str, Any]] | None, text: str,
                today: dt.date) -> Decision | None:
    """Right after a call, "sorry, I meant X" re-runs it with X in place of the value it corrects."""
    if last_call is None or not CORRECTION_AFTER_RE.search(text):
        return None
    tool, previous = last_call
    values = dict(previous)
    changed = False
    swap = NOT_THIS_BUT_THAT_RE.search(text)
    if swap:
        old, new = swap.group(1).strip().lower(), swap.group(2).strip()
        for name, value in previous.items():
            if isinstance(value, str) and value.lower() == old:
                values[name], changed = new, True
    if not changed:  # "the day after": the date said before, moved
        for p in tool.params:
            moved = _shifted(previous.get(p.name), text) if p.kind == "date" else None
            if moved is not None:
                values[p.name], changed = moved, True
    if not changed:
        found = fill(tool, [Text(text, False)], {}, today).values
        dates = scan(text, today).dates
        for p in tool.params:  # "actually, the 18th": the day of the month of the date sent
            said = next((d for d in dates if d.value == found.get(p.name)), None) if p.kind == "date" else None
            if said is not None:
                found[p.name] = in_month_of(previous.get(p.name), tuple(said), text)[0]
        for name, value in found.items():
            if values.get(name) != value:
                values[name], changed = value, True
    if not changed:
        return None
    return Decision("call", tool=tool, calls=[(tool, arguments(tool, {k: v for k, v in values.items() if v is not None}))])


_COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}


def _shifted(value: Any, text: str) -> str | None:
    """An ISO date moved as the caller says ("the day after" 2026-03-16 is 2026-03-17), or None."""
    m = SHIFT_RE.search(text)
    if m is None or not isinstance(value, str):
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None
    n = m.group("n")
    count = 1 if n is None else int(n) if n.isdigit() else _COUNTS[n.lower()]
    days = count * (7 if (m.group("unit1") or m.group("unit2")).lower() == "week" else 1)
    back = (m.group("dir1") or m.group("dir2")).lower() in ("before", "earlier", "sooner")
    return (day - dt.timedelta(days=days) if back else day + dt.timedelta(days=days)).isoformat()


def _last_call(ts: ToolSet, msgs: list[Message], boundary: int) -> tuple[Tool, dict[str, Any]] | None:
    for m in reversed(msgs[: boundary + 1]):
        if m.role == "assistant" and m.tool_calls:
            call = m.tool_calls[-1]
            tool = next((t for t in ts.tools if t.name == call.name), None)
            try:
                args = json.loads(call.arguments or "{}")
            except json.JSONDecodeError:
                return None
            return (tool, args) if tool is not None and isinstance(args, dict) else None
    return None


def plan(messages: list[Message], ts: ToolSet, today: dt.date) -> Decision:
    msgs = [m for m in messages if m.role != "system"]
    if not msgs:
        return Decision("help", help_text(ts, ""))
    if msgs[-1].role == "tool":
        return Decision("summary", summary(msgs, ts, today))
    boundary = -1
    for i in range(len(msgs) - 1, -1, -1):
        m = msgs[i]
        if m.role == "tool" or (m.role == "assistant" and m.tool_calls):
            boundary = i
            break
    last_call = _last_call(ts, msgs, boundary) if boundary >= 0 else None
    texts: list[Text] = []
    answers: dict[tuple[str, str], Answer] = {}
    pending: Decision | None = None  # the question the simulator asked last
    decision: Decision | None = None
    confirmed: Tool | None = None  # the tool the caller said yes to
    for k in range(boundary + 1, len(msgs)):
        m = msgs[k]
        if m.role != "user":
            continue
        raw = m.content or ""
        text = normalise(raw)
        prev = msgs[k - 1] if k > 0 else None
        asked = pending is not None and prev is not None and prev.role == "assistant" and not prev.tool_calls
        if CANCEL_RE.match(text) or (pending is not None and CHANGED_MIND_RE.search(text)):
            texts, answers, pending = [], {}, None
            decision = Decision("cancel", dropped_text())
            continue
        if HONESTY_RE.search(text):
            decision = Decision("honesty", honesty_text(pending.text if pending else None))
            continue
        if not texts and decision is None:
            corrected = _correction(ts, last_call, text, today)
            if corrected is not None:
                decision = corrected
                continue
        consumed, failed = False, None
        if asked and pending is not None and pending.kind == "confirm":
            said = find_yes_no(text, True)
            if said and not said[0][0]:  # "no": drop it; "no, where is my order?" asks for something else
                texts, answers, pending = [], {}, None
                if not tokens(text[said[0][2]:]):
                    decision = Decision("cancel", negated_text(None))
                    continue
            elif said:
                confirmed, consumed = pending.tool, True
        elif asked and pending is not None and pending.kind == "ask" and _switches(ts, text, pending.tool, today):
            texts, answers, pending = [], {}, None  # a new request instead of an answer: the old one is dropped
        elif asked and pending is not None and pending.kind == "ask":
            assert pending.tool is not None and pending.param is not None
            got = direct_answer(pending.param, text, today, raw)
            if got is not None:
                answers[(pending.tool.name, pending.param.name)] = Answer(got[0], len(texts), got[1])
                consumed = True
            else:
                failed = pending.param
        texts.append(Text(text, consumed))
        sticky = pending.tool if pending and (pending.kind == "ask" or (pending.kind == "confirm" and consumed)) else None
        decision = _decide(ts, texts, answers, sticky, consumed, failed, today, confirmed)
        pending = decision if decision.kind in ("ask", "which", "confirm") else None
        if decision.kind == "cancel":
            texts, answers, pending, confirmed = [], {}, None, None
    if decision is None:
        return Decision("help", help_text(ts, ""))
    return decision
