"""Malformed action files (issue 13, point 5): lint, render and call each give ONE clear line and exit 2,
never a traceback, for every file of the corpus in tests/malformed_actions.py (>= 150 files)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from core.cli.main import main
from malformed_actions import build

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = (["lint"], ["render", "--no-demo"], ["call", "--no-demo"])


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, Path]]:
    return build(tmp_path_factory.mktemp("malformed"))


def test_the_corpus_is_big_enough(corpus: list[tuple[str, Path]]) -> None:
    assert len(corpus) >= 150


def test_every_malformed_file_is_one_clear_line_and_exit_2(corpus: list[tuple[str, Path]],
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    bad: list[str] = []
    for name, path in corpus:
        if name == "fifo":
            continue  # in a subprocess below: a regression would block, not fail
        for command in COMMANDS:
            argv = [*command, str(path)]
            try:
                rc = main(argv)
            except BaseException as exc:  # noqa: BLE001 - any escape is a traceback for the user
                bad.append(f"{name} {command[0]}: raised {type(exc).__name__}: {str(exc)[:120]}")
                continue
            out, err = capsys.readouterr()
            lines = err.strip().splitlines()
            if rc != 2 or len(lines) != 1 or not lines[0].startswith("playground: error: "):
                bad.append(f"{name} {command[0]}: exit {rc}, stderr {err[:200]!r}")
            elif len(lines[0]) > 400 + len(str(path)):
                bad.append(f"{name} {command[0]}: a {len(lines[0])}-character line")
            if "Traceback" in out + err:
                bad.append(f"{name} {command[0]}: traceback")
    assert bad == []


def test_a_fifo_does_not_hang_any_command(corpus: list[tuple[str, Path]]) -> None:
    paths = dict(corpus)
    if "fifo" not in paths:
        pytest.skip("no mkfifo on this system")
    for command in COMMANDS:
        proc = subprocess.run([sys.executable, "-m", "core.cli", *command, str(paths["fifo"])], cwd=ROOT,
                              capture_output=True, text=True, timeout=60)
        assert proc.returncode == 2, (command, proc.stderr)
        assert proc.stderr.count("\n") == 1 and "FIFO" in proc.stderr and "Traceback" not in proc.stderr


def test_lint_reports_what_is_wrong_in_a_file_that_loads(tmp_path: Path, capsys: Any) -> None:
    path = tmp_path / "dup.json"
    path.write_text('{"name": "A", "name": "B", "url": "https://x.example.com"}')
    assert main(["lint", str(path)]) == 2
    assert "duplicate key 'name'" in capsys.readouterr().err
