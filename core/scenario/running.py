"""Running a scenario: its user turns through an Agent, each turn checked against its expectations."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from ..agent import Agent
from ..errors import PlaygroundError, ScenarioError
from ..executor import Executor
from ..recording import RecordedTransport, Recording, stand_in_secret
from ..secret import chain
from .expectations import check_turn
from .loading import scenario_actions
from .model import Scenario
from .results import RunResult, ScenarioResult, TurnResult

def _make_model(scenario: Scenario, spec: str, base_url: str | None, api_key: str | None) -> Any:
    if spec == "replay":
        from ..llm.replay import ReplayModel

        return ReplayModel(_recording(scenario, "--model replay"))
    from ..llm import make_model

    return make_model(spec, base_url=base_url, api_key=api_key)


def _recording(scenario: Scenario, what: str) -> Recording:
    if scenario.recording is None:
        raise ScenarioError(f"{scenario.label}: {what} needs a recording and this scenario has none; record one "
                            "(playground chat --record FILE, or save the chat from the Scenarios page)")
    return scenario.recording


def _transport(scenario: Scenario, mode: str) -> RecordedTransport | None:
    """The transport of one run: None (live), or a fresh replay / dry run of the scenario's recording."""
    if mode == "live":
        return None
    if mode == "replay":
        return RecordedTransport(_recording(scenario, "--http replay").http_exchanges(), "replay")
    if mode == "dry-run":
        return RecordedTransport([], "dry-run")
    raise ScenarioError(f"unknown http mode {mode!r}; use live, replay or dry-run")


async def arun_scenario(scenario: Scenario, *, model: Any = None, executor: Executor | None = None,
                        repeat: int = 1, base_url: str | None = None, api_key: str | None = None,
                        rebase_demo_to: str | None = None, runtime: dict[str, Any] | None = None,
                        max_turns: int = 6, broken: dict[str, str] | None = None,
                        http: str | None = None) -> ScenarioResult:
    """Run the scenario's user turns ``repeat`` times, each in a new conversation, and check every turn.

    ``model``: a ChatModel instance (reused across repeats, e.g. a ScriptedModel), a spec string
    (``offline``, ``openai:MODEL``) overriding the scenario's, or None for the scenario's own model.
    ``executor``: shared one (the caller closes it) or None
    (one is made and closed here). ``rebase_demo_to``, ``broken``: see :func:`scenario_actions`. ``runtime``:
    runtime variables applied over the defaults and under the scenario's own. ``http``: live, replay or
    dry-run, overriding the scenario's (replay and dry-run send nothing; the demo API is not rebased then).
    ``model="replay"`` replays the recording's model turns.
    Actions are reloaded from disk on every call, so an edited action is what runs.
    """
    from ..session import default_runtime

    if repeat < 1:
        raise ValueError("repeat must be at least 1")
    mode = http or scenario.http
    _transport(scenario, mode)  # a mode that needs a recording fails here, before anything runs
    actions = scenario_actions(scenario, rebase_demo_to=rebase_demo_to if mode == "live" else None, broken=broken)
    spec = model if isinstance(model, str) else scenario.model
    url = base_url or scenario.base_url
    own_executor = executor is None
    executor = executor or Executor()
    result = ScenarioResult(name=scenario.name, file=str(scenario.source) if scenario.source else None, http=mode)
    started_all = time.perf_counter()
    own_model = model is None or isinstance(model, str)
    chat_model = _make_model(scenario, spec, url, api_key) if own_model else model  # models keep no state between runs
    result.model = getattr(chat_model, "name", "") or spec
    try:
        for n in range(1, repeat + 1):
            kwargs: dict[str, Any] = {} if scenario.system_prompt is None else {"system_prompt": scenario.system_prompt}
            transport = _transport(scenario, mode)
            run_executor = executor
            if transport is not None:
                run_executor = executor.using(transport)
                run_executor.resolver = chain(executor.resolver, stand_in_secret)
            run = RunResult(run=n)
            started = time.perf_counter()
            sources = await _open_mcp(scenario, actions)  # fresh servers for every run, as for a new chat
            agent = Agent(chat_model, actions, run_executor, max_turns=max_turns,
                          runtime={**default_runtime(), **(runtime or {}), **scenario.runtime}, sources=sources,
                          **kwargs)
            conv = agent.new_conversation()
            completed = 0  # the turns that ran to their end
            try:
                failed_to_start = [m for s in sources for _, m in s.take_errors()]
                if failed_to_start:
                    raise PlaygroundError(failed_to_start[0])
                for i, spec_turn in enumerate(scenario.turns, 1):
                    if transport is not None:
                        transport.turn = i
                    async for _ in agent.run(conv, spec_turn.user):
                        pass
                    completed = i
            except PlaygroundError as exc:
                run.error = str(exc)
            except Exception as exc:  # noqa: BLE001 - a broken run is a failed run, not a crash of the suite
                run.error = f"the run crashed ({type(exc).__name__}: {exc})"
            finally:
                # async calls finish before the checks, so their outcome is in the turn they were made in
                await conv.wait_async(max((a.timeout_s for a in actions), default=10.0))
                await _close_mcp(sources)
                if transport is not None:
                    await run_executor.async_client.aclose()
                    run_executor.close()
            by_id = {t.id: t for t in conv.traces}
            for i, (spec_turn, turn) in enumerate(zip(scenario.turns[:completed], conv.turns), 1):
                traces = [by_id[c.trace_id] for c in turn.calls if c.trace_id in by_id]
                run.turns.append(TurnResult(index=i, user=spec_turn.user, expect=spec_turn.expect, turn=turn,
                                            traces=traces,  # an MCP server that died fails the turn
                                            failures=turn.notices + check_turn(spec_turn.expect, turn, traces)))
            run.elapsed_ms = round((time.perf_counter() - started) * 1000, 2)
            result.runs.append(run)
    finally:
        if own_executor:
            await executor.async_client.aclose()
            executor.close()
        close = getattr(getattr(chat_model, "client", None), "close", None) if own_model else None
        if close is not None and asyncio.iscoroutinefunction(close):
            await close()
    result.elapsed_ms = round((time.perf_counter() - started_all) * 1000, 2)
    return result


async def _open_mcp(scenario: Scenario, actions: list[Any]) -> list[Any]:
    if not scenario.mcp:
        return []
    from ..mcp.source import open_sources  # the MCP SDK loads only for scenarios that use a server

    return await open_sources(scenario.mcp_specs(), [a.tool_name for a in actions])


async def _close_mcp(sources: list[Any]) -> None:
    if sources:
        from ..mcp.source import close_sources

        await close_sources(sources)


def run_scenario(scenario: Scenario, *, loop: Any = None, **kwargs: Any) -> ScenarioResult:
    """Sync wrapper of :func:`arun_scenario`. ``loop``: a core.loop.LoopThread to run on (needed when
    ``executor`` is shared with other work on that loop, as in the app); else a private event loop."""
    if loop is not None:
        return loop.run(arun_scenario(scenario, **kwargs))
    return asyncio.run(arun_scenario(scenario, **kwargs))

