"""Checking one turn against its expectations: the differences, most important first."""

from __future__ import annotations

import json
import re
from typing import Any, Sequence

from ..action import tool_name
from ..agent import Turn
from ..trace import Trace
from .model import STATUS_CLASS_RE, Expectation

def _short(value: Any, limit: int = 80) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    text = re.sub(r"\s+", " ", text)
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


def _scalar_text(v: Any) -> str | None:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)
    if isinstance(v, str):
        return v.strip()
    return None


def values_match(expected: Any, actual: Any) -> bool:
    """Equal as JSON values, or as scalars written differently (3 and "3", true and "true")."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        return expected.keys() == actual.keys() and all(values_match(expected[k], actual[k]) for k in expected)
    if isinstance(expected, list) and isinstance(actual, list):
        return len(expected) == len(actual) and all(values_match(e, a) for e, a in zip(expected, actual))
    if isinstance(expected, bool) or isinstance(actual, bool):  # True is not 1
        return _scalar_text(expected) == _scalar_text(actual) and _scalar_text(expected) is not None
    if expected == actual:
        return True
    a, b = _scalar_text(expected), _scalar_text(actual)
    return a is not None and b is not None and a == b


def _call_matches(call: Any, ref: str) -> bool:
    key = ref.lower()
    return (call.action or "").lower() == key or call.tool_name.lower() == key or call.tool_name == tool_name(ref)


def _call_names(calls: Sequence[Any], like: str) -> str:
    """Names of the calls, as tool names when the expectation was written as a tool name."""
    as_tool = like == tool_name(like)
    return ", ".join(c.tool_name if as_tool or not c.action else c.action for c in calls)


def _status_ok(expected: Any, status: int | None) -> bool:
    for item in expected if isinstance(expected, list) else [expected]:
        if isinstance(item, int) and status == item:
            return True
        if isinstance(item, str):
            text = item.strip().lower()
            if text == "none" and status is None:
                return True
            if STATUS_CLASS_RE.match(text) and status is not None and str(status)[0] == text[0]:
                return True
    return False


def _status_text(expected: Any) -> str:
    items = expected if isinstance(expected, list) else [expected]
    texts = ["no response" if str(i).lower() == "none" else str(i) for i in items]
    return texts[0] if len(texts) == 1 else "one of " + ", ".join(texts)


def _error_ok(expected: Any, kind: str | None) -> bool:
    for item in expected if isinstance(expected, list) else [expected]:
        if (item == "none" and kind is None) or (item == "any" and kind is not None) or item == kind:
            return True
    return False


def _error_text(expected: Any) -> str:
    items = expected if isinstance(expected, list) else [expected]
    texts = ["no error" if i == "none" else "an error" if i == "any" else f"error {i}" for i in items]
    return texts[0] if len(texts) == 1 else "one of: " + ", ".join(texts)


def check_turn(expect: Expectation, turn: Turn, traces: Sequence[Trace] = ()) -> list[str]:
    """The differences between what a turn did and what was expected, most important first ([] = pass).

    Messages read after ``turn N: `` e.g. ``expected action check_inventory, got order_status``. ``traces``:
    the turn's traces, so a request that no longer matches its recording is named first. A call that was
    not sent (a dry run) has no status, error or reply to check: those expectations are skipped for it.
    """
    out: list[str] = [f"{t.tool_name}: {t.error.message}" for t in traces
                      if t.error is not None and t.error.kind == "replay_mismatch"]
    if turn.error:
        out.append(f"the turn failed: {turn.error}")
    calls = list(turn.calls)
    call = calls[-1] if calls else None  # the checked call
    checked_call = True
    if expect.action is not None:
        if expect.action == "none":
            checked_call = False
            if calls:
                out.append(f"expected no action, got {_call_names(calls, calls[0].tool_name)}")
        else:
            matching = [c for c in calls if _call_matches(c, expect.action)]
            if matching:
                call = matching[-1]
            else:
                checked_call = False
                got = _call_names(calls, expect.action) if calls else "no call"
                out.append(f"expected action {expect.action}, got {got}")
    if expect.max_dead_air_ms is not None and turn.dead_air_ms is not None \
            and turn.dead_air_ms > expect.max_dead_air_ms:
        why = turn.dead_air_hint or (f"the caller heard silence while {turn.dead_air_call} ran: give it speak_during, "
                                     "a faster endpoint, or mode: async" if turn.dead_air_call else "")
        out.append(f"expected at most {expect.max_dead_air_ms:g} ms of dead air, got {turn.dead_air_ms:.0f} ms"
                   + (f" ({why})" if why else ""))
    if expect.max_calls is not None and len(calls) > expect.max_calls:
        out.append(f"expected at most {expect.max_calls} tool call{'s' if expect.max_calls != 1 else ''}, "
                   f"got {len(calls)} ({_call_names(calls, calls[0].tool_name)})")
    needs_call = (expect.arguments is not None or expect.arguments_exact is not None
                  or expect.arguments_regex is not None or expect.status is not None
                  or (expect.error is not None and not _error_ok(expect.error, None)))
    if checked_call and call is None and needs_call:
        out.append("expected a tool call, got no call")
    elif checked_call and call is not None:
        args = call.arguments if isinstance(call.arguments, dict) else {}
        for name, value in (expect.arguments or {}).items():
            if name not in args:
                out.append(f"expected argument {name} = {_short(value)}, got no {name} (arguments: {_short(args)})")
            elif not values_match(value, args[name]):
                out.append(f"expected argument {name} = {_short(value)}, got {_short(args[name])}")
        if expect.arguments_exact is not None and not values_match(expect.arguments_exact, args):
            out.append(f"expected arguments exactly {_short(expect.arguments_exact)}, got {_short(args)}")
        for name, pattern in (expect.arguments_regex or {}).items():
            if name not in args:
                out.append(f"expected argument {name} to match {pattern!r}, got no {name}")
                continue
            value = args[name]
            text = value if isinstance(value, str) else _scalar_text(value) or json.dumps(value, default=str)
            if not re.search(pattern, text):
                out.append(f"expected argument {name} to match {pattern!r}, got {_short(value)}")
        if call.delivery == "dry_run":  # nothing was sent, so there is no outcome to check
            return out
        if expect.status is not None and not _status_ok(expect.status, call.status_code):
            got = call.status_code if call.status_code is not None else "no response"
            if call.status_code is None and call.error_kind:
                got = f"no response ({call.error_kind})"
            out.append(f"expected status {_status_text(expect.status)}, got {got}")
        if expect.error is not None and not _error_ok(expect.error, call.error_kind):
            out.append(f"expected {_error_text(expect.error)}, got {'error ' + call.error_kind if call.error_kind else 'no error'}"
                       + (f" (status {call.status_code})" if call.status_code is not None else ""))
    for fragment in ([expect.reply_contains] if isinstance(expect.reply_contains, str)
                     else expect.reply_contains or []):
        if fragment.lower() not in turn.reply.lower():
            out.append(f"expected the reply to contain {fragment!r}, got {_short(turn.reply)}")
    if expect.reply_regex is not None and not re.search(expect.reply_regex, turn.reply):
        out.append(f"expected the reply to match {expect.reply_regex!r}, got {_short(turn.reply)}")
    return out

