"""Fingerprints of what a model was sent (messages and tools), and what changed when one differs.

A message's fingerprint is a short digest of it as the model receives it (OpenAI form); the turn's fingerprint
covers the digests of all its messages and of the tools. Only digests are stored, so a recording stays short;
the tools are stored whole (they are what a user tweaks), so a change names the tool and the field.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Sequence

from .model import Seen


def digest(value: Any, size: int = 12) -> str:
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, ensure_ascii=False,
                                                           separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:size]


def message_label(message: Any) -> str:
    """``user 1a2b3c4d5e6f``, ``tool lookup_order_status 9c8d7e6f5a4b``: role, tool name, digest."""
    data = message.to_openai() if hasattr(message, "to_openai") else dict(message)
    name = getattr(message, "name", None) if hasattr(message, "to_openai") else data.get("name")
    role = data.get("role", "?")
    return f"{role} {name} {digest(data)}" if role == "tool" and name else f"{role} {digest(data)}"


def input_digest(labels: Sequence[str], tools_digest: str) -> str:
    return digest(tools_digest + "\n" + "\n".join(labels), 16)


def seen(messages: Sequence[Any], tools: Sequence[dict[str, Any]], previous: Sequence[str] = ()) -> Seen:
    """The fingerprint of one model turn. ``previous``: the labels of the messages already fingerprinted in
    this conversation (they are not digested again)."""
    new = [message_label(m) for m in messages[len(previous):]]
    td = digest(list(tools))
    return Seen(digest=input_digest([*previous, *new], td), tools=td, messages=len(messages), new=new)


def tool_functions(tools: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """OpenAI tool schemas -> {name: {description, parameters}} (what a recording keeps of them)."""
    out: dict[str, dict[str, Any]] = {}
    for tool in tools:
        fn = tool.get("function", tool)
        out[fn.get("name", "?")] = {k: v for k, v in fn.items() if k != "name"}
    return out


# -- what changed -----------------------------------------------------------------------------------------
def _param_changes(tool: str, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    out: list[str] = []
    old_props, new_props = old.get("properties") or {}, new.get("properties") or {}
    for name in old_props:
        if name not in new_props:
            out.append(f"tool {tool}: parameter {name} removed")
    for name in new_props:
        if name not in old_props:
            out.append(f"tool {tool}: parameter {name} added")
        elif old_props[name] != new_props[name]:
            fields = sorted(k for k in {*old_props[name], *new_props[name]}
                            if old_props[name].get(k) != new_props[name].get(k))
            out.append(f"tool {tool}: parameter {name}: {', '.join(fields)} changed")
    if set(old.get("required") or []) != set(new.get("required") or []):
        out.append(f"tool {tool}: required parameters changed "
                   f"({', '.join(sorted(old.get('required') or [])) or 'none'} -> "
                   f"{', '.join(sorted(new.get('required') or [])) or 'none'})")
    rest = {k for k in {*old, *new} if k not in ("properties", "required") and old.get(k) != new.get(k)}
    out += [f"tool {tool}: parameters.{k} changed" for k in sorted(rest)]
    return out


def tool_changes(recorded: dict[str, dict[str, Any]], current: dict[str, dict[str, Any]]) -> list[str]:
    """``tool lookup_order_status: description changed``, one line per difference."""
    out: list[str] = []
    for name in recorded:
        if name not in current:
            out.append(f"tool {name}: removed")
    for name, fn in current.items():
        old = recorded.get(name)
        if old is None:
            out.append(f"tool {name}: added")
            continue
        for key in sorted({*old, *fn}):
            if old.get(key) == fn.get(key):
                continue
            if key == "parameters" and isinstance(old.get(key), dict) and isinstance(fn.get(key), dict):
                out += _param_changes(name, old[key], fn[key]) or [f"tool {name}: parameters changed"]
            else:
                out.append(f"tool {name}: {key} changed")
    if not out and list(recorded) != list(current):
        out.append("the order of the tools changed")
    return out


def _describe_label(label: str) -> str:
    parts = label.split(" ")
    role = parts[0]
    if role == "system":
        return "the system prompt"
    if role == "user":
        return "the user's message"
    if role == "tool":
        return f"the result of tool {parts[1]}" if len(parts) == 3 else "a tool result"
    return "an earlier answer of the model"


def message_changes(recorded: Sequence[str], current: Sequence[str]) -> list[str]:
    """The first message the model was sent that differs from the recording, in words."""
    for i, (old, new) in enumerate(zip(recorded, current)):
        if old == new:
            continue
        what = _describe_label(old)
        if old.rsplit(" ", 1)[0] != new.rsplit(" ", 1)[0]:
            return [f"message {i + 1} was {what} and is now {_describe_label(new)} (the conversation took "
                    "another path)"]
        if old.startswith("tool "):
            return [f"{what} changed (its response or error differs from the recording)"]
        return [f"{what} changed"]
    if len(current) != len(recorded):
        return [f"the model was sent {len(current)} messages, {len(recorded)} when recorded"]
    return []


def input_changes(recorded: Seen, history: Sequence[str], recorded_tools: dict[str, dict[str, Any]],
                  first_tools_digest: str, messages: Sequence[Any], tools: Sequence[dict[str, Any]]) -> list[str]:
    """Why a model turn's input differs from the recorded one. ``history``: the recorded message labels up to
    this turn; ``recorded_tools`` were seen with the digest ``first_tools_digest``."""
    current_tools = digest(list(tools))
    out: list[str] = []
    if current_tools != recorded.tools:
        if recorded.tools == first_tools_digest:
            out += tool_changes(recorded_tools, tool_functions(tools)) or ["the tools changed"]
        else:
            out.append("the tools changed (they had also changed during the recorded conversation)")
    labels = [message_label(m) for m in messages]
    out += message_changes(history, labels)
    return out or ["the model's input changed"]
