"""Dead air: the silence a caller hears from the end of their message to the agent's first words (the model's
first text, or an action's ``speak_during``). Measured every turn; over a threshold the developer gets a hint
naming the call that filled the silence."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from ..trace import Trace
from .events import DeadAirEvent

#: a turn with more silence than this gets a hint (changeable in Settings, or Agent(dead_air_threshold_ms=...))
DEFAULT_THRESHOLD_MS = 2000.0


@dataclass
class DeadAirClock:
    """One turn's clock: started at the user's message, stopped at the agent's first words."""

    threshold_ms: float = DEFAULT_THRESHOLD_MS
    started: float = field(default_factory=time.perf_counter)
    silent_calls: list[Trace] = field(default_factory=list)  # calls that finished before the first words
    event: DeadAirEvent | None = None

    @property
    def stopped(self) -> bool:
        return self.event is not None

    def call_done(self, trace: Trace) -> None:
        if not self.stopped:
            self.silent_calls.append(trace)

    def stop(self, *, spoke: bool = True) -> DeadAirEvent:
        """The turn's figure (measured once: later words change nothing)."""
        if self.event is None:
            ms = round((time.perf_counter() - self.started) * 1000, 1)
            slow = max(self.silent_calls, key=lambda t: t.elapsed_ms, default=None)
            self.event = DeadAirEvent(dead_air_ms=ms, threshold_ms=self.threshold_ms, spoke=spoke,
                                      slow_call=slow.action if slow is not None else None,
                                      hint=hint(ms, self.threshold_ms, slow) if ms > self.threshold_ms else None)
        return self.event


def hint(ms: float, threshold_ms: float, slow: Trace | None) -> str:
    """Developer text: how long the caller heard nothing, what caused it, and the three fixes."""
    head = f"{ms / 1000:.1f} s of dead air before the agent's first words (threshold {threshold_ms / 1000:g} s)"
    if slow is not None and slow.elapsed_ms >= ms / 3:
        return (f"{head}: the caller heard silence while {slow.action} took {slow.elapsed_ms / 1000:.1f} s. Give it "
                "speak_during (e.g. \"One moment while I look that up.\"), make the endpoint faster, or make it "
                "mode: async if the conversation need not wait for its result.")
    return (f"{head}: the model took most of it. Use a faster model, shorten the system prompt and tool "
            "descriptions, or have the model say something before calling tools.")
