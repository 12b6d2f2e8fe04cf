"""Model instances from data built here (trusted): what ``model_construct`` makes, without its per-field loop.

``model_construct`` walks every field (aliases, defaults) and every private attribute (default factories)
on each call: a few microseconds a model, paid on every render and call. :func:`construct` sets the same
four attributes pydantic's ``model_construct`` sets; the caller gives EVERY field (and every private
attribute), so there is no default to look up. tests/test_instances.py checks it against model_construct.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)
_set = object.__setattr__


def construct(cls: type[M], fields: dict[str, Any], private: dict[str, Any] | None = None) -> M:
    """``cls.model_construct(**fields)`` with ``private`` as its private attributes; ``fields`` is used as is."""
    assert fields.keys() == cls.__pydantic_fields__.keys(), sorted(set(fields) ^ set(cls.__pydantic_fields__))
    model = cls.__new__(cls)
    _set(model, "__dict__", fields)
    _set(model, "__pydantic_fields_set__", set(fields))
    _set(model, "__pydantic_extra__", None)
    _set(model, "__pydantic_private__", private)
    return model
