"""Rerunning a conversation's user turns against changed actions, safely.

The old conversation is its own recording: a request that has not changed gets its recorded response again,
and nothing else goes out without the user's say (``ask``), so a rerun never books a second appointment by
surprise. Every call of the new run is marked sent, replayed, dry_run or held (core.trace.Delivery).
"""

from __future__ import annotations

from typing import Any, Iterable, Literal, Sequence

from .action import Action
from .agent import DEFAULT_SYSTEM_PROMPT, Agent, Conversation
from .executor import Executor
from .llm.base import ChatModel
from .methods import is_write as writes
from .recording import RecordedTransport, request_key, stand_in_secret
from .scenario.recording import recording_from_conversation
from .secret import chain
from .trace import Trace

HttpPolicy = Literal["ask", "ask-writes", "replay", "dry-run", "live"]
#: the choices, in the order a page offers them (the first is the default)
POLICIES: dict[str, str] = {
    "ask": "Replay unchanged requests; hold the rest until I approve them",
    "ask-writes": "Replay unchanged requests; send changed reads (GET); hold changed writes",
    "replay": "Replay only: a changed request fails its call",
    "dry-run": "Dry run: send nothing",
    "live": "Send every request for real, writes included",
}


def is_write(trace: Trace) -> bool:
    return trace.request is not None and writes(trace.request.method)


def sent_writes(conv: Conversation) -> list[Trace]:
    """The writes (POST, PUT, PATCH, DELETE) this conversation really sent."""
    return [t for t in conv.traces if is_write(t) and t.delivery in (None, "sent") and
            (t.response is not None or t.error is not None and t.error.kind in ("timeout", "protocol"))]


def held(conv: Conversation) -> list[Trace]:
    """The calls a rerun held back for the user's approval."""
    return [t for t in conv.traces if t.delivery == "held"]


def approval_key(trace: Trace) -> str:
    """What approving a held call refers to: its request, masked secrets left out."""
    assert trace.request is not None
    return request_key(trace.request)


def _transport(old: Conversation, policy: str, approved: Iterable[str]) -> RecordedTransport | None:
    if policy == "live":
        return None
    exchanges = recording_from_conversation(old).http_exchanges()
    if policy == "dry-run":
        return RecordedTransport([], "dry-run")
    if policy == "replay":
        return RecordedTransport(exchanges, "replay")
    if policy in ("ask", "ask-writes"):
        return RecordedTransport(exchanges, "ask", approved=approved, send_reads=policy == "ask-writes")
    raise ValueError(f"unknown policy {policy!r}; use one of {', '.join(POLICIES)}")


async def arerun(old: Conversation, model: ChatModel | None, actions: Sequence[Action], executor: Executor, *,
                 policy: str = "ask", approved: Iterable[str] = (), replay_model: bool = False,
                 runtime: dict[str, Any] | None = None, system_prompt: str | None = DEFAULT_SYSTEM_PROMPT,
                 sources: Sequence[Any] = ()) -> Conversation:
    """``old``'s user turns again, with ``actions`` (tweaked). ``policy``: see :data:`POLICIES`; ``approved``:
    :func:`approval_key` of held calls the user approved; ``replay_model``: the old conversation's model turns
    instead of ``model`` (while its input is unchanged). ``runtime``: default: the old conversation's.
    ``sources``: tool sources beside the actions (MCP servers); their calls are not recorded, so they run live."""
    transport = _transport(old, policy, approved)
    run_executor = executor
    if transport is not None:
        run_executor = executor.using(transport)
        if policy in ("replay", "dry-run"):  # nothing goes out: an unset secret may stand in
            run_executor.resolver = chain(executor.resolver, stand_in_secret)
    if replay_model:
        from .llm.replay import ReplayModel

        model = ReplayModel(recording_from_conversation(old))
    if model is None:
        raise ValueError("a model is needed unless replay_model")
    agent = Agent(model, actions, run_executor, runtime=runtime if runtime is not None else old.runtime,
                  system_prompt=system_prompt, sources=sources)
    try:
        return await agent.replay(old.user_turns,
                                  before_turn=(lambda n: setattr(transport, "turn", n)) if transport else None)
    finally:
        if transport is not None:
            await run_executor.async_client.aclose()
            run_executor.close()
