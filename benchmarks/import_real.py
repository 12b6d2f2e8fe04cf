"""Import measured on real inputs nobody here wrote: how many are faithful, how many crash, lint.

    .venv/bin/python benchmarks/import_real.py [--curl-only | --openapi-only] [--details]

cURL (benchmarks/corpus/curl): curlconverter's test fixtures and the cURL examples of the
DigitalOcean and OpenAI API docs. curl itself and the imported action send to one local echo
server; an import is *equivalent* when the requests match (importcheck/curl_check.py says how).
A command curl cannot send (a proxy that is not there, a bad doc snippet) is *invalid* and left out.

OpenAPI (benchmarks/corpus/openapi): the small specs stored here, and the large ones of
large.json when get_large.py has put them in large/. Every operation is imported and checked by
an oracle written apart from the importer (importcheck/openapi_check.py): method, URL, every
parameter, the body and the auth. *Crash* means anything but a clean one-line refusal.

Lint: each import is linted for the generic target (path placeholders allowed); an import with lint
errors "says why" when it prints them, which `playground import` does.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.importcheck.curl_check import CurlCase, check  # noqa: E402
from benchmarks.importcheck.echo import EchoServer  # noqa: E402
from benchmarks.importcheck.openapi_check import Spec, check_action, expectations  # noqa: E402
from core.errors import ImportSourceError  # noqa: E402
from core.importers.openapi import import_operations, list_operations, load_document  # noqa: E402
from core.lint import lint  # noqa: E402

CORPUS = ROOT / "benchmarks" / "corpus"


def curl_cases() -> list[CurlCase]:
    cases = [CurlCase(p.stem, "curlconverter", p.read_text(encoding="utf-8"))
             for p in sorted((CORPUS / "curl" / "curlconverter").glob("*.sh"))]
    for source in ("digitalocean", "openai"):
        for line in (CORPUS / "curl" / f"{source}.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            cases.append(CurlCase(row["id"], source, row["command"]))
    return cases


def run_curl(details: bool) -> dict[str, int]:
    by_source: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    lint_errors = 0
    with EchoServer() as echo:
        if not echo.tls:
            print("note: no openssl, so https:// commands cannot reach the echo server")
        for case in curl_cases():
            outcome = check(case, echo, CORPUS / "curl" / "files")
            by_source[case.source][outcome.status] += 1
            lint_errors += bool(outcome.lint_errors)
            if details and outcome.status != "equivalent":
                print(f"  {outcome.status:10} {case.id}: {outcome.detail[:240]}")
    total: collections.Counter = collections.Counter()
    print("\ncURL: equivalent to what curl sends (valid = curl could send it)")
    for source, counts in by_source.items():
        total.update(counts)
        _curl_line(source, counts)
    _curl_line("all", total)
    imported = total["equivalent"] + total["different"]
    print(f"  imports with lint errors (generic target): {lint_errors} of {imported}")
    return dict(total)


def _curl_line(name: str, c: collections.Counter) -> None:
    valid = sum(c.values()) - c["invalid"]
    rate = 100 * c["equivalent"] / valid if valid else 0
    print(f"  {name:14} {c['equivalent']:4} / {valid:4} valid = {rate:5.1f}%   refused clearly {c['refused']:3}, "
          f"different {c['different']:3}, crash {c['crash']}, invalid {c['invalid']} (of {sum(c.values())})")


def openapi_specs() -> list[Path]:
    small = sorted(p for p in (CORPUS / "openapi" / "small").rglob("*")
                   if p.suffix in (".json", ".yaml", ".yml") and p.is_file())
    large_dir = CORPUS / "openapi" / "large"
    large = sorted(p for p in large_dir.glob("*") if p.is_file()) if large_dir.is_dir() else []
    if (large_dir / "digitalocean").is_dir():
        large += [large_dir / "digitalocean" / "specification" / "DigitalOcean-public.v2.yaml"]
    return small + large


def run_openapi(details: bool) -> dict[str, int]:
    total: collections.Counter = collections.Counter()
    specs = openapi_specs()
    large = [s for s in specs if "large" in s.parts]
    print(f"\nOpenAPI: faithful operations (method, URL, every parameter, body, auth) - {len(specs)} specs "
          f"({len(large)} large)")
    if not large:
        print("  (large specs absent: run benchmarks/corpus/openapi/get_large.py to add them)")
    for spec in specs:
        started = time.perf_counter()
        counts: collections.Counter = collections.Counter()
        reasons: collections.Counter = collections.Counter()
        try:
            doc = load_document(spec)
            oracle = Spec(spec)
            ops = list_operations(doc)
        except ImportSourceError as exc:
            print(f"  {spec.name}: refused: {exc}")
            continue
        for op in ops:
            counts["operations"] += 1
            try:
                result = import_operations(doc, [op], strict=True)
            except ImportSourceError as exc:
                counts["refused"] += 1
                reasons[f"refused: {str(exc)[:80]}"] += 1
                continue
            except Exception as exc:  # noqa: BLE001 - a crash is what this counts
                counts["crash"] += 1
                reasons[f"crash: {type(exc).__name__}: {str(exc)[:80]}"] += 1
                continue
            action = result.action
            counts["lint_errors"] += any(f.severity == "error" for f in lint(action, target="generic"))
            why = check_action(expectations(oracle, op.path, op.method), action)
            if why is None:
                counts["faithful"] += 1
            else:
                reasons[why.split(":")[0] if not details else why[:120]] += 1
        total.update(counts)
        name = spec.relative_to(CORPUS / "openapi").as_posix()
        rate = 100 * counts["faithful"] / counts["operations"] if counts["operations"] else 100
        if details or "large" in spec.parts:
            print(f"  {name[:44]:44} {counts['faithful']:5}/{counts['operations']:<5} {rate:5.1f}%  "
                  f"{time.perf_counter() - started:5.1f}s  {dict(reasons.most_common(3)) if reasons else ''}")
    n = total["operations"] or 1
    print(f"  {'all':44} {total['faithful']:5}/{total['operations']:<5} {100 * total['faithful'] / n:5.1f}%   "
          f"crash {total['crash']}, refused {total['refused']}, with lint errors {total['lint_errors']}")
    return dict(total)


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description="Import faithfulness on real inputs.")
    p.add_argument("--curl-only", action="store_true")
    p.add_argument("--openapi-only", action="store_true")
    p.add_argument("--details", action="store_true", help="every failure and every spec")
    args = p.parse_args(argv)
    if not args.openapi_only:
        run_curl(args.details)
    if not args.curl_only:
        run_openapi(args.details)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
