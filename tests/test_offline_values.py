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


@pytest.mark.parametrize("said, date", [
    ("could we do Monday the 16th", "2026-03-16"),  # not next Monday (the 9th)
    ("Friday the thirteenth", "2026-03-13"),
    ("on Tuesday, March 10th", "2026-03-10"),
    ("Thursday 19th March at noon", "2026-03-19"),
    ("Saturday, the twenty first of March", "2026-03-21"),
    ("March 24th, a Tuesday", "2026-03-24"),
    ("on Sunday 22nd please", "2026-03-22"),
    ("Thursday the 2nd", "2026-04-02"),  # the 2nd of March has passed; April's is a Thursday
    ("Monday the 17th", "2026-03-17"),  # the weekday disagrees (the 17th is a Tuesday): the day of the month wins
    ("on Monday, 2026-03-23", "2026-03-23"),
])
def test_a_weekday_with_its_day_of_the_month_is_that_date(said, date):
    assert values(said, "dates") == [date]


def test_weekdays_said_alone_stay_weekdays():
    assert values("Monday, Friday", "dates") == ["2026-03-09", "2026-03-06"]
    assert values("Monday 3 tickets", "dates") == ["2026-03-09"] and values("Monday 3 tickets", "numbers") == [3]
