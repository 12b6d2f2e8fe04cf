"""The offline simulator, driven directly (no HTTP): tool choice, slot filling, asking, calling,
summarising, honesty, determinism, and that better descriptions and examples make it better."""

from __future__ import annotations

import ast
import asyncio
import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from core.action import load_action, parse_action
from core.llm.base import AssistantTurn, ChatModel, Message, ToolCall
from core.llm.offline import OfflineModel
from core.llm.offline.tools import second_person
from core.schema import tool_schema

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 2, 25)  # a Wednesday


def action(name: str, description: str, variables: list[dict[str, Any]], method: str = "GET") -> dict[str, Any]:
    return {"name": name, "description": description, "method": method,
            "url": "https://api.example.com/" + name.lower().replace(" ", "-"), "variables": variables}


ORDER = action("Lookup Order Status",
               "Look up the shipping status, carrier and delivery date of an order by its order number.",
               [{"name": "order_number", "description": "The order number on the confirmation email",
                 "example": "ORD-10042"}])
INVENTORY = action("Check Product Inventory",
                   "Check whether a product is in stock and how many units are available, by SKU.",
                   [{"name": "sku", "description": "The product SKU from the product page", "example": "PROD-12345"}])
TICKET = action("Create Support Ticket",
                "Open a support ticket when the caller reports a problem that cannot be solved during the call.",
                [{"name": "issue_description", "description": "A one-sentence summary of the caller's problem"},
                 {"name": "priority_level", "description": "How urgent it is: low, normal, high or urgent",
                  "required": False}], method="POST")
BOOKING = action("Book Appointment",
                 "Book a 30-minute appointment on a given day once the caller has chosen a date and given their email.",
                 [{"name": "date", "type": "date", "description": "The day of the appointment", "example": "2026-12-01"},
                  {"name": "customer_email", "type": "email", "description": "The caller's email address",
                   "example": "jane.doe@example.com"}], method="POST")
VERIFY = action("Verify Caller", "Verify the caller's identity from their phone number before sharing account details.",
                [{"name": "phone", "type": "phone", "description": "The phone number on the caller's account",
                  "example": "+15551234567"}], method="POST")
TABLE = action("Reserve Table", "Reserve a table at the restaurant for a party.",
               [{"name": "party_size", "type": "integer", "description": "How many people are coming", "example": 4},
                {"name": "outdoor", "type": "boolean", "description": "Whether they want to sit outside"}],
               method="POST")
ALERT = action("Set Price Alert", "Alert the caller by email when the price of a product drops below a target price.",
               [{"name": "target_price", "type": "float", "description": "The price in dollars to alert at",
                 "example": 19.99},
                {"name": "sku", "description": "The product SKU", "example": "PROD-12345"}], method="POST")

ALL = [ORDER, INVENTORY, TICKET, BOOKING, VERIFY]


def tools_for(*actions: dict[str, Any], strict: bool = False) -> list[dict[str, Any]]:
    return [tool_schema(parse_action(a), strict=strict) for a in actions]


TOOLS = tools_for(*ALL)


def drive(model: OfflineModel, messages: list[Message], tools: list[dict[str, Any]]) -> tuple[list[str], AssistantTurn]:
    """Run respond() to the end: the text deltas, and the one final AssistantTurn."""

    async def collect() -> list[Any]:
        return [item async for item in model.respond(messages, tools)]

    out = asyncio.run(collect())
    assert out and isinstance(out[-1], AssistantTurn)
    assert all(isinstance(x, str) for x in out[:-1]), "only the last item is an AssistantTurn"
    return out[:-1], out[-1]


def turn(messages: list[Message], tools: list[dict[str, Any]] = TOOLS, today: dt.date = TODAY) -> AssistantTurn:
    return drive(OfflineModel(today=today), messages, tools)[1]


def user(text: str) -> Message:
    return Message(role="user", content=text)


def chat(*user_texts: str, tools: list[dict[str, Any]] = TOOLS) -> tuple[list[Message], AssistantTurn]:
    """Play the user lines one by one, appending the simulator's replies; the last turn is returned."""
    messages: list[Message] = []
    last = AssistantTurn()
    for text in user_texts:
        messages.append(user(text))
        last = turn(messages, tools)
        messages.append(Message(role="assistant", content=last.text, tool_calls=last.tool_calls))
    return messages, last


