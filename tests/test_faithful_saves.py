"""Saves are faithful: loading and saving an unchanged action leaves its file byte for byte the same (every
file in sample_actions/), a change rewrites only what changed, a save keeps the file's mode, and the
temporary files of interrupted (killed) saves are cleaned up."""

from __future__ import annotations

import difflib
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from core.action import load_action, parse_action
from core.store import atomic_write, clean_temp_files, dump_action, save_action

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "sample_actions").rglob("*.json"))


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.relative_to(ROOT / "sample_actions").as_posix())
def test_an_unchanged_sample_saves_byte_for_byte(tmp_path, sample):
    path = tmp_path / sample.name
    shutil.copy(sample, path)
    save_action(load_action(path), path)
    assert path.read_bytes() == sample.read_bytes()


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.relative_to(ROOT / "sample_actions").as_posix())
def test_a_change_rewrites_only_its_line(tmp_path, sample):
    path = tmp_path / sample.name
    shutil.copy(sample, path)
    action = load_action(path)
    save_action(action.model_copy(update={"description": action.description + " Now faster."}), path)
    before, after = sample.read_text(), path.read_text()
    assert len(changed_lines(before, after)) == 2, changed_lines(before, after)
    assert load_action(path).description.endswith(" Now faster.")


FILE = """{
    "url":"https://api.example.com/x",
    "name": "Caf\\u00e9 Lookup",
    "timeout_s": 10,
    "variables": [
        {
            "name": "q",
            "example": 3
        }
    ]
}"""


def test_the_files_own_form_survives_a_change_elsewhere(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(FILE)  # 4-space indent, \\u escapes, key order, whole numbers, no final newline
    action = load_action(path)
    assert dump_action(action, FILE) == FILE
    save_action(action.model_copy(update={"timeout_s": 12.0}), path)
    text = path.read_text()
    assert text == FILE.replace('"timeout_s": 10', '"timeout_s": 12').replace('"url":"', '"url": "')
    assert list(json.loads(text)) == ["url", "name", "timeout_s", "variables"]
    assert "body_format" not in text and "auth" not in text  # defaults the file left out stay out


def test_crlf_and_a_one_line_file_keep_their_layout(tmp_path):
    one_line = '{"name": "A", "url": "https://api.example.com/x", "timeout_s": 5}\r\n'
    action = parse_action(json.loads(one_line))
    assert dump_action(action, one_line) == one_line
    out = dump_action(action.model_copy(update={"name": "B"}), one_line)
    assert out == '{"name": "B", "url": "https://api.example.com/x", "timeout_s": 5}\r\n'


def test_a_save_keeps_the_files_mode_and_a_new_file_is_not_0600(tmp_path):
    path = tmp_path / "a.json"
    path.write_text('{"name": "A", "url": "https://api.example.com/x"}\n')
    path.chmod(0o640)
    save_action(parse_action({"name": "B", "url": "https://api.example.com/x"}), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    new = tmp_path / "new.json"
    atomic_write(new, "{}\n")  # e.g. a JUnit report or a new action
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(new.stat().st_mode) == 0o666 & ~umask


def test_junit_report_is_readable_by_others(tmp_path, capsys):
    from core import cli

    junit = tmp_path / "junit.xml"
    assert cli.main(["test", str(ROOT / "scenarios" / "health_check.json"), "--junit", str(junit)]) == 0
    capsys.readouterr()
    umask = os.umask(0o022)
    os.umask(umask)
    assert stat.S_IMODE(junit.stat().st_mode) == 0o666 & ~umask


KILLED_SAVER = """
import os, sys
from pathlib import Path
import core.store as store
real_fsync = os.fsync
def hang(fd):  # the temp file is written: stop here until killed
    print("writing", flush=True)
    sys.stdin.read()
os.fsync = hang
store.atomic_write(Path(sys.argv[1]), "x" * 100000)
"""


def test_temp_files_of_a_killed_save_are_cleaned_up_and_the_file_is_intact(tmp_path):
    path = tmp_path / "a.json"
    path.write_text('{"name": "A", "url": "https://api.example.com/x"}\n')
    before = path.read_bytes()
    proc = subprocess.Popen([sys.executable, "-c", KILLED_SAVER, str(path)], cwd=ROOT, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert proc.stdout.readline() == b"writing\n"
        orphans = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
        assert len(orphans) == 1 and str(proc.pid) in orphans[0].name
        assert clean_temp_files(tmp_path) == []  # its writer is alive: not touched
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        proc.kill()
        proc.stdin.close()
        proc.stdout.close()
    assert path.read_bytes() == before  # nothing was lost
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == [orphans[0].name]
    save_action(parse_action({"name": "B", "url": "https://api.example.com/x"}), path)  # the next save cleans up
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]
    assert json.loads(path.read_text())["name"] == "B"


@pytest.mark.parametrize("name", ["create_support_ticket.json", "order_status.json", "verify_caller.json"])
def test_saving_an_unchanged_action_in_the_editor_changes_no_byte(tmp_path, name, session_demo):
    from streamlit.testing.v1 import AppTest

    folder = tmp_path / "actions"
    shutil.copytree(ROOT / "sample_actions", folder, ignore=shutil.ignore_patterns("broken"))
    path = folder / name
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["actions_dir"] = str(folder)
    at.run()
    at.switch_page("pages/actions.py").run()
    at.radio(key="actions_choice").set_value(str(path)).run()
    next(b for b in at.button if b.label == "Save").click().run()
    assert not at.exception, at.exception
    assert f"Saved {path}" in [t.value for t in at.toast]
    assert path.read_bytes() == (ROOT / "sample_actions" / name).read_bytes()
