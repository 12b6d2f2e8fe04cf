"""Parallel tool calls through the agent vs the same calls one after another.

Starts the demo API on a free port, then times one agent turn in which a scripted model issues
five tool calls to ``/debug/slow?delay_ms=200`` at once, against a sequential baseline (the same
five calls awaited one by one through the same executor). Prints the median of a few repeats,
the ratio to one call's 200 ms (target <= 1.5x) and the speed-up over sequential.

    python benchmarks/parallel_calls.py [--calls 5] [--delay-ms 200] [--repeat 5]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402

from core.action import parse_action  # noqa: E402
from core.agent import Agent, ToolResultEvent  # noqa: E402
from core.demo import DEMO_SECRETS, start_demo_api  # noqa: E402
from core.executor import Executor  # noqa: E402
from core.llm.scripted import ScriptedModel, turn  # noqa: E402
from core.secret import env_resolver  # noqa: E402


async def bench(base_url: str, calls: int, delay_ms: int, repeat: int) -> tuple[list[float], list[float]]:
    action = parse_action({
        "name": "Slow Report", "description": "A report endpoint that answers after a fixed delay.",
        "method": "GET", "url": f"{base_url}/debug/slow", "query": {"delay_ms": str(delay_ms)}, "timeout_s": 30,
    }, "benchmark")
    async with httpx.AsyncClient(trust_env=False) as client:
        executor = Executor(async_client=client, resolver=env_resolver(DEMO_SECRETS))

        async def agent_turn() -> float:
            model = ScriptedModel([turn("", *[(action.tool_name, {}) for _ in range(calls)]), turn("done")])
            agent = Agent(model, [action], executor)
            conv = agent.new_conversation()
            started = time.perf_counter()
            results = [e async for e in agent.run(conv, "run the reports") if isinstance(e, ToolResultEvent)]
            elapsed = (time.perf_counter() - started) * 1000
            assert len(results) == calls and all(r.trace.status_code == 200 for r in results), results
            return elapsed

        async def sequential() -> float:
            started = time.perf_counter()
            for _ in range(calls):
                trace = await executor.aexecute(action, {})
                assert trace.status_code == 200, trace.error
            return (time.perf_counter() - started) * 1000

        await agent_turn()  # warm-up: open the pool's connections
        parallel_ms, sequential_ms = [], []
        for _ in range(repeat):
            parallel_ms.append(await agent_turn())
            sequential_ms.append(await sequential())
        return parallel_ms, sequential_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=5)
    parser.add_argument("--delay-ms", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with start_demo_api(port=0) as server:
        parallel_ms, sequential_ms = asyncio.run(bench(server.base_url, args.calls, args.delay_ms, args.repeat))
    par, seq = statistics.median(parallel_ms), statistics.median(sequential_ms)
    print(f"{args.calls} calls to /debug/slow?delay_ms={args.delay_ms}, median of {args.repeat} runs")
    print(f"  parallel (agent turn):  {par:8.1f} ms   runs: {', '.join(f'{x:.0f}' for x in parallel_ms)}")
    print(f"  sequential baseline:    {seq:8.1f} ms   runs: {', '.join(f'{x:.0f}' for x in sequential_ms)}")
    print(f"  parallel / one call:    {par / args.delay_ms:8.2f} x   (target <= 1.5x)")
    print(f"  speed-up vs sequential: {seq / par:8.2f} x   (ideal {args.calls}x)")


if __name__ == "__main__":
    main()
