"""Load and save (atomic) actions. Import lives in core.importers, export in core.export."""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .action import Action, distinct_tool_names, load_action, parse_action, tool_name
from .errors import ActionFileError, PlaygroundError
from .jsonstyle import dumps_like, keep_form


@dataclass
class ActionSet:
    """The actions of a folder, the files that failed to load, and a fingerprint of the folder."""

    actions: dict[str, Action] = field(default_factory=dict)  # by path
    errors: dict[str, str] = field(default_factory=dict)  # path -> one-line error
    fingerprint: tuple = ()

    def by_tool(self) -> dict[str, Action]:
        return {a.tool_name: a for a in distinct_tool_names(list(self.actions.values()))}


def fingerprint(folder: str | Path) -> tuple:
    """Changes whenever a file of the folder is added, removed or modified."""
    folder = Path(folder)
    if not folder.is_dir():
        return ()
    return tuple(sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in folder.glob("*.json")))


def load_folder(folder: str | Path) -> ActionSet:
    folder = Path(folder)
    result = ActionSet(fingerprint=fingerprint(folder))
    if not folder.is_dir():
        result.errors[str(folder)] = f"{folder}: no such folder; create it or pick another actions folder"
        return result
    for path in sorted(folder.glob("*.json")):
        try:
            result.actions[str(path)] = load_action(path)
        except ActionFileError as exc:
            result.errors[str(path)] = str(exc)
    result.actions = dict(zip(result.actions, distinct_tool_names(list(result.actions.values()))))
    return result


def load_actions(paths: list[str | Path], *, broken: dict[str, str] | None = None) -> list[Action]:
    """Actions from files and folders (a folder contributes its *.json files).

    A file that cannot be loaded raises ActionFileError, or, when ``broken`` is given, is skipped and
    recorded there (path -> one-line reason), so one bad file does not stop a folder. A path that does
    not exist, or a folder without *.json files, always raises (it is a wrong argument, not a bad file).
    """
    out: list[Action] = []
    for p in map(Path, paths):
        if p.is_dir():
            files = sorted(p.glob("*.json"))
            if not files:
                raise ActionFileError(f"{p}: the folder holds no *.json action files")
        elif p.exists() or broken is None:
            files = [p]
        else:
            raise ActionFileError(f"{p}: no such action file or folder; check the path")
        for f in files:
            try:
                out.append(load_action(f))
            except ActionFileError as exc:
                if broken is None:
                    raise
                broken[str(f)] = str(exc)
    return distinct_tool_names(out)


#: Temporary files of a save: ``.NAME.PID.RANDOM.tmp`` (the PID tells a live writer's from a killed one's).
_TMP_RE = re.compile(r"^\..+\.(\d+)\.[A-Za-z0-9_]+\.tmp$")


def _umask() -> int:
    """The process's umask, read without changing it where the OS allows."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True  # another thread of this process may be saving right now
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, owned by someone else
        return True
    return True


def clean_temp_files(folder: str | Path) -> list[Path]:
    """Remove what interrupted saves (a killed process) left in ``folder``: temporary files whose writer is
    gone. Returns the files removed."""
    removed = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        m = _TMP_RE.match(name)
        if m and not _pid_alive(int(m.group(1))):
            path = Path(folder) / name
            try:
                path.unlink()
                removed.append(path)
            except OSError:
                pass
    return removed


def atomic_write(path: str | Path, text: str) -> None:
    """Write to a temp file in the same folder, then rename: a failure never leaves half a file.

    The file keeps its mode (a new one gets the usual ``0666 & ~umask``, not mkstemp's 0600), and temp
    files that killed saves left in the folder are removed first."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    clean_temp_files(path.parent)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mode = 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def dump_action(action: Action, like: str | None = None) -> str:
    """The action file's text. ``like``: the file's current text; what did not change keeps its form there
    (key order, number forms, indentation, final newline), so saving an unchanged action changes no byte."""
    if like is not None:
        try:
            raw = json.loads(like)
            old = parse_action(raw, "file").to_file_dict()
        except (ValueError, PlaygroundError):  # not a valid action file: write it fresh
            like = None
    if like is None:
        return json.dumps(action.to_file_dict(), indent=2, ensure_ascii=False) + "\n"
    new = action.to_file_dict()
    if old == new:
        return like
    return dumps_like(keep_form(raw, old, new), like)


def save_action(action: Action, path: str | Path) -> Path:
    """Save atomically; over an existing file, only what changed is rewritten (see :func:`dump_action`)."""
    try:
        like: str | None = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        like = None
    atomic_write(path, dump_action(action, like))
    return Path(path)


def file_name(action: Action, folder: str | Path) -> Path:
    """A free file name for a new action in ``folder``."""
    base = tool_name(action.name)
    path, n = Path(folder) / f"{base}.json", 2
    while path.exists():
        path, n = Path(folder) / f"{base}_{n}.json", n + 1
    return path
