"""What a caller hears after a successful call: the facts that answer the question, said naturally.

The corpus (tests/reply_corpus.py) holds response bodies from retail, banking, travel, healthcare,
utilities, field service, support and insurance, each with the caller's question and the facts the
reply must contain. Every reply is also checked for the defects a caller should never hear: field
names with underscores, an item's name read as someone's "first name", status codes, raw ISO dates,
tool names, developer words, JSON words, or more than two sentences.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from core.action import load_action, parse_action
from core.demo.data import SEED_INVENTORY, SEED_ORDERS
from core.llm.base import Message, ToolCall
from core.llm.offline import OfflineModel
from core.llm.offline.facts import fields, grammar, relevance, speech
from core.llm.offline.facts.clauses import clause
from core.llm.offline.replies import reply_for
from core.llm.offline.tools import toolset
from core.schema import tool_schema
from tests.reply_corpus import CASES, DEMO_DAY, TODAY

ROOT = Path(__file__).resolve().parent.parent
_ABBREVIATIONS_RE = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|St|Jr|Sr|No)\.\s")
_STATUS_CODE_RE = re.compile(r"(?<![\w-])(?:200|201|202|204|301|302|400|401|403|404|405|409|422|429|500|502|503|504)(?![\w-])")


def schema_of(action: str | dict[str, Any]) -> dict[str, Any]:
    loaded = load_action(ROOT / action) if isinstance(action, str) else parse_action(action)
    return tool_schema(loaded)


def reply(case: dict[str, Any]) -> str:
    schema = schema_of(case["action"])
    tool = toolset([schema]).tools[0]
    content = json.dumps({"status": 200, ("result" if case.get("picked") else "body"): case["body"]})
    return reply_for(tool, case["args"], content, case["ask"], case.get("today", TODAY))


def sentences(text: str) -> int:
    return len(re.findall(r"[.!?](?:\s|$)", _ABBREVIATIONS_RE.sub("", text)))


def assert_caller_facing(text: str, tool_name: str = "") -> None:
    """No developer's view in what the caller hears, and at most two sentences."""
    assert "_" not in text, text  # no raw field names (and no tool names)
    assert "first name" not in text.lower(), text  # no list flattened into its first record
    assert not _STATUS_CODE_RE.search(text), text
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text), text  # dates are spoken
    for banned in ("Here's what I found", "the caller", "hint", "HTTP", "None", "null", "True", "False", "...",
                   "status code", "succeeded"):
        assert banned not in text, (banned, text)
    if tool_name:
        assert tool_name not in text
    assert 1 <= sentences(text) <= 2, text


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_the_reply_says_what_answers_the_question(case):
    text = reply(case)
    assert_caller_facing(text, schema_of(case["action"])["function"]["name"])
    for fact in case.get("has", []):
        options = fact if isinstance(fact, tuple) else (fact,)
        assert any(o in text for o in options), (options, text)
    for wrong in case.get("lacks", []):
        assert wrong not in text, (wrong, text)


def test_the_corpus_spans_domains_and_kinds_of_reply():
    assert len(CASES) >= 40
    texts = [reply(c) for c in CASES]
    assert sum(t.startswith("I've ") for t in texts) >= 10  # requests carried out say what was done
    assert sum(not t.startswith("I've ") for t in texts) >= 20  # look-ups say what was found, answer first


# --------------------------------------------------------------------------- the lead's four examples


ORDER = "sample_actions/order_status.json"
STOCK = "sample_actions/check_inventory.json"


