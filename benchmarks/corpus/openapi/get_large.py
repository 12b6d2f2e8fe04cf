"""Put the large specs of large.json into benchmarks/corpus/openapi/large/ (not committed: 50 MB).

Each entry names a public GitHub repository at a commit, or an npm package version. Give the
folders where you have them:

    python benchmarks/corpus/openapi/get_large.py --repos DIR [--npm NODE_MODULES]

``--repos DIR`` holds one git checkout per repository, named ``owner+name`` (optionally with the
git directory in ``owner+name/repo``) or ``name``; the file is read at the listed commit with
``git show``. ``--npm`` is a node_modules folder (``npm install @octokit/openapi@23.0.2``).
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tarfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _git_dir(repos: Path, repo: str) -> Path | None:
    owner, name = repo.split("/")
    for candidate in (repos / f"{owner}+{name}" / "repo", repos / f"{owner}+{name}", repos / name):
        if candidate.exists():
            return candidate
    return None


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repos", type=Path, required=True)
    p.add_argument("--npm", type=Path)
    args = p.parse_args(argv)
    out = HERE / "large"
    out.mkdir(exist_ok=True)
    for entry in json.loads((HERE / "large.json").read_text(encoding="utf-8")):
        if "npm" in entry:
            package = entry["npm"].rsplit("@", 1)[0]
            src = (args.npm / package / entry["path"]) if args.npm else None
            if src and src.exists():
                (out / f"{entry['name']}{src.suffix}").write_bytes(src.read_bytes())
                print(f"{entry['name']}: from npm {entry['npm']}")
            else:
                print(f"{entry['name']}: missing (npm install {entry['npm']})")
            continue
        git = _git_dir(args.repos, entry["repo"])
        if git is None:
            print(f"{entry['name']}: missing (clone https://github.com/{entry['repo']} into {args.repos})")
            continue
        if "entry" in entry:  # a multi-file spec: the whole folder
            tar = subprocess.run(["git", "-C", str(git), "archive", entry["commit"], entry["path"]],
                                 capture_output=True, check=True).stdout
            target = out / entry["name"]
            with tarfile.open(fileobj=io.BytesIO(tar)) as t:
                t.extractall(target, filter="data")
        else:
            data = subprocess.run(["git", "-C", str(git), "show", f"{entry['commit']}:{entry['path']}"],
                                  capture_output=True, check=True).stdout
            (out / f"{entry['name']}{Path(entry['path']).suffix}").write_bytes(data)
        print(f"{entry['name']}: {entry['repo']}@{entry['commit'][:10]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
