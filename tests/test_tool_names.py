"""Two actions whose names give one tool name get distinct ones, deterministically (book_table_v2,
book_table_v2_2), wherever tools are built: the agent, `playground schema`, the app; lint warns."""

from __future__ import annotations

import json
from pathlib import Path

from core import cli
from core.action import distinct_tool_names, parse_action
from core.agent import Agent
from core.executor import Executor
from core.llm.scripted import ScriptedModel
from core.store import load_folder

BASE = {"description": "Book a table at the restaurant for a party.", "url": "https://api.example.com/book"}


def action(name: str):
    return parse_action({**BASE, "name": name}, name)


def folder(tmp_path: Path) -> Path:
    for file, name in [("a.json", "book_table_v2"), ("b.json", "Book Table (v2)!"), ("c.json", "Book table v2 2")]:
        (tmp_path / file).write_text(json.dumps({**BASE, "name": name}), encoding="utf-8")
    return tmp_path


def test_distinct_names_are_deterministic_and_keep_given_ones():
    a, b, c = action("book_table_v2"), action("Book Table (v2)!"), action("Book table v2 2")
    # c's own name is book_table_v2_2: it keeps it, and b gets the next free one, in any order
    assert [x.tool_name for x in distinct_tool_names([a, b, c])] == ["book_table_v2", "book_table_v2_3", "book_table_v2_2"]
    assert [x.tool_name for x in distinct_tool_names([a, c, b])] == ["book_table_v2", "book_table_v2_2", "book_table_v2_3"]
    assert [x.tool_name for x in distinct_tool_names([a, b])] == ["book_table_v2", "book_table_v2_2"]
    named = distinct_tool_names([a, b])
    assert [x.tool_name for x in distinct_tool_names(named[1:])] == ["book_table_v2_2"]  # a subset keeps its names
    assert named[1].model_copy(update={"url": "https://other.example.com"}).tool_name == "book_table_v2_2"
    assert named[1].to_file_dict()["name"] == "Book Table (v2)!"  # nothing of it reaches the file
    long = [action("x" * 70), action("x" * 64 + "!")]
    assert [len(t.tool_name) for t in distinct_tool_names(long)] == [64, 64]


def test_the_agent_offers_distinct_tools():
    agent = Agent(ScriptedModel([]), [action("book_table_v2"), action("Book Table (v2)!")], Executor())
    assert [t["function"]["name"] for t in agent.tools] == ["book_table_v2", "book_table_v2_2"]
    assert agent.actions["book_table_v2_2"].name == "Book Table (v2)!"


def test_schema_command_and_app_folder_use_distinct_names(capsys, tmp_path):
    path = folder(tmp_path)
    assert cli.main(["schema", str(path)]) == 0
    names = [t["function"]["name"] for t in json.loads(capsys.readouterr().out)]
    assert names == ["book_table_v2", "book_table_v2_3", "book_table_v2_2"]
    assert list(load_folder(path).by_tool()) == names


def test_lint_warns_about_names_that_collide(capsys, tmp_path):
    code = cli.main(["lint", str(folder(tmp_path)), "--json"])
    report = {Path(e["file"]).name: e["findings"] for e in json.loads(capsys.readouterr().out)}
    assert code == 0  # a warning, not an error
    assert report["a.json"] == []
    [f] = report["b.json"]
    assert f["code"] == "duplicate-tool-name" and f["severity"] == "warning"
    assert "book_table_v2_3" in f["message"] and "'book_table_v2'" in f["message"]


def test_the_actions_page_lint_warns_about_a_clash(tmp_path, session_demo):
    from streamlit.testing.v1 import AppTest

    path = folder(tmp_path)
    root = Path(__file__).resolve().parent.parent
    at = AppTest.from_file(str(root / "app.py"), default_timeout=60)
    at.session_state["actions_dir"] = str(path)
    at.run()
    at.switch_page("pages/actions.py").run()
    at.radio(key="actions_choice").set_value(str(path / "b.json")).run()
    assert not at.exception, at.exception
    assert any("the model sees this one as book_table_v2_3" in w.value for w in at.warning)
    at.radio(key="actions_choice").set_value(str(path / "a.json")).run()
    assert not any("duplicate" in w.value or "sees this one" in w.value for w in at.warning)
