"""Chat models: the protocol, the offline simulator, OpenAI-compatible servers, and a scripted model."""

from __future__ import annotations

from ..errors import ModelError
from .base import AssistantTurn, ChatModel, Message, ModelOutput, ToolCall
from .scripted import ScriptedModel, turn


def make_model(spec: str = "offline", *, base_url: str | None = None, api_key: str | None = None,
               place: str = "cli") -> ChatModel:
    """``offline`` or ``openai:MODEL`` -> a ChatModel. ``place`` (cli or app): where its errors say to fix things."""
    if spec == "offline":
        from .offline import OfflineModel

        return OfflineModel()
    if spec.startswith("openai:") and spec[7:].strip():
        from .openai_model import OpenAIModel

        return OpenAIModel(spec[7:].strip(), base_url=base_url, api_key=api_key, place=place)
    raise ModelError(f"unknown model {spec!r}: use offline or openai:MODEL (e.g. openai:gpt-4o-mini)", "model_spec")


__all__ = ["AssistantTurn", "ChatModel", "Message", "ModelOutput", "ScriptedModel", "ToolCall", "make_model", "turn"]
