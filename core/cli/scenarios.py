"""`playground test PATH...`: run regression scenarios, print a pass/fail table (or JSON), write JUnit XML.

Exit codes: 0 every scenario passed, 1 any failed, 2 a bad scenario file or bad arguments.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import TYPE_CHECKING, Any, TextIO

from ..errors import ModelError, PlaygroundError, ScenarioError
from .common import broken_files

if TYPE_CHECKING:
    from ..scenario import Scenario, ScenarioResult


def _fail(message: str, code: int = 2) -> int:
    print(f"playground: error: {message}", file=sys.stderr)
    return code


def _http(s: Scenario, args: argparse.Namespace) -> str:
    return getattr(args, "http", None) or s.http


def _check_models(scenarios: list[Scenario], args: argparse.Namespace) -> None:
    """Build each distinct model once, and check that replays have a recording, so a bad --model, model:
    or --http fails before anything runs."""
    from ..llm import make_model

    for s in scenarios:
        for what, mode in (("--model replay", args.model or s.model), ("--http replay", _http(s, args))):
            if mode == "replay" and s.recording is None:
                raise ScenarioError(f"{s.label}: {what} needs a recording and this scenario has none; record one "
                                    "(playground chat --record FILE, or save the chat from the Scenarios page)")
    for spec in sorted({args.model or s.model for s in scenarios} - {"replay"}):
        make_model(spec, base_url=args.base_url, api_key=args.api_key)


def _start_demo(scenarios: list[Scenario], args: argparse.Namespace, broken: dict[str, str] | None
                ) -> tuple[Any, str | None]:
    """Get the demo API ready when the scenarios' actions use it. Returns (the target, to stop when done, or
    None; the base URL to rebase the demo actions to, or None). When another program holds the demo port,
    the demo API runs on a free port for this run instead."""
    from ..demo import DEFAULT_BASE_URL
    from .common import demo_for

    from ..scenario import scenario_actions

    actions = [a for s in scenarios if _http(s, args) == "live" for a in scenario_actions(s, broken=broken)]
    _, target = demo_for(actions, args, fallback=True)
    if target is None or target.base_url == DEFAULT_BASE_URL:
        return target, None
    return target, target.base_url


def _row(r: ScenarioResult, width: int, repeat: int) -> str:
    status = "PASS" if r.passed else "FAIL"
    rate = f"  {r.pass_rate}" if repeat > 1 else ""
    rate += f"  (http {r.http})" if r.http != "live" else ""
    where = f"  {r.file}" if r.file else ""
    return f"{status}  {r.name:<{width}}  {r.elapsed_ms / 1000:6.2f}s{rate}{where}"


def run_tests(args: argparse.Namespace, out: TextIO | None = None) -> int:
    from ..scenario import load_scenarios, report, run_scenario, to_junit

    out = out or sys.stdout
    repeat = getattr(args, "repeat", None)
    repeat = 1 if repeat is None else repeat
    if repeat < 1:
        return _fail(f"--repeat {repeat}: use a number of runs of at least 1")
    try:
        broken = broken_files(args)
        scenarios = load_scenarios(args.paths, broken=broken)
        _check_models(scenarios, args)
    except ModelError as exc:
        return _fail(str(exc))
    except ScenarioError as exc:
        return _fail(str(exc))

    demo, rebase = None, None
    from ..executor import Executor
    from ..loop import LoopThread

    loop = LoopThread()
    executor = Executor()
    results: list[ScenarioResult] = []
    width = max(len(s.name) for s in scenarios)
    started = time.perf_counter()
    try:
        try:
            demo, rebase = _start_demo(scenarios, args, broken)
        except PlaygroundError as exc:
            return _fail(f"cannot start the demo API: {exc}", 1)
        for s in scenarios:
            try:
                r = run_scenario(s, loop=loop, executor=executor, model=args.model, repeat=repeat,
                                 base_url=args.base_url, api_key=args.api_key, rebase_demo_to=rebase, broken=broken,
                                 http=getattr(args, "http", None))
            except ScenarioError as exc:  # its actions changed on disk since loading
                return _fail(str(exc))
            results.append(r)
            if not args.json:
                print(_row(r, width, repeat), file=out, flush=True)
                if not r.passed:
                    print(f"      {r.first_failure}", file=out, flush=True)
    finally:
        try:
            loop.run(executor.async_client.aclose())
        finally:
            loop.stop()
            executor.close()
            if demo is not None:
                demo.stop()
    elapsed = time.perf_counter() - started
    failed = sum(not r.passed for r in results)
    if args.junit:
        from ..store import atomic_write

        try:
            atomic_write(args.junit, to_junit(results))
        except OSError as exc:
            return _fail(f"--junit {args.junit}: cannot write it ({exc.strerror or exc})")
    if args.json:
        data = report(results)
        data["elapsed_ms"] = round(elapsed * 1000, 2)
        print(json.dumps(data, indent=2, ensure_ascii=False, default=str), file=out)
    else:
        passed = len(results) - failed
        summary = f"{passed} passed, {failed} failed" if failed else f"{passed} passed"
        runs = f", {repeat} runs each" if repeat > 1 else ""
        print(f"\n{summary} ({len(results)} scenario{'s' if len(results) != 1 else ''}{runs}) in {elapsed:.2f}s",
              file=out)
        if args.junit:
            print(f"JUnit XML written to {args.junit}", file=out)
    return 1 if failed else 0


def register(sub: Any) -> None:
    sp = sub.add_parser("test", help="run regression scenarios")
    sp.add_argument("paths", nargs="+", help="scenario files or folders")
    sp.add_argument("--model", help="override the scenarios' model: offline, openai:MODEL, or replay (the "
                    "recorded model turns, while the model's input is unchanged)")
    sp.add_argument("--http", choices=("live", "replay", "dry-run"),
                    help="live (default: send the requests), replay (answer from the recording; a changed request "
                         "fails), dry-run (send nothing)")
    sp.add_argument("--base-url", help="OpenAI-compatible server URL")
    sp.add_argument("--api-key", help="API key (default: $OPENAI_API_KEY)")
    sp.add_argument("--repeat", type=int, default=1, help="run each scenario N times and report the pass rate")
    sp.add_argument("--junit", metavar="FILE", help="write JUnit XML to FILE")
    sp.add_argument("--json", action="store_true")
    sp.add_argument("--no-demo", action="store_true", help="do not start the demo API for sample actions")
    sp.add_argument("--strict", action="store_true", help="an action file that cannot be loaded is an error "
                                                          "(exit 2), not a warning")
    sp.set_defaults(fn=run_tests)
