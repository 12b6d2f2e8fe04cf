"""The agent: the conversation loop (model <-> tool calls <-> executor) as a stream of typed events.

Modules: ``events`` (what a turn streams), ``conversation`` (serialisable state), ``loop`` (:class:`Agent`),
``compare`` (two runs of the same user turns, turn by turn), ``volatile`` (what a comparison ignores).
"""

from .compare import CallDiff, TurnDiff, compare, outcome, summary
from .conversation import CallRecord, Conversation, ResultVariable, Turn, load_conversation
from .events import (EVENT_ADAPTER, AsyncResultEvent, DeadAirEvent, ErrorEvent, Event, ReplyEvent, SpeechEvent,
                     TextDelta, ToolCallEvent, ToolResultEvent)
from .loop import DEFAULT_SYSTEM_PROMPT, RESULT_CAP, Agent
from .volatile import DEFAULT_RULES, Rule, parse_rules

__all__ = [
    "DEFAULT_RULES", "DEFAULT_SYSTEM_PROMPT", "EVENT_ADAPTER", "RESULT_CAP", "Agent", "AsyncResultEvent",
    "CallDiff", "CallRecord", "Conversation", "DeadAirEvent", "ErrorEvent", "Event", "ReplyEvent", "ResultVariable",
    "Rule", "SpeechEvent", "TextDelta", "ToolCallEvent", "ToolResultEvent", "Turn", "TurnDiff", "compare",
    "load_conversation", "outcome", "parse_rules", "summary",
]
