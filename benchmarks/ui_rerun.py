"""One rerun of the Chat page (AppTest) with a big session: 200 actions and 100 traces.

What a user pays on every click once a session has grown: the page is rerun from the top
with 200 action files in the actions folder and a conversation of 100 turns, each with one
call in the debug sidebar. Baseline: the same page with no actions and no conversation.

The traces are real: an agent with a scripted model calls the demo API on 127.0.0.1:8765
(started here when nothing answers there, as the app does). Target: <= 300 ms per rerun.

History (one Linux dev machine): 5.3 s at first, because every past tool call in the chat was an
``st.status``, which sleeps 50 ms when created; 255 ms with expanders instead; ~130 ms once the
sidebar shows only the 10 latest calls in full and older ones as one line each (opened on demand);
now the sidebar lists calls one line each (the latest 30) and a call opens in full in a dialog.

    python benchmarks/ui_rerun.py [--reruns 15] [--actions 200] [--turns 100] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

from core.action import load_action  # noqa: E402
from core.agent import Agent, Conversation  # noqa: E402
from core.executor import Executor  # noqa: E402
from core.llm.scripted import ScriptedModel, turn  # noqa: E402
from core.loop import LoopThread  # noqa: E402
from core.secret import env_resolver  # noqa: E402
from core.session import SAMPLE_ACTIONS_DIR, ensure_demo_api  # noqa: E402

TARGET_MS = 300.0


def write_actions(folder: Path, n: int) -> None:
    """``n`` valid action files, variations of the samples (distinct names, so distinct tools)."""
    samples = [json.loads(p.read_text()) for p in sorted(SAMPLE_ACTIONS_DIR.glob("*.json"))]
    for i in range(n):
        data = dict(samples[i % len(samples)])
        if i >= len(samples):
            data["name"] = f"{data['name']} {i}"
        (folder / f"action_{i:03d}.json").write_text(json.dumps(data, indent=2))


def build_conversation(turns: int) -> Conversation:
    """``turns`` user turns, each with one call to the demo API (200 or 404) and a reply."""
    order = load_action(SAMPLE_ACTIONS_DIR / "order_status.json")
    script = []
    for i in range(turns):
        number = "ORD-10042" if i % 3 else f"ORD-{90000 + i}"  # every third one is a 404 with hints
        script += [turn("", ("lookup_order_status", {"order_number": number})), turn(f"Reply {i}: done.")]
    loop = LoopThread()

    async def run() -> Conversation:
        async with httpx.AsyncClient(trust_env=False) as client:
            agent = Agent(ScriptedModel(script), [order], Executor(async_client=client, resolver=env_resolver()))
            conv = agent.new_conversation()
            for i in range(turns):
                async for _ in agent.run(conv, f"where is my order, take {i}?"):
                    pass
            return conv

    return loop.run(run())


def app(actions_dir: Path, conv: Conversation) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["actions_dir"] = str(actions_dir)
    at.session_state["conversation"] = conv
    at.session_state["model_override"] = ScriptedModel([])
    at.run()  # first run: imports, caches, demo API check
    assert not at.exception, at.exception
    return at


def time_reruns(at: AppTest, n: int) -> list[float]:
    out = []
    for _ in range(n):
        started = time.perf_counter()
        at.run()
        out.append((time.perf_counter() - started) * 1000)
    assert not at.exception, at.exception
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reruns", type=int, default=15)
    ap.add_argument("--actions", type=int, default=200)
    ap.add_argument("--turns", type=int, default=100)
    ap.add_argument("--profile", action="store_true", help="print the top functions of one big rerun")
    ap.add_argument("--sort", default="cumulative", help="profile order: cumulative or tottime")
    args = ap.parse_args()

    server = ensure_demo_api()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            big_dir, empty_dir = Path(tmp, "big"), Path(tmp, "empty")
            big_dir.mkdir()
            empty_dir.mkdir()
            write_actions(big_dir, args.actions)
            conv = build_conversation(args.turns)

            base = app(empty_dir, Conversation())
            big = app(big_dir, conv)
            n_traces = len([b for b in big.sidebar.button if (b.key or "").startswith("row-")])  # calls listed
            base_ms = time_reruns(base, args.reruns)
            big_ms = time_reruns(big, args.reruns)
            if args.profile:  # the script runs in its own thread: profile that thread
                prof = cProfile.Profile()

                def start(*_: object) -> None:
                    threading.setprofile(None)
                    sys.setprofile(None)
                    prof.enable()

                threading.setprofile(start)
                big.run()
                threading.setprofile(None)
                prof.disable()
                s = io.StringIO()
                pstats.Stats(prof, stream=s).sort_stats(args.sort).print_stats(40)
                print(s.getvalue())
    finally:
        if server is not None:
            server.stop()

    b, g = statistics.median(base_ms), statistics.median(big_ms)
    print(f"ui_rerun: chat page rerun, median of {args.reruns} (AppTest, in-process)")
    print(f"  baseline  (0 actions, 0 traces):   {b:7.1f} ms")
    print(f"  big       ({args.actions} actions, {len(conv.traces)} traces, "
          f"{n_traces} calls listed in the sidebar): {g:7.1f} ms  -> {g / b:.1f}x baseline")
    print(f"  target <= {TARGET_MS:.0f} ms: {'met' if g <= TARGET_MS else 'NOT met'}")


if __name__ == "__main__":
    main()
