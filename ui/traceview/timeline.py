"""The conversation's calls on a timeline: when each started within its turn, how long it took, how it ended.

Time runs from the first call of each turn, so calls made in parallel overlap and a slow one stands
out, whether the conversation has one call or a hundred. Calls that failed before anything was
sent (0 ms) still get a mark.
"""

from __future__ import annotations

from typing import Any, Sequence

import pandas as pd
import streamlit as st

from core.agent import Conversation
from core.trace import Trace

from . import labels

ROW_PX = 22
MAX_ROWS = 40  # the latest calls; an older one is in the list below the chart


def timeline_rows(conv: Conversation, limit: int = MAX_ROWS) -> list[dict[str, Any]]:
    """One row per call (the latest ``limit``), with its turn, start and end in ms from the turn's first call."""
    number = {t.id: i + 1 for i, t in enumerate(conv.traces)}
    by_id = {t.id: t for t in conv.traces}
    turn_of: dict[str, int] = {c.trace_id: i + 1 for i, turn in enumerate(conv.turns) for c in turn.calls}
    groups: dict[int, list[Trace]] = {}
    for trace in conv.traces:
        groups.setdefault(turn_of.get(trace.id, 0), []).append(trace)
    rows: list[dict[str, Any]] = []
    for turn, traces in groups.items():
        origin = min(t.started_at for t in traces)
        for t in traces:
            start = (t.started_at - origin).total_seconds() * 1000
            rows.append({
                "call": f"#{number[t.id]}", "n": number[t.id], "turn": turn, "action": t.action,
                "status": labels.status_text(t), "start": round(start, 1), "end": round(start + t.elapsed_ms, 1),
                "ms": round(t.elapsed_ms, 1), "color": labels.COLORS[labels.status_color(by_id[t.id])],
            })
    rows.sort(key=lambda r: r["n"])
    return rows[-limit:]


def timeline_spec(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """A Vega-Lite spec: a bar per call (start to end) and a tick at its start, so a 0 ms call shows too."""
    y = {"field": "call", "type": "nominal", "sort": [r["call"] for r in rows], "title": None,
         "axis": {"labelPadding": 4}}
    color = {"field": "color", "type": "nominal", "scale": None, "legend": None}
    tooltip = [{"field": "call"}, {"field": "action"}, {"field": "turn", "type": "ordinal"},
               {"field": "status"}, {"field": "start", "type": "quantitative", "title": "start (ms)"},
               {"field": "ms", "type": "quantitative", "title": "took (ms)"}]
    return {
        "encoding": {"y": y, "color": color, "tooltip": tooltip},
        "layer": [
            {"mark": {"type": "bar", "cornerRadius": 2},
             "encoding": {"x": {"field": "start", "type": "quantitative", "title": "ms into the turn",
                                # a fixed domain: Vega never computes an extent from (briefly) empty data
                                "scale": {"domain": [0, max(max(r["end"] for r in rows), 1.0)], "nice": True}},
                          "x2": {"field": "end"}}},
            {"mark": {"type": "tick", "thickness": 2, "bandSize": ROW_PX - 6},
             "encoding": {"x": {"field": "start", "type": "quantitative"}}},
        ],
    }


def timeline(conv: Conversation) -> None:
    rows = timeline_rows(conv)
    if not rows:
        return
    st.vega_lite_chart(pd.DataFrame(rows), timeline_spec(rows), width="stretch", height=ROW_PX * len(rows) + 90)
