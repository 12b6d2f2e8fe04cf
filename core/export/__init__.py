"""Export actions to other tools' formats. Each exporter returns :class:`Exported` (data or text, and
warnings for what the target cannot express, which the CLI prints on stderr)."""

from __future__ import annotations

from typing import Callable

from ..action import Action
from . import curl, openai, openapi, platforms, postman
from .common import Exported

EXPORTERS: dict[str, Callable[[list[Action]], Exported]] = {
    "openai": openai.export, "openapi": openapi.export, "postman": postman.export, "vapi": platforms.vapi,
    "retell": platforms.retell, "elevenlabs": platforms.elevenlabs, "curl": curl.export,
}
FORMATS = tuple(EXPORTERS)


def export(fmt: str, actions: list[Action]) -> Exported:
    return EXPORTERS[fmt](actions)


__all__ = ["EXPORTERS", "FORMATS", "Exported", "export"]
