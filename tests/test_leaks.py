"""No secret in any text the playground produces (issue 13, point 1).

Servers that echo the credentials they receive (into the reason phrase, the Content-Type, an invalid
redirect Location, a header, a cookie, a text body, a JSON body) are called with every auth kind, and
every surface a user or a model sees is searched for each raw secret and, for basic auth, its base64:
the trace, `call` text and JSON, `chat --json` events (offline model and an OpenAI-compatible one),
the tool messages sent to that remote model, the exported conversation, a saved scenario file, the
JUnit and JSON reports of a scenario run, and the Chat page (AppTest) with every call opened.
"""

from __future__ import annotations

import base64
import io
import json
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest

from core.cli.main import main
from fake_openai import FakeOpenAI
from fault_server import FaultServer

SECRETS = {"LEAK_TOKEN": "sk-live-LEAKTOKEN-0123456789", "LEAK_USER": "leak-user-4242@example.com",
           "LEAK_PASSWORD": "pw-LEAKPASS-98765zz", "LEAK_KEY": "key-LEAKKEY-abcdef123", "LEAK_PIN": "pin-LEAKPIN-55555x",
           "LEAK_TOKEN_SPACE": "sk-live-SPACETOKEN-24680 "}
LITERAL_TOKEN, LITERAL_KEY, LITERAL_USER = "lit-LEAKLITERAL-777777", "litkey-LEAKLITKEY-31337", "agent@example.com"


def b64(user: str, password: str) -> str:
    return base64.b64encode(f"{user}:{password}".encode()).decode()


#: auth kind -> (auth, the strings that must appear nowhere)
AUTHS: dict[str, tuple[dict[str, Any], list[str]]] = {
    "bearer-env": ({"type": "bearer", "token": "env:LEAK_TOKEN"}, [SECRETS["LEAK_TOKEN"]]),
    "bearer-literal": ({"type": "bearer", "token": LITERAL_TOKEN}, [LITERAL_TOKEN]),
    "bearer-trailing-space": ({"type": "bearer", "token": "env:LEAK_TOKEN_SPACE"}, [SECRETS["LEAK_TOKEN_SPACE"].strip()]),
    "basic-env": ({"type": "basic", "username": "env:LEAK_USER", "password": "env:LEAK_PASSWORD"},
                  [SECRETS["LEAK_USER"], SECRETS["LEAK_PASSWORD"], b64(SECRETS["LEAK_USER"], SECRETS["LEAK_PASSWORD"])]),
    "basic-literal-user": ({"type": "basic", "username": LITERAL_USER, "password": "env:LEAK_PASSWORD"},
                           [SECRETS["LEAK_PASSWORD"], b64(LITERAL_USER, SECRETS["LEAK_PASSWORD"])]),
    "header-env": ({"type": "header", "name": "X-API-Key", "value": "env:LEAK_KEY"}, [SECRETS["LEAK_KEY"]]),
    "header-literal": ({"type": "header", "name": "X-Partner-Key", "value": LITERAL_KEY}, [LITERAL_KEY]),
    "body-env": ({"type": "body", "fields": {"api_key": "env:LEAK_KEY", "pin": "env:LEAK_PIN"}},
                 [SECRETS["LEAK_KEY"], SECRETS["LEAK_PIN"]]),
}
ECHOES = ["/leak/reason", "/leak/ctype", "/leak/location", "/leak/header", "/leak/cookie", "/leak/text", "/echo",
          "/status/401"]


def action_file(folder: Path, server: FaultServer, auth: dict[str, Any], path: str) -> Path:
    slug = path.strip("/").replace("/", " ")
    data = {"name": f"Check {slug}", "description": f"Run the {slug} check of the partner API for the caller.",
            "method": "POST", "url": server.url(path), "auth": auth, "body": {"note": "hello"}, "timeout_s": 5}
    out = folder / f"{slug.replace(' ', '_')}.json"
    out.write_text(json.dumps(data))
    return out


def tool(path: Path) -> str:
    return "check_" + path.stem


class Leaks:
    """Collects every surface's text per auth kind, then reports any secret found."""

    def __init__(self) -> None:
        self.found: list[str] = []
        self.total = 0
        self.checked: set[tuple[str, str]] = set()

    def new(self) -> list[str]:
        """The leaks found since the last call (each test asserts on its own)."""
        out, self.found = self.found, []
        self.total += len(out)
        return out

    def check(self, surface: str, auth_kind: str, text: str) -> None:
        assert text, f"{surface} produced nothing for {auth_kind}: the check would be vacuous"
        self.checked.add((surface, auth_kind))
        for secret in AUTHS[auth_kind][1]:
            if secret in text:
                at = text.index(secret)
                self.found.append(f"{surface} x {auth_kind}: {text[max(0, at - 60):at + len(secret) + 20]!r}")


@pytest.fixture(scope="module")
def leaks() -> Iterator[Leaks]:
    found = Leaks()
    yield found
    print(f"\nleak test: {len({s for s, _ in found.checked})} surfaces x {len({a for _, a in found.checked})} "
          f"auth kinds = {len(found.checked)} cells, {found.total + len(found.found)} leaks")


@pytest.fixture(autouse=True)
def leak_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory, fault_server: FaultServer) -> dict[str, list[Path]]:
    out = {}
    for kind, (auth, _) in AUTHS.items():
        folder = tmp_path_factory.mktemp(kind)
        out[kind] = [action_file(folder, fault_server, auth, p) for p in ECHOES]
    return out


