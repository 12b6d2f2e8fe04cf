"""The Scenarios page: save the current chat as a scenario, then run it (AppTest, offline model)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from core.scenario import load_scenario, run_scenario
from core.session import ensure_demo_api

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

    _button(at, "Run").click().run()
    assert not at.exception
    assert "1 passed, 0 failed" in [s.value for s in at.success]
    table = at.dataframe[0].value
    assert list(table["result"]) == ["pass"]
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
    _button(at, "Run").click().run()
    assert not at.exception
    assert "0 passed, 1 failed" in [e.value for e in at.error]
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
