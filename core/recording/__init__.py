"""Recorded conversations: each model turn (what it answered, a fingerprint of what it saw) and each HTTP
exchange (request masked as in the trace, response), and what replays them.

Modules: ``model`` (the recording's pydantic models), ``fingerprint`` (digests of a model's input and what
changed), ``changes`` (field-by-field request differences, ``body.qty: 2 → 3``), ``transport`` (an httpx
transport that replays, dry-runs or holds requests; injected with ``Executor.using``). The replaying model is
core.llm.replay. Never imports streamlit, the agent or the scenarios.
"""

from .changes import Change, describe, request_changes
from .fingerprint import input_changes, seen, tool_functions
from .model import (FORMAT, ErrorRecord, Exchange, HttpExchange, ModelExchange, RecordedToolCall, Recording,
                    RequestRecord, ResponseRecord, Seen)
from .transport import Held, NotSent, RecordedTransport, ReplayMismatch, request_key, stand_in_secret

__all__ = [
    "FORMAT", "Change", "ErrorRecord", "Exchange", "Held", "HttpExchange", "ModelExchange", "NotSent",
    "RecordedToolCall", "RecordedTransport", "Recording", "ReplayMismatch", "RequestRecord", "ResponseRecord",
    "Seen", "describe", "input_changes", "request_changes", "request_key", "seen", "stand_in_secret", "tool_functions",
]