@pytest.mark.parametrize("action, args, body, ask, expected", [
    (ORDER, {"order_number": "ORD-10042"}, SEED_ORDERS["ORD-10042"], "where is my order ORD-10042?",
     "Order ORD-10042 is shipped and should be delivered by November 28, 2026. The carrier is UPS."),
    (ORDER, {"order_number": "ORD-10043"}, SEED_ORDERS["ORD-10043"], "when will order ORD-10043 arrive?",
     "Order ORD-10043 should be delivered by December 2, 2026 and is processing."),
    (ORDER, {"order_number": "ORD-10044"}, SEED_ORDERS["ORD-10044"], "what is the status of ORD-10044",
     "Order ORD-10044 was delivered on November 3, 2026 and the carrier is FedEx."),
    (STOCK, {"sku": "PROD-54321"}, SEED_INVENTORY["PROD-54321"], "is PROD-54321 in stock?",
     "The USB-C Dock is not in stock and should be restocked by December 15, 2026."),
])
def test_orders_and_stock_are_answered_like_a_person_would(action, args, body, ask, expected):
    case = {"action": action, "args": args, "body": body, "ask": ask, "today": DEMO_DAY}
    assert reply(case) == expected


def test_the_question_asked_turns_before_the_call_counts():
    """"where is my order?" -> the agent asks -> "ORD-10042": the reply answers the first message."""
    tools = [schema_of(ORDER)]
    messages = [Message(role="user", content="where is my order?"),
                Message(role="assistant", content="What is the order number?"),
                Message(role="user", content="ORD-10042"),
                Message(role="assistant", content="", tool_calls=[ToolCall(
                    id="c1", name="lookup_order_status", arguments='{"order_number": "ORD-10042"}')]),
                Message(role="tool", tool_call_id="c1", name="lookup_order_status",
                        content=json.dumps({"status": 200, "body": SEED_ORDERS["ORD-10042"]}))]
    turn = OfflineModel(today=DEMO_DAY).plan(messages, tools)
    assert "November 28, 2026" in turn.text and "shipped" in turn.text


# --------------------------------------------------------------------------- the parts


@pytest.mark.parametrize("verb, done", [("book", "booked"), ("ship", "shipped"), ("send", "sent"), ("pay", "paid"),
                                        ("cancel", "cancelled"), ("submit", "submitted"), ("reset", "reset"),
                                        ("schedule", "scheduled"), ("verify", "verified")])
def test_participles_come_from_wordnet_and_spelling_rules(verb, done):
    assert grammar.participle(verb) == done


def test_event_nouns_their_verbs_and_whether_those_take_an_object():
    assert grammar.event_verb("delivery") == "deliver" and grammar.transitive("deliver")
    assert grammar.event_verb("arrival") == "arrive" and not grammar.transitive("arrive")
    assert grammar.event_verb("departure") == "depart"
    assert grammar.is_person("customer") and grammar.is_person("patient") and not grammar.is_person("product")
    assert grammar.is_participle("delivered") and grammar.is_adjective("due") and grammar.is_base_verb("restock")


def test_values_are_spoken():
    assert speech.money(1523.4, "USD") == "$1,523.40" and speech.money(320, "EUR") == "€320.00"
    assert speech.money(12.5, "CHF") == "12.50 CHF" and speech.money(42.17, None) == "42.17"
    assert speech.text("2026-11-20T10:30:00Z") == "November 20, 2026 at 10:30"
    assert speech.text("2026-12-02 09:00-12:00") == "December 2, 2026, 09:00-12:00"
    assert speech.text("OUT_FOR_DELIVERY") == "out for delivery" and speech.text("in_transit") == "in transit"


def test_a_list_of_records_is_told_by_their_names_never_by_the_first_record_s_fields():
    facts, _ = fields.read(SEED_ORDERS["ORD-10043"])
    items = next(f for f in facts if f.words == ("items",))
    assert items.kind == "items" and items.value == ["Ergonomic Mouse (2)"]
    assert not any("first" in f.words or f.words == ("name",) for f in facts)


