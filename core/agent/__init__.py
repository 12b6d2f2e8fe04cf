"""The agent: the conversation loop (model <-> tool calls <-> executor) as a stream of typed events.

Modules: ``events`` (what a turn streams), ``conversation`` (serialisable state), ``loop`` (:class:`Agent`),
``compare`` (two runs of the same user turns, turn by turn).
"""

from .compare import TurnDiff, compare
from .conversation import CallRecord, Conversation, ResultVariable, Turn, load_conversation
from .events import (EVENT_ADAPTER, AsyncResultEvent, DeadAirEvent, ErrorEvent, Event, ReplyEvent, SpeechEvent,
                     TextDelta, ToolCallEvent, ToolResultEvent)
from .loop import DEFAULT_SYSTEM_PROMPT, RESULT_CAP, Agent

__all__ = [
    "DEFAULT_SYSTEM_PROMPT", "EVENT_ADAPTER", "RESULT_CAP", "Agent", "AsyncResultEvent", "CallRecord",
    "Conversation", "DeadAirEvent", "ErrorEvent", "Event", "ReplyEvent", "ResultVariable", "SpeechEvent",
    "TextDelta", "ToolCallEvent", "ToolResultEvent", "Turn", "TurnDiff", "compare", "load_conversation",
]
