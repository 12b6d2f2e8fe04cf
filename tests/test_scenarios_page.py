"""The Scenarios page: save the current chat as a scenario, then run it (AppTest, offline model)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from core.scenario import load_scenario, run_scenario
from core.session import SAMPLE_ACTIONS_DIR, ensure_demo_api

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module", autouse=True)
def demo_api(session_demo):
    server = ensure_demo_api()  # finds conftest's session demo ($PLAYGROUND_DEMO_PORT)
    yield
    if server is not None:
        server.stop()


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label.startswith(label))


def _chat(at: AppTest, *turns: str) -> None:
    for text in turns:
        at.chat_input[0].set_value(text).run()
        assert not at.exception, at.exception


def _app(tmp_path: Path) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["scenarios_dir"] = str(tmp_path)
    return at.run()


def test_save_chat_as_scenario_then_run_it(tmp_path):
    at = _app(tmp_path)
    _chat(at, "where is my order?", "ORD-10042")
    at.switch_page("pages/scenarios.py").run()
    draft = yaml.safe_load(at.text_area(key="scenario_draft").value)
    # expectations are pre-filled from what happened
    assert draft["turns"][0]["expect"]["action"] == "none"
    assert draft["turns"][1]["expect"]["action"] == "Lookup Order Status"
    assert draft["turns"][1]["expect"]["arguments"] == {"order_number": "ORD-10042"}
    assert draft["turns"][1]["expect"]["status"] == 200

    _button(at, "Save scenario").click().run()
    saved = tmp_path / "my_conversation.yaml"
    assert saved.exists() and [s.value for s in at.success] == [f"Saved {saved}"]
    recording = yaml.safe_load(saved.read_text())["recording"]  # the save records what happened
    http = [e["http"] for e in recording["exchanges"] if "http" in e]
    assert [h["request"]["url"] for h in http] == ["http://127.0.0.1:8765/orders/status?order_number=ORD-10042"]
    assert http[0]["request"]["headers"]["Authorization"].startswith("Bearer ****")
    assert [e["turn"] for e in recording["exchanges"] if "model" in e] == [1, 2, 2]

    _button(at, "Run all").click().run()
    assert not at.exception
    assert ":green[**1 passed, 0 failed**]" in [m.value for m in at.markdown]
    assert any(m.value.startswith(":green-badge[:material/check: pass] **my conversation**") for m in at.markdown)
    replayed = load_scenario(saved).model_copy(update={"model": "replay", "http": "replay"})
    assert run_scenario(replayed).passed  # and it replays, with no model and no network


def test_edited_expectation_fails_and_shows_expected_and_actual(tmp_path):
    at = _app(tmp_path)
    _chat(at, "is PROD-12345 in stock?")
    at.switch_page("pages/scenarios.py").run()
    draft = yaml.safe_load(at.text_area(key="scenario_draft").value)
    draft["turns"][0]["expect"]["status"] = 404  # the user tightens the expectation wrongly
    at.text_area(key="scenario_draft").set_value(yaml.safe_dump(draft)).run()
    _button(at, "Save scenario").click().run()
    _button(at, "Run all").click().run()
    assert not at.exception
    assert ":red[**0 passed, 1 failed**]" in [m.value for m in at.markdown]
    _button(at, "Open").click().run()
    failures = [e.value for e in at.error if "status" in e.value]
    assert failures and "404" in failures[0] and "200" in failures[0]
    captions = [c.value for c in at.caption]
    assert "Expected" in captions and "Actual" in captions


def test_bad_yaml_is_refused_and_kept(tmp_path):
    at = _app(tmp_path)
    _chat(at, "is PROD-12345 in stock?")
    at.switch_page("pages/scenarios.py").run()
    broken = "name: x\nturns: [\n"
    at.text_area(key="scenario_draft").set_value(broken).run()
    _button(at, "Save scenario").click().run()
    assert any("YAML" in e.value for e in at.error)
    assert at.text_area(key="scenario_draft").value == broken
    assert not list(tmp_path.glob("*.yaml"))


# -- one by one: run, badge, order, edit, delete, accept ------------------------------------------------
def _project(tmp_path: Path) -> tuple[AppTest, Path, Path]:
    """An app whose actions and scenarios folders sit side by side in one project folder."""
    actions, folder = tmp_path / "actions", tmp_path / "scenarios"
    shutil.copytree(SAMPLE_ACTIONS_DIR, actions, ignore=shutil.ignore_patterns("broken"))
    folder.mkdir()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["scenarios_dir"] = str(folder)
    at.session_state["actions_dir"] = str(actions)
    return at.run(), actions, folder


def _save(at: AppTest, name: str, edit=None) -> Path:
    at.switch_page("pages/scenarios.py").run()
    at.text_input(key="scenario_name").set_value(name).run()
    if edit is not None:
        draft = yaml.safe_load(at.text_area(key="scenario_draft").value)
        edit(draft)
        at.text_area(key="scenario_draft").set_value(yaml.safe_dump(draft)).run()
    _button(at, "Save scenario").click().run()
    assert not at.exception, at.exception
    (saved,) = [Path(s.value.removeprefix("Saved ")) for s in at.success]
    return saved


def _rows(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown if "-badge[" in m.value and "**" in m.value]


def test_each_scenario_runs_alone_with_its_badge_and_a_new_one_joins_run_all(tmp_path):
    at, _, folder = _project(tmp_path)
    _chat(at, "where is my order ORD-10042?")
    draft_text = (at.switch_page("pages/scenarios.py").run()).text_area(key="scenario_draft").value
    assert "actions: ../actions" in draft_text  # relative to the scenario file, as it will be saved
    good = _save(at, "order ok")
    assert yaml.safe_load(good.read_text())["actions"] == "../actions"
    assert _rows(at) == [":gray-badge[not run] **order_ok** `order_ok.yaml`"]

    at.button(key=f"scenario-run-{good}").click().run()
    assert not at.exception
    assert _rows(at) == [":green-badge[:material/check: pass] **order ok** `order_ok.yaml`"]

    bad = _save(at, "order wrong", lambda d: d["turns"][0]["expect"].update(status=404))
    assert len(_rows(at)) == 2  # listed at once, not run yet
    for _ in range(2):  # twice: results replace the last ones, they do not pile up
        _button(at, "Run all").click().run()
        assert ":red[**1 passed, 1 failed**]" in [m.value for m in at.markdown]
    rows = _rows(at)
    assert rows[0].startswith(":red-badge[:material/close: fail] **order wrong**")  # failures first
    assert any("expected status 404" in c.value for c in at.caption)

    at.button(key=f"scenario-delete-{bad}").click().run()
    assert not bad.exists() and "Deleted order_wrong.yaml" in [t.value for t in at.toast]
    assert ":green[**1 passed, 0 failed**]" in [m.value for m in at.markdown]  # the deleted one is not counted


def test_accept_the_actual_result_of_a_turn_then_edit_the_yaml(tmp_path):
    at, _, folder = _project(tmp_path)
    _chat(at, "where is my order ORD-10042?")
    path = _save(at, "order", lambda d: d["turns"][0]["expect"].update(status=404, arguments={"order_number": "X"}))
    at.button(key=f"scenario-run-{path}").click().run()
    at.button(key=f"scenario-open-{path}").click().run()
    assert any("status" in e.value for e in at.error)
    at.button(key="scenario-accept-1").click().run()
    assert not at.exception
    expect = yaml.safe_load(path.read_text())["turns"][0]["expect"]
    assert expect["status"] == 200 and expect["arguments"] == {"order_number": "ORD-10042"}
    assert _rows(at)[0].startswith(":green-badge[:material/check: pass]")  # run again: it passes now

    edited = at.text_area(key="scenario_edit").value.replace("name: order", "name: order, renamed")
    at.text_area(key="scenario_edit").set_value(edited + "\n# a comment of mine\n").run()
    at.button(key="scenario-save-edit").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "# a comment of mine" in path.read_text() and load_scenario(path).name == "order, renamed"
    at.text_area(key="scenario_edit").set_value("turns: [\n").run()
    at.button(key="scenario-save-edit").click().run()
    assert any("not valid YAML" in e.value for e in at.error)
    assert "# a comment of mine" in path.read_text()  # a bad edit never overwrites the file


def test_a_missing_folder_says_so(tmp_path):
    at = _app(tmp_path / "nowhere")
    at.switch_page("pages/scenarios.py").run()
    assert any("does not exist" in c.value for c in at.caption)