def call_of(t: AssistantTurn) -> tuple[str, dict[str, Any]]:
    assert len(t.tool_calls) == 1, (t.text, t.tool_calls)
    return t.tool_calls[0].name, json.loads(t.tool_calls[0].arguments)


def args_for(sentence: str, *actions: dict[str, Any]) -> dict[str, Any]:
    _, t = chat(sentence, tools=tools_for(*actions))
    name, args = call_of(t)
    return args


# --------------------------------------------------------------------------- protocol and streaming


def test_it_is_a_chat_model_named_offline():
    model = OfflineModel()
    assert isinstance(model, ChatModel)
    assert model.name == "offline"


def test_streams_text_in_chunks_then_one_turn():
    chunks, final = drive(OfflineModel(today=TODAY), [user("hello")], TOOLS)
    assert len(chunks) > 1
    assert "".join(chunks) == final.text
    assert not final.tool_calls


def test_a_call_streams_no_text():
    chunks, final = drive(OfflineModel(today=TODAY), [user("where is order ORD-10042?")], TOOLS)
    assert chunks == [] and final.text == ""
    assert call_of(final) == ("lookup_order_status", {"order_number": "ORD-10042"})


def test_imports_no_streamlit_and_does_no_network():
    imported = set()
    for path in sorted((ROOT / "core" / "llm" / "offline").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                imported.add((node.module or "").split(".")[0])
    network = {"socket", "urllib", "httpx", "requests", "openai", "streamlit", "fastapi", "uvicorn"}
    assert not imported & network, imported & network
    code = "import sys, core.llm.offline; assert 'streamlit' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


# --------------------------------------------------------------------------- tool choice


@pytest.mark.parametrize("sentence, tool", [
    ("Where is my order? It hasn't arrived", "lookup_order_status"),
    ("has my package shipped yet?", "lookup_order_status"),
    ("Is the blue mug in stock?", "check_product_inventory"),
    ("how many units do you have available", "check_product_inventory"),
    ("I want to report a problem with my headphones", "create_support_ticket"),
    ("I'd like to book an appointment", "book_appointment"),
    ("can you verify my identity", "verify_caller"),
])
def test_chooses_the_best_matching_tool(sentence, tool):
    t = turn([user(sentence)])
    # every tool here needs a value the sentence lacks: the simulator asks for it, naming the right action
    assert not t.tool_calls
    purpose = {"lookup_order_status": "look up the order status", "check_product_inventory": "check the product inventory",
               "create_support_ticket": "create a support ticket", "book_appointment": "book an appointment",
               "verify_caller": "verify you"}[tool]  # said to the caller: never "the caller"
    assert t.text.startswith(f"To {purpose}, I need "), t.text


def test_an_example_shaped_value_is_a_strong_signal():
    assert call_of(turn([user("PROD-12345")]))[0] == "check_product_inventory"
    assert call_of(turn([user("ORD-10042 please")]))[0] == "lookup_order_status"


@pytest.mark.parametrize("sentence", [
    "what's the weather like?", "hello", "Hi there!", "how are you?", "what can you do?", "tell me a joke",
])
def test_no_tool_for_chit_chat_or_greetings(sentence):
    t = turn([user(sentence)])
    assert t.tool_calls == []
    assert "offline simulator" in t.text
    for a in ALL:  # it lists what it can help with: the tool descriptions, said to the caller
        assert second_person(a["description"].rstrip(".")) in t.text
    assert "the caller" not in t.text
    assert t.text.rstrip().endswith("?")


def test_greeting_is_greeted():
    assert turn([user("hello")]).text.startswith("Hello!")


def test_no_tools_at_all():
    t = turn([user("where is my order ORD-10042?")], tools=[])
    assert t.tool_calls == []
    assert "no actions" in t.text


def test_system_message_is_ignored():
    messages = [Message(role="system", content="You are a helpful agent. Check stock when asked."), user("hi")]
    t = turn(messages)
    assert t.tool_calls == [] and "offline simulator" in t.text
    t = turn([Message(role="system", content="Be brief."), user("status of ORD-10042")])
    assert call_of(t) == ("lookup_order_status", {"order_number": "ORD-10042"})


def test_a_better_description_changes_the_choice():
    vague = action("Action 2", "Calls the API.", [{"name": "sku", "example": "PROD-12345"}])
    clear = action("Action 2", "Check whether a product is in stock, by SKU.", [{"name": "sku", "example": "PROD-12345"}])
    sentence = "do you have the blue mug in stock?"
    assert "offline simulator" in turn([user(sentence)], tools_for(vague)).text
    asked = turn([user(sentence)], tools_for(clear))
    assert "I need the SKU" in asked.text and "PROD-12345" in asked.text


def test_a_better_example_gets_the_value_extracted():
    with_example = action("Check Product Inventory", "Check whether a product is in stock, by SKU.",
                          [{"name": "sku", "description": "The product SKU", "example": "PROD-12345"}])
    without = action("Check Product Inventory", "Check whether a product is in stock, by SKU.",
                     [{"name": "sku", "description": "The product SKU"}])
    sentence = "Is PROD-54321 in stock?"
    assert call_of(turn([user(sentence)], tools_for(with_example))) == ("check_product_inventory", {"sku": "PROD-54321"})
    t = turn([user(sentence)], tools_for(without))
    assert t.tool_calls == []
    assert t.text == "To check the product inventory, I need the product SKU. What is it?"


# --------------------------------------------------------------------------- asking and direct answers


def test_ask_then_answer_then_call():
    messages, t = chat("Where is my order?")
    assert t.tool_calls == []
    assert t.text == ("To look up the order status, I need the order number on the confirmation email"
                      " \u2014 for example ORD-10042. What is it?")
    messages.append(user("It's ORD-10042"))
    assert call_of(turn(messages)) == ("lookup_order_status", {"order_number": "ORD-10042"})


def test_direct_answer_fills_a_plain_string():
    messages, t = chat("I want to report a problem")
    assert "a one-sentence summary of your problem" in t.text
    messages.append(user("My headphones stop charging after five minutes."))
    name, args = call_of(turn(messages))
    assert name == "create_support_ticket"
    assert args == {"issue_description": "My headphones stop charging after five minutes."}


def test_a_plain_string_the_caller_did_not_state_is_never_guessed():
    for sentence in ("open a ticket about my headphones", "I need a support ticket", "my name is Jane, open a ticket"):
        t = turn([user(sentence)])
        assert t.tool_calls == [] and "I need a one-sentence summary" in t.text, (sentence, t.text)


def test_asks_one_missing_parameter_at_a_time():
    messages, t = chat("Please book an appointment")
    assert "the day of the appointment" in t.text and "email" not in t.text
    assert t.text.endswith("Which date?")
    messages, t = chat("Please book an appointment", "tomorrow")
    assert "your email address" in t.text and "jane.doe@example.com" in t.text
    _, t = chat("Please book an appointment", "tomorrow", "sure, it's sam@example.org")
    assert call_of(t) == ("book_appointment", {"date": "2026-02-26", "customer_email": "sam@example.org"})


def test_an_answer_that_does_not_fit_is_asked_again():
    _, t = chat("where is my order?", "hmm, let me find it")
    assert t.tool_calls == []
    assert t.text.startswith("Sorry, I couldn't find an order number in that. To look up the order status")
    _, t = chat("where is my order?", "hmm, let me find it", "ord 10042")
    assert call_of(t) == ("lookup_order_status", {"order_number": "ORD-10042"})


def test_a_one_word_answer_is_taken_even_if_it_is_not_shaped_like_the_example():
    _, t = chat("where is my order?", "ORD-1004277")
    assert call_of(t) == ("lookup_order_status", {"order_number": "ORD-1004277"})


def test_user_can_change_the_request_instead_of_answering():
    _, t = chat("where is my order?", "actually, is PROD-12345 in stock?")
    assert call_of(t) == ("check_product_inventory", {"sku": "PROD-12345"})


def test_cancel_drops_the_request():
    _, t = chat("where is my order?", "never mind")
    assert t.tool_calls == [] and "dropped" in t.text


def test_optional_parameters_are_not_asked_but_are_included_when_found():
    _, t = chat("open an urgent ticket please", "The app crashes on login")
    assert call_of(t) == ("create_support_ticket",
                          {"issue_description": "The app crashes on login", "priority_level": "urgent"})
    _, t = chat("open a ticket please", "The app crashes on login")
    assert call_of(t) == ("create_support_ticket", {"issue_description": "The app crashes on login"})


def test_enum_question_lists_the_choices():
    must_choose = action("Set Priority", "Set the priority of the caller's open ticket.",
                         [{"name": "priority_level", "description": "How urgent it is: low, normal, high or urgent"}])
    _, t = chat("please set the priority", tools=tools_for(must_choose))
    assert t.text.endswith("Is it low, normal, high or urgent?")
    _, t = chat("please set the priority", "make it High", tools=tools_for(must_choose))
    assert call_of(t) == ("set_priority", {"priority_level": "high"})


def test_boolean_direct_answers():
    _, t = chat("reserve a table for 2 people", tools=tools_for(TABLE))
    assert t.text == "To reserve a table, I need to know whether they want to sit outside. Yes or no?"
    _, t = chat("reserve a table for 2 people", "yes please", tools=tools_for(TABLE))
    assert call_of(t) == ("reserve_table", {"party_size": 2, "outdoor": True})
    _, t = chat("reserve a table for 2 people", "no, inside", tools=tools_for(TABLE))
    assert call_of(t) == ("reserve_table", {"party_size": 2, "outdoor": False})


def test_honesty_mid_flow_keeps_the_question():
    _, t = chat("where is my order?", "wait, are you a real person?")
    assert "offline simulator" in t.text and "Back to your request: To look up the order status" in t.text
    _, t = chat("where is my order?", "wait, are you a real person?", "ORD-10042")
    assert call_of(t) == ("lookup_order_status", {"order_number": "ORD-10042"})


# --------------------------------------------------------------------------- typed extraction


@pytest.mark.parametrize("sentence, email", [
    ("book an appointment for 2026-03-10, my email is Jane.Doe+test@Example.co.uk.", "Jane.Doe+test@Example.co.uk"),
    ("book me in on 2026-03-10 (bob@example.com)", "bob@example.com"),
])
def test_extracts_email_and_iso_date(sentence, email):
    assert args_for(sentence, BOOKING) == {"date": "2026-03-10", "customer_email": email}


@pytest.mark.parametrize("spoken, phone", [
    ("+1 555 123 4567", "+15551234567"),
    ("(555) 123-4567", "5551234567"),
    ("555.123.4567", "5551234567"),
    ("+44 20 7946 0958", "+442079460958"),
    ("+15551234567", "+15551234567"),
])
def test_extracts_phone_numbers(spoken, phone):
    assert args_for(f"please verify me, my number is {spoken}", VERIFY) == {"phone": phone}


@pytest.mark.parametrize("words, iso", [
    ("today", "2026-02-25"),
    ("tomorrow", "2026-02-26"),
    ("the day after tomorrow", "2026-02-27"),
    ("next monday", "2026-03-02"),
    ("on friday", "2026-02-27"),
    ("wednesday", "2026-03-04"),  # today is a Wednesday: the next one
    ("March 3rd", "2026-03-03"),
    ("3 March", "2026-03-03"),
    ("the 3rd of March", "2026-03-03"),
    ("Mar 3", "2026-03-03"),
    ("March 3, 2027", "2027-03-03"),
    ("Jan 5", "2027-01-05"),  # already past this year: next year
    ("in 3 days", "2026-02-28"),
    ("2026-12-01", "2026-12-01"),
])
def test_extracts_dates(words, iso):
    args = args_for(f"book an appointment {words} for ann@example.com", BOOKING)
    assert args == {"date": iso, "customer_email": "ann@example.com"}


def test_today_defaults_to_the_real_date():
    # a model built without `today` resolves against date.today() at each call
    t = drive(OfflineModel(), [user("book an appointment tomorrow for ann@example.com")], tools_for(BOOKING))[1]
    assert call_of(t)[1]["date"] == (dt.date.today() + dt.timedelta(days=1)).isoformat()


@pytest.mark.parametrize("sentence, size", [
    ("reserve a table for 6 people, outdoor: yes", 6),
    ("yes, reserve a table for six people outside", 6),
    ("reserve a table for four people, outdoor true", 4),
])
def test_extracts_integers_and_booleans(sentence, size):
    args = args_for(sentence, TABLE)
    assert args == {"party_size": size, "outdoor": True}


def test_extracts_floats_and_keeps_ids_out_of_numbers():
    args = args_for("set a price alert for PROD-12345 when it drops below $19.50", ALERT)
    assert args == {"target_price": 19.5, "sku": "PROD-12345"}


@pytest.mark.parametrize("typed, sku", [
    ("prod-12345", "PROD-12345"),
    ("PROD 12345", "PROD-12345"),
    ("prod12345", "PROD-12345"),
    ("ABCD-54321", "ABCD-54321"),  # same shape, other letters
])
def test_example_shaped_strings_are_normalised_to_the_example(typed, sku):
    assert args_for(f"is {typed} in stock?", INVENTORY) == {"sku": sku}


def test_examples_list_in_the_schema_is_used_too():
    tool = {"type": "function", "function": {
        "name": "track_parcel", "description": "Track a parcel by its tracking code.",
        "parameters": {"type": "object", "properties": {
            "tracking_code": {"type": "string", "description": "The tracking code", "examples": ["1Z-999-AA1"]}},
            "required": ["tracking_code"]}}}
    t = turn([user("where is parcel 1z-123-bb7?")], [tool])
    assert call_of(t) == ("track_parcel", {"tracking_code": "1Z-123-BB7"})


def test_strict_schema_sends_null_for_optional_parameters():
    _, t = chat("open a ticket", "The app crashes on login", tools=tools_for(TICKET, strict=True))
    assert call_of(t) == ("create_support_ticket",
                          {"issue_description": "The app crashes on login", "priority_level": None})


def test_two_intents_in_one_message_give_two_calls():
    t = turn([user("check stock for PROD-12345 and the status of order ORD-10042")])
    calls = [(c.name, json.loads(c.arguments)) for c in t.tool_calls]
    assert calls == [("check_product_inventory", {"sku": "PROD-12345"}),
                     ("lookup_order_status", {"order_number": "ORD-10042"})]
    assert len({c.id for c in t.tool_calls}) == 2


def test_one_value_does_not_trigger_two_similar_tools():
    legacy = action("Legacy Order Lookup", "Look up an order through the legacy endpoint.",
                    [{"name": "order_number", "description": "The order number", "example": "ORD-10042"}])
    t = turn([user("where is my order ORD-10042?")], tools_for(ORDER, legacy))
    assert call_of(t)[0] == "lookup_order_status"


# near-duplicates of ORDER: the same variable and example, a similar name and description
LEGACY = action("Legacy Order Lookup", "Look up an order through the legacy endpoint, which answers a 302 redirect.",
                [{"name": "order_number", "description": "The order number on the confirmation email",
                  "example": "ORD-10042"}])
LEGACY_TROUBLESHOOTING = action(
    "Legacy Order Lookup", "Troubleshooting sample: looks up an order via the legacy URL, which answers a 302 "
    "redirect; use only when asked to test redirects.",
    [{"name": "order_number", "description": "The order number on the confirmation email", "example": "ORD-10042"}])


@pytest.mark.parametrize("legacy", [LEGACY, LEGACY_TROUBLESHOOTING], ids=["plain", "troubleshooting"])
@pytest.mark.parametrize("legacy_first", [True, False], ids=["legacy-first", "legacy-last"])
@pytest.mark.parametrize("lines", [
    ("ORD-10042",), ("where is my order ORD-10042?",), ("my order is ORD-10042",),
    ("where is my order?", "ORD-10042"), ("I'd like to check on my order", "it's ORD-10042"),
    ("where is my order?", "10042"),  # an answer taken whole, with no span of its own
], ids=lambda lines: " / ".join(lines))
def test_one_value_never_triggers_two_similar_tools(lines, legacy_first, legacy):
    tools = tools_for(legacy, ORDER, INVENTORY) if legacy_first else tools_for(ORDER, INVENTORY, legacy)
    messages, t = chat(*lines, tools=tools)
    # words that say "status" (where is ..., the status of ...) or a description that restricts the
    # near-duplicate ("use only when ...") settle the tie the same way whatever the order of the tools
    if "where" in lines[0] or legacy is LEGACY_TROUBLESHOOTING:
        name, args = call_of(t)  # exactly one call
        assert name == "lookup_order_status"
        assert args["order_number"] in ("ORD-10042", "10042")
    else:
        # nothing tells the two apart: the simulator asks which one is meant, and calls nothing
        assert t.tool_calls == [] and t.text.startswith("Just to be sure: do you want me to "), t.text
        assert "look up the order status" in t.text and "legacy endpoint" in t.text
    assert turn(messages[:-1], tools).tool_calls == t.tool_calls  # and deterministically so


def test_the_answer_to_which_one_settles_it():
    tools = tools_for(LEGACY, ORDER, INVENTORY)
    _, t = chat("ORD-10042", "the order status please", tools=tools)
    assert call_of(t) == ("lookup_order_status", {"order_number": "ORD-10042"})


def test_a_list_of_values_makes_one_call_each():
    t = turn([user("is PROD-12345 or PROD-54321 in stock?")])
    assert [(c.name, json.loads(c.arguments)) for c in t.tool_calls] == [
        ("check_product_inventory", {"sku": "PROD-12345"}), ("check_product_inventory", {"sku": "PROD-54321"})]
    assert len({c.id for c in t.tool_calls}) == 2


@pytest.mark.parametrize("legacy_first", [True, False])
def test_where_is_my_order_asks_for_the_status_tool_even_with_a_legacy_lookup(legacy_first):
    tools = tools_for(LEGACY, ORDER) if legacy_first else tools_for(ORDER, LEGACY)
    _, t = chat("where is my order?", tools=tools)
    assert t.tool_calls == [] and t.text.startswith("To look up the order status, I need "), t.text


@pytest.mark.parametrize("legacy", [LEGACY, LEGACY_TROUBLESHOOTING], ids=["plain", "troubleshooting"])
def test_two_separate_requests_still_give_two_calls_among_near_duplicates(legacy):
    tools = tools_for(legacy, INVENTORY, ORDER, BOOKING)
    t = turn([user("check stock for PROD-12345 and where is my order ORD-10042?")], tools)
    assert [(c.name, json.loads(c.arguments)) for c in t.tool_calls] == [
        ("check_product_inventory", {"sku": "PROD-12345"}), ("lookup_order_status", {"order_number": "ORD-10042"})]
    # an answer to the simulator's question that also asks for something else
    _, t = chat("where is my order?", "ORD-10042, and is PROD-12345 in stock?", tools=tools)
    assert [(c.name, json.loads(c.arguments)) for c in t.tool_calls] == [
        ("lookup_order_status", {"order_number": "ORD-10042"}), ("check_product_inventory", {"sku": "PROD-12345"})]
    assert len({c.id for c in t.tool_calls}) == 2


# --------------------------------------------------------------------------- after a tool result


def result_messages(*results: tuple[str, dict[str, Any]]) -> list[Message]:
    calls = [ToolCall(id=f"call_{i}", name=name, arguments="{}") for i, (name, _) in enumerate(results)]
    messages = [user("check it"), Message(role="assistant", content="", tool_calls=calls)]
    for i, (name, data) in enumerate(results):
        messages.append(Message(role="tool", tool_call_id=f"call_{i}", name=name,
                                content=json.dumps(data, separators=(",", ":"))))
    return messages


STOCK_OK = {"status": 200, "body": {"sku": "PROD-12345", "name": "Wireless Headphones X2", "in_stock": True,
                                    "quantity_available": 42, "warehouse": "Reno, NV", "price": 149.0,
                                    "currency": "USD", "restock_date": None}}
ORDER_401 = {"status": 401, "body": {"error": "unauthorized", "message": "invalid bearer token"},
             "error": {"kind": "http_401", "message": "HTTP 401 Unauthorized"},
             "hint": "401 Unauthorized: the request sent Authorization: Bearer ****TOKN. Check the credential."}


def assert_caller_facing(text: str) -> None:
    """What a caller hears: no tool names, status codes, hints or "the caller"; one or two sentences."""
    for banned in ("_", "200", "401", "404", "Hint", "hint", "the caller", "call failed", "succeeded"):
        assert banned not in text, (banned, text)
    assert 1 <= len(re.findall(r"[.!?](?:\s|$)", text)) <= 2, text


def test_a_success_is_told_in_plain_words():
    t = turn(result_messages(("check_product_inventory", STOCK_OK)))
    assert t.tool_calls == []
    assert_caller_facing(t.text)
    assert t.text.startswith("The Wireless Headphones X2 is in stock")  # the answer first, no preamble
    assert "restock" not in t.text  # null fields are left out
    assert t.text.count(" is ") <= 3  # a few fields, not the whole body


def test_the_reply_uses_the_fields_that_answer_the_question():
    body = {"order_number": "ORD-10042", "status": "shipped", "carrier": "UPS", "items": 2,
            "warehouse": "Reno", "estimated_delivery": "2026-12-03"}
    messages = [user("when will order ORD-10042 be delivered?"),
                Message(role="assistant", content="", tool_calls=[ToolCall(
                    id="c1", name="lookup_order_status", arguments='{"order_number": "ORD-10042"}')]),
                Message(role="tool", tool_call_id="c1", name="lookup_order_status",
                        content=json.dumps({"status": 200, "body": body}))]
    t = turn(messages)
    assert_caller_facing(t.text)
    assert "December 3, 2026" in t.text and "ORD-10042" in t.text


def test_a_picked_result_is_read_the_same_way():
    t = turn(result_messages(("check_product_inventory", {"in_stock": True, "quantity_available": 42})))
    assert_caller_facing(t.text)
    assert "in stock" in t.text and "42" in t.text


def test_a_not_found_asks_the_caller_to_check_the_value():
    messages = [user("where is ORD-1?"),
                Message(role="assistant", content="", tool_calls=[ToolCall(
                    id="c1", name="lookup_order_status", arguments='{"order_number": "ORD-1"}')]),
                Message(role="tool", tool_call_id="c1", name="lookup_order_status",
                        content=json.dumps({"status": 404, "body": {"detail": "no order ORD-1"},
                                            "error": {"kind": "http_404", "message": "HTTP 404 Not Found"},
                                            "hint": "404: check the URL path"}))]
    t = turn(messages)
    assert t.text == "I couldn't find order number ORD-1; could you check the order number?"


def test_an_error_keeps_the_developer_hint_out_of_the_reply():
    t = turn(result_messages(("lookup_order_status", ORDER_401)))
    assert t.tool_calls == []
    assert_caller_facing(t.text)
    assert "bearer" not in t.text.lower() and "credential" not in t.text.lower()
    assert "couldn't look up the order status" in t.text


def test_a_transport_error_is_told_in_plain_words():
    timeout = {"error": {"kind": "timeout", "message": "timed out (ReadTimeout): no complete response within 2 s"},
               "hint": "No response within the action's 2 s limit (timeout_s)."}
    t = turn(result_messages(("generate_sales_report", timeout)))
    assert_caller_facing(t.text)
    assert "isn't answering" in t.text and "timeout_s" not in t.text


def test_an_invalid_value_asks_for_that_value_again():
    bad = {"error": {"kind": "invalid_arguments", "message": "customer_email: expected an email address, got 'x'"}}
    t = turn(result_messages(("book_appointment", bad)))
    assert t.text == "Sorry, that customer email didn't work. Could you tell me your email address again?"


def test_each_of_parallel_results_is_told():
    t = turn(result_messages(("check_product_inventory", STOCK_OK), ("lookup_order_status", ORDER_401)))
    assert t.text.startswith("The Wireless Headphones X2 is in stock") and "couldn't look up the order status" in t.text


def test_a_truncated_result_is_explained():
    messages = result_messages(("export_product_catalog", STOCK_OK))
    messages[-1].content = '{"status":200,"body":{"items":[' + "1," * 2000 + "...[truncated]"
    t = turn(messages)
    assert "too large" in t.text and "200" not in t.text


def test_a_new_request_after_a_result_starts_afresh():
    messages = result_messages(("lookup_order_status", ORDER_401))
    messages.append(Message(role="assistant", content=turn(messages).text))
    messages.append(user("thanks!"))
    t = turn(messages)
    assert t.tool_calls == [] and t.text.startswith("You're welcome!")
    messages.append(Message(role="assistant", content=t.text))
    messages.append(user("and is PROD-54321 in stock?"))
    assert call_of(turn(messages)) == ("check_product_inventory", {"sku": "PROD-54321"})


# --------------------------------------------------------------------------- honesty and determinism


@pytest.mark.parametrize("question", [
    "Are you a real person?", "are you a bot", "Am I talking to a human?", "are you an AI?",
    "what model are you?", "Is this a simulator? are you a simulator", "who are you?",
])
def test_is_honest_about_being_a_simulator(question):
    t = turn([user(question)])
    assert t.tool_calls == []
    assert "offline simulator" in t.text and "not an LLM" in t.text
    assert "Settings" in t.text and "--model openai:MODEL" in t.text


def test_same_inputs_same_output():
    conversation = ["hello", "I need to book an appointment", "next friday", "ann@example.com"]
    messages, first = chat(*conversation)
    _ = chat("where is my order?", "ORD-10042")  # another conversation in between changes nothing
    model = OfflineModel(today=TODAY)
    a = drive(model, messages[:-1], TOOLS)
    b = drive(model, messages[:-1], TOOLS)
    c = drive(OfflineModel(today=TODAY), messages[:-1], TOOLS)
    assert a == b == c
    assert a[1].tool_calls[0].id == first.tool_calls[0].id
    assert call_of(first) == ("book_appointment", {"date": "2026-02-27", "customer_email": "ann@example.com"})


def test_accepts_plain_dict_tools_and_empty_input():
    t = turn([], TOOLS)
    assert "offline simulator" in t.text
    t = turn([user("")], TOOLS)
    assert t.tool_calls == [] and "offline simulator" in t.text


# Speed is measured in benchmarks/agent_overhead.py, never asserted here (shared, noisy machines).


@pytest.mark.parametrize("described, said", [
    ("Check stock when the caller asks about availability", "Check stock when you ask about availability"),
    ("Find the customer account from the number they call from", "Find your account from the number you call from"),
    ("The caller's card is blocked", "Your card is blocked"),
    ("once the caller has chosen a date", "once you have chosen a date"),
    ("when the caller reaches voicemail", "when you reach voicemail"),
    ("Verify the caller", "Verify you"),
])
def test_descriptions_are_said_to_the_caller_in_the_second_person(described, said):
    assert second_person(described) == said


@pytest.mark.parametrize("sentence, summary", [
    ("My headphones are broken, I want to report a problem", "My headphones are broken"),
    ("I want to open a ticket: my router keeps dropping the connection", "My router keeps dropping the connection"),
    ("the app crashes when I log in, can you open a ticket", "The app crashes when I log in"),
    ("please raise a ticket because the screen stays black after the update", "The screen stays black after the update"),
])
def test_what_went_wrong_is_taken_out_of_the_sentence(sentence, summary):
    t = turn([user(sentence)])
    assert [c.name for c in t.tool_calls] == ["create_support_ticket"], t.text
    assert json.loads(t.tool_calls[0].arguments)["issue_description"] == summary


def test_a_new_request_instead_of_an_answer_drops_the_question_and_its_values():
    # asked for a customer ID (never given), the caller moves on: nothing of the first request leaks into a call
    samples = [tool_schema(load_action(p)) for p in sorted((ROOT / "sample_actions").glob("*.json"))]
    messages, t = chat("look up customer CUS-1001", "I need a technician near 94107", tools=samples)
    assert [(c.name, json.loads(c.arguments)) for c in t.tool_calls] == [("find_technician_slot", {"zip_code": "94107"})]
    # asked why they want a call back, the caller asks for something else: that is no reason
    messages, t = chat("please call me back", "what plan am I on?", tools=samples)
    assert [c.name for c in t.tool_calls] != ["schedule_callback"], t.tool_calls


def test_a_question_for_a_why_asks_to_know_it():
    samples = [tool_schema(load_action(p)) for p in sorted((ROOT / "sample_actions").glob("*.json"))]
    _, t = chat("please call me back", tools=samples)
    assert "I need to know why you want a call back" in t.text, t.text
