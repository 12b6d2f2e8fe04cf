"""Extract the cURL examples that API vendors publish in their OpenAPI documents into JSON Lines.

Run once from a checkout of each source (commits in benchmarks/corpus/SOURCES.md); the output is
committed, so the benchmark needs neither checkout:

    python benchmarks/corpus/curl/extract_samples.py digitalocean /path/to/digitalocean-openapi/specification
    python benchmarks/corpus/curl/extract_samples.py openai /path/to/openai-openapi/openapi.yaml
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Iterator

import yaml

HERE = Path(__file__).resolve().parent


def _walk(node: Any, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        lang = str(node.get("lang", "")).lower()
        if lang in ("curl", "shell", "bash") and isinstance(node.get("source"), str):
            yield where, node["source"]
        for key, value in node.items():
            if key == "curl" and isinstance(value, str):
                yield f"{where}/curl", value
            else:
                yield from _walk(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from _walk(item, f"{where}/{i}")


def extract(source: str, path: Path) -> list[dict[str, str]]:
    files = sorted(path.rglob("*.yml")) + sorted(path.rglob("*.yaml")) if path.is_dir() else [path]
    out, seen = [], set()
    for file in files:
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        for where, command in _walk(data, file.relative_to(path).as_posix() if path.is_dir() else file.name):
            if "curl" not in command or command in seen:
                continue
            seen.add(command)
            out.append({"id": f"{source}:{where}", "command": command})
    return out


def main(argv: list[str]) -> int:
    source, path = argv[0], Path(argv[1])
    rows = extract(source, path)
    target = HERE / f"{source}.jsonl"
    target.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} commands -> {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
