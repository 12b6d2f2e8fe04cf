"""An action's ``retry`` policy as a layer around one send: which outcomes are retried, how long to wait
(exponential backoff with jitter, or the server's ``Retry-After``), and the attempts a trace lists.

The loop itself is tenacity's (``Retrying`` / ``AsyncRetrying``: the same policy drives the sync and async
paths); this module says when to stop. Everything stays within the action's ``timeout_s``, which bounds the
whole call including the waits.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import random
import time
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable

import httpx
from tenacity import AsyncRetrying, RetryCallState, Retrying, retry_if_result, stop_after_attempt

from .action import WRITE_METHODS, Action
from .trace import Attempt

#: an attempt needs at least this much of the budget left to be worth starting
MIN_ATTEMPT_S = 0.05
#: the longest single backoff wait, however many attempts
MAX_BACKOFF_S = 30.0


@dataclass
class Outcome:
    """One attempt's result as the retry policy sees it (the executor keeps the response or exception)."""

    status_code: int | None = None
    retry_after: str | None = None  # the Retry-After header, as sent
    kind: str | None = None  # the error kind when it failed (timeout, connection_refused, http_5xx, ...)
    exc: BaseException | None = None  # the transport exception, when there was no response
    elapsed_ms: float = 0.0
    value: Any = None  # whatever the executor needs to finish the trace

    @property
    def reached_server(self) -> bool:
        """False only when the request provably never left: the connection was never made."""
        return not isinstance(self.exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout))

    def conditions(self) -> set[int | str]:
        """The ``retry.on`` entries this outcome matches."""
        out: set[int | str] = set()
        if self.status_code is not None and self.exc is None:
            out.add(self.status_code)
        if isinstance(self.exc, httpx.TimeoutException):
            out.add("timeout")
        if isinstance(self.exc, (httpx.ConnectError, httpx.ConnectTimeout)):
            out.add("connect")
        if isinstance(self.exc, (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError)):
            out.add("protocol")
        return out


def retry_after_s(value: str | None, now: dt.datetime | None = None) -> float | None:
    """``Retry-After`` in seconds: a number of seconds, or an HTTP date (RFC 9110); None when absent or bad."""
    if not value:
        return None
    text = value.strip()
    try:
        return max(float(text), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max((when - (now or dt.datetime.now(dt.timezone.utc))).total_seconds(), 0.0)


@dataclass
class RetryPlan:
    """The attempts of one call. ``run`` / ``arun`` call ``send(timeout_s)`` until an outcome is final."""

    action: Action
    started: float = field(default_factory=time.perf_counter)
    attempts: list[Attempt] = field(default_factory=list)
    stopped_because: str = ""  # why no further attempt was made, when the last one failed
    rng: random.Random = field(default_factory=random.Random)
    _last: Outcome | None = None

    @property
    def deadline(self) -> float:
        return self.started + self.action.timeout_s

    def remaining(self) -> float:
        return self.deadline - time.perf_counter()

    @property
    def limit(self) -> int:
        return self.action.retry.attempts if self.action.retry else 1

    def _record(self, outcome: Outcome) -> Outcome:
        self._last = outcome
        self.attempts.append(Attempt(attempt=len(self.attempts) + 1, status_code=outcome.status_code,
                                     error=outcome.kind, elapsed_ms=round(outcome.elapsed_ms, 2),
                                     retry_after_s=retry_after_s(outcome.retry_after)))
        return outcome

    def retryable(self, outcome: Outcome) -> bool:
        """Does ``retry.on`` cover this outcome, and is it safe to send the request again?"""
        spec = self.action.retry
        if spec is None or outcome.kind is None:
            return False
        if not outcome.conditions() & set(spec.on):
            return False
        if self.action.method in WRITE_METHODS and outcome.reached_server and not self.action.retry_writes:
            self.stopped_because = (
                f"{self.action.method} was not retried: the request had reached the server, so a retry could "
                "apply it twice. Set retry_writes: true if the endpoint is idempotent.")
            return False
        return True

    def _wait(self, state: RetryCallState) -> float:
        """The server's Retry-After when it sent one, else backoff_s * 2^(n-1) with jitter (50-100 %)."""
        outcome = self._last
        asked = retry_after_s(outcome.retry_after) if outcome else None
        if asked is not None:
            return asked
        base = self.action.retry.backoff_s if self.action.retry else 0.0
        return min(base * 2 ** (state.attempt_number - 1), MAX_BACKOFF_S) * self.rng.uniform(0.5, 1.0)

    def _no_time_left(self, state: RetryCallState) -> bool:
        wait = state.upcoming_sleep
        if self.remaining() - wait >= MIN_ATTEMPT_S:
            return False
        self.stopped_because = (f"no attempt {state.attempt_number + 1}: waiting {wait:.2f} s would leave no time "
                                f"within timeout_s ({self.action.timeout_s:g} s)")
        return True

    def _before_sleep(self, state: RetryCallState) -> None:
        self.attempts[-1].wait_ms = round(state.upcoming_sleep * 1000, 1)

    def _settings(self) -> dict[str, Any]:
        return dict(stop=stop_after_attempt(self.limit) | self._no_time_left, wait=self._wait,
                    retry=retry_if_result(self.retryable), before_sleep=self._before_sleep,
                    retry_error_callback=lambda state: state.outcome.result() if state.outcome else None)

    def _stopped(self, outcome: Outcome) -> Outcome:
        if outcome.kind is not None and not self.stopped_because and len(self.attempts) >= self.limit > 1:
            self.stopped_because = f"all {self.limit} attempts failed"
        return outcome

    def run(self, send: Callable[[float], Outcome]) -> Outcome:
        """Sync: ``send(timeout_s)`` is one attempt with what is left of the budget."""
        once = lambda: self._record(send(max(self.remaining(), 0.001)))  # noqa: E731
        return self._stopped(Retrying(**self._settings())(once))

    async def arun(self, send: Callable[[float], Awaitable[Outcome]]) -> Outcome:
        async def once() -> Outcome:
            return self._record(await send(max(self.remaining(), 0.001)))

        return self._stopped(await AsyncRetrying(**self._settings())(once))

    def hint(self) -> str | None:
        """The trace's hint about the attempts, or None when there was only one and nothing to say."""
        if not self.attempts:
            return None
        if len(self.attempts) == 1:
            return f"No retry: {self.stopped_because}" if self.stopped_because and self.attempts[0].error else None
        failed = [a for a in self.attempts if a.error]
        seen = ", ".join(str(a.status_code) if a.status_code is not None else (a.error or "?") for a in failed)
        waited = sum(a.wait_ms for a in self.attempts) / 1000
        if not self.attempts[-1].error:
            return (f"Succeeded only on attempt {len(self.attempts)} of {self.limit}, after {len(failed)} failure(s) "
                    f"({seen}) and {waited:.1f} s of waiting: the caller heard that delay. The API is unreliable; "
                    "check its status page or logs.")
        return (f"{len(self.attempts)} attempts failed ({seen}) with {waited:.1f} s of waiting"
                + (f"; {self.stopped_because}" if self.stopped_because else "") + ".")
