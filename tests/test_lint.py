"""core.lint: one passing and one failing case per finding, with its severity."""

from __future__ import annotations

from typing import Any

import pytest

from core.action import parse_action
from core.errors import ActionFileError
from core.lint import Finding, has_errors, lint

GOOD_VAR = {"name": "order_number", "type": "string", "description": "The order number on the confirmation email",
            "example": "ORD-10042", "required": True}


def action(**fields: Any):
    data: dict[str, Any] = {
        "name": "Lookup Order Status",
        "description": "Look up the shipping status of an order by its order number.",
        "url": "https://api.example.com/orders/status",
        "query": {"order_number": "{{order_number}}"},
        "variables": [GOOD_VAR],
    }
    data.update(fields)
    return parse_action(data, "test")


def findings(**fields: Any) -> dict[str, Finding]:
    return {f.code: f for f in lint(action(**fields))}


def only(code: str, **fields: Any) -> list[Finding]:
    return [f for f in lint(action(**fields)) if f.code == code]


def test_a_good_action_has_no_findings():
    assert lint(action()) == []
    assert not has_errors([])


# --------------------------------------------------------------------------- description
@pytest.mark.parametrize("description", ["x" * 10, "y" * 200, "Look up an order by its number."])
def test_description_of_10_to_200_characters_passes(description):
    assert only("description-length", description=description) == []


@pytest.mark.parametrize("description, length", [("", 0), ("Too short", 9), ("z" * 201, 201)])
def test_description_outside_10_to_200_characters_is_an_error(description, length):
    [f] = only("description-length", description=description)
    assert f.severity == "error" and f.field == "description"
    assert f"{length} characters" in f.message and "10-200" in f.message
    assert has_errors(lint(action(description=description)))


# --------------------------------------------------------------------------- http://
@pytest.mark.parametrize("url", ["http://127.0.0.1:8765/orders", "http://localhost:3000/orders",
                                 "https://api.example.com/orders"])
def test_https_or_loopback_http_passes(url):
    assert only("insecure-url", url=url) == []


def test_plain_http_to_a_remote_host_is_a_warning():
    [f] = only("insecure-url", url="http://api.example.com/orders")
    assert f.severity == "warning" and f.field == "url"
    assert "api.example.com" in f.message and "https://" in f.message
    assert not has_errors(lint(action(url="http://api.example.com/orders")))


# --------------------------------------------------------------------------- secrets in the URL / query
@pytest.mark.parametrize("url", [
    "https://api.example.com/orders?api_key=sk-abc123def456ghi789",
    "https://api.example.com/orders?token=abc123",
    "https://api.example.com/orders?key=sk-live-0123456789abcdef",
])
def test_secret_in_the_url_query_string_is_an_error(url):
    [f] = only("secret-in-url", url=url)
    assert f.severity == "error" and f.field == "url"
    assert "credential" in f.message and "env:" in f.message


@pytest.mark.parametrize("url", ["https://api.example.com/orders?format=json&page=2",
                                 "https://api.example.com/orders?token="])
def test_harmless_url_query_passes(url):
    assert only("secret-in-url", url=url) == []


@pytest.mark.parametrize("name, value", [("api_key", "sk-abc123def456ghi789"), ("access_token", "abc"),
                                         ("client_secret", "hunter2"), ("q", "ghp_0123456789abcdefghij")])
def test_secret_in_query_is_an_error(name, value):
    [f] = only("secret-in-query", query={"order_number": "{{order_number}}", name: value})
    assert f.severity == "error" and f.field == f"query.{name}"
    assert "auth" in f.message


@pytest.mark.parametrize("query", [{"order_number": "{{order_number}}", "format": "json"},
                                   {"order_number": "{{order_number}}", "token": "{{ order_number }}"}])
def test_placeholders_and_plain_values_in_query_pass(query):
    assert only("secret-in-query", query=query) == []


# --------------------------------------------------------------------------- placeholders
def test_placeholder_without_a_variable_is_an_error():
    [f] = only("unknown-placeholder", query={"order_number": "{{order_id}}"})
    assert f.severity == "error"
    assert "{{order_id}}" in f.message and "add a variable named order_id" in f.message


