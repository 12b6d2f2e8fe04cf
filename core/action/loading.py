"""Reading an action: a decoded dict or a file into an Action, any problem as one ActionFileError line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .. import jsonfile
from ..errors import ActionFileError
from .messages import describe
from .model import Action


def parse_action(data: Any, source: str = "action") -> Action:
    """Validate a decoded action dict; errors name the source, the field and the fix."""
    if not isinstance(data, dict):
        raise ActionFileError(f"{source}: an action file holds one JSON object, got {type(data).__name__}")
    jsonfile.check_tree(data, lambda reason: ActionFileError(f"{source}: {reason}"))
    try:
        return Action.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise ActionFileError(f"{source}: {describe(errors[0])}{more}") from None


def load_action(path: str | Path) -> Action:
    """One action file; any problem with it is one ActionFileError line naming the file and the fix."""
    path = Path(path)

    def fail(reason: str) -> ActionFileError:
        return ActionFileError(f"{path}: {reason}")

    data = jsonfile.loads(jsonfile.read_text(path, fail, "action file"), fail)
    return parse_action(data, str(path))
