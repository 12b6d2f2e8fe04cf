"""Tool schemas for function calling, and tool arguments back to typed values."""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from core.action import Action, Variable, parse_action
from core.errors import VariableError
from core.schema import coerce, resolve_values, tool_schema


def var(type_: str = "string", **fields: Any) -> Variable:
    return Variable(name=fields.pop("name", "qty" if type_ == "integer" else "value"), type=type_, **fields)


ALL_TYPES = parse_action({
    "name": "Book Appointment (v2)!",
    "description": "Book an appointment for the caller at a given date.",
    "url": "https://api.example.com/book",
    "method": "POST",
    "variables": [
        {"name": "name", "type": "string", "description": "Caller's full name", "example": "Ada Lovelace"},
        {"name": "party_size", "type": "integer", "description": "How many people", "example": 2},
        {"name": "budget", "type": "float", "required": False, "default": 50.0},
        {"name": "vip", "type": "boolean", "required": False},
        {"name": "day", "type": "date", "description": "The day of the appointment", "example": "2024-03-15"},
        {"name": "email", "type": "email", "required": False},
        {"name": "phone", "type": "phone", "required": False},
    ],
})


# -- coerce ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "type_, raw, expected",
    [
        ("string", "ORD-1", "ORD-1"), ("string", 42, "42"), ("string", True, "true"),
        ("integer", 42, 42), ("integer", "42", 42), ("integer", " -7 ", -7), ("integer", "1,000", 1000),
        ("integer", 3.0, 3),
        ("float", "9.5", 9.5), ("float", 2, 2.0), ("float", "1,234.5", 1234.5),
        ("boolean", True, True), ("boolean", "yes", True), ("boolean", "No", False), ("boolean", "TRUE", True),
        ("boolean", "n", False), ("boolean", 1, True), ("boolean", 0, False),
        ("date", "2024-03-15", "2024-03-15"), ("date", dt.date(2024, 3, 15), "2024-03-15"),
        ("date", dt.datetime(2024, 3, 15, 10, 30), "2024-03-15"), ("date", " 2024-03-15 ", "2024-03-15"),
        ("email", "ada@example.com", "ada@example.com"), ("email", "  ada+x@mail.example.org ", "ada+x@mail.example.org"),
        ("phone", "+1 (555) 123-4567", "+15551234567"), ("phone", "555.123.4567", "5551234567"),
        ("phone", 5551234567, "5551234567"),
    ],
)
def test_coerce_accepts_and_normalises(type_: str, raw: Any, expected: Any) -> None:
    value = coerce(var(type_), raw)
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize(
    "type_, raw, expected",
    [
        ("integer", "many", "expected an integer, got 'many'"),
        ("integer", 2.5, "expected an integer, got 2.5"),
        ("integer", True, "expected an integer, got True"),
        ("integer", "9" * 5000, "expected an integer"),
        ("float", "cheap", "expected a number, got 'cheap'"),
        ("float", float("nan"), "expected a number"),
        ("float", float("inf"), "expected a number"),
        ("float", "inf", "expected a number"),
        ("boolean", "maybe", "expected true or false, got 'maybe'"),
        ("date", "15/03/2024", "expected a date as YYYY-MM-DD, got '15/03/2024'"),
        ("date", "2024-02-30", "expected a date as YYYY-MM-DD"),
        ("email", "ada at example.com", "expected an email address like name@example.com"),
        ("phone", "call me", "expected a phone number like +15551234567"),
        ("phone", "12", "expected a phone number"),
        ("string", {"a": 1}, "expected a string"),
    ],
)
def test_coerce_errors_name_variable_expectation_and_value(type_: str, raw: Any, expected: str) -> None:
    variable = var(type_)
    with pytest.raises(VariableError) as info:
        coerce(variable, raw)
    assert str(info.value).startswith(f"{variable.name}: ")
    assert expected in str(info.value)


def test_qty_message_exactly() -> None:
    with pytest.raises(VariableError, match=r"^qty: expected an integer, got 'many'$"):
        coerce(var("integer"), "many")


@settings(max_examples=200, deadline=None)
@given(st.floats())
def test_a_coerced_float_always_has_a_json_form(raw: float) -> None:
    try:
        value = coerce(var("float"), raw)
    except VariableError:
        assert not math.isfinite(raw)
    else:
        assert json.loads(json.dumps(value, allow_nan=False)) == raw


# -- resolve_values ---------------------------------------------------------------------------

def test_resolve_values_types_every_variable_and_applies_defaults() -> None:
    values = resolve_values(ALL_TYPES, {"name": "Ada", "party_size": "2", "day": "2024-03-15", "vip": "yes"})
    assert values == {"name": "Ada", "party_size": 2, "budget": 50.0, "vip": True, "day": "2024-03-15",
                      "email": None, "phone": None}


def test_given_value_beats_default() -> None:
    values = resolve_values(ALL_TYPES, {"name": "Ada", "party_size": 2, "day": "2024-03-15", "budget": "80"})
    assert values["budget"] == 80.0


