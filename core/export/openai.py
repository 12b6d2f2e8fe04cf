"""OpenAI function tools (what the playground's models receive)."""

from __future__ import annotations

from ..action import Action
from ..schema import tool_schema
from .common import Exported


def export(actions: list[Action]) -> Exported:
    return Exported(data=[tool_schema(a) for a in actions])
