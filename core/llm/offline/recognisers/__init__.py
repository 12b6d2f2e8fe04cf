"""Value recognisers: typed values found in what a caller says, each with where it was said.

Every recogniser reads the message after ``spoken.normalise`` (number words as digits, spelled codes
and spoken emails joined) and returns ``Found`` values with their span, so that one piece of text
is never read as two values: emails first, then dates, times, phone numbers, and numbers last.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Iterable, NamedTuple

from .dates import find_dates, find_times
from .emails import find_emails
from .numbers import find_numbers, is_amount
from .phones import find_phones
from .spoken import normalise


class Found(NamedTuple):
    value: Any
    start: int
    end: int


def overlaps(spans: Iterable[tuple[int, int]], s: int, e: int) -> bool:
    return any(s < b and a < e for a, b in spans)


@dataclass(frozen=True)
class Scan:
    """Typed values in one (normalised) message, each list in text order."""

    emails: tuple[Found, ...] = ()
    phones: tuple[Found, ...] = ()
    dates: tuple[Found, ...] = ()
    times: tuple[Found, ...] = ()
    numbers: tuple[Found, ...] = ()  # ints and floats; `integers` keeps the whole ones
    integers: tuple[Found, ...] = ()
    amounts: tuple[Found, ...] = ()  # the numbers said as money ("$23.50", "twenty dollars", "the 59.90 I paid")


@lru_cache(maxsize=4096)
def scan(text: str, today: dt.date) -> Scan:
    taken: list[tuple[int, int]] = []

    def keep(found: Iterable[tuple[Any, int, int]]) -> tuple[Found, ...]:
        kept = tuple(Found(*f) for f in found if not overlaps(taken, f[1], f[2]))
        taken.extend((f.start, f.end) for f in kept)
        return kept

    emails = keep(find_emails(text))
    dates = keep(find_dates(text, today))
    times = keep(find_times(text))
    phones = keep(find_phones(text))
    numbers = keep(find_numbers(text, taken))
    integers = tuple(f for f in numbers if isinstance(f.value, int))
    amounts = tuple(f for f in numbers if is_amount(text, f.start, f.end))
    return Scan(emails, phones, dates, times, numbers, integers, amounts)


__all__ = ["Found", "Scan", "normalise", "overlaps", "scan"]
