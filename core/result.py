"""trace + action -> what the model receives: the picked fields (or the whole body), with the status, cut
to ``max_chars``; and the result variables a call sets. Pure: no I/O."""

from __future__ import annotations

import json
from typing import Any, Iterable, Mapping

from .action import Action
from .instances import construct
from .pick import evaluate, miss_note
from .trace import ResultInfo, Trace, cut_text

#: what the model receives at most when the action sets no ``result.max_chars``
RESULT_CAP = 4000
ASYNC_STARTED = "started; the result will not be waited for"


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)


def _picked(trace: Trace, action: Action) -> tuple[dict[str, Any] | None, list[str]]:
    """(name -> value, notes about picks that matched nothing); (None, ...) when nothing could be picked."""
    resp = trace.response
    if not action.picks or trace.error is not None or resp is None:
        return None, []
    if not resp.is_json:
        why = "was cut at the size cap before it could be parsed" if resp.truncated else "is not JSON"
        return None, [f"The response {why}, so result.pick could not read it; the model got the raw text."]
    picks: dict[str, Any] = {}
    notes = []
    for name, expr in action.picks.items():
        value, matched = evaluate(expr, resp.body)
        picks[name] = value
        if not matched:
            notes.append(f"result.pick.{name}: {miss_note(expr, resp.body)}. The model got null for {name}; "
                         "fix the JSONPath.")
    return picks, notes


def shape(trace: Trace, action: Action | None, cap: int = RESULT_CAP) -> Trace:
    """Set ``trace.result`` (the exact text the model receives, the picks, whether it was cut) and add the
    hints about picks that matched nothing or a cut result. Idempotent: a second call gives the same."""
    limit = action.result.max_chars if action and action.result and action.result.max_chars else cap
    picks, notes = _picked(trace, action) if action else (None, [])
    trace.result = None  # shaped afresh (a second call gives the same)
    full = _dump(trace.model_data(picks)) if picks is not None else trace.to_tool_result(cap=10**9)
    text, was_cut = cut_text(full, limit)
    if was_cut and action is not None and action.result is not None:  # (without `result`: marked in trace.result)
        what = "the picked fields" if picks is not None else "the response"
        notes.append(f"The model received only the first {limit} characters of {what} (result.max_chars = "
                     f"{limit}): pick only the fields the agent needs (result.pick) or raise result.max_chars.")
    trace.hints += [n for n in notes if n not in trace.hints]
    trace.result = construct(ResultInfo, {"picks": picks, "text": text, "cut": was_cut, "max_chars": limit})
    return trace


def started_result(cap: int = RESULT_CAP) -> ResultInfo:
    """What the model receives for an async call: at once, before the call has an outcome."""
    return ResultInfo(text=_dump({"status": "started", "note": ASYNC_STARTED}), max_chars=cap)


def unset_variable_hints(action: Action, actions: Iterable[Action], variables: Mapping[str, Any]) -> list[str]:
    """For each placeholder of ``action`` that another action's result pick would set but has not yet:
    which action to call first."""
    out = []
    for name in action.placeholder_names():
        if name in variables or action.variable(name) is not None:
            continue
        setters = [a.name for a in actions if a is not action and name in a.picks]
        if setters:
            out.append(f"{{{{{name}}}}} is a result variable set by {' or '.join(setters)} (result.pick.{name}), "
                       f"which has not run yet in this conversation: call {setters[0]} first.")
    return out


def variables(trace: Trace) -> dict[str, Any]:
    """The result variables a call sets: its picks that matched (a null pick sets nothing)."""
    if trace.result is None or not trace.result.picks:
        return {}
    return {k: v for k, v in trace.result.picks.items() if v is not None}
