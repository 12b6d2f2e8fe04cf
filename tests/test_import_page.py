"""The Actions page's import: cURL into the editor, OpenAPI operations searched and imported several at once."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from streamlit.testing.v1 import AppTest

from core.session import SAMPLE_ACTIONS_DIR

ROOT = Path(__file__).resolve().parent.parent
PETSTORE = ROOT / "benchmarks" / "corpus" / "openapi" / "small" / "oai" / "petstore-expanded.yaml"


def new_action_page(tmp_path: Path, how: str) -> tuple[AppTest, Path]:
    folder = tmp_path / "actions"
    shutil.copytree(SAMPLE_ACTIONS_DIR, folder, ignore=shutil.ignore_patterns("broken"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["actions_dir"] = str(folder)
    at.run()
    at.switch_page("pages/actions.py").run()
    at.radio(key="new_from").set_value(how).run()
    assert not at.exception, at.exception
    return at, folder


def test_openapi_yaml_operations_are_listed_searched_and_imported_together(tmp_path: Path) -> None:
    at, folder = new_action_page(tmp_path, "OpenAPI operations")
    before = set(folder.glob("*.json"))
    at.text_area(key="new_openapi").set_value(PETSTORE.read_text(encoding="utf-8")).run()
    assert not at.exception and not at.error
    assert any("4 operations" in c.value for c in at.caption)
    at.text_input(key="new_openapi_search").set_value("{id}").run()
    pick = at.multiselect(key="new_openapi_pick")
    assert set(pick.options) == {"GET /pets/{id}", "DELETE /pets/{id}"}
    pick.set_value(["GET /pets/{id}", "DELETE /pets/{id}"]).run()
    next(b for b in at.button if b.label.startswith("Import 2")).click().run()
    assert not at.exception
    new = set(folder.glob("*.json")) - before
    assert len(new) == 2 and any("Imported 2 action(s)" in s.value for s in at.success)
    names = {json.loads(p.read_text())["url"] for p in new}
    assert names == {"https://petstore.swagger.io/v2/pets/{{id}}"}


def test_a_broken_document_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    at, _ = new_action_page(tmp_path, "OpenAPI operations")
    at.text_area(key="new_openapi").set_value("openapi: 3.0.0\npaths: [").run()
    assert not at.exception
    assert [e.value for e in at.error] and "not valid YAML or JSON" in at.error[0].value


def test_curl_command_opens_in_the_editor_with_chosen_variables(tmp_path: Path) -> None:
    at, _ = new_action_page(tmp_path, "A cURL command")
    at.text_area(key="new_curl").set_value(
        "curl https://api.example.com/v1/tickets -H 'Authorization: Bearer tok-123456789' "
        "-H 'Content-Type: application/json' -d '{\"title\": \"Printer jam\", \"priority\": 2}'").run()
    next(b for b in at.button if b.label == "Read the command").click().run()
    assert not at.exception
    assert any("EXAMPLE_TOKEN" in w.value for w in at.warning)
    choice = at.multiselect(key="new_curl_vars")
    choice.set_value([choice.options[0]]).run()
    next(b for b in at.button if b.label == "Open in the editor").click().run()
    assert not at.exception
    assert at.text_input(key="ed_url").value == "https://api.example.com/v1/tickets"
    assert "{{title}}" in at.text_area(key="ed_body").value


def test_not_curl_is_one_line(tmp_path: Path) -> None:
    at, _ = new_action_page(tmp_path, "A cURL command")
    at.text_area(key="new_curl").set_value("http POST example.com a=1").run()
    next(b for b in at.button if b.label == "Read the command").click().run()
    assert not at.exception and "not a cURL command" in at.error[0].value
