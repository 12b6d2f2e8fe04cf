"""Values a voice agent must hear right: country codes said as "plus", a weekday with its day of the month,
names spelled or with particles, money said without a currency word, free text in the caller's own words."""

from __future__ import annotations

import datetime as dt

import pytest

from core.llm.offline.recognisers import normalise, scan

TODAY = dt.date(2026, 3, 4)  # a Wednesday


def values(text: str, kind: str) -> list:
    return [f.value for f in getattr(scan(normalise(text), TODAY), kind)]


@pytest.mark.parametrize("said, phone", [
    ("reach me at plus one, six one seven, five five five, zero one two three", "+16175550123"),
    ("it's plus forty four, seven seven zero zero, nine zero zero, four five six", "+447700900456"),
    ("my mobile is +44 7700 900456", "+447700900456"),
    ("plus 1 (617) 555-0123", "+16175550123"),
    ("text plus three three six one two three four five six seven eight", "+33612345678"),
    ("six one seven, five five five, zero one two three", "6175550123"),  # no "plus": the digits as said
])
def test_a_country_code_said_as_plus_keeps_the_plus(said, phone):
    assert values(said, "phones") == [phone]


def test_plus_between_counts_is_no_country_code():
    assert values("two adults plus three children", "numbers") == [2, 3]
    assert values("two adults plus three children", "phones") == []
