"""CLI start-up: `playground render` against its floor, `python -c "import httpx, pydantic"`.

Both are run as fresh processes, interleaved in the same run, and timed in *process time* (user +
system CPU of the child, from ``os.wait4``), which a busy shared machine disturbs much less than
wall-clock time. ``render`` needs httpx (URLs) and pydantic (the action file's models), so that
import is the floor; everything above it is the CLI's own start-up and work. It also lists the
heavy modules ``render`` must not load (FastAPI, uvicorn, openai, streamlit, ...), as a check.

Target: render <= 1.5x the floor. For scale it also times the floor plus one pydantic model class
(`import httpx, pydantic` leaves pydantic's model machinery unloaded; the first model loads it), which
is as little as any command that reads an action file (a pydantic model) can cost.

The `playground` process pauses the cyclic garbage collector while it starts and then freezes what
start-up allocated (``core.cli.start``); that also spares the interpreter a last walk over every object
at exit, which the floor pays. So the script prints a second, like-for-like ratio: against the floor
given the same treatment. Both sides run with bytecode caching on (``PYTHONDONTWRITEBYTECODE`` is
removed for the children; the warm-up run writes our ``.pyc`` files, as any install does), so that
our modules are not compiled on every run while the libraries' are cached.

    python benchmarks/cli_startup.py [--runs 21] [--command render|lint|schema]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ACTION = ROOT / "sample_actions" / "order_status.json"
COMMANDS = {
    "render": ["render", str(ACTION), "--var", "order_number=ORD-10042"],
    "lint": ["lint", str(ACTION)],
    "schema": ["schema", str(ACTION)],
}
#: modules `playground render` has no use for (`python -X importtime` shows who would import them)
HEAVY = ["fastapi", "uvicorn", "starlette", "openai", "streamlit", "pandas", "dateparser", "yaml", "jsonschema", "jsonpath",
         "core.agent", "core.executor", "core.llm", "core.scenario", "core.demo.server"]


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPATH": str(ROOT)}


def process_time(argv: list[str]) -> float:
    """User + system CPU seconds of one child process."""
    env = child_env()
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode()
    proc.stderr.close()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {proc.returncode}: {err}")
    return usage.ru_utime + usage.ru_stime


def heavy_modules(command: list[str]) -> list[str]:
    code = ("import sys, runpy; sys.argv = ['playground', *%r]\n"
            "try:\n    runpy.run_module('core.cli', run_name='__main__')\nexcept SystemExit:\n    pass\n"
            "print(__import__('json').dumps(sorted(sys.modules)), file=sys.stderr)") % (command,)
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                          env=child_env())
    loaded = set(json.loads(proc.stderr.strip().splitlines()[-1]))
    return [m for m in HEAVY if m in loaded]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--command", choices=sorted(COMMANDS), default="render")
    args = parser.parse_args()
    floor_argv = [sys.executable, "-c", "import httpx, pydantic"]
    model_argv = [sys.executable, "-c", "import httpx, pydantic\nclass M(pydantic.BaseModel):\n    x: int = 0"]
    # the floor with the collector handled as core.cli.start handles it
    frozen_argv = [sys.executable, "-c", "import gc; gc.disable()\nimport httpx, pydantic\ngc.freeze(); gc.enable()"]
    cli_argv = [sys.executable, "-m", "core.cli", *COMMANDS[args.command]]
    argvs = {"floor": floor_argv, "model": model_argv, "frozen": frozen_argv, "cli": cli_argv}
    runs: dict[str, list[float]] = {name: [] for name in argvs}
    for argv in argvs.values():
        process_time(argv)  # warm the OS file cache and .pyc files
    for _ in range(args.runs):  # interleaved, so all see the same machine load
        for name, argv in argvs.items():
            runs[name].append(process_time(argv))
    f, m, z, c = (statistics.median(runs[k]) for k in ("floor", "model", "frozen", "cli"))
    print(f"cli_startup: `playground {args.command}` {c * 1000:.0f} ms vs `import httpx, pydantic` "
          f"{f * 1000:.0f} ms of process time (median of {args.runs}) -> {c / f:.2f}x (target <= 1.5x)")
    print(f"             like for like, against the floor with the collector paused and frozen as the CLI does "
          f"({z * 1000:.0f} ms): {c / z:.2f}x")
    print(f"             floor + one pydantic model: {m * 1000:.0f} ms ({m / f:.2f}x the floor); "
          f"the command is {c / m:.2f}x that")
    heavy = heavy_modules(COMMANDS[args.command])
    print(f"             heavy modules loaded: {', '.join(heavy) if heavy else 'none'}")


if __name__ == "__main__":
    main()
