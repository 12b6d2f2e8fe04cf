"""The agent's own cost per turn with the offline simulator, HTTP not counted.

Three measurements, each the median over many iterations on one event loop:

1. model alone: ``OfflineModel.respond`` consumed directly (the baseline);
2. agent turn without a tool call: ``Agent.run`` for "where is my order?" on a fresh conversation
   (the simulator asks for the order number); the agent's overhead is (2) - (1);
3. agent turn with a tool call against the demo API on 127.0.0.1 ("ORD-10042" after the question),
   minus the HTTP time the trace measured, i.e. model + agent + render/diagnose work.

Target: the agent's own overhead well under 2 ms per turn.

    python benchmarks/agent_overhead.py [--iterations 2000]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402

from core.action import load_action  # noqa: E402
from core.agent import Agent, Conversation, ToolResultEvent  # noqa: E402
from core.demo import DEMO_SECRETS, rebase_url, start_demo_api  # noqa: E402
from core.executor import Executor  # noqa: E402
from core.llm.base import Message  # noqa: E402
from core.llm.offline import OfflineModel  # noqa: E402
from core.secret import env_resolver  # noqa: E402

SAMPLES = Path(__file__).resolve().parent.parent / "sample_actions"
TODAY = dt.date(2026, 11, 25)


def ms(ns: int) -> float:
    return ns / 1e6


async def bench(base_url: str, iterations: int) -> dict[str, list[float]]:
    actions = [load_action(p) for p in sorted(SAMPLES.glob("*.json"))]
    actions = [a.model_copy(update={"url": rebase_url(a.url, base_url)}) for a in actions]
    async with httpx.AsyncClient(trust_env=False) as client:
        executor = Executor(async_client=client, resolver=env_resolver(DEMO_SECRETS))
        model = OfflineModel(today=TODAY)
        agent = Agent(model, actions, executor)
        out: dict[str, list[float]] = {"model": [], "agent": [], "tool_turn": [], "http": []}

        # the exact messages the model sees in the agent's first turn
        messages = agent.new_conversation().messages + [Message(role="user", content="where is my order?")]

        async def model_alone() -> float:
            started = time.perf_counter_ns()
            async for _ in model.respond(messages, agent.tools):
                pass
            return ms(time.perf_counter_ns() - started)

        async def agent_turn() -> float:
            conv = agent.new_conversation()
            started = time.perf_counter_ns()
            async for _ in agent.run(conv, "where is my order?"):
                pass
            return ms(time.perf_counter_ns() - started)

        async def tool_turn() -> tuple[float, float]:
            conv: Conversation = agent.new_conversation()
            async for _ in agent.run(conv, "where is my order?"):
                pass
            http = 0.0
            started = time.perf_counter_ns()
            async for event in agent.run(conv, "ORD-10042"):
                if isinstance(event, ToolResultEvent):
                    http = max(http, event.trace.elapsed_ms)  # parallel calls overlap: the longest one
            return ms(time.perf_counter_ns() - started), http

        for _ in range(50):  # warm-up: caches, connections
            await model_alone(), await agent_turn(), await tool_turn()
        for _ in range(iterations):
            out["model"].append(await model_alone())
            out["agent"].append(await agent_turn())
        for _ in range(max(1, iterations // 10)):
            total, http = await tool_turn()
            out["tool_turn"].append(total)
            out["http"].append(http)
        return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=2000)
    args = parser.parse_args()
    with start_demo_api(port=0) as server:
        r = asyncio.run(bench(server.base_url, args.iterations))
    model, agent = statistics.median(r["model"]), statistics.median(r["agent"])
    tool, http = statistics.median(r["tool_turn"]), statistics.median(r["http"])
    tool_minus_http = statistics.median(t - h for t, h in zip(r["tool_turn"], r["http"]))
    print(f"offline simulator, {len(list(SAMPLES.glob('*.json')))} sample actions, {args.iterations} iterations (medians)")
    print(f"  model.respond alone (baseline):       {model:7.3f} ms")
    print(f"  Agent.run, turn without a tool call:  {agent:7.3f} ms   ratio to baseline {agent / model:5.2f} x")
    print(f"  agent's own overhead per turn:        {agent - model:7.3f} ms   (target < 2 ms)")
    print(f"  Agent.run, turn with a tool call:     {tool:7.3f} ms   of which HTTP (trace) {http:.3f} ms")
    print(f"  tool turn minus HTTP:                 {tool_minus_http:7.3f} ms   (two model calls + render, diagnose)")


if __name__ == "__main__":
    main()
