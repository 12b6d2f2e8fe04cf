"""Comparing two runs of the same user turns (tweak and rerun)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from .conversation import Conversation, Turn


class TurnDiff(BaseModel):
    index: int
    user: str
    old: Turn | None
    new: Turn | None
    changed: list[str]  # which of: action, arguments, status, reply, error


def _calls_key(turn: Turn | None, field: str) -> list[Any]:
    return [getattr(c, field) for c in turn.calls] if turn else []


def compare(old: Conversation, new: Conversation) -> list[TurnDiff]:
    """Turn by turn: which action, arguments, status and reply changed."""
    diffs: list[TurnDiff] = []
    for i in range(max(len(old.turns), len(new.turns))):
        a = old.turns[i] if i < len(old.turns) else None
        b = new.turns[i] if i < len(new.turns) else None
        changed = [name for name, fa, fb in (
            ("action", _calls_key(a, "tool_name"), _calls_key(b, "tool_name")),
            ("arguments", _calls_key(a, "arguments"), _calls_key(b, "arguments")),
            ("status", _calls_key(a, "status_code") + _calls_key(a, "error_kind"),
             _calls_key(b, "status_code") + _calls_key(b, "error_kind")),
            ("reply", a.reply if a else None, b.reply if b else None),
            ("error", a.error if a else None, b.error if b else None),
        ) if fa != fb]
        diffs.append(TurnDiff(index=i, user=(a or b).user, old=a, new=b, changed=changed))  # type: ignore[union-attr]
    return diffs
