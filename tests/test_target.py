"""The project's target (synthflow | generic) from playground.toml or PLAYGROUND_TARGET: lint and `call`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core import cli
from core.action import parse_action
from core.errors import ActionFileError
from core.lint import lint
from core.project import ENV_VAR, check_target, target_for

PATH_ACTION = {"name": "Get Pet", "description": "Get one pet by its id from the pet store.",
               "url": "http://127.0.0.1:9/pets/{{pet_id}}",
               "variables": [{"name": "pet_id", "description": "The pet's id", "example": "42"}]}


@pytest.fixture(autouse=True)
def no_env_target(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)


def write_action(folder: Path, data: dict = PATH_ACTION) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "get_pet.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_the_default_target_is_synthflow(tmp_path: Path) -> None:
    setting = target_for(tmp_path)
    assert (setting.target, setting.source) == ("synthflow", "default")


def test_playground_toml_in_a_parent_folder_sets_the_target(tmp_path: Path) -> None:
    (tmp_path / "playground.toml").write_text('target = "generic"\n', encoding="utf-8")
    action_file = write_action(tmp_path / "actions" / "pets")
    setting = target_for(action_file)
    assert setting.target == "generic" and setting.source == str(tmp_path / "playground.toml")


def test_the_environment_variable_overrides_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "playground.toml").write_text('target = "generic"\n', encoding="utf-8")
    monkeypatch.setenv(ENV_VAR, "synthflow")
    assert target_for(tmp_path).target == "synthflow"


def test_an_unknown_target_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "playground.toml").write_text('target = "vapi"\n', encoding="utf-8")
    with pytest.raises(ActionFileError, match="unknown; use one of: synthflow, generic"):
        target_for(tmp_path)


def test_lint_under_synthflow_reports_the_path_placeholder_with_the_fix() -> None:
    [finding] = [f for f in lint(parse_action(PATH_ACTION)) if f.severity == "error"]
    assert finding.code == "path-placeholder"
    assert "{{pet_id}}" in finding.message and 'target = "generic"' in finding.message
    assert "query parameter" in finding.message


def test_lint_under_generic_accepts_declared_path_placeholders_only() -> None:
    assert not [f for f in lint(parse_action(PATH_ACTION), target="generic") if f.severity == "error"]
    undeclared = parse_action({**PATH_ACTION, "url": "https://api.example.com/pets/{{pet_id}}/{{photo_id}}"})
    errors = [f for f in lint(undeclared, target="generic") if f.severity == "error"]
    assert [f.code for f in errors] == ["path-placeholder-undeclared"] and "photo_id" in errors[0].message


def test_check_target() -> None:
    check_target(parse_action(PATH_ACTION), "generic")
    with pytest.raises(ActionFileError, match="synthflow target needs a static URL"):
        check_target(parse_action(PATH_ACTION), "synthflow")


def test_cli_call_refuses_a_path_placeholder_under_synthflow(tmp_path: Path, capsys) -> None:
    path = write_action(tmp_path)
    assert cli.main(["call", str(path), "--var", "pet_id=42", "--no-demo"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "static URL" in err and "playground.toml" in err


def test_cli_lint_follows_the_project_file(tmp_path: Path, capsys) -> None:
    path = write_action(tmp_path)
    assert cli.main(["lint", str(path)]) == 1
    assert "path-placeholder" in capsys.readouterr().out
    (tmp_path / "playground.toml").write_text('target = "generic"\n', encoding="utf-8")
    assert cli.main(["lint", str(path)]) == 0


def test_cli_call_under_generic_sends_the_path_value(tmp_path: Path, capsys, fault_server) -> None:
    (tmp_path / "playground.toml").write_text('target = "generic"\n', encoding="utf-8")
    path = write_action(tmp_path, {**PATH_ACTION, "url": fault_server.url("/echo/{{pet_id}}")})
    cli.main(["call", str(path), "--var", "pet_id=a b", "--no-demo", "--json"])
    trace = json.loads(capsys.readouterr().out)
    assert trace["request"]["url"] == fault_server.url("/echo/a%20b")
    assert fault_server.log[-1]["path"] == "/echo/a%20b"


def test_a_path_placeholder_counts_as_a_use_of_its_variable() -> None:
    codes = {f.code for f in lint(parse_action(PATH_ACTION), target="generic")}
    assert "unused-variable" not in codes


def test_a_header_written_env_name_is_not_a_literal_credential() -> None:
    action = parse_action({**PATH_ACTION, "headers": {"X-Api-Key": "env:PLAID_SECRET"}})
    assert "credential-header" not in {f.code for f in lint(action, target="generic")}


# --------------------------------------------------------------------------- methods beyond the five
HEAD_ACTION = {"name": "Check Pet", "description": "Check that a pet still exists in the pet store.",
               "method": "HEAD", "url": "http://127.0.0.1:9/pets"}


@pytest.mark.parametrize("method", ["HEAD", "options", "PURGE", "wHat"])
def test_lint_under_synthflow_reports_a_method_beyond_the_five_with_the_fix(method: str) -> None:
    [finding] = [f for f in lint(parse_action({**HEAD_ACTION, "method": method})) if f.severity == "error"]
    assert finding.code == "method-target" and 'target = "generic"' in finding.message
    assert "GET, POST, PUT, PATCH, DELETE" in finding.message
    with pytest.raises(ActionFileError, match="not a method the synthflow target sends"):
        check_target(parse_action({**HEAD_ACTION, "method": method}), "synthflow")


def test_lint_under_generic_accepts_head_and_options_and_warns_about_an_extension_method() -> None:
    for method in ("HEAD", "OPTIONS"):
        assert not [f for f in lint(parse_action({**HEAD_ACTION, "method": method}), target="generic")
                    if f.severity in ("error", "warning")]
    [warning] = [f for f in lint(parse_action({**HEAD_ACTION, "method": "PACTH"}), target="generic")
                 if f.code == "method-extension"]
    assert warning.severity == "warning" and "did you mean PATCH?" in warning.message


def test_cli_call_refuses_head_under_synthflow_and_sends_it_under_generic(tmp_path: Path, capsys,
                                                                         fault_server) -> None:
    path = write_action(tmp_path, {**HEAD_ACTION, "url": fault_server.url("/echo")})
    assert cli.main(["call", str(path), "--no-demo"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "HEAD is not a method the synthflow target sends" in err
    (tmp_path / "playground.toml").write_text('target = "generic"\n', encoding="utf-8")
    for method in ("HEAD", "OPTIONS", "wHat"):
        path.write_text(json.dumps({**HEAD_ACTION, "method": method, "url": fault_server.url("/echo")}))
        assert cli.main(["call", str(path), "--no-demo", "--json"]) == 0
        trace = json.loads(capsys.readouterr().out)
        assert trace["error"] is None and trace["response"]["status_code"] == 200  # a HEAD answer has no body
        assert fault_server.log[-1]["method"] == method
    assert trace["request"]["method"] == "wHat"  # an extension method is sent as written


def test_a_retry_resends_safe_methods_but_not_an_extension_method_that_reached_the_server(fault_server,
                                                                                          executor) -> None:
    retry = {"attempts": 2, "backoff_s": 0, "on": [503]}
    for method, attempts in (("OPTIONS", 2), ("PURGE", 1)):
        action = parse_action({**HEAD_ACTION, "method": method, "url": fault_server.url("/status/503"),
                               "retry": retry})
        assert len(executor.execute(action).attempts) == attempts, method