def test_blank_non_string_value_counts_as_not_given() -> None:
    values = resolve_values(ALL_TYPES, {"name": "Ada", "party_size": 2, "day": "2024-03-15", "budget": " "})
    assert values["budget"] == 50.0


def test_missing_required_variables_report_description_and_example() -> None:
    with pytest.raises(VariableError) as info:
        resolve_values(ALL_TYPES, {"name": "Ada"})
    message = str(info.value)
    assert "party_size is required: How many people (e.g. 2)" in message
    assert "day is required: The day of the appointment (e.g. 2024-03-15)" in message
    assert "name is required" not in message


def test_wrong_type_in_arguments_names_the_variable() -> None:
    with pytest.raises(VariableError, match="party_size: expected an integer, got 'a few'"):
        resolve_values(ALL_TYPES, {"name": "Ada", "party_size": "a few", "day": "2024-03-15"})


def test_strict_unknown_lists_known_arguments() -> None:
    with pytest.raises(VariableError) as info:
        resolve_values(ALL_TYPES, {"name": "Ada", "party_size": 2, "day": "2024-03-15", "colour": "red"},
                       strict_unknown=True)
    assert "unknown argument 'colour'" in str(info.value) and "party_size" in str(info.value)


def test_unknown_arguments_are_ignored_by_default() -> None:
    values = resolve_values(ALL_TYPES, {"name": "Ada", "party_size": 2, "day": "2024-03-15", "colour": "red"})
    assert "colour" not in values


# -- tool_schema -------------------------------------------------------------------------------

def test_tool_schema_is_an_openai_function_tool() -> None:
    tool = tool_schema(ALL_TYPES)
    assert tool["type"] == "function"
    fn = tool["function"]
    assert fn["name"] == "book_appointment_v2"
    assert fn["description"] == "Book an appointment for the caller at a given date."
    params = fn["parameters"]
    assert params["type"] == "object" and params["additionalProperties"] is False
    props = params["properties"]
    assert props["name"]["type"] == "string"
    assert props["party_size"]["type"] == "integer"
    assert props["budget"]["type"] == "number" and props["budget"]["default"] == 50.0
    assert props["vip"]["type"] == "boolean"
    assert props["day"] == {"type": "string", "format": "date",
                            "description": "The day of the appointment. ISO date YYYY-MM-DD. e.g. 2024-03-15"}
    assert props["email"]["format"] == "email"
    assert props["phone"]["type"] == "string"
    assert params["required"] == ["name", "party_size", "day"]
    assert "strict" not in fn
    json.dumps(tool)  # serialisable as is


def test_description_falls_back_to_the_name() -> None:
    tool = tool_schema(parse_action({"name": "Ping It", "url": "https://x.example"}))
    assert tool["function"]["description"] == "Ping It"
    assert tool["function"]["parameters"]["properties"] == {} and tool["function"]["parameters"]["required"] == []


def test_strict_variant_requires_everything_and_allows_null_for_optional() -> None:
    fn = tool_schema(ALL_TYPES, strict=True)["function"]
    assert fn["strict"] is True
    params = fn["parameters"]
    assert params["required"] == [v.name for v in ALL_TYPES.variables]
    assert params["additionalProperties"] is False
    assert params["properties"]["budget"]["type"] == ["number", "null"]
    assert params["properties"]["party_size"]["type"] == "integer"
    for prop in params["properties"].values():
        assert "default" not in prop and "format" not in prop


@pytest.mark.parametrize("strict", [False, True])
def test_parameters_are_a_valid_json_schema_that_accepts_good_arguments(strict: bool) -> None:
    params = tool_schema(ALL_TYPES, strict=strict)["function"]["parameters"]
    Draft202012Validator.check_schema(params)
    validator = Draft202012Validator(params, format_checker=Draft202012Validator.FORMAT_CHECKER)
    good = {"name": "Ada", "party_size": 2, "day": "2024-03-15"}
    if strict:
        good |= {"budget": None, "vip": None, "email": None, "phone": None}
    assert list(validator.iter_errors(good)) == []
    assert list(validator.iter_errors({**good, "party_size": "two"}))
    assert list(validator.iter_errors({**good, "extra": 1}))
    missing = dict(good)
    del missing["day"]
    assert list(validator.iter_errors(missing))


@pytest.mark.parametrize("name, expected", [
    ("Lookup Order Status", "lookup_order_status"),
    ("  CRM: Customer-Lookup  ", "crm_customer_lookup"),
    ("!!!", "action"),
])
def test_tool_names_are_snake_case(name: str, expected: str) -> None:
    assert Action(name=name, url="https://x.example").tool_name == expected


def test_tool_names_fit_openai_limits() -> None:
    name = Action(name="Very " * 40, url="https://x.example").tool_name
    assert len(name) <= 64 and name.replace("_", "").isalnum()
