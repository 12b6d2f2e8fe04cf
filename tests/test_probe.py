"""One-off probes (core/probe.py) and checking every value at once (core.schema.value_errors)."""

from __future__ import annotations

import json

import pytest

from core.action import parse_action
from core.errors import ActionFileError
from core.executor import Executor
from core.probe import Probe, probe_action, probe_errors, probe_from, saved_probe
from core.schema import value_errors

ORDER = {
    "name": "Lookup Order Status", "description": "Look up the shipping status of an order.",
    "url": "https://api.example.com/orders/status?v=2", "auth": {"type": "bearer", "token": "env:API_TOKEN"},
    "headers": {"Accept": "application/json", "X-Order": "{{order_number}}"},
    "query": {"order_number": "{{order_number}}", "fields": "all"},
    "variables": [{"name": "order_number", "type": "string", "example": "ORD-1"},
                  {"name": "qty", "type": "integer", "required": False},
                  {"name": "email", "type": "email", "required": True, "description": "Where to send it"}],
}


def test_value_errors_lists_every_bad_value_with_what_was_typed():
    action = parse_action(ORDER)
    errors = value_errors(action, {"order_number": "", "qty": "two", "email": "bob@"})
    assert set(errors) == {"order_number", "qty", "email"}
    assert errors["qty"] == "qty: expected an integer, got 'two'"
    assert "'bob@'" in errors["email"]
    assert errors["order_number"].startswith("order_number is required")
    assert value_errors(action, {"order_number": "ORD-1", "email": "bob@example.com"}) == {}


def test_probe_starts_from_the_rendered_request_without_auth():
    action = parse_action(ORDER)
    probe = probe_from(action, {"order_number": "ORD-7", "email": "a@b.co"}, resolver=lambda n: "sk-secret")
    assert probe.url == "https://api.example.com/orders/status"
    assert probe.query == {"v": "2", "order_number": "ORD-7", "fields": "all"}
    assert probe.headers == {"Accept": "application/json", "X-Order": "ORD-7"}  # no Authorization to edit
    assert probe.body == ""


def test_probe_errors_reports_every_bad_field_at_once():
    action = parse_action(ORDER)
    probe = Probe(method="FETCH", url="ftp://x", query={"a": "{{a}}"}, headers={"X-Bad": "a\nb", "": "v"},
                  body='{"qty": ')
    errors = probe_errors(action, probe)
    assert set(errors) == {"method", "url", "query.a", "headers.X-Bad", "headers.", "body"}
    assert "ftp" in errors["url"] and "not valid JSON" in errors["body"]
    with pytest.raises(ActionFileError):
        probe_action(action, probe)


def test_probe_is_sent_with_the_actions_auth_and_the_edited_header(fault_server, http_client, resolver):
    action = parse_action({**ORDER, "url": fault_server.url("/echo")})
    start = probe_from(action, {"order_number": "ORD-7", "email": "a@b.co"}, resolver=resolver)
    edited = start.model_copy(update={"headers": {**start.headers, "X-Debug": "1"}})
    trace = Executor(http_client, resolver=resolver).execute(probe_action(action, edited))
    assert trace.response is not None and trace.response.status_code == 200, trace
    assert trace.request.headers["X-Debug"] == "1" and trace.response.body["headers"]["x-debug"] == "1"
    assert trace.request.headers["Authorization"].startswith("Bearer ****")  # auth added, and masked


def test_saving_a_probe_keeps_the_templates_that_were_not_edited():
    action = parse_action(ORDER)
    start = probe_from(action, {"order_number": "ORD-7", "email": "a@b.co"}, resolver=lambda n: "t")
    edited = start.model_copy(update={"headers": {"Accept": "application/xml", "X-Order": "ORD-7"},
                                      "query": {"v": "2", "order_number": "ORD-8", "fields": "all", "debug": "1"},
                                      "method": "post", "body": '{"note": "hi"}'})
    saved, lost = saved_probe(action, start, edited)
    assert saved.method == "POST" and saved.url == ORDER["url"]
    assert saved.headers == {"Accept": "application/xml", "X-Order": "{{order_number}}"}
    assert saved.query == {"order_number": "ORD-8", "fields": "all", "debug": "1"}  # v=2 stays in the URL
    assert saved.body == {"note": "hi"}
    assert lost == []  # {{order_number}} is still used by the header
    assert saved.variables == action.variables and saved.auth == action.auth

    typed_over = start.model_copy(update={"headers": {"Accept": "application/json", "X-Order": "ORD-9"},
                                          "query": {**start.query, "order_number": "ORD-9"}})
    _, lost = saved_probe(action, start, typed_over)
    assert lost == ["order_number"]


def test_saving_a_probe_with_a_json_body_keeps_the_unedited_keys_templates():
    action = parse_action({**ORDER, "method": "POST", "body": {"order": "{{order_number}}", "note": "x"}})
    start = probe_from(action, {"order_number": "ORD-7", "email": "a@b.co"}, resolver=lambda n: "t")
    assert json.loads(start.body) == {"order": "ORD-7", "note": "x"}
    edited = start.model_copy(update={"body": json.dumps({"order": "ORD-7", "note": "y", "extra": 1})})
    saved, lost = saved_probe(action, start, edited)
    assert saved.body == {"order": "{{order_number}}", "note": "y", "extra": 1} and lost == []
