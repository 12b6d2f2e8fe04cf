"""Names: the tool name a model sees for an action, and what to rename a variable whose name cannot be one."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Sequence

from .base import flat_name

if TYPE_CHECKING:
    from .model import Action


@functools.lru_cache(maxsize=4096)
def tool_name(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    return (slug or "action")[:64]


def distinct_tool_names(actions: Sequence[Action]) -> list[Action]:
    """The actions, those whose tool name is already taken by an earlier one renamed ``NAME_2``, ``NAME_3``...
    ("Book Table (v2)!" after "book_table_v2" becomes ``book_table_v2_2``): a model API refuses two tools of
    one name. Deterministic for a given order; names already distinct (or made so before) are kept."""
    taken = {a.tool_name for a in actions}
    seen: set[str] = set()
    out: list[Action] = []
    for action in actions:
        name = action.tool_name
        if name in seen:
            n = 2
            while (new := f"{name[:64 - len(str(n)) - 1]}_{n}") in taken:
                n += 1
            taken.add(new)
            action, name = action.with_tool_name(new), new
        seen.add(name)
        out.append(action)
    return out


def variable_name_problem(name: str) -> tuple[str, str]:
    """What is wrong with a variable name that is not letters, digits and _ (starting with no digit), and a
    valid name to suggest instead: ``("starts with a digit ...", "var_2345")``."""
    valid = flat_name(name)
    if valid[0].isdigit():
        valid = f"var_{valid}"
    bad = "".join(dict.fromkeys(c for c in name if not (c.isascii() and (c.isalnum() or c == "_"))))
    if not name:
        return "is empty", valid
    if bad:
        shown = ", ".join(repr(c) for c in bad[:4])
        return f"has {shown} in it (a name is letters, digits and _ only)", valid
    return "starts with a digit (a name starts with a letter or _)", valid