@pytest.mark.parametrize("where", ["headers", "body"])
def test_placeholder_without_a_variable_in_headers_or_body(where):
    fields = {"headers": {"X-Order": "{{order_ref}}"}} if where == "headers" else \
        {"method": "POST", "body": '{"order": {{order_ref}}}'}
    assert [f.severity for f in only("unknown-placeholder", **fields)] == ["error"]


@pytest.mark.parametrize("name", ["cal_email", "account_id", "call_id", "user_phone_number"])
def test_runtime_variables_need_no_variable(name):
    fields = {"method": "POST", "body": {"order_number": "{{order_number}}", "who": "{{" + name + "}}"}}
    assert lint(action(**fields)) == []


def test_nested_placeholder_is_refused_when_the_file_loads_with_a_flat_name_to_use():
    # issue 12: a bad action file, exit 2 when it loads (was a lint error and a failure at call time)
    with pytest.raises(ActionFileError, match=r"query: placeholder \{\{contact.email\}\}.*add a variable named contact_email"):
        parse_action({"name": "X", "description": "Look up an order by its number.", "url": "https://api.example.com/x",
                      "query": {"order_number": "{{order_number}}", "email": "{{contact.email}}"}}, "x.json")


# --------------------------------------------------------------------------- variables
def test_unused_variable_is_a_warning():
    extra = {**GOOD_VAR, "name": "customer_id"}
    [f] = only("unused-variable", variables=[GOOD_VAR, extra])
    assert f.severity == "warning" and f.field == "variables.customer_id"
    assert "{{customer_id}}" in f.message


def test_variable_used_only_in_body_auth_counts_as_used():
    pin = {**GOOD_VAR, "name": "pin", "example": "1234"}
    fields = {"method": "POST", "auth": {"type": "body", "fields": {"pin": "{{pin}}"}}, "variables": [GOOD_VAR, pin]}
    assert only("unused-variable", **fields) == []


def test_required_variable_with_a_default_is_a_warning():
    [f] = only("required-with-default", variables=[{**GOOD_VAR, "default": "ORD-1"}])
    assert f.severity == "warning" and f.field == "variables.order_number"


def test_optional_variable_with_a_default_passes():
    assert only("required-with-default", variables=[{**GOOD_VAR, "required": False, "default": "ORD-1"}]) == []


@pytest.mark.parametrize("description", ["", "   "])
def test_missing_variable_description_is_a_warning(description):
    [f] = only("missing-description", variables=[{**GOOD_VAR, "description": description}])
    assert f.severity == "warning" and f.field == "variables.order_number"


@pytest.mark.parametrize("example", [None, ""])
def test_missing_variable_example_is_a_warning(example):
    [f] = only("missing-example", variables=[{**GOOD_VAR, "example": example}])
    assert f.severity == "warning" and f.field == "variables.order_number"


@pytest.mark.parametrize("example", [0, False, "ORD-1"])
def test_any_real_example_passes(example):
    assert only("missing-example", variables=[{**GOOD_VAR, "example": example}]) == []


@pytest.mark.parametrize("name, suggestion", [
    ("orderNumber", "order_number"),
    ("OrderNumber", "order_number"),
    ("ORDER_NUMBER", "order_number"),
    ("orderID", "order_id"),
    ("order__number", "order_number"),
    ("_order_number", "order_number"),
])
def test_non_snake_case_variable_name_suggests_the_snake_case_name(name, suggestion):
    var = {**GOOD_VAR, "name": name}
    [f] = only("variable-name", variables=[var], query={"order_number": "{{" + name + "}}"})
    assert f.severity == "warning" and f.field == f"variables.{name}"
    assert f.message.endswith(f"rename it to {suggestion}")


@pytest.mark.parametrize("name", ["order_number", "sku", "line2_address", "x"])
def test_snake_case_variable_name_passes(name):
    var = {**GOOD_VAR, "name": name}
    assert only("variable-name", variables=[var], query={"order_number": "{{" + name + "}}"}) == []


# --------------------------------------------------------------------------- the Finding itself
def test_finding_reads_as_one_line():
    [f] = only("insecure-url", url="http://api.example.com/orders")
    assert str(f).startswith("warning: url: ") and "\n" not in str(f)
    assert set(f.model_dump()) == {"severity", "code", "field", "message"}


def test_warnings_alone_are_not_errors():
    found = lint(action(url="http://api.example.com/x", variables=[{**GOOD_VAR, "example": None}]))
    assert {f.severity for f in found} == {"warning"}
    assert not has_errors(found)
