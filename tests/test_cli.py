"""The `playground` command: exit codes, one-line errors, JSON output, masking.

HTTP goes to a demo API started on a free 127.0.0.1 port; action files are written to
tmp_path and point at it, and every call/render/curl passes --no-demo so the CLI never
starts (or looks for) the demo API on its default port.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from core import cli
from core.demo import DEMO_SECRETS, DemoServer

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_actions"
CRM_TOKEN = DEMO_SECRETS["DEMO_CRM_TOKEN"]
INVENTORY_KEY = DEMO_SECRETS["DEMO_INVENTORY_KEY"]
SUPPORT_PASSWORD = DEMO_SECRETS["DEMO_SUPPORT_PASSWORD"]
TRACE_KEYS = {"action", "request", "response", "error", "hints"}


def masked(secret: str) -> str:
    return "****" + secret[-4:]


# --------------------------------------------------------------------------- fixtures
@pytest.fixture
def demo_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in DEMO_SECRETS.items():
        monkeypatch.setenv(name, value)


def write(path: Path, data: Any) -> Path:
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


CUSTOMER_ID = {"name": "customer_id", "type": "string",
               "description": "The customer's account ID, printed on invoices", "example": "CUST-1001"}


@pytest.fixture
def actions(tmp_path: Path, demo: DemoServer) -> dict[str, Path]:
    """Action files pointing at the test demo server."""
    base = demo.base_url
    crm = {"name": "CRM Customer Lookup", "description": "Look up a customer's profile by customer ID.",
           "method": "GET", "url": f"{base}/crm/customers",
           "auth": {"type": "bearer", "token": "env:DEMO_CRM_TOKEN"},
           "headers": {"Accept": "application/json"}, "query": {"customer_id": "{{customer_id}}"},
           "variables": [CUSTOMER_ID]}
    return {
        "crm": write(tmp_path / "crm.json", crm),
        "wrong_token": write(tmp_path / "wrong_token.json",
                             {**crm, "name": "CRM wrong token", "auth": {"type": "bearer", "token": "wrong-token-123"}}),
        "wrong_path": write(tmp_path / "wrong_path.json",
                            {**crm, "name": "CRM wrong path", "url": f"{base}/crm/customer"}),
        "inventory": write(tmp_path / "inventory.json", {
            "name": "Check Product Inventory", "description": "Check whether a product is in stock by SKU.",
            "url": f"{base}/inventory/availability",
            "auth": {"type": "header", "name": "X-API-Key", "value": "env:DEMO_INVENTORY_KEY"},
            "query": {"sku": "{{sku}}"},
            "variables": [{"name": "sku", "description": "The product SKU", "example": "PROD-12345"}]}),
        "ticket": write(tmp_path / "ticket.json", {
            "name": "Create Support Ticket", "description": "Open a support ticket for the caller's problem.",
            "method": "POST", "url": f"{base}/support/tickets",
            "auth": {"type": "basic", "username": "env:DEMO_SUPPORT_USER", "password": "env:DEMO_SUPPORT_PASSWORD"},
            "body": {"issue_description": "{{issue_description}}", "priority_level": "{{priority_level}}"},
            "variables": [
                {"name": "issue_description", "description": "The problem in one sentence",
                 "example": "My headphones do not charge"},
                {"name": "priority_level", "description": "low, normal, high or urgent", "example": "high",
                 "required": False, "default": "normal"}]}),
        "appointments": write(tmp_path / "appointments.json", {
            "name": "List Appointments", "description": "List the appointments booked for the caller's email.",
            "url": f"{base}/booking/appointments", "query": {"customer_email": "{{cal_email}}"}}),
    }


def run(capsys: pytest.CaptureFixture[str], *argv: Any) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *argv: Any) -> tuple[int, Any]:
    code, out, err = run(capsys, *argv)
    return code, json.loads(out)


def subprocess_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower() and not k.startswith("DEMO_")}
    env.update(DEMO_SECRETS, PYTHONPATH=str(ROOT), **extra)
    return env


def run_sub(*argv: Any, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "core.cli", *map(str, argv)], cwd=ROOT, env=subprocess_env(),
                          capture_output=True, text=True, timeout=timeout)


def assert_one_line_error(err: str, *needles: str) -> None:
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


# --------------------------------------------------------------------------- bad input -> exit 2
BAD_FILES = {
    "not_json": ('{"name": "x", "url": ', "not valid JSON"),
    "unknown_method": ({"name": "x", "url": "https://api.example.com", "method": "GE T"}, "method"),
    "unknown_auth": ({"name": "x", "url": "https://api.example.com", "auth": {"type": "oauth"}}, "auth"),
    "duplicate_variable": ({"name": "x", "url": "https://api.example.com",
                            "variables": [{"name": "sku"}, {"name": "sku"}]}, "variables"),
}


@pytest.mark.parametrize("kind", BAD_FILES)
@pytest.mark.parametrize("command", ["call", "render", "curl", "lint", "schema"])
def test_bad_action_file_exits_2_with_one_line_naming_file_and_field(capsys, tmp_path, kind, command):
    data, field = BAD_FILES[kind]
    path = write(tmp_path / f"{kind}.json", data)
    extra = ["--no-demo"] if command in ("call", "render", "curl") else []
    code, out, err = run(capsys, command, path, *extra)
    assert code == 2
    if command == "lint":  # lint reports every file, a broken one with its reason (issue 12)
        assert out.startswith(f"{path}: cannot load: ") and field in out
    else:
        assert out == ""
    assert_one_line_error(err, str(path), field)


def test_bad_action_file_messages_say_what_is_wrong(capsys, tmp_path):
    for kind, needle in [("unknown_method", "'GE T'"), ("unknown_auth", "'oauth'"), ("duplicate_variable", "'sku'")]:
        path = write(tmp_path / f"{kind}.json", BAD_FILES[kind][0])
        code, _, err = run(capsys, "render", path, "--no-demo")
        assert code == 2 and needle in err


@pytest.mark.parametrize("kind", BAD_FILES)
def test_bad_action_file_in_a_subprocess_has_no_traceback(tmp_path, kind):
    data, field = BAD_FILES[kind]
    path = write(tmp_path / f"{kind}.json", data)
    proc = run_sub("call", path, "--no-demo")
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert_one_line_error(proc.stderr, str(path), field)


def test_missing_action_file_exits_2(capsys, tmp_path):
    code, _, err = run(capsys, "call", tmp_path / "nope.json", "--no-demo")
    assert code == 2
    assert_one_line_error(err, "nope.json", "no such action file")


BAD_ARGS = {
    "var_without_value": (["call", "{crm}", "--var", "novalue", "--no-demo"], "--var 'novalue'"),
    "runtime_without_value": (["render", "{crm}", "--runtime", "=x", "--no-demo"], "--runtime"),
    "unknown_subcommand": (["frobnicate"], "frobnicate"),
    "missing_action": (["call"], "action"),
    "lint_without_files": (["lint"], "actions"),
}


@pytest.mark.parametrize("case", BAD_ARGS)
def test_bad_arguments_exit_2_with_one_line(capsys, actions, case):
    argv, needle = BAD_ARGS[case]
    code, out, err = run(capsys, *[a.format(crm=actions["crm"]) for a in argv])
    assert code == 2
    assert out == ""
    assert_one_line_error(err, needle)
    assert "usage:" not in err.lower()  # no usage dump, just the reason and where to look


@pytest.mark.parametrize("case", ["var_without_value", "unknown_subcommand", "missing_action"])
def test_bad_arguments_in_a_subprocess(actions, case):
    argv, needle = BAD_ARGS[case]
    proc = run_sub(*[a.format(crm=actions["crm"]) for a in argv])
    assert proc.returncode == 2
    assert_one_line_error(proc.stderr, needle)


def test_help_exits_0(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["--help"])
    assert exc.value.code == 0
    assert "call" in capsys.readouterr().out


# --------------------------------------------------------------------------- call
def test_call_success_prints_the_trace_as_json(capsys, actions, demo_env):
    code, trace = run_json(capsys, "call", actions["crm"], "--var", "customer_id=CUST-1001", "--no-demo", "--json")
    assert code == 0
    assert TRACE_KEYS <= set(trace)
    assert trace["action"] == "CRM Customer Lookup"
    assert set(trace["request"]) >= {"method", "url", "headers", "body"}
    assert trace["request"]["method"] == "GET"
    assert trace["request"]["url"].endswith("/crm/customers?customer_id=CUST-1001")
    assert trace["request"]["body"] is None
    assert set(trace["response"]) >= {"status_code", "headers", "body", "elapsed_ms"}
    assert trace["response"]["status_code"] == 200
    assert trace["response"]["body"]["name"] == "Ada Lovelace"
    assert isinstance(trace["response"]["elapsed_ms"], (int, float)) and trace["response"]["elapsed_ms"] >= 0
    assert trace["error"] is None
    assert isinstance(trace["hints"], list)


def test_call_success_text_output(capsys, actions, demo_env):
    code, out, err = run(capsys, "call", actions["crm"], "--var", "customer_id=CUST-1001", "--no-demo")
    assert code == 0 and err == ""
    first = out.splitlines()[0]
    assert first.startswith("GET ") and "-> 200" in first
    assert "Ada Lovelace" in out


def test_call_post_with_basic_auth_and_typed_body(capsys, actions, demo_env):
    code, trace = run_json(capsys, "call", actions["ticket"], "--var", "issue_description=Headset is broken",
                           "--no-demo", "--json")
    assert code == 0
    assert trace["request"]["method"] == "POST"
    assert trace["request"]["body"] == {"issue_description": "Headset is broken", "priority_level": "normal"}
    assert trace["response"]["status_code"] == 201


@pytest.mark.parametrize("which, kind, status, hint", [
    ("wrong_token", "http_401", 401, "401 Unauthorized"),
    ("wrong_path", "http_404", 404, "404 Not Found"),
])
def test_call_http_error_exits_1_with_the_hint(capsys, actions, demo_env, which, kind, status, hint):
    argv = ["call", actions[which], "--var", "customer_id=CUST-1001", "--no-demo"]
    code, trace = run_json(capsys, *argv, "--json")
    assert code == 1
    assert trace["response"]["status_code"] == status
    assert trace["error"]["kind"] == kind
    assert any(h.startswith(hint) for h in trace["hints"])

    code, out, _ = run(capsys, *argv)
    assert code == 1
    assert f"-> {status}" in out.splitlines()[0]
    assert f"error ({kind})" in out
    assert f"hint: {hint}" in out


def test_call_connection_refused_exits_1(capsys, tmp_path, free_port):
    path = write(tmp_path / "down.json", {"name": "Down", "description": "A server that is not running.",
                                          "url": f"http://127.0.0.1:{free_port}/x"})
    code, trace = run_json(capsys, "call", path, "--no-demo", "--json")
    assert code == 1
    assert trace["response"] is None
    assert trace["error"]["kind"] == "connection_refused"
    assert trace["hints"]


def test_call_missing_required_var_exits_2_naming_it(capsys, actions, demo_env):
    code, out, err = run(capsys, "call", actions["crm"], "--no-demo")
    assert code == 2
    assert out == ""
    assert_one_line_error(err, "customer_id", "The customer's account ID", "CUST-1001")

    code, out, err = run(capsys, "call", actions["crm"], "--no-demo", "--json")
    assert code == 2
    trace = json.loads(out)
    assert trace["error"]["kind"] == "invalid_arguments"
    assert trace["response"] is None  # nothing was sent
    assert "customer_id" in trace["error"]["message"] and "CUST-1001" in trace["error"]["message"]


def test_render_missing_required_var_exits_2(capsys, actions, demo_env):
    code, out, err = run(capsys, "render", actions["crm"], "--no-demo")
    assert code == 2 and out == ""
    assert_one_line_error(err, "customer_id", "CUST-1001")


def test_call_unset_secret_exits_1_naming_the_variable(capsys, actions, monkeypatch):
    monkeypatch.delenv("DEMO_CRM_TOKEN", raising=False)
    code, out, err = run(capsys, "call", actions["crm"], "--var", "customer_id=CUST-1001", "--no-demo", "--json")
    assert code == 1
    trace = json.loads(out)
    assert trace["error"]["kind"] == "secret_missing"
    assert "DEMO_CRM_TOKEN" in trace["error"]["message"]


def test_runtime_variable_from_the_command_line(capsys, actions):
    code, req = run_json(capsys, "render", actions["appointments"], "--runtime", "cal_email=someone@example.com",
                         "--no-demo", "--json")
    assert code == 0
    assert req["url"].endswith("customer_email=someone%40example.com")
    code, req = run_json(capsys, "render", actions["appointments"], "--no-demo", "--json")
    assert "customer_email=bookings%40demo.example.com" in req["url"]  # the session default


# --------------------------------------------------------------------------- secrets
@pytest.mark.parametrize("which, args, secret", [
    ("crm", ["--var", "customer_id=CUST-1001"], CRM_TOKEN),
    ("inventory", ["--var", "sku=PROD-12345"], INVENTORY_KEY),
])
def test_call_masks_secrets_unless_revealed(capsys, actions, demo_env, which, args, secret):
    for fmt in (["--json"], []):
        code, out, _ = run(capsys, "call", actions[which], *args, "--no-demo", *fmt)
        assert code == 0
        assert secret not in out
        assert masked(secret) in out
    code, out, _ = run(capsys, "call", actions[which], *args, "--no-demo", "--json", "--reveal-secrets")
    assert code == 0 and secret in out


def test_call_masks_basic_auth(capsys, actions, demo_env):
    import base64

    user, password = DEMO_SECRETS["DEMO_SUPPORT_USER"], SUPPORT_PASSWORD
    encoded = base64.b64encode(f"{user}:{password}".encode()).decode()
    code, out, _ = run(capsys, "call", actions["ticket"], "--var", "issue_description=x y", "--no-demo", "--json")
    assert code == 0
    assert encoded not in out and password not in out
    assert json.loads(out)["request"]["headers"]["Authorization"].startswith("Basic ****")


@pytest.mark.parametrize("command", ["render", "curl"])
def test_render_and_curl_mask_secrets_unless_revealed(capsys, actions, demo_env, command):
    code, out, _ = run(capsys, command, actions["crm"], "--var", "customer_id=CUST-1001", "--no-demo")
    assert code == 0
    assert CRM_TOKEN not in out and f"Bearer {masked(CRM_TOKEN)}" in out
    code, out, _ = run(capsys, command, actions["crm"], "--var", "customer_id=CUST-1001", "--no-demo",
                       "--reveal-secrets")
    assert code == 0 and f"Bearer {CRM_TOKEN}" in out


def test_render_json(capsys, actions, demo_env):
    code, req = run_json(capsys, "render", actions["ticket"], "--var", "issue_description=Screen \"flickers\"",
                         "--var", "priority_level=high", "--no-demo", "--json")
    assert code == 0
    assert req["method"] == "POST"
    assert req["url"].endswith("/support/tickets")
    assert req["body"] == {"issue_description": 'Screen "flickers"', "priority_level": "high"}
    assert req["headers"]["Authorization"].startswith("Basic ****")


def test_render_text_shows_method_url_headers_and_body(capsys, actions, demo_env):
    code, out, _ = run(capsys, "render", actions["ticket"], "--var", "issue_description=Broken", "--no-demo")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("POST http://127.0.0.1:")
    body = json.loads(out[out.index("{"):])
    assert body == {"issue_description": "Broken", "priority_level": "normal"}


# --------------------------------------------------------------------------- curl
def parse_curl(command: str) -> dict[str, Any]:
    argv = shlex.split(command)
    assert argv[0] == "curl"
    out: dict[str, Any] = {"headers": {}, "data": None, "url": None}
    it = iter(argv[1:])
    for arg in it:
        if arg == "-X":
            out["method"] = next(it)
        elif arg == "-H":
            name, _, value = next(it).partition(": ")
            out["headers"][name] = value
        elif arg == "--data-raw":
            out["data"] = next(it)
        else:
            assert out["url"] is None, f"unexpected argument {arg!r}"
            out["url"] = arg
    return out


def test_curl_prints_a_parseable_command(capsys, actions, demo_env):
    code, out, _ = run(capsys, "curl", actions["crm"], "--var", "customer_id=CUST 1001&x", "--no-demo")
    assert code == 0
    assert len(out.strip().splitlines()) == 1
    cmd = parse_curl(out)
    assert cmd["method"] == "GET"
    assert cmd["url"].endswith("/crm/customers?customer_id=CUST+1001%26x") or \
        cmd["url"].endswith("/crm/customers?customer_id=CUST%201001%26x")
    assert cmd["headers"]["Authorization"] == f"Bearer {masked(CRM_TOKEN)}"
    assert cmd["headers"]["Accept"] == "application/json"


def test_curl_post_carries_the_json_body(capsys, actions, demo_env):
    code, out, _ = run(capsys, "curl", actions["ticket"], "--var", "issue_description=It's \"broken\"", "--no-demo")
    assert code == 0
    cmd = parse_curl(out)
    assert cmd["method"] == "POST"
    assert json.loads(cmd["data"]) == {"issue_description": "It's \"broken\"", "priority_level": "normal"}


@pytest.mark.skipif(shutil.which("curl") is None, reason="needs the curl binary")
def test_revealed_curl_command_runs_against_the_server(capsys, actions, demo_env):
    code, out, _ = run(capsys, "curl", actions["ticket"], "--var", "issue_description=It's \"broken\"",
                       "--no-demo", "--reveal-secrets")
    assert code == 0
    proc = subprocess.run(shlex.split(out) + ["-s", "--noproxy", "*", "-w", "\n%{http_code}"],
                          capture_output=True, text=True, timeout=30)
    body, _, status = proc.stdout.rpartition("\n")
    assert status == "201", proc.stdout + proc.stderr
    assert json.loads(body)["issue_description"] == "It's \"broken\""


# --------------------------------------------------------------------------- schema
def test_schema_prints_openai_function_tools(capsys, actions):
    code, tools = run_json(capsys, "schema", actions["crm"], actions["ticket"])
    assert code == 0
    assert [t["type"] for t in tools] == ["function", "function"]
    crm, ticket = (t["function"] for t in tools)
    assert crm["name"] == "crm_customer_lookup"
    assert crm["description"] == "Look up a customer's profile by customer ID."
    assert crm["parameters"]["type"] == "object"
    assert crm["parameters"]["required"] == ["customer_id"]
    assert "CUST-1001" in crm["parameters"]["properties"]["customer_id"]["description"]
    assert ticket["parameters"]["required"] == ["issue_description"]  # priority_level is optional
    assert "strict" not in crm


def test_schema_strict(capsys, actions):
    code, tools = run_json(capsys, "schema", actions["ticket"], "--strict")
    assert code == 0
    fn = tools[0]["function"]
    assert fn["strict"] is True
    params = fn["parameters"]
    assert params["additionalProperties"] is False
    assert sorted(params["required"]) == sorted(params["properties"])  # strict: every property listed
    assert "null" in params["properties"]["priority_level"]["type"]  # optional -> nullable


def test_schema_of_the_samples_folder(capsys):
    code, tools = run_json(capsys, "schema", SAMPLES)
    assert code == 0
    names = [t["function"]["name"] for t in tools]
    assert len(names) == len(list(SAMPLES.glob("*.json"))) and len(set(names)) == len(names)


def test_schema_of_an_empty_folder_exits_2(capsys, tmp_path):
    code, out, err = run(capsys, "schema", tmp_path)
    assert code == 2 and out == ""
    assert_one_line_error(err, str(tmp_path))


# --------------------------------------------------------------------------- lint
def test_lint_samples_pass(capsys):
    code, out, _ = run(capsys, "lint", SAMPLES)
    assert code == 0
    assert len(out.splitlines()) >= len(list(SAMPLES.glob("*.json")))


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.json")))
def test_lint_each_sample_has_no_errors(capsys, name):
    code, report = run_json(capsys, "lint", SAMPLES / name, "--json")
    assert code == 0
    assert not [f for f in report[0]["findings"] if f["severity"] == "error"]


def test_lint_broken_missing_variable_fails(capsys):
    path = SAMPLES / "broken" / "missing_variable.json"
    code, out, _ = run(capsys, "lint", path)
    assert code == 1
    assert "error: template:" in out and "customer_ref" in out

    code, report = run_json(capsys, "lint", path, "--json")
    assert code == 1
    assert isinstance(report, list) and len(report) == 1
    assert report[0]["file"] == str(path)
    for finding in report[0]["findings"]:
        assert set(finding) == {"severity", "code", "field", "message"}
    codes = {f["code"]: f for f in report[0]["findings"]}
    assert codes["unknown-placeholder"]["severity"] == "error"
    assert "customer_ref" in codes["unknown-placeholder"]["message"]


def test_lint_warnings_alone_exit_0(capsys, tmp_path):
    path = write(tmp_path / "plain.json", {"name": "Plain", "description": "A plain-HTTP endpoint on a remote host.",
                                          "url": "http://api.example.com/x"})
    code, report = run_json(capsys, "lint", path, "--json")
    assert code == 0
    assert [f["code"] for f in report[0]["findings"]] == ["insecure-url"]


# --------------------------------------------------------------------------- demo-api
def test_demo_api_on_a_busy_port_exits_nonzero_with_one_line():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        proc = run_sub("demo-api", "--port", port, timeout=30)
    assert proc.returncode != 0
    assert_one_line_error(proc.stderr, "--port", str(port))


def test_demo_api_on_a_busy_port_in_process(capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        code, _, err = run(capsys, "demo-api", "--port", busy.getsockname()[1])
    assert code != 0
    assert_one_line_error(err, "--port")


# --------------------------------------------------------------------------- link-local
def test_link_local_call_is_refused(capsys, tmp_path):
    path = write(tmp_path / "metadata.json", {"name": "Metadata", "description": "The cloud metadata endpoint.",
                                              "url": "http://169.254.169.254/latest/meta-data/"})
    code, trace = run_json(capsys, "call", path, "--no-demo", "--json")
    assert code == 1
    assert trace["response"] is None
    assert trace["error"]["kind"] == "blocked"
    assert "--allow-link-local" in trace["error"]["message"]

    code, out, _ = run(capsys, "call", path, "--no-demo")
    assert code == 1 and "error (blocked)" in out


# --------------------------------------------------------------------------- start-up and pipes
def test_render_loads_no_server_model_or_ui_library():
    """`playground render` is quick to start: nothing it has no use for is imported (see benchmarks/cli_startup.py)."""
    code = ("import sys, runpy; sys.argv = ['playground', 'render', %r, '--var', 'order_number=ORD-1']\n"
            "try:\n    runpy.run_module('core.cli', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            "print(' '.join(sorted(sys.modules)), file=sys.stderr)") % str(ROOT / "sample_actions" / "order_status.json")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=subprocess_env(), capture_output=True, text=True)
    assert proc.stdout.startswith("GET http://127.0.0.1:")
    loaded = set(proc.stderr.split())
    heavy = {"fastapi", "uvicorn", "starlette", "openai", "streamlit", "pandas", "dateparser", "yaml", "jsonschema", "jsonpath",
             "core.agent", "core.executor", "core.llm", "core.scenario", "core.demo.server"}
    assert not heavy & loaded, sorted(heavy & loaded)
    groups = {m for m in loaded if m.startswith("core.cli.") and m not in ("core.cli.main", "core.cli.common",
                                                                          "core.cli.__main__")}
    assert groups == {"core.cli.request"}, sorted(groups)  # only the group that has `render`


def test_each_command_group_registers_the_commands_main_lists_for_it():
    """main.GROUPS decides which module a command line imports: a command missing there would never run."""
    import argparse
    import importlib

    from core.cli.main import GROUPS, build_parser

    for group, commands in GROUPS.items():
        sub = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(f"core.cli.{group}").register(sub)
        assert tuple(sub.choices) == commands, group
    every = [c for commands in GROUPS.values() for c in commands]
    assert len(every) == len(set(every))
    parser = build_parser(["--help"])  # no command named: every group, for the help text
    assert set(parser._subparsers._group_actions[0].choices) == set(every)


def test_core_public_api_is_importable_and_lazy():
    code = ("import sys, core\nassert 'core.agent' not in sys.modules, 'core/__init__ imported the agent'\n"
            "from core import Action, Agent, Conversation, Event, Executor, Finding, PlaygroundError, RenderedRequest, "
            "Trace, Variable, coerce, compare, diagnose, execute, lint, load_action, parse_action, render, to_curl, "
            "tool_schema\nfrom core import *\nprint(sorted(core.__all__) == sorted(n for n in core.__all__ if n in dir(core)))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=subprocess_env(), capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "True"


def test_piping_into_head_exits_quietly(tmp_path):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(400):  # ~300 KB of schemas: more than a pipe holds, so the write fails when head quits
        write(folder / f"a{i:03}.json", {"name": f"Action {i}", "description": "An action with a long enough text.",
                                        "url": "https://api.example.com/x", "query": {"q": "{{q}}"},
                                        "variables": [{"name": "q", "description": "x" * 500}]})
    cmd = f"{shlex.quote(sys.executable)} -m core.cli schema {shlex.quote(str(folder))} | head -c 100 >/dev/null; " \
          "echo ${PIPESTATUS[0]}"
    proc = subprocess.run(["bash", "-c", cmd], cwd=ROOT, env=subprocess_env(), capture_output=True, text=True, timeout=60)
    assert proc.stderr == ""  # no BrokenPipeError traceback, no "Exception ignored" line
    assert proc.stdout.strip() == "141"  # 128 + SIGPIPE, as Unix tools exit


# --------------------------------------------------------------------------- exit codes that agree (issue 12)
@pytest.mark.parametrize("command", ["call", "render", "curl"])
def test_a_mistyped_var_name_exits_2_with_did_you_mean(capsys, actions, command):
    code, out, err = run(capsys, command, actions["crm"], "--var", "customr_id=CUST-1001", "--no-demo")
    assert code == 2 and out == ""
    assert_one_line_error(err, "--var customr_id", "did you mean customer_id?")


def test_a_runtime_variable_given_as_var_says_to_use_runtime(capsys, actions):
    code, out, err = run(capsys, "render", actions["appointments"], "--var", "cal_email=a@b.example", "--no-demo")
    assert code == 2 and out == ""
    assert_one_line_error(err, "--runtime cal_email=")


@pytest.mark.parametrize("fields, needle", [
    ({"query": {"email": "{{contact.email}}"}}, "add a variable named contact_email"),
    ({"method": "POST", "body": '{"qty": {{qty}'}, "body is not valid JSON"),
])
@pytest.mark.parametrize("command", ["call", "render", "lint", "schema"])
def test_a_template_that_can_never_render_is_a_bad_file_at_load(capsys, tmp_path, fields, needle, command):
    path = write(tmp_path / "bad.json", {"name": "Bad", "description": "An action that cannot render.",
                                        "url": "https://api.example.com/x", **fields})
    code, _, err = run(capsys, command, path, *(["--no-demo"] if command in ("call", "render") else []))
    assert code == 2
    assert_one_line_error(err, str(path), needle)
