"""A model that replays a recording's model turns while what it is sent is unchanged (``--model replay``).

Each ``respond`` finds its recorded turn by position (the user turn = how many user messages it was sent; the
answer within it = how many answers since), checks the fingerprint of the messages and tools, and answers as
recorded. When the input changed it fails the turn and names what changed
(``tool lookup_order_status: description changed``). No network, no key, deterministic.
"""

from __future__ import annotations

import re
from typing import Any, AsyncIterator

from ..errors import ModelError
from ..recording import Recording
from ..recording.fingerprint import input_changes, input_digest, message_label
from ..recording.fingerprint import digest as _digest
from .base import AssistantTurn, Message, ModelOutput, ToolCall

FIX = "record the conversation again (playground chat --record, or save it from the Scenarios page), or run it " \
      "with a live model"


def _position(messages: list[Message]) -> tuple[int, int]:
    """(user turn, 1-based; answers of the model since that user message)."""
    turn, answers = 0, 0
    for m in messages:
        if m.role == "user":
            turn, answers = turn + 1, 0
        elif m.role == "assistant":
            answers += 1
    return turn, answers


class ReplayModel:
    """Answers from ``recording`` while its input matches the recorded fingerprints."""

    def __init__(self, recording: Recording) -> None:
        self.recording = recording
        self.name = f"replay of {recording.model}" if recording.model else "replay"
        models = [e.model for e in recording.exchanges if e.model is not None]
        self._first_tools = models[0].seen.tools if models else ""

    def _history(self, turn: int, index: int) -> list[str]:
        """The recorded message labels up to and including the ``index``-th answer of ``turn``."""
        labels: list[str] = []
        count = 0
        for e in self.recording.exchanges:
            if e.model is None:
                continue
            labels += e.model.seen.new
            if e.turn == turn:
                if count == index:
                    break
                count += 1
        return labels

    async def respond(self, messages: list[Message], tools: list[dict[str, Any]]) -> AsyncIterator[ModelOutput]:
        turn, index = _position(messages)
        recorded = self.recording.model_turns(turn)
        if index >= len(recorded):
            raise ModelError(f"model replay: the recording has {len(recorded)} model answer(s) for this turn and the "
                             f"conversation needs answer {index + 1} (it went further than when recorded); {FIX}",
                             "replay_mismatch")
        exchange = recorded[index]
        labels = [message_label(m) for m in messages]
        if input_digest(labels, _digest(list(tools))) != exchange.seen.digest:
            why = input_changes(exchange.seen, self._history(turn, index), self.recording.tools, self._first_tools,
                                messages, tools)
            raise ModelError(f"model replay: {'; '.join(why[:4])} (the model's input differs from the recording, "
                             f"so its recorded answer may not hold); {FIX}", "replay_mismatch")
        for piece in re.findall(r"\S+\s*|\s+", exchange.text):
            yield piece
        yield AssistantTurn(text=exchange.text, tool_calls=[ToolCall(id=c.id, name=c.name, arguments=c.arguments)
                                                            for c in exchange.tool_calls])
