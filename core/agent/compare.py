"""Comparing two runs of the same user turns (tweak and rerun), honestly: what changed, turn by turn, with the
request difference field by field, and nothing for values that change on every run (see ``volatile``)."""

from __future__ import annotations

from typing import Sequence

from pydantic import BaseModel, Field

from ..recording.changes import changes, request_changes
from ..trace import Trace
from .conversation import CallRecord, Conversation, Turn
from .volatile import DEFAULT_RULES, Rule, Volatile, parse_rules

#: the kinds of change, in the order a summary names them
CHANGES = ("action", "arguments", "request", "status", "response", "reply", "error")


class CallDiff(BaseModel):
    """One call of a turn, before and after (paired by position)."""

    old_tool: str | None
    new_tool: str | None
    old_trace: str | None = None  # trace ids
    new_trace: str | None = None
    arguments: list[str] = Field(default_factory=list)  # "order_number: ORD-10042 → 10042"
    request: list[str] = Field(default_factory=list)  # "body.qty: 2 → 3" (same action only)
    status: str | None = None  # "200 → 404" when the outcome changed
    response: list[str] = Field(default_factory=list)  # body changes beyond volatile values (same status only)

    @property
    def changed(self) -> bool:
        return bool(self.old_tool != self.new_tool or self.arguments or self.request or self.status or self.response)


class TurnDiff(BaseModel):
    index: int  # 0-based
    user: str
    old: Turn | None
    new: Turn | None
    changed: list[str]  # which of CHANGES
    details: list[str] = Field(default_factory=list)  # the changes in words: "status 200 → 404"
    calls: list[CallDiff] = Field(default_factory=list)


def outcome(call: CallRecord | None) -> str:
    """What a call came to, in a word or two: ``200``, ``404``, ``timeout``, ``not sent (held)``."""
    if call is None:
        return "no call"
    if call.delivery == "dry_run":
        return "not sent (dry run)"
    if call.delivery == "held":
        return "not sent (held)"
    if call.status_code is not None:
        extra = call.error_kind if call.error_kind and not call.error_kind.startswith("http_") else None
        return f"{call.status_code} {extra}" if extra else str(call.status_code)
    return call.error_kind or "no response"


def _call_diff(a: CallRecord | None, b: CallRecord | None, old: dict[str, Trace], new: dict[str, Trace],
               vol: Volatile, gen_old: dict[str, str], gen_new: dict[str, str]) -> CallDiff:
    d = CallDiff(old_tool=a.tool_name if a else None, new_tool=b.tool_name if b else None,
                 old_trace=a.trace_id if a else None, new_trace=b.trace_id if b else None)
    if a is None or b is None or a.tool_name != b.tool_name:
        if outcome(a) != outcome(b):
            d.status = f"{outcome(a)} → {outcome(b)}"
        return d
    d.arguments = [str(c) for c in changes(a.arguments, b.arguments)]
    ta, tb = old.get(a.trace_id), new.get(b.trace_id)
    if not d.arguments and ta is not None and tb is not None and ta.request and tb.request:
        d.request = [str(c) for c in request_changes(ta.request, tb.request)]
    if outcome(a) != outcome(b):
        d.status = f"{outcome(a)} → {outcome(b)}"
    elif ta is not None and tb is not None and ta.response is not None and tb.response is not None:
        d.response = [str(c) for c in changes(vol.body(ta, gen_old), vol.body(tb, gen_new), "response")]
    return d


def _turn_diff(i: int, a: Turn | None, b: Turn | None, old: dict[str, Trace], new: dict[str, Trace],
               vol: Volatile, gen_old: dict[str, str], gen_new: dict[str, str]) -> TurnDiff:
    calls_a, calls_b = (a.calls if a else []), (b.calls if b else [])
    calls = [_call_diff(calls_a[k] if k < len(calls_a) else None, calls_b[k] if k < len(calls_b) else None,
                        old, new, vol, gen_old, gen_new) for k in range(max(len(calls_a), len(calls_b)))]
    found: dict[str, str] = {}
    tools_a, tools_b = [c.tool_name for c in calls_a], [c.tool_name for c in calls_b]
    if tools_a != tools_b:
        found["action"] = f"action {', '.join(tools_a) or 'none'} → {', '.join(tools_b) or 'none'}"
    if any(c.arguments for c in calls):
        found["arguments"] = "arguments: " + "; ".join(x for c in calls for x in c.arguments)
    if any(c.request for c in calls):
        found["request"] = "request: " + "; ".join(x for c in calls for x in c.request)
    statuses = [c.status for c in calls if c.status]
    if statuses:
        found["status"] = "status " + ", ".join(statuses)
    if any(c.response for c in calls):
        found["response"] = "response: " + "; ".join(x for c in calls for x in c.response)
    reply_a = vol.text(a.reply, gen_old) if a else None
    reply_b = vol.text(b.reply, gen_new) if b else None
    if reply_a != reply_b:
        found["reply"] = "reply"
    if (a.error if a else None) != (b.error if b else None):
        found["error"] = "error"
    changed = [k for k in CHANGES if k in found]
    return TurnDiff(index=i, user=(a or b).user, old=a, new=b, changed=changed,  # type: ignore[union-attr]
                    details=[found[k] for k in changed], calls=calls)


def compare(old: Conversation, new: Conversation, rules: Sequence[Rule] | str | None = None) -> list[TurnDiff]:
    """Turn by turn: which action, arguments, request, status, response, reply and error changed.

    ``rules``: what to ignore (see core.agent.volatile; default :data:`DEFAULT_RULES`): a response field named
    like a generated id or timestamp, and that value wherever a reply repeats it, unless the request sent it.
    """
    vol = Volatile(parse_rules(rules) if isinstance(rules, str) else parse_rules(DEFAULT_RULES) if rules is None
                   else rules)
    old_traces, new_traces = {t.id: t for t in old.traces}, {t.id: t for t in new.traces}
    gen_old, gen_new = vol.generated(old.traces), vol.generated(new.traces)
    return [_turn_diff(i, old.turns[i] if i < len(old.turns) else None, new.turns[i] if i < len(new.turns) else None,
                       old_traces, new_traces, vol, gen_old, gen_new)
            for i in range(max(len(old.turns), len(new.turns)))]


def _headline(d: TurnDiff) -> str:
    parts = []
    for kind, detail in zip(d.changed, d.details):
        parts.append(detail if kind in ("status", "action") else kind)
    return ", ".join(parts)


def summary(diffs: Sequence[TurnDiff], limit: int = 4) -> str:
    """``2 of 9 turns changed: turn 1 status 200 → 404, turn 4 arguments``."""
    changed = [d for d in diffs if d.changed]
    head = f"{len(changed)} of {len(diffs)} turn{'s' if len(diffs) != 1 else ''} changed"
    if not changed:
        return head
    parts = [f"turn {d.index + 1} {_headline(d)}" for d in changed[:limit]]
    more = f", and {len(changed) - limit} more" if len(changed) > limit else ""
    return f"{head}: {', '.join(parts)}{more}"