def test_fields_take_their_currency_unit_and_a_full_name():
    facts, context = fields.read({"data": {"first_name": "Ada", "last_name": "Lovelace", "fee_cents": 150,
                                           "currency": "EUR", "data_used_gb": 18.4, "note": None,
                                           "receipt_url": "https://x.example/r/1", "_links": {"self": "/x"}}})
    by_label = {f.label: f for f in facts}
    assert by_label["name"].value == "Ada Lovelace"
    assert by_label["fee"].kind == "amount" and by_label["fee"].value == 1.5 and by_label["fee"].currency == "EUR"
    assert by_label["data used"].unit == "GB"
    assert set(by_label) == {"name", "fee", "data used"}  # nulls, links and metadata are left out


def test_field_names_become_natural_clauses():
    def said(body: dict[str, Any], today: dt.date = DEMO_DAY) -> str:
        (fact,), _ = fields.read(body)
        return clause(fact, today).text
    assert said({"ordered_on": "2026-11-20"}) == "was ordered on November 20, 2026"
    assert said({"estimated_delivery": "2026-11-28"}) == "should be delivered by November 28, 2026"
    assert said({"expected_arrival": "2026-11-28"}) == "should arrive by November 28, 2026"
    assert said({"restock_date": "2026-12-15"}) == "should be restocked by December 15, 2026"
    assert said({"scheduled_for": "2026-12-15T09:00"}) == "is scheduled for December 15, 2026 at 09:00"
    assert said({"in_stock": False}) == "is not in stock"
    assert said({"card_blocked": True}) == "the card is blocked"
    assert said({"quantity_available": 0}) == "none are available"
    assert said({"open_tickets": 1}) == "there is 1 open ticket"
    assert said({"crew_eta": "within 2 hours"}) == "the crew should arrive within 2 hours"
    assert said({"account_status": "active"}) == "the account is active"
    assert said({"customer_since": "2021-03-14"}) == "has been a customer since March 14, 2021"


def test_question_words_say_what_kind_of_value_is_wanted():
    assert relevance.question("when will it arrive?").wants == {"moment"}
    assert relevance.question("when will it arrive?").tense == "future"
    assert relevance.question("how much do I owe?").wants == {"amount"}
    assert relevance.question("how much data have I used?").wants == {"count"}
    assert "yesno" in relevance.question("is it in stock?").wants
    assert "contents" in relevance.question("what's in my order?").wants


def test_a_request_carried_out_says_what_was_done_unless_it_failed():
    booked = {"action": "benchmarks/realism/actions/book_flight.json", "args": {"origin": "Boston"},
              "body": {"confirmation": "K7Q2PZ", "status": "declined", "reason": "card expired"},
              "ask": "book me a flight from Boston"}
    text = reply(booked)
    assert not text.startswith("I've booked") and "declined" in text


def test_replies_are_deterministic():
    assert [reply(c) for c in CASES] == [reply(c) for c in CASES]


@pytest.mark.parametrize("note, expected", [
    ("dry run: the request was built but not sent", "only a test run, so nothing was actually done"),
    ("held: waiting for approval before it is sent", "waiting for approval, so it hasn't been done yet"),
])
def test_a_request_that_was_not_sent_is_never_reported_as_done(note, expected):
    tool = toolset([schema_of("sample_actions/book_appointment.json")]).tools[0]
    text = reply_for(tool, {"date": "2026-12-01"}, json.dumps({"sent": False, "note": note}), "book me in", TODAY)
    assert expected in text and "booked" not in text, text
    assert_caller_facing(text)


def test_an_mcp_tool_error_that_repeats_a_value_asks_for_that_value_again():
    tool = toolset([schema_of("sample_actions/order_status.json")]).tools[0]
    name = tool.params[0].name
    content = json.dumps({"error": {"kind": "mcp_error", "message": "no record for 'ORD-99999'"}})
    text = reply_for(tool, {name: "ORD-99999"}, content, "where is my order?", TODAY)
    assert text.startswith(f"Sorry, that {tool.params[0].label} didn't work"), text
    assert_caller_facing(text)
