"""The README's examples work as written: every `playground` line of its ```bash blocks, and the
"From Python" example, run from a copy of the project with nothing set up (no DEMO_* credentials,
no OPENAI_API_KEY), with `playground` on PATH as after `source .venv/bin/activate`."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fake_openai import FakeOpenAI

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
BIN = Path(sys.executable).parent  # the venv's bin: python and playground, as activate puts them on PATH
#: examples that need something from outside: what the test provides instead
CMD = "curl https://api.example.com/orders/status?order_number=ORD-10042 -H 'Accept: application/json'"
PBPASTE = f"#!/bin/sh\nprintf '%s\\n' \"{CMD}\"\n"  # macOS's clipboard reader


def blocks(lang: str) -> list[str]:
    return re.findall(rf"^```{lang}\n(.*?)^```", README, flags=re.S | re.M)


def examples() -> list[str]:
    lines = [line for block in blocks("bash") for line in block.replace("\\\n", " ").splitlines()]
    return [line for line in lines if re.match(r"^(\S+ \| )?playground ", line)]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The project's files a user works with, in a fresh folder, and a shell environment for it."""
    for folder in ("sample_actions", "scenarios"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / "shims").mkdir()
    (tmp_path / "shims" / "pbpaste").write_text(PBPASTE)
    (tmp_path / "shims" / "pbpaste").chmod(0o755)
    return tmp_path


def environment(project: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DEMO_", "OPENAI_")) and "proxy" not in k.lower()}
    env.update(PATH=f"{BIN}:{project / 'shims'}:/usr/bin:/bin", CMD=CMD, **extra)
    return env


def test_the_readme_has_examples_for_every_command_a_newcomer_meets():
    found = {line.split()[line.split().index("playground") + 1] for line in examples()}
    assert {"render", "call", "lint", "schema", "test", "import"} <= found, found


@pytest.mark.parametrize("line", examples(), ids=lambda line: " ".join(line.split("#")[0].split()[:3]))
def test_a_readme_cli_example_works_as_written(project, line):
    env = environment(project)
    expected = {0}
    if "--model openai:" in line:  # a real model: here an OpenAI-compatible stand-in answering text only,
        expected = {0, 1}           # so scenarios that expect calls fail (1); the command itself must work
        srv = FakeOpenAI([{"content": "I can help with that."}] * 200).start()
        env.update(OPENAI_API_KEY="sk-test-readme", OPENAI_BASE_URL=srv.base_url)
    try:
        proc = subprocess.run(["bash", "-o", "pipefail", "-c", line], cwd=project, env=env, capture_output=True,
                              text=True, timeout=300)
    finally:
        if "--model openai:" in line:
            srv.stop()
    assert "Traceback" not in proc.stderr, proc.stderr
    if "| head" in line:  # head may close the pipe early: that is a quiet exit 141, never an error message
        expected = {0, 141}
    assert proc.returncode in expected, (proc.returncode, proc.stdout[-2000:], proc.stderr[-2000:])
    assert (proc.stdout + proc.stderr).strip(), "the example said nothing"


def test_the_from_python_example_works_as_written(project):
    [code] = [b for b in blocks("python") if "run_scenario" in b]
    env = environment(project, PYTHONPATH=str(ROOT))
    env.pop("PLAYGROUND_DEMO_PORT", None)  # as on a user's machine: the demo API's own port, unless it is busy
    env["PLAYGROUND_DEMO_PORT"] = os.environ.get("PLAYGROUND_DEMO_PORT", "0")  # (tests never take 8765)
    proc = subprocess.run([sys.executable, "-c", code], cwd=project, env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    results = eval(proc.stdout)  # noqa: S307 - the example prints a list of tuples
    assert len(results) == len(list((ROOT / "scenarios").glob("*.*"))) >= 17
    assert all(passed for _, passed, _, _ in results), [r for r in results if not r[1]]
