"""The offline simulator's general language knowledge, part by part: word forms, WordNet senses, kinds of
things, phrases and definitions, the caller's verb, values said in other words; then choices through the
model with actions that compete ("money back" is a refund, "push my visit" a reschedule)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from core.action import parse_action
from core.llm.base import Message
from core.llm.offline import OfflineModel, lexicon, phrases, wordnet
from core.llm.offline.recognisers import normalise, scan
from core.llm.offline.recognisers.codes import meaning_matches
from core.llm.offline.recognisers.text import find_free_text
from core.llm.offline.words import stem
from core.schema import tool_schema

TODAY = dt.date(2026, 3, 4)  # a Wednesday


@pytest.mark.parametrize("a, b", [("rescheduled", "reschedule"), ("rescheduling", "reschedule"), ("cancelled", "cancel"),
                                  ("boxes", "box"), ("moved", "move"), ("shipped", "ship"), ("making", "make")])
def test_word_forms_meet(a, b):
    assert stem(a) == stem(b)


def test_word_forms_that_are_other_words_stay_apart():
    assert stem("plane") != stem("plan") and stem("note") != stem("not")


def test_rare_senses_are_left_out():
    # "doctor" the verb can mean "repair" (its third sense, never seen in WordNet's tagged corpus)
    assert wordnet.common("doctor", "verb", 3) == wordnet.offsets("doctor", "verb")[:2]
    assert lexicon.closeness("doctor", "repair") < lexicon.GLOSS


def kin(caller: str, tool: str) -> float:
    mine, theirs = lexicon.concepts(caller, gloss=False, side="caller"), lexicon.concepts(tool, gloss=False, side="tool")
    return max((f * theirs[k] for k, f in mine.items() if k in theirs), default=0.0)


def test_a_kind_of_the_tool_s_thing_fits_better_than_the_other_way_round():
    assert kin("physician", "doctor") == lexicon.SAME
    assert kin("gp", "doctor") == lexicon.UP  # a GP is a doctor
    assert kin("doctor", "veterinarian") == lexicon.DOWN  # a doctor need not be a vet
    assert kin("house", "home") >= lexicon.UP and kin("joke", "order") == 0


def test_a_definition_is_the_words_wordnet_uses_for_a_word():
    assert {"money", "back", "pay"} <= lexicon.definition("refund")
    assert "refund" not in lexicon.definition("refund")


def test_phrasal_verbs_together_or_split_and_compounds():
    said = {p.entry: p.replaces for t in ("please call it off", "give me my money back", "put my appointment off",
                                          "is it sold out", "my credit card") for p in phrases.entries(t)}
    assert said == {"call_off": True, "give_back": True, "put_off": True, "sell_out": True, "credit_card": False}
    assert phrases.entries("I want to ship back the jacket") == []  # not a WordNet entry


def test_two_words_that_define_a_tool_s_word_say_it():
    defined = {"money": frozenset({"refund", "transfer"}), "back": frozenset({"refund"})}
    found = phrases.definitions("I'd like my money back please", defined)
    assert [(p.parts, p.defines) for p in found] == [(("money", "back"), "refund")]
    assert phrases.definitions("my money. Back to the order", defined) == []  # never across a clause's end
    assert phrases.definitions("I want a refund, money back", defined, own={"refund"}) == []  # said it outright


def test_where_a_word_stands_says_whether_it_is_a_verb_or_a_noun():
    assert phrases.parts_of_speech("can I push my visit to friday") == {"push": "verb", "visit": "noun"}


@pytest.mark.parametrize("said, options, value", [
    ("someone rear-ended my car", ("auto", "home", "travel"), "auto"),
    ("a pipe flooded my house", ("auto", "home", "travel"), "home"),
    ("my boiler needs fixing", ("install", "repair", "inspection"), "repair"),
])
def test_a_listed_value_said_in_other_words(said, options, value):
    assert [v for v, *_ in meaning_matches(options, said)] == [value]


def test_no_listed_value_when_no_word_means_one():
    assert meaning_matches(("basic", "plus", "unlimited"), "my data keeps running out") == []


@pytest.mark.parametrize("said, date", [
    ("yesterday", "2026-03-03"), ("the day before yesterday", "2026-03-02"), ("last Friday", "2026-02-27"),
    ("last Wednesday", "2026-02-25"), ("two days ago", "2026-03-02"), ("a week ago", "2026-02-25"),
])
def test_days_gone_by(said, date):
    assert [f.value for f in scan(normalise(said), TODAY).dates] == [date]


def test_a_thing_the_request_names_is_no_reason_and_a_cue_verb_said_otherwise():
    assert find_free_text("I want my money back for an order", "reason", ("refund", "order", "number")) == []
    assert [v for v, *_ in find_free_text("for a sore throat", "reason", ("book", "order"))] == ["sore throat"]
    assert [v for v, *_ in find_free_text("I want to ship back the jacket", "thing", ("send back",))] == ["jacket"]


# --------------------------------------------------------------------------- choices, through the model

def act(name, description, variables):
    return tool_schema(parse_action({"name": name, "description": description, "method": "POST",
                                     "url": "https://api.example.com/x", "variables": variables}))


ORDER = {"name": "order_number", "description": "The order number from the receipt", "example": "SO-552310"}
APPT = {"name": "appointment_id", "description": "The appointment ID", "example": "APT-48213"}
DAY = {"name": "date", "type": "date", "description": "The day", "example": "2026-03-20"}
REFUND = act("Request Refund", "Refund money to the caller's card for a purchase.",
             [ORDER, {"name": "amount", "type": "float", "description": "The amount to refund in dollars"}])
TRANSFER = act("Transfer Money", "Send money from the caller's account to another person by email.",
               [{"name": "amount", "type": "float", "description": "The amount to send in dollars"},
                {"name": "recipient_email", "type": "email", "description": "Who receives the money"}])
CANCEL = act("Cancel Order", "Cancel an order that has not shipped yet.", [ORDER])
RESCHEDULE = act("Reschedule Appointment", "Move an existing clinic appointment to a new date.", [APPT, DAY])
VISIT = act("Schedule Technician Visit", "Send a technician to the caller's home to repair equipment.",
            [DAY, {"name": "service", "description": "What needs to be done: install, repair or inspection"}])
CLINIC = act("Book Clinic Appointment", "Book an appointment with a doctor at the clinic.",
             [{"name": "last_name", "description": "The patient's last name", "example": "Garcia"}, DAY])
VET = act("Book Vet Appointment", "Book a visit with the veterinarian for the caller's pet.",
          [{"name": "pet_name", "description": "The pet's name", "example": "Biscuit"}, DAY])
TOOLS = [REFUND, TRANSFER, CANCEL, RESCHEDULE, VISIT, CLINIC, VET]


def first(line: str, tools=TOOLS):
    return OfflineModel(today=TODAY).plan([Message(role="user", content=line)], tools)


def test_money_back_is_a_refund_not_a_transfer():
    for line in ("I'd like my money back for the broken kettle", "could you give me my money back"):
        assert first(line).text.startswith("To request a refund, I need the order number")


def test_push_my_visit_is_a_reschedule():
    t = first("can I push my visit to friday")
    assert "appointment ID" in t.text and not t.tool_calls


def test_call_it_off_cancels():
    t = first("I ordered the wrong size, please call order SO-118833 off")
    assert [(c.name, json.loads(c.arguments)) for c in t.tool_calls] == [("cancel_order", {"order_number": "SO-118833"})]


def test_a_physician_is_the_clinic_s_doctor_not_the_vet():
    assert "your last name" in first("I'd like to see a physician, on 2026-03-20").text


def test_a_listed_value_said_otherwise_completes_the_call():
    t = first("my boiler needs fixing, can someone come on 2026-03-16?")
    assert [(c.name, json.loads(c.arguments)) for c in t.tool_calls] == [
        ("schedule_technician_visit", {"date": "2026-03-16", "service": "repair"})]


def test_the_caller_s_verb_does_not_back_an_action_no_description_describes():
    vague = act("Reschedule Appointment", "Does a thing.", [{**APPT, "description": "Does a thing."}])
    t = first("please move my appointment APT-48213", tools=[vague, CANCEL])
    assert not t.tool_calls and t.text.startswith("Just to check:")
