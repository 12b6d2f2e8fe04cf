"""Values a voice agent must hear right: country codes said as "plus", a weekday with its day of the month,
names spelled or with particles, money said without a currency word, free text in the caller's own words."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from core.action import parse_action
from core.llm.base import Message
from core.llm.offline import OfflineModel

from core.llm.offline.recognisers import normalise, scan
from core.llm.offline.recognisers.codes import shape_of, shaped_matches
from core.llm.offline.recognisers.spoken import own_words
from core.llm.offline.recognisers.text import clean_answer, find_free_text
from core.schema import tool_schema

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


@pytest.mark.parametrize("said, amounts", [
    ("could you refund the 34.95 they charged me", [34.95]),
    ("it cost 12.50 and I bought 2", [12.5]),
    ("I want my 1,250.00 back", [1250.0]),
    ("I paid 59.90 for 2 packs", [59.9]),
    ("the parcel weighs 2.50 kg", []),  # cents, but nothing about paying
    ("version 3.10 keeps crashing", []),
    ("I paid for 3 tickets", []),  # a count next to "paid" is no amount
])
def test_a_price_with_cents_next_to_paying_is_money(said, amounts):
    assert values(said, "amounts") == amounts


def test_a_decimal_point_is_no_spelled_code_and_no_time():
    assert values("Could I have the 42.75 I paid back", "numbers") == [42.75]  # not "4275I"
    assert values("two tickets at 3.25 each", "numbers") == [2, 3.25] and values("two tickets at 3.25 each", "times") == []
    assert values("flight U.A. four eight two", "numbers") == []  # "UA482": dots after letters still spell


# --------------------------------------------------------------------------- names spelled out, own words

def heard_name(said: str, role: str = "name") -> str:
    return clean_answer(normalise(said), role, ("pet", "name"))


@pytest.mark.parametrize("said, name", [
    ("Mochi, that's M O C H I", "Mochi"),
    ("november oscar victor alpha", "Nova"),
    ("it's k i r a", "Kira"),  # a lowercase "i" among spelled letters is a letter
    ("the name is B E A", "Bea"),
    ("my name is Tom", "Tom"),
])
def test_a_name_spelled_letter_by_letter_is_written_as_a_name(said, name):
    assert heard_name(said) == name


def test_capitals_the_caller_typed_and_codes_stay_capitals():
    assert heard_name("LAX", "place") == "LAX"
    assert [v for v, *_ in find_free_text(normalise("fly me to NYC please"), "place", ("to",))] == ["NYC"]
    shape = shape_of("LFPG")  # a code whose example is all capitals keeps them
    assert shape is not None and [v for v, *_ in shaped_matches(shape, normalise("lima foxtrot papa golf"))] == ["LFPG"]
    assert [v for v, *_ in find_free_text(normalise("my name is D A N A"), "name", ("name is",))] == ["Dana"]


@pytest.mark.parametrize("said, name", [
    ("my last name is Van der Berg", "Van der Berg"), ("it's de la Cruz", "de la Cruz"), ("O'Neil", "O'Neil"),
    ("Smith-Jones please", "Smith-Jones"), ("von Trapp", "von Trapp"), ("the surname is d'Angelo", "d'Angelo"),
    ("it's van der berg", "Van der Berg"), ("the name is de la cruz", "De la Cruz"),  # a lowercase transcript
    ("Ali bin Hamad", "Ali bin Hamad"),
])
def test_surnames_with_particles_hyphens_and_apostrophes_are_kept_whole(said, name):
    assert clean_answer(normalise(said), "name", ("last", "name", "surname")) == name


@pytest.mark.parametrize("said, cues, name", [
    ("the booking is for de Vries, on Monday", ("for",), "de Vries"),
    ("my last name is Van der Berg and my date of birth is 1990-01-02", ("name is",), "Van der Berg"),
    ("please book it for Mary Smith-Jones", ("for",), "Mary Smith-Jones"),
    ("i spoke to someone, the name is van der berg", ("name is",), "Van der Berg"),
    ("the nurse said Ali bin Hamad would call", ("name is",), "Ali bin Hamad"),
])
def test_names_with_particles_in_a_sentence(said, cues, name):
    assert [v for v, *_ in find_free_text(normalise(said), "name", cues)] == [name]


def test_particles_join_place_names_too():
    assert [v for v, *_ in find_free_text(normalise("I fly to Rio de Janeiro on Monday"), "place", ("to",))] == [
        "Rio de Janeiro"]


def test_free_text_keeps_the_caller_s_words_and_numbers_stay_numbers():
    text = normalise("refund SO-1 for thirty dollars because the lid cracked after three weeks")
    assert [v for v, *_ in find_free_text(text, "reason", ())] == ["the lid cracked after three weeks"]
    assert [f.value for f in scan(text, TODAY).amounts] == [30]  # numbers are still read from the normalised text
    assert [v for v, *_ in find_free_text(normalise("pay her with the note two coffees for Sam"), "labelled", ("note",))] == [
        "two coffees for Sam"]
    assert clean_answer(normalise("after a couple of days"), "reason") == "after a couple of days"
    assert clean_answer(normalise("one two three four"), "labelled", ("account",)) == "1234"  # a number is a number
    assert clean_answer(normalise("twelve Oak Street"), "address") == "12 Oak Street"


@pytest.mark.parametrize("normalised, said", [
    ("after 2 days", "after two days"), ("$23.50 dollars", "twenty three dollars fifty"), ("12 eggs", "a dozen eggs"),
])
def test_own_words_line_a_span_up_with_what_was_said(normalised, said):
    text = normalise(f"it was {said} ago")
    start = text.index(normalised)
    assert own_words(text, start, start + len(normalised)) == said
    assert own_words("plain 2 days", 6, 12) == "2 days"  # text that was not normalised is its own words


# --------------------------------------------------------------------------- through the model

GROOMING = tool_schema(parse_action({
    "name": "Book Grooming", "description": "Book a grooming session for the caller's pet on a given day.",
    "method": "POST", "url": "https://api.example.com/grooming",
    "variables": [{"name": "pet_name", "description": "The pet's name", "example": "Biscuit"},
                  {"name": "day", "type": "date", "description": "The day of the session", "example": "2026-03-20"},
                  {"name": "notes", "description": "Anything the groomer should know", "required": False}]}))


def calls_after(*lines: str) -> list:
    messages: list[Message] = []
    turn = None
    for line in lines:
        messages.append(Message(role="user", content=line))
        turn = OfflineModel(today=TODAY).plan(messages, [GROOMING])
        messages.append(Message(role="assistant", content=turn.text, tool_calls=turn.tool_calls))
    assert turn is not None
    return [json.loads(c.arguments) for c in turn.tool_calls]


def test_a_spelled_name_answer_and_a_weekday_with_its_date_reach_the_api():
    assert calls_after("I'd like to book grooming for my cat on Monday the sixteenth",
                       "her name's Mochi, that's M O C H I") == [{"pet_name": "Mochi", "day": "2026-03-16"}]
    assert calls_after("book grooming on Friday the twentieth please", "sierra alpha mike") == [
        {"pet_name": "Sam", "day": "2026-03-20"}]


def test_a_price_said_without_dollars_reaches_the_money_variable_and_not_the_count():
    refund = tool_schema(parse_action({
        "name": "Refund Tickets", "description": "Refund money to the caller's card for tickets they bought.",
        "method": "POST", "url": "https://api.example.com/refunds",
        "variables": [{"name": "booking", "description": "The booking code", "example": "BK-1234"},
                      {"name": "tickets", "type": "integer", "description": "How many tickets", "example": 2},
                      {"name": "amount", "type": "float", "description": "The amount to refund in dollars",
                       "example": 24.99}]}))
    messages = [Message(role="user", content="I'd like the 64.50 I paid for booking BK-7731 refunded, it was 3 tickets")]
    turn = OfflineModel(today=TODAY).plan(messages, [refund])
    assert [json.loads(c.arguments) for c in turn.tool_calls] == [{"booking": "BK-7731", "tickets": 3, "amount": 64.5}]
