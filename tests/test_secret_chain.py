"""One chain of secret sources for the CLI and the app: the environment, then .streamlit/secrets.toml of
the current directory (read with tomllib, no Streamlit); messages and hints name only what is read."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from core import cli
from core.action import parse_action
from core.diagnose import diagnose
from core.errors import ModelError, SecretError
from core.llm import make_model
from core.render import render
from core.secret import default_resolver, env_resolver, find, resolve, sources_of
from core.trace import ErrorInfo, Trace

TOKEN = "demo-orders-token-4b8e"  # the demo API's orders token (core.demo.DEMO_SECRETS)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A current directory with .streamlit/secrets.toml; MY_TOKEN and OPENAI_API_KEY unset in the environment."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MY_TOKEN", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    (tmp_path / ".streamlit").mkdir()
    return tmp_path


def secrets(project: Path, text: str) -> Path:
    path = project / ".streamlit" / "secrets.toml"
    path.write_text(text, encoding="utf-8")
    return path


def order_action(project: Path, base_url: str) -> Path:
    path = project / "order.json"
    path.write_text(json.dumps({
        "name": "Lookup Order Status", "description": "Look up the shipping status of an order by its number.",
        "url": f"{base_url}/orders/status", "auth": {"type": "bearer", "token": "env:MY_TOKEN"},
        "query": {"order_number": "{{order_number}}"},
        "variables": [{"name": "order_number", "description": "The order number", "example": "ORD-10042"}]}))
    return path


def test_environment_first_then_secrets_toml(project, monkeypatch):
    path = secrets(project, f'MY_TOKEN = "{TOKEN}"\nNUMBER = 42\n[section]\nMY_TOKEN = "nested"\n')
    resolver = default_resolver()
    assert sources_of(resolver) == ("the environment", str(path))
    assert resolver("MY_TOKEN") == TOKEN and resolver("NUMBER") == "42" and resolver("section") is None
    assert find("MY_TOKEN") == (TOKEN, str(path))
    monkeypatch.setenv("MY_TOKEN", "from-env")
    assert resolver("MY_TOKEN") == "from-env" and find("MY_TOKEN") == ("from-env", "the environment")


def test_an_edited_or_broken_file_is_read_again(project):
    path = secrets(project, 'MY_TOKEN = "one"\n')
    resolver = default_resolver()
    assert resolver("MY_TOKEN") == "one"
    path.write_text('MY_TOKEN = "second value"\n')
    assert resolver("MY_TOKEN") == "second value"
    path.write_text('MY_TOKEN = "unclosed\n')  # not TOML: as if it were not there
    assert resolver("MY_TOKEN") is None


def test_the_missing_secret_message_names_only_sources_read(project):
    action = parse_action({"name": "A", "url": "https://api.example.com", "auth": {"type": "bearer", "token": "env:MY_TOKEN"}})
    with pytest.raises(SecretError) as info:
        render(action, {})  # the default chain
    file = str(project / ".streamlit" / "secrets.toml")
    assert str(info.value) == (f"auth.token: MY_TOKEN is not set in the environment or {file}; set it: export "
                               f'MY_TOKEN=... or add MY_TOKEN = "..." to {file}')
    with pytest.raises(SecretError) as info:
        resolve("env:MY_TOKEN", env_resolver(), field="auth.token")
    assert "secrets.toml" not in str(info.value) and "export MY_TOKEN=..." in str(info.value)
    trace = Trace(action="A", error=ErrorInfo(kind="secret_missing", message="x"))
    assert file in diagnose(trace, action)[0]  # the hint too
    assert "secrets.toml" not in diagnose(trace, action, env_resolver())[0]


def test_the_cli_reads_secrets_toml(project, capsys, session_demo):
    path = order_action(project, session_demo.base_url)
    assert cli.main(["call", str(path), "--var", "order_number=ORD-10042", "--no-demo", "--json"]) == 1
    out, _ = capsys.readouterr()
    assert json.loads(out)["error"]["kind"] == "secret_missing" and "secrets.toml" in json.loads(out)["error"]["message"]
    secrets(project, f'MY_TOKEN = "{TOKEN}"\n')
    assert cli.main(["call", str(path), "--var", "order_number=ORD-10042", "--no-demo", "--json"]) == 0
    trace = json.loads(capsys.readouterr().out)
    assert trace["response"]["status_code"] == 200 and TOKEN not in json.dumps(trace)  # used, and masked


def test_the_openai_key_comes_through_the_same_chain(project):
    with pytest.raises(ModelError) as info:
        make_model("openai:gpt-4o-mini")
    assert "export OPENAI_API_KEY=..." in str(info.value) and str(project / ".streamlit" / "secrets.toml") in str(info.value)
    secrets(project, 'OPENAI_API_KEY = "sk-test-from-secrets-toml"\n')
    model = make_model("openai:gpt-4o-mini")
    assert model.client.api_key == "sk-test-from-secrets-toml"


def test_the_cli_does_not_import_streamlit_to_read_secrets(project, session_demo):
    import subprocess

    path = order_action(project, session_demo.base_url)
    secrets(project, f'MY_TOKEN = "{TOKEN}"\n')
    code = ("import sys, runpy; sys.argv = ['playground', 'call', %r, '--var', 'order_number=ORD-10042', '--no-demo']\n"
            "try:\n    runpy.run_module('core.cli', run_name='__main__')\nexcept SystemExit as e:\n    code = e.code\n"
            "print(code, 'streamlit' in sys.modules, file=sys.stderr)") % str(path)
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root)})
    assert proc.stderr.strip().splitlines()[-1] == "0 False", proc.stderr


def test_settings_page_says_where_the_key_comes_from(project):
    from streamlit.testing.v1 import AppTest

    path = secrets(project, 'OPENAI_API_KEY = "sk-test-from-secrets-toml-K3Y9"\n')
    root = Path(__file__).resolve().parent.parent
    at = AppTest.from_file(str(root / "app.py"), default_timeout=60)
    at.session_state["model_spec"] = "openai:gpt-4o-mini"
    at.run()
    at.switch_page("pages/settings.py").run()
    assert not at.exception, at.exception
    captions = [c.value for c in at.caption]
    assert f"API key: ****K3Y9 (OPENAI_API_KEY from {path})" in captions
    assert not at.error  # the key was found: the model is set up (Test connection would try it for real)
    assert any(c.startswith("openai:gpt-4o-mini is set up but not tested yet") for c in captions)
