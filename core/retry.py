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
from typing import Any, Awaitable, Callable, Generic, TypeVar

from tenacity import AsyncRetrying, RetryCallState, Retrying, retry_if_result, stop_after_attempt

from .action import Action
from .http.classify import CONNECT_TIMEOUT
from .methods import is_write
from .trace import Attempt

T = TypeVar("T")
#: error kinds of an attempt that never reached the server (no connection was made)
NOT_SENT = frozenset({"connection_refused", "dns", "pool_timeout"})

#: an attempt needs at least this much of the budget left to be worth starting
MIN_ATTEMPT_S = 0.05
#: the longest single backoff wait, however many attempts
MAX_BACKOFF_S = 30.0


@dataclass
class Verdict:
    """One attempt's outcome as the retry policy sees it (the executor keeps the response or the error)."""

    status_code: int | None = None
    retry_after: str | None = None  # the Retry-After header, as sent
    kind: str | None = None  # the error kind when it failed (timeout, connection_refused, http_5xx, ...)
    message: str = ""

    @property
    def reached_server(self) -> bool:
        """False only when the request provably never left: no connection was made."""
        if self.kind in NOT_SENT:
            return False
        return not (self.kind == "timeout" and self.message.startswith(CONNECT_TIMEOUT))

    def conditions(self) -> set[int | str]:
        """The ``retry.on`` entries this outcome matches."""
        out: set[int | str] = set()
        if self.status_code is not None:
            out.add(self.status_code)
        if self.kind in ("timeout", "pool_timeout"):
            out.add("timeout")
        if self.kind in ("connection_refused", "dns") or not self.reached_server:
            out.add("connect")
        if self.kind == "protocol" and self.status_code is None:
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
class RetryPlan(Generic[T]):
    """The attempts of one call. ``run`` / ``arun`` call ``attempt()`` until an outcome is final; ``judge`` says
    what an outcome was; ``remaining()`` is what is left of the call's ``timeout_s``."""

    action: Action
    judge: Callable[[T], Verdict]
    remaining: Callable[[], float]
    attempts: list[Attempt] = field(default_factory=list)
    stopped_because: str = ""  # why no further attempt was made, when the last one failed
    rng: random.Random = field(default_factory=random.Random)
    _last: Verdict | None = None
    _began: float = 0.0

    @property
    def limit(self) -> int:
        return self.action.retry.attempts if self.action.retry else 1

    def _record(self, outcome: T) -> T:
        verdict = self._last = self.judge(outcome)
        self.attempts.append(Attempt(attempt=len(self.attempts) + 1, status_code=verdict.status_code,
                                     error=verdict.kind, elapsed_ms=round((time.perf_counter() - self._began) * 1000, 2),
                                     retry_after_s=retry_after_s(verdict.retry_after)))
        return outcome

    def retryable(self, outcome: T) -> bool:
        """Does ``retry.on`` cover this outcome, and is it safe to send the request again?"""
        spec, verdict = self.action.retry, self.judge(outcome)
        if spec is None or verdict.kind is None:
            return False
        if not verdict.conditions() & set(spec.on):
            return False
        if is_write(self.action.method) and verdict.reached_server and not self.action.retry_writes:
            self.stopped_because = (
                f"{self.action.method} was not retried: the request had reached the server, so a retry could "
                "apply it twice. Set retry_writes: true if the endpoint is idempotent.")
            return False
        return True

    def _wait(self, state: RetryCallState) -> float:
        """The server's Retry-After when it sent one, else backoff_s * 2^(n-1) with jitter (50-100 %)."""
        asked = retry_after_s(self._last.retry_after) if self._last else None
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

    def run(self, attempt: Callable[[], T]) -> T:
        """Sync: ``attempt()`` is one send (with what is left of the budget)."""
        def once() -> T:
            self._began = time.perf_counter()
            return self._record(attempt())

        return Retrying(**self._settings())(once)

    async def arun(self, attempt: Callable[[], Awaitable[T]]) -> T:
        async def once() -> T:
            self._began = time.perf_counter()
            return self._record(await attempt())

        return await AsyncRetrying(**self._settings())(once)

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