KINDS = list(AUTHS)


@pytest.mark.parametrize("kind", KINDS)
def test_trace_and_cli(kind: str, folders: dict[str, list[Path]], leaks: Leaks,
                       capsys: pytest.CaptureFixture[str]) -> None:
    from core.action import load_action
    from core.executor import Executor
    from core.trace import to_curl

    executor = Executor()
    try:
        for path in folders[kind]:
            trace = executor.execute(load_action(path))
            leaks.check("trace", kind, "\n".join([trace.model_dump_json(), trace.to_tool_result(10**6), trace.summary(),
                                                  to_curl(trace.request) if trace.request else ""]))
            if kind == "bearer-trailing-space":
                assert trace.error.kind == "secret_invalid" and "LEAK_TOKEN_SPACE" in trace.error.message
    finally:
        executor.close()
    for flags, surface in (([], "cli text"), (["--json"], "cli json")):
        for path in folders[kind]:
            main(["call", str(path), "--no-demo", *flags])
            out, err = capsys.readouterr()
            leaks.check(surface, kind, out + err)
        for command in (["render"], ["curl"]):
            main([*command, str(folders[kind][0]), "--no-demo"])
            out, err = capsys.readouterr()
            leaks.check(f"cli {command[0]}", kind, out + err)
    assert leaks.new() == []


def chat_events(argv: list[str], stdin: str, capsys: pytest.CaptureFixture[str],
                monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    main(["chat", "--json", "--no-demo", *argv])
    out, err = capsys.readouterr()
    assert '"tool_result"' in out, out + err  # the call really happened
    return out + err


@pytest.mark.parametrize("kind", KINDS)
def test_chat_events_and_what_a_remote_model_is_sent(kind: str, folders: dict[str, list[Path]], leaks: Leaks,
                                                     capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    paths = folders[kind]
    replies = [{"content": None, "tool_calls": [{"name": tool(p), "arguments": {}} for p in paths]},
               {"content": "All checks ran."}]
    with FakeOpenAI(replies) as srv:
        events = chat_events(["--model", "openai:fake-model", "--base-url", srv.base_url, "--api-key", "test-key",
                              "--actions", str(paths[0].parent)], "run every check\n", capsys, monkeypatch)
        sent = json.dumps(srv.requests)
    leaks.check("chat --json (openai)", kind, events)
    leaks.check("tool messages to the remote model", kind, sent)
    assert sent.count('"role": "tool"') >= len(paths)
    for path in paths[:3]:  # the offline model's own words about each failure
        events = chat_events(["--actions", str(path)], f"please run the {path.stem.replace('_', ' ')} check\n",
                             capsys, monkeypatch)
        leaks.check("chat --json (offline reply)", kind, events)
    assert leaks.new() == []


@pytest.mark.parametrize("kind", KINDS)
def test_export_scenario_file_and_reports(kind: str, folders: dict[str, list[Path]], leaks: Leaks, loop: Any,
                                          tmp_path: Path) -> None:
    from core.action import load_action
    from core.agent import Agent
    from core.executor import Executor
    from core.llm.scripted import ScriptedModel, turn
    from core.scenario import report, run_scenario, save_scenario, scenario_from_conversation, to_junit

    paths = folders[kind]
    actions = [load_action(p) for p in paths]

    def script() -> ScriptedModel:
        return ScriptedModel([turn("", *[(tool(p), {}) for p in paths]), turn("All checks ran.")])

    executor = Executor()
    try:
        agent = Agent(script(), actions, executor)
        conv = agent.new_conversation()
        for _ in loop.iterate(agent.run(conv, "run every check")):
            pass
        assert len(conv.traces) == len(paths)
        leaks.check("conversation export", kind, conv.model_dump_json())
        scenario = scenario_from_conversation("leaks", conv, str(paths[0].parent), model="offline")
        saved = save_scenario(scenario, tmp_path / "leaks.yaml")
        leaks.check("scenario file", kind, saved.read_text())
        result = run_scenario(scenario, model=script(), executor=executor, loop=loop)
        leaks.check("junit", kind, to_junit([result]))
        leaks.check("test --json report", kind, json.dumps(report([result]), default=str))
    finally:
        loop.run(executor.async_client.aclose())
        executor.close()
    assert leaks.new() == []


@pytest.mark.parametrize("kind", KINDS)
def test_chat_page_with_every_call_opened(kind: str, folders: dict[str, list[Path]], leaks: Leaks) -> None:
    from core.llm.scripted import ScriptedModel, turn
    from test_pages import make_app, texts

    paths = folders[kind]
    model = ScriptedModel([turn("", *[(tool(p), {}) for p in paths]), turn("All checks ran.")])
    at = make_app(model, paths[0].parent)
    at.chat_input[0].set_value("run every check").run()
    assert not at.exception, at.exception
    traces = at.session_state["conversation"].traces
    assert len(traces) == len(paths)
    pages = ["\n".join(texts(at))]
    for trace in traces:
        at.session_state[f"call-{trace.id}"] = True
        at.session_state["open_call"] = trace.id
        at.run()
        assert not at.exception, at.exception
        pages.append("\n".join(texts(at)))
    leaks.check("chat page (AppTest)", kind, "\n".join(pages))
    assert leaks.new() == []
