"""`playground chat`: interactive in a terminal, one user turn per line otherwise, JSON events with --json."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from ..errors import ModelError
from ..session import SAMPLE_ACTIONS_DIR
from .common import UsageError, demo_for, load_cli_actions, runtime_arg


def run_chat(args: argparse.Namespace, stdin: TextIO | None = None, stdout: TextIO | None = None) -> int:
    from ..agent import (Agent, AsyncResultEvent, DeadAirEvent, ErrorEvent, Event, ReplyEvent, SpeechEvent,
                         TextDelta, ToolCallEvent, ToolResultEvent)
    from ..executor import Executor
    from ..llm import make_model
    from ..loop import LoopThread
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    runtime = runtime_arg(args.runtime)  # bad arguments first, before starting anything
    specs = mcp_specs(getattr(args, "mcp", None))
    record = _record_path(getattr(args, "record", None))
    actions = load_cli_actions([args.actions], args)
    try:
        model = make_model(args.model, base_url=args.base_url, api_key=args.api_key)
    except ModelError as exc:  # a bad --model, or no API key for it: bad arguments, exit 2 (as in `test`)
        raise UsageError(str(exc)) from None
    actions, demo = demo_for(actions, args)
    loop = LoopThread()
    executor = Executor()
    sources = open_mcp(loop, specs, actions)
    agent = Agent(model, actions, executor, runtime=runtime, max_turns=args.max_turns, sources=sources,
                  dead_air_threshold_ms=args.dead_air_ms)
    conv = agent.new_conversation()
    interactive = stdin.isatty() and not args.json
    failed = False

    def show(event: Event) -> None:
        if args.json:
            if not isinstance(event, TextDelta):
                print(json.dumps(event.model_dump(mode="json"), ensure_ascii=False), file=stdout, flush=True)
        elif isinstance(event, ToolCallEvent):
            print(f"  [tool call] {event.tool_name} {json.dumps(event.arguments, ensure_ascii=False)}", file=stdout)
        elif isinstance(event, SpeechEvent):
            print(f"agent (while {event.tool_name} runs)> {event.text}", file=stdout, flush=True)
        elif isinstance(event, (ToolResultEvent, AsyncResultEvent)):
            mark = "[async result]" if isinstance(event, AsyncResultEvent) else \
                "[started, async]" if event.trace.mode == "async" else "[result]"
            print(f"  {mark} {event.trace.summary()}", file=stdout)
            for hint in event.trace.hints:
                print(f"  [hint] {hint}", file=stdout)
        elif isinstance(event, DeadAirEvent):
            if event.hint:
                print(f"  [dead air] {event.hint}", file=stdout)
        elif isinstance(event, ReplyEvent):
            print(f"agent> {event.text}", file=stdout, flush=True)
        elif isinstance(event, ErrorEvent):
            print(f"  [error: {event.kind}] {event.message}", file=stdout, flush=True)

    if interactive:
        print(f"Test agent ({model.name}) with {len(actions)} actions. Ctrl-D to quit.", file=stdout)
        for source in sources:
            print(f"  MCP {source.name}: {source.status}, {len(source.schemas())} tools", file=stdout)
    for event in [ErrorEvent(kind=k, message=m) for s in sources for k, m in s.take_errors()]:
        failed = True  # a server that failed to start: said now, and the chat goes on without it
        show(event)
    try:
        while True:
            if interactive:
                print("you> ", end="", file=stdout, flush=True)
            line = stdin.readline()
            if not line:
                break
            text = line.strip()
            if not text:
                continue
            for event in loop.iterate(agent.run(conv, text)):
                failed |= isinstance(event, ErrorEvent)
                show(event)
        # async calls still running: wait for them (within their own timeouts) so their traces are printed
        loop.run(conv.wait_async())
        for event in agent.async_results(conv):
            show(event)
        if record is not None:
            _save_recording(record, conv, args, demo)
    finally:
        close_mcp(loop, sources)
        loop.run(executor.async_client.aclose())
        if hasattr(model, "aclose"):  # the OpenAI client's connections
            loop.run(model.aclose())
        loop.stop()
        if demo is not None:
            demo.stop()
    return 1 if failed else 0


def _record_path(value: str | None) -> Path | None:
    """--record FILE: a new .yaml/.yml/.json file (checked before the chat starts; never overwritten)."""
    if value is None:
        return None
    path = Path(value)
    if path.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise UsageError(f"--record {value}: the recording is a scenario file; name it .yaml, .yml or .json")
    if path.exists():
        raise UsageError(f"--record {value}: the file already exists; pick another name or delete it first")
    if not path.parent.is_dir():
        raise UsageError(f"--record {value}: no folder {path.parent}; create it first")
    return path


def _save_recording(path: Path, conv: Any, args: argparse.Namespace, demo: Any) -> None:
    """The conversation as a scenario: expectations from what happened, and the recording of it."""
    from ..scenario import save_scenario, scenario_from_conversation

    if not conv.turns:
        print(f"playground: note: nothing to record in {path}: the conversation has no turns", file=sys.stderr)
        return
    scenario = scenario_from_conversation(path.stem.replace("_", " "), conv, str(Path(args.actions).resolve()),
                                          args.model, getattr(args, "mcp", None) or (), record=True,
                                          base_url=args.base_url,
                                          demo_base=demo.base_url if demo is not None else None)
    save_scenario(scenario, path)
    print(f"playground: recorded {len(conv.turns)} turn(s) to {path}; replay it with "
          f"`playground test {path} --model replay --http replay`", file=sys.stderr)


def mcp_specs(values: list[str] | None) -> list[Any]:
    """``--mcp`` values as server specs; a bad one is a usage error (exit 2) before anything starts."""
    if not values:
        return []
    from ..mcp.spec import parse_spec  # plain data; the SDK itself loads only in open_mcp

    try:
        return [parse_spec(v) for v in values]
    except ValueError as exc:
        raise UsageError(f"--mcp: {exc}") from None


def open_mcp(loop: Any, specs: list[Any], actions: list[Any]) -> list[Any]:
    """Connect to the MCP servers on the chat's loop (their tools named after the actions')."""
    if not specs:
        return []
    from ..mcp.source import open_sources

    return loop.run(open_sources(specs, [a.tool_name for a in actions]))


def close_mcp(loop: Any, sources: list[Any]) -> None:
    if sources:
        from ..mcp.source import close_sources

        loop.run(close_sources(sources))


def register(sub: Any) -> None:
    from ..agent.deadair import DEFAULT_THRESHOLD_MS

    sp = sub.add_parser("chat", help="chat with the test agent")
    sp.add_argument("--model", default="offline", help="offline (default) or openai:MODEL")
    sp.add_argument("--base-url", help="OpenAI-compatible server URL (e.g. http://localhost:11434/v1)")
    sp.add_argument("--api-key", help="API key (default: $OPENAI_API_KEY)")
    sp.add_argument("--actions", default=str(SAMPLE_ACTIONS_DIR), help="actions folder or file")
    sp.add_argument("--runtime", action="append", metavar="NAME=VALUE", help="a runtime variable (repeatable)")
    sp.add_argument("--max-turns", type=int, default=6, help="model turns per user turn (default 6)")
    sp.add_argument("--json", action="store_true", help="one JSON event per line")
    sp.add_argument("--dead-air-ms", type=float, default=DEFAULT_THRESHOLD_MS, metavar="MS",
                    help="hint when the caller hears more silence than this in a turn (default 2000)")
    sp.add_argument("--record", metavar="FILE", help="when the chat ends, write it as a scenario (.yaml/.json) that "
                    "records every model turn and HTTP exchange, for --model replay and --http replay")
    sp.add_argument("--no-demo", action="store_true", help="do not start the demo API for sample actions")
    sp.add_argument("--strict", action="store_true", help="an action file that cannot be loaded is an error, "
                                                          "not a warning")
    sp.add_argument("--mcp", action="append", metavar="COMMAND_OR_URL",
                    help="add the tools of an MCP server: a command (stdio) or an http(s) URL (repeatable)")
    sp.set_defaults(fn=run_chat)
