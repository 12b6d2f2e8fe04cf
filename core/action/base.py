"""What every model of the action file shares: unknown fields are errors, and schemas are built on first use.

The modules that define models do not use ``from __future__ import annotations``: pydantic would have
to compile and evaluate every annotation string when a class is created (start-up time of every command).
"""

import re

from pydantic import BaseModel, ConfigDict

NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class FileModel(BaseModel):
    """A part of an action file. Its validator is built when the first file is read (``defer_build``):
    one schema for the whole Action instead of one per sub-model at import."""

    model_config = ConfigDict(extra="forbid", defer_build=True)


def flat_name(name: str) -> str:
    """``name`` as letters, digits and ``_`` (what a name that is not one could be renamed to)."""
    return re.sub(r"[^A-Za-z0-9_]+", "_", name).strip("_") or "value"
