"""Importing OpenAPI 2.0 / 3.0 / 3.1 (JSON and YAML): parameters, bodies, $ref, auth, servers, names.

A representative part of the stored corpus is checked with the independent oracle of
benchmarks/importcheck/openapi_check.py; the whole corpus runs in benchmarks/import_real.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from benchmarks.importcheck.openapi_check import Spec, check_action, expectations
from core import cli
from core.errors import ImportSourceError
from core.importers.openapi import import_openapi, list_operations, load_document
from core.lint import lint
from core.render import render

SMALL = Path(__file__).resolve().parent.parent / "benchmarks" / "corpus" / "openapi" / "small"

SPEC: dict[str, Any] = {
    "openapi": "3.0.0",
    "info": {"title": "Orders", "version": "1"},
    "servers": [{"url": "https://{region}.api.example.com/v1/", "variables": {"region": {"default": "eu"}}}],
    "components": {
        "securitySchemes": {"orders_key": {"type": "apiKey", "in": "header", "name": "X-Orders-Key"},
                            "bearer": {"type": "http", "scheme": "bearer"}},
        "parameters": {"Locale": {"name": "locale", "in": "query", "schema": {"type": "string"}}},
        "schemas": {
            "Address": {"type": "object", "required": ["city"], "properties": {
                "city": {"type": "string"}, "zip": {"type": "string"}}},
            "Contact": {"allOf": [{"$ref": "#/components/schemas/Named"},
                                  {"type": "object", "properties": {"email": {"type": "string", "format": "email"}}}]},
            "Named": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
        },
    },
    "security": [{"orders_key": []}],
    "paths": {
        "/orders/status": {
            "parameters": [{"$ref": "#/components/parameters/Locale"}],
            "get": {
                "operationId": "lookupOrderStatus",
                "summary": "Look up order status",
                "description": "<p>Look up the <b>shipping status</b> of an order by its order number.</p> "
                               "Use it when a caller asks where their order is.",
                "parameters": [
                    {"name": "order_number", "in": "query", "required": True, "description": "The order number",
                     "schema": {"type": "string", "example": "ORD-10042"}},
                    {"name": "include-items", "in": "query", "schema": {"type": ["boolean", "null"], "default": False}},
                    {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["open", "shipped"]}},
                    {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
                ],
            },
        },
        "/appointments": {
            "servers": [{"url": "https://booking.example.com"}],
            "post": {
                "summary": "Book an appointment",
                "security": [{"bearer": []}],
                "requestBody": {"content": {"application/json": {"schema": {
                    "type": "object", "required": ["date", "contact"],
                    "properties": {
                        "date": {"type": "string", "format": "date", "example": "2026-12-01"},
                        "contact": {"$ref": "#/components/schemas/Contact"},
                        "address": {"$ref": "#/components/schemas/Address"},
                        "tags": {"type": "array", "items": {"type": "string"}},
                        "id": {"type": "string", "readOnly": True},
                    }}}}},
            },
        },
        "/orders/{order_id}": {"get": {"summary": "Get an order", "parameters": [
            {"name": "order_id", "in": "path", "required": True, "schema": {"type": "integer"}}]},
            "delete": {"summary": "Get an order"}, "head": {"summary": "Check an order"}},
        "/charges": {"post": {"summary": "Create a charge", "requestBody": {"content": {
            "application/x-www-form-urlencoded": {
                "schema": {"type": "object", "properties": {"amount": {"type": "integer"},
                                                            "expand": {"type": "array", "items": {"type": "string"}}}},
                "encoding": {"expand": {"style": "deepObject", "explode": True}}}}}}},
    },
}


def one(spec: dict[str, Any] = SPEC, **kw: Any):
    return import_openapi("spec.json", text=json.dumps(spec), **kw).action


def test_query_header_and_path_parameters_become_typed_variables() -> None:
    action = one(path="/orders/status", method="get")
    assert action.name == "Look Up Order Status"
    assert action.description == ("Look up the shipping status of an order by its order number. "
                                  "Use it when a caller asks where their order is.")  # HTML gone, whole sentences
    assert (action.method, action.url) == ("GET", "https://eu.api.example.com/v1/orders/status")  # server variable
    assert action.query == {"locale": "{{locale}}", "order_number": "{{order_number}}",
                            "include-items": "{{include_items}}", "status": "{{status}}"}
    assert action.headers == {"X-Trace": "{{x_trace}}"}
    v = {var.name: var for var in action.variables}
    assert (v["order_number"].type, v["order_number"].required, v["order_number"].example) == ("string", True, "ORD-10042")
    assert v["include_items"].type == "boolean" and not v["include_items"].required  # 3.1 type list
    assert v["include_items"].default is None and "Default: False" in v["include_items"].description
    assert "One of: open, shipped." in v["status"].description and v["status"].example == "open"
    assert action.auth.type == "header" and (action.auth.name, action.auth.value) == ("X-Orders-Key", "env:EXAMPLE_ORDERS_KEY")


def test_an_optional_parameter_not_given_is_left_out() -> None:
    req = render(one(path="/orders/status", method="get"), {"order_number": "ORD-1"}, resolver=lambda n: "k")
    assert req.query == {"order_number": "ORD-1"} and "X-Trace" not in req.headers


def test_nested_json_body_with_ref_and_allof_gets_flat_variable_names() -> None:
    action = one(path="/appointments", method="post")
    assert action.url == "https://booking.example.com/appointments"  # the path item's server wins
    assert action.body == {"date": "{{date}}", "contact": {"name": "{{contact_name}}", "email": "{{contact_email}}"},
                           "address": {"city": "{{address_city}}", "zip": "{{address_zip}}"}, "tags": "{{tags}}"}
    v = {var.name: (var.type, var.required) for var in action.variables}
    assert v == {"date": ("date", True), "contact_name": ("string", True), "contact_email": ("email", False),
                 "address_city": ("string", False), "address_zip": ("string", False), "tags": ("array", False)}
    assert action.auth.type == "bearer"  # the operation's security wins over the document's
    body = render(action, {"date": "2026-12-01", "contact_name": "Ada", "tags": ["a", "b"]},
                  resolver=lambda n: "t").body
    assert body == {"date": "2026-12-01", "contact": {"name": "Ada"}, "tags": ["a", "b"]}


def test_form_body_and_deep_object_arrays() -> None:
    action = one(path="/charges", method="post")
    assert action.body_format == "form" and action.body == {"amount": "{{amount}}", "expand[]": "{{expand}}"}
    sent = render(action, {"amount": 5, "expand": ["customer"]}, resolver=lambda n: "k")
    assert sent.content == b"amount=5&expand%5B%5D=customer"


def test_path_parameters_are_carried_and_the_target_decides() -> None:
    action = one(path="/orders/{order_id}", method="get")
    assert action.url == "https://eu.api.example.com/v1/orders/{{order_id}}"
    assert action.variable("order_id").type == "integer"
    assert "path-placeholder" in {f.code for f in lint(action)}
    assert not [f for f in lint(action, target="generic") if f.severity == "error"]


def test_all_gives_distinct_names_and_skips_what_cannot_be_sent() -> None:
    result = import_openapi("spec.json", text=json.dumps(SPEC), all_ops=True)
    names = [a.tool_name for a in result.actions]
    assert len(names) == len(set(names)) == 5
    assert result.skipped and "HEAD" in result.skipped[0]


def test_swagger_2_host_base_path_body_and_form_data() -> None:
    spec = {"swagger": "2.0", "host": "api.example.com", "basePath": "/v2", "schemes": ["https"],
            "securityDefinitions": {"basic": {"type": "basic"}}, "security": [{"basic": []}],
            "paths": {"/pets": {"post": {"operationId": "addPet", "parameters": [
                {"in": "body", "name": "body", "schema": {"type": "object", "properties": {
                    "name": {"type": "string"}, "photoUrls": {"type": "array", "items": {"type": "string"}}}}}]}},
                "/pets/{id}/photo": {"post": {"consumes": ["application/x-www-form-urlencoded"], "parameters": [
                    {"in": "path", "name": "id", "type": "integer", "required": True},
                    {"in": "formData", "name": "caption", "type": "string", "x-example": "Sunny"}]}}}}
    add = one(spec, operation="addPet")
    assert add.url == "https://api.example.com/v2/pets" and add.body == {"name": "{{name}}", "photoUrls": "{{photo_urls}}"}
    assert add.auth.type == "basic" and add.name == "Add Pet"
    photo = one(spec, path="/pets/{id}/photo", method="post")
    assert photo.body_format == "form" and photo.body == {"caption": "{{caption}}"}
    assert photo.variable("caption").example == "Sunny" and photo.variable("id").type == "integer"


def test_yaml_with_refs_to_local_files(tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "pet.yaml").write_text(yaml.safe_dump(
        {"Pet": {"type": "object", "properties": {"name": {"type": "string"}, "born": {"type": "string",
                                                                                         "example": "2020-01-02"}}}}))
    (tmp_path / "api.yaml").write_text(yaml.safe_dump({"openapi": "3.1.0", "servers": [{"url": "https://p.example.com"}],
                                                       "paths": {"/pets": {"post": {"summary": "Add a pet", "requestBody": {
                                                           "content": {"application/json": {"schema": {
                                                               "$ref": "models/pet.yaml#/Pet"}}}}}}}}))
    action = import_openapi(tmp_path / "api.yaml").action
    assert action.body == {"name": "{{name}}", "born": "{{born}}"}
    assert action.variable("born").example == "2020-01-02"  # YAML dates stay text


def test_server_option_wins() -> None:
    assert one(path="/appointments", method="post", server="http://127.0.0.1:9/api/").url == \
        "http://127.0.0.1:9/api/appointments"


@pytest.mark.parametrize("text, message", [
    ('{"info": {}}', "not an OpenAPI document: it has no 'openapi' or 'swagger' field"),
    ("openapi: 3.0.0\npaths: [", "not valid YAML or JSON"),
    ('{"openapi": "4.0.0", "paths": {}}', "is not supported"),
    (json.dumps({"openapi": "3.0.0", "paths": {"/a": {"get": {"parameters": [{"$ref": "#/nope"}]}}}}), "points to nothing"),
])
def test_what_is_not_openapi_is_refused_in_one_line(text: str, message: str) -> None:
    with pytest.raises(ImportSourceError, match=message) as info:
        import_openapi("x.yaml", text=text, path="/a", method="get")
    assert "\n" not in str(info.value)


def test_choosing_an_operation_lists_what_there_is() -> None:
    with pytest.raises(ImportSourceError, match="has 6 operations; pick one with --operation ID"):
        one()
    with pytest.raises(ImportSourceError, match="no operationId 'nope'|no operation with operationId 'nope'"):
        one(operation="nope")


@pytest.mark.parametrize("spec", ["oai/petstore-expanded.yaml", "oai/uspto.yaml", "readme/2.0/petstore-expanded.json",
                                  "readme/3.0/security.json", "readme/3.0/parameters-style.json",
                                  "readme/3.0/schema-types.json", "readme/3.1/train-travel.json",
                                  "readme/3.0/server-variables.json", "readme/3.0/polymorphism.json"])
def test_real_specs_import_faithfully(spec: str) -> None:
    path = SMALL / spec
    doc, oracle = load_document(path), Spec(path)
    failures = []
    for op in list_operations(doc):
        if op.method in ("head", "options", "trace"):
            continue
        action = import_openapi(path, path=op.path, method=op.method).action
        why = check_action(expectations(oracle, op.path, op.method), action)
        if why:
            failures.append(f"{op.key}: {why}")
    assert failures == []


def test_the_oracle_notices_what_is_missing() -> None:
    path = SMALL / "readme/3.0/petstore.json"
    oracle = Spec(path)
    action = import_openapi(path, path="/pet", method="post").action
    data = action.to_file_dict()
    data["body"] = {k: v for k, v in data["body"].items() if k != "name"}
    from core.action import parse_action

    assert "body field name missing" in check_action(expectations(oracle, "/pet", "post"), parse_action(data))
    data = action.to_file_dict() | {"auth": {"type": "none"}}
    assert check_action(expectations(oracle, "/pet", "post"), parse_action(data)).startswith("auth")


def test_cli_import_openapi_all_writes_files(tmp_path: Path, capsys) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(SPEC), encoding="utf-8")
    out = tmp_path / "actions"
    assert cli.main(["import", "openapi", str(spec), "--all", "--out", str(out)]) == 0
    assert len(list(out.glob("*.json"))) == 5
    err = capsys.readouterr().err
    assert "skipped: HEAD /orders/{order_id}" in err and "export EXAMPLE_ORDERS_KEY=" in err
    assert cli.main(["import", "openapi", str(spec), "--operation", "lookupOrderStatus", "--json"]) == 0
    [action] = json.loads(capsys.readouterr().out)
    assert action["name"] == "Look Up Order Status"
    assert cli.main(["import", "openapi", str(tmp_path / "missing.yaml"), "--all"]) == 2
