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
from core.importers.openapi import import_openapi
from core.store import (dump_action, file_name, fingerprint, load_actions, load_folder,
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
    bad_method = write(tmp_path / "bad_method.json", {**GOOD, "method": "GE T"})
    write(tmp_path / "notes.txt", "not an action")

    loaded = load_folder(tmp_path)
    assert list(loaded.actions) == [str(good)]
    assert loaded.actions[str(good)].name == "Lookup Order Status"
    assert set(loaded.errors) == {str(not_json), str(bad_method)}
    for path, message in loaded.errors.items():
        assert "\n" not in message and message.startswith(path)
    assert "not valid JSON" in loaded.errors[str(not_json)]
    assert "method" in loaded.errors[str(bad_method)] and "GE T" in loaded.errors[str(bad_method)]
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


SPEC: dict[str, Any] = {"openapi": "3.0.0", "servers": [{"url": "https://api.example.com/v1/"}], "paths": {
    "/appointments": {"post": {"summary": "Book an appointment", "requestBody": {"content": {"application/json": {
        "schema": {"type": "object", "properties": {"date": {"type": "string", "format": "date"}}}}}}}}}}


def test_imported_actions_save_and_load(tmp_path):
    for action in (import_openapi("spec", text=json.dumps(SPEC), path="/appointments", method="post").action,
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
