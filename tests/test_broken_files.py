"""One broken file does not stop a folder: lint reports every file, schema / chat / test load the good
ones and warn once per broken file on stderr; --strict makes a broken file fatal (exit 2)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from core import cli
from core.store import load_actions

GOOD = {"name": "Lookup Order Status", "description": "Look up the shipping status of an order by its number.",
        "url": "https://api.example.com/orders", "query": {"order_number": "{{order_number}}"},
        "variables": [{"name": "order_number", "description": "The order number", "example": "ORD-1"}]}
OTHER = {**GOOD, "name": "Check Inventory", "description": "Check whether a product is in stock by its SKU.",
         "url": "https://api.example.com/stock"}
BROKEN = {
    "not_json.json": ('{"name": "x", "url": ', "not valid JSON"),
    "dotted.json": ({**GOOD, "name": "Dotted", "query": {"e": "{{contact.email}}"}}, "add a variable named contact_email"),
    "body.json": ({**GOOD, "name": "Body", "method": "POST", "body": '{"qty": {{qty}'}, "body is not valid JSON"),
}


def write(path: Path, data: object) -> Path:
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    write(tmp_path / "a_order.json", GOOD)
    write(tmp_path / "b_stock.json", OTHER)
    for name, (data, _) in BROKEN.items():
        write(tmp_path / name, data)
    return tmp_path


def run(capsys, *argv: object) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def warnings(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("playground: warning:")]


def test_lint_reports_every_file_and_exits_2(capsys, folder):
    code, out, err = run(capsys, "lint", folder)
    assert code == 2
    lines = out.splitlines()
    assert f"{folder / 'a_order.json'}: ok" in lines and f"{folder / 'b_stock.json'}: ok" in lines
    for name, (_, reason) in BROKEN.items():
        [line] = [x for x in lines if x.startswith(f"{folder / name}: cannot load: ")]
        assert reason in line
    [error] = err.strip().splitlines()
    assert error.startswith("playground: error: 3 of 5 file(s) could not be loaded")


def test_lint_json_has_an_entry_per_file_with_its_error(capsys, folder):
    code, out, _ = run(capsys, "lint", folder, "--json")
    report = {Path(e["file"]).name: e for e in json.loads(out)}
    assert code == 2 and set(report) == {"a_order.json", "b_stock.json", *BROKEN}
    assert report["a_order.json"]["error"] is None and report["a_order.json"]["findings"] == []
    assert "contact_email" in report["dotted.json"]["error"]


def test_lint_of_good_files_still_exits_0_or_1(capsys, tmp_path):
    write(tmp_path / "a.json", GOOD)
    assert run(capsys, "lint", tmp_path)[0] == 0
    write(tmp_path / "b.json", {**OTHER, "description": "short"})
    assert run(capsys, "lint", tmp_path)[0] == 1


def test_schema_prints_the_good_ones_and_warns_once_per_broken_file(capsys, folder):
    code, out, err = run(capsys, "schema", folder)
    assert code == 0
    assert [t["function"]["name"] for t in json.loads(out)] == ["lookup_order_status", "check_inventory"]
    warned = warnings(err)
    assert len(warned) == 3
    for name, (_, reason) in BROKEN.items():
        assert any(str(folder / name) in w and reason in w and "--strict" in w for w in warned)


def test_schema_strict_makes_a_broken_file_fatal(capsys, folder):
    code, out, err = run(capsys, "schema", folder, "--strict")
    assert code == 2 and out == ""
    [line] = err.strip().splitlines()
    assert line.startswith("playground: error: ") and "body.json" in line  # the first broken file, sorted


def test_chat_loads_the_good_files(capsys, monkeypatch, folder):
    monkeypatch.setattr("sys.stdin", io.StringIO("hello\n"))
    code, out, err = run(capsys, "chat", "--actions", folder, "--no-demo")
    assert code == 0
    # the simulator lists what it can do, in the good actions' own words (issue 10: no tool names to callers)
    assert "shipping status of an order" in out and "in stock" in out
    assert len(warnings(err)) == 3
    monkeypatch.setattr("sys.stdin", io.StringIO("hello\n"))
    code, out, err = run(capsys, "chat", "--actions", folder, "--no-demo", "--strict")
    assert code == 2 and out == "" and len(err.strip().splitlines()) == 1


def test_a_folder_of_only_broken_files_is_an_error_naming_one(capsys, tmp_path):
    write(tmp_path / "x.json", BROKEN["not_json.json"][0])
    code, out, err = run(capsys, "schema", tmp_path)
    assert code == 2 and out == ""
    [line] = err.strip().splitlines()
    assert str(tmp_path / "x.json") in line and "not valid JSON" in line


def test_test_runs_with_the_good_actions_and_warns_once_per_file(capsys, folder, tmp_path):
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    for n in (1, 2):  # two scenarios over the same folder: still one warning per broken file
        (scenarios / f"s{n}.yaml").write_text(f"name: s{n}\nactions: {folder}\nturns:\n  - user: hello\n"
                                              "    expect: {action: none}\n", encoding="utf-8")
    code, out, err = run(capsys, "test", scenarios, "--no-demo", "--repeat", "2")
    assert code == 0, out + err
    assert "2 passed" in out
    assert len(warnings(err)) == 3
    code, out, err = run(capsys, "test", scenarios, "--no-demo", "--strict")
    assert code == 2 and "body.json" in err and not warnings(err)  # the first broken file, sorted


def test_load_actions_records_broken_files_when_asked(folder):
    broken: dict[str, str] = {}
    actions = load_actions([folder], broken=broken)
    assert [a.name for a in actions] == ["Lookup Order Status", "Check Inventory"]
    assert set(broken) == {str(folder / n) for n in BROKEN}
    with pytest.raises(Exception, match="not valid JSON|contact_email|body is not valid JSON"):
        load_actions([folder])  # without broken=: the first bad file raises, as before


def test_a_missing_path_is_still_an_error(capsys, folder):
    code, _, err = run(capsys, "schema", folder, folder / "nope.json")
    assert code == 2 and "nope.json" in err and "no such action file" in err
