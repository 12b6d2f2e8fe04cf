"""core.store: loading a folder, atomic saves, file names, importing from cURL and OpenAPI."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from core.action import load_action, parse_action
from core.errors import PlaygroundError
from core.importers import import_curl
from core.store import (dump_action, file_name, fingerprint, from_openapi, load_actions, load_folder,
                        save_action)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_actions"

GOOD = {"name": "Lookup Order Status", "description": "Look up the shipping status of an order.",
        "url": "https://api.example.com/orders/status", "query": {"order_number": "{{order_number}}"},
        "variables": [{"name": "order_number", "description": "The order number", "example": "ORD-10042"}]}


def write(path: Path, data: Any) -> Path:
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- load_folder
def test_load_folder_loads_good_files_and_reports_bad_ones(tmp_path):
    good = write(tmp_path / "good.json", GOOD)
    not_json = write(tmp_path / "not_json.json", '{"name": ')
    bad_method = write(tmp_path / "bad_method.json", {**GOOD, "method": "FETCH"})
    write(tmp_path / "notes.txt", "not an action")

    loaded = load_folder(tmp_path)
    assert list(loaded.actions) == [str(good)]
    assert loaded.actions[str(good)].name == "Lookup Order Status"
    assert set(loaded.errors) == {str(not_json), str(bad_method)}
    for path, message in loaded.errors.items():
        assert "\n" not in message and message.startswith(path)
    assert "not valid JSON" in loaded.errors[str(not_json)]
    assert "method" in loaded.errors[str(bad_method)] and "FETCH" in loaded.errors[str(bad_method)]
    assert loaded.by_tool() == {"lookup_order_status": loaded.actions[str(good)]}


def test_load_folder_of_the_samples_has_no_errors():
    loaded = load_folder(SAMPLES)
    assert loaded.errors == {}
    assert len(loaded.actions) == len(list(SAMPLES.glob("*.json")))


def test_load_folder_that_does_not_exist(tmp_path):
    loaded = load_folder(tmp_path / "missing")
    assert loaded.actions == {}
    [message] = loaded.errors.values()
    assert "no such folder" in message


def test_fingerprint_changes_when_a_file_changes(tmp_path):
    path = write(tmp_path / "a.json", GOOD)
    before = load_folder(tmp_path).fingerprint
    assert before == fingerprint(tmp_path) and before != ()

    write(path, {**GOOD, "description": "Look up where an order is and when it arrives."})
    os.utime(path, ns=(os.stat(path).st_atime_ns, os.stat(path).st_mtime_ns + 1_000_000))
    edited = fingerprint(tmp_path)
    assert edited != before

    write(tmp_path / "b.json", GOOD)
    added = fingerprint(tmp_path)
    assert added != edited

    (tmp_path / "b.json").unlink()
    assert fingerprint(tmp_path) == edited
    assert fingerprint(tmp_path) == fingerprint(tmp_path)  # stable when nothing changes


def test_load_actions_from_files_and_folders(tmp_path):
    write(tmp_path / "a.json", GOOD)
    actions = load_actions([tmp_path, SAMPLES / "order_status.json"])
    assert [a.name for a in actions] == ["Lookup Order Status", load_action(SAMPLES / "order_status.json").name]
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(PlaygroundError, match="no \\*.json action files"):
        load_actions([empty])


# --------------------------------------------------------------------------- save_action
def test_save_action_round_trips(tmp_path):
    action = parse_action(GOOD)
    path = save_action(action, tmp_path / "sub" / "order.json")
    assert load_action(path) == action
    assert path.read_text(encoding="utf-8") == dump_action(action)
    assert [p.name for p in path.parent.iterdir()] == ["order.json"]


def test_save_action_keeps_the_original_when_the_write_fails(tmp_path, monkeypatch):
    path = write(tmp_path / "order.json", GOOD)
    original = path.read_text(encoding="utf-8")
    edited = parse_action({**GOOD, "description": "A new description that must not half-overwrite the file."})

    def broken_replace(src: Any, dst: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="No space left"):
        save_action(edited, path)
    assert path.read_text(encoding="utf-8") == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["order.json"]  # no temp file left behind


def test_save_action_keeps_the_original_when_writing_the_text_fails(tmp_path, monkeypatch):
    path = write(tmp_path / "order.json", GOOD)
    original = path.read_text(encoding="utf-8")

    def broken_fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError):
        save_action(parse_action({**GOOD, "name": "Renamed"}), path)
    assert path.read_text(encoding="utf-8") == original
    assert sorted(p.name for p in tmp_path.iterdir()) == ["order.json"]


def test_save_action_keeps_secrets_as_references(tmp_path):
    action = parse_action({**GOOD, "auth": {"type": "bearer", "token": "env:ORDERS_API_TOKEN"}})
    path = save_action(action, tmp_path / "order.json")
    assert json.loads(path.read_text())["auth"] == {"type": "bearer", "token": "env:ORDERS_API_TOKEN"}


# --------------------------------------------------------------------------- file_name
def test_file_name_avoids_collisions(tmp_path):
    action = parse_action({**GOOD, "name": "Lookup Order Status!"})
    first = file_name(action, tmp_path)
    assert first == tmp_path / "lookup_order_status.json"
    save_action(action, first)
    second = file_name(action, tmp_path)
    assert second == tmp_path / "lookup_order_status_2.json"
    save_action(action, second)
    assert file_name(action, tmp_path) == tmp_path / "lookup_order_status_3.json"
    assert first.exists() and second.exists()


# --------------------------------------------------------------------------- from_openapi
SPEC: dict[str, Any] = {
    "openapi": "3.0.0",
    "servers": [{"url": "https://api.example.com/v1/"}],
    "paths": {
        "/orders/status": {
            "parameters": [{"name": "locale", "in": "query", "schema": {"type": "string"}}],
            "get": {
                "operationId": "Lookup Order Status",
                "summary": "Look up the shipping status of an order by its order number.",
                "parameters": [
                    {"name": "order_number", "in": "query", "required": True, "description": "The order number",
                     "schema": {"type": "string", "example": "ORD-10042"}},
                    {"name": "include-items", "in": "query", "schema": {"type": "boolean", "default": False}},
                    {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
                ],
            },
        },
        "/appointments": {
            "post": {
                "summary": "Book an appointment",
                "requestBody": {"content": {"application/json": {"schema": {
                    "type": "object", "required": ["date", "email"],
                    "properties": {
                        "date": {"type": "string", "format": "date", "example": "2026-12-01"},
                        "email": {"type": "string", "format": "email"},
                        "party_size": {"type": "integer", "description": "How many people"},
                        "deposit": {"type": "number"},
                    }}}}},
            },
        },
        "/orders/{order_id}": {"get": {"summary": "Get an order"}, "delete": {"summary": "Cancel an order"}},
    },
}


def test_openapi_query_parameters_become_typed_variables():
    action = from_openapi(SPEC, "/orders/status", "get")
    assert action.name == "Lookup Order Status"
    assert action.description == "Look up the shipping status of an order by its order number."
    assert (action.method, action.url) == ("GET", "https://api.example.com/v1/orders/status")
    assert action.query == {"locale": "{{locale}}", "order_number": "{{order_number}}",
                            "include-items": "{{include_items}}"}  # header parameters are not query
    variables = {v.name: v for v in action.variables}
    assert variables["order_number"].type == "string" and variables["order_number"].required
    assert variables["order_number"].example == "ORD-10042"
    assert variables["order_number"].description == "The order number"
    assert variables["include_items"].type == "boolean" and not variables["include_items"].required
    assert variables["include_items"].default is False
    assert variables["locale"].type == "string"  # declared on the path, shared by its operations


def test_openapi_json_body_properties_become_typed_variables():
    action = from_openapi(SPEC, "/appointments", "POST", server="http://127.0.0.1:8765")
    assert (action.method, action.url) == ("POST", "http://127.0.0.1:8765/appointments")
    assert action.body == {"date": "{{date}}", "email": "{{email}}", "party_size": "{{party_size}}",
                           "deposit": "{{deposit}}"}
    types = {v.name: (v.type, v.required) for v in action.variables}
    assert types == {"date": ("date", True), "email": ("email", True), "party_size": ("integer", False),
                     "deposit": ("float", False)}
    assert action.variable("party_size").description == "How many people"


def test_openapi_path_parameters_are_refused_with_a_clear_message():
    with pytest.raises(PlaygroundError) as exc:
        from_openapi(SPEC, "/orders/{order_id}", "get")
    message = str(exc.value)
    assert "/orders/{order_id}" in message and "path parameters" in message
    assert "query parameter or the body" in message


def test_openapi_unknown_operation_lists_the_available_ones():
    with pytest.raises(PlaygroundError) as exc:
        from_openapi(SPEC, "/orders/status", "post")
    message = str(exc.value)
    assert "no operation POST /orders/status" in message
    for op in ("GET /orders/status", "POST /appointments", "GET /orders/{order_id}", "DELETE /orders/{order_id}"):
        assert op in message
    assert "PARAMETERS" not in message  # the path item's shared parameters are not an operation

    with pytest.raises(PlaygroundError, match="pick one of: GET /orders/status"):
        from_openapi(SPEC, "/nowhere", "get")


def test_imported_actions_save_and_load(tmp_path):
    for action in (from_openapi(SPEC, "/appointments", "post"),
                   import_curl("curl -u a:b https://api.example.com/x -d '{\"n\": {{n}}}'").action):
        path = save_action(action, file_name(action, tmp_path))
        assert load_action(path) == action
    assert load_folder(tmp_path).errors == {}


@pytest.fixture
def samples_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "samples"
    shutil.copytree(SAMPLES, dest, ignore=shutil.ignore_patterns("broken"))
    return dest


def test_editing_a_copied_sample_is_seen_by_the_next_load(samples_copy):
    before = load_folder(samples_copy)
    path = samples_copy / "order_status.json"
    action = before.actions[str(path)]
    save_action(action.model_copy(update={"description": "Where is my order? Look it up by order number."}), path)
    after = load_folder(samples_copy)
    assert after.fingerprint != before.fingerprint
    assert after.actions[str(path)].description == "Where is my order? Look it up by order number."
