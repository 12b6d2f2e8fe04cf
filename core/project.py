"""Project settings: the target platform, read from ``playground.toml`` (or ``PLAYGROUND_TARGET``).

The target decides whether an action's URL may hold path placeholders, and which methods it sends:

* ``synthflow`` (the default) keeps the static-URL rule and the seed's five methods: lint reports a
  path placeholder, or a HEAD, OPTIONS or extension method, as an error with the fix, and
  ``playground call`` refuses the action;
* ``generic`` allows ``/orders/{{order_id}}`` when each placeholder is a declared variable; its
  value is URL-encoded as one path segment (as Vapi, Retell and ElevenLabs do); and any method
  (core.methods).

The setting lives in a ``playground.toml`` next to the action files or in any folder above them
(``target = "generic"``); the environment variable ``PLAYGROUND_TARGET`` overrides it.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from .action import Action
from .errors import ActionFileError
from .methods import method_fix

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

Target = Literal["synthflow", "generic"]
TARGETS: tuple[str, ...] = Target.__args__  # type: ignore[attr-defined]
DEFAULT_TARGET: Target = "synthflow"
CONFIG_NAME = "playground.toml"
ENV_VAR = "PLAYGROUND_TARGET"


@dataclass(frozen=True)
class TargetSetting:
    target: str
    source: str  # where it came from: a playground.toml path, the environment variable, or "default"

    def describe(self) -> str:
        return f"target {self.target} ({self.source})"


def find_config(start: str | Path) -> Path | None:
    """The nearest playground.toml in ``start`` (a folder or a file's folder) or a folder above it."""
    here = Path(start).resolve()
    if not here.is_dir():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def _check(value: object, source: str) -> str:
    if value not in TARGETS:
        raise ActionFileError(f"{source}: target {value!r} is unknown; use one of: {', '.join(TARGETS)}")
    return str(value)


def target_for(start: str | Path | None = None) -> TargetSetting:
    """The target that applies to actions in ``start`` (default: the current folder)."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return TargetSetting(_check(env, ENV_VAR), ENV_VAR)
    config = find_config(start if start is not None else Path.cwd())
    if config is None:
        return TargetSetting(DEFAULT_TARGET, "default")
    try:
        data = tomllib.loads(config.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ActionFileError(f"{config}: cannot read it ({exc}); write e.g. target = \"generic\"") from None
    if "target" not in data:
        return TargetSetting(DEFAULT_TARGET, f"default; {config} sets no target")
    return TargetSetting(_check(data["target"], str(config)), str(config))


def static_url_fix(names: list[str]) -> str:
    listed = ", ".join("{{" + n + "}}" for n in names)
    return (f"the URL path has {listed}, but the synthflow target needs a static URL: move the value to a "
            f"query parameter or the body, or set target = \"generic\" in {CONFIG_NAME}")


def check_target(action: Action, target: str) -> None:
    """Refuse an action the target cannot send (path placeholders, or a method beyond the five, under synthflow)."""
    if target != "synthflow":
        return
    names = action.path_placeholders()
    if names:
        raise ActionFileError(f"{action.name}: {static_url_fix(names)}")
    fix = method_fix(action.method)
    if fix:
        raise ActionFileError(f"{action.name}: {fix}")
