"""Rerunning a conversation against tweaked actions (core.rerun) and the honest diff (core.agent.compare).

Writes go to the fault server, which logs every request: "no second POST" is counted, not assumed.
"""

from __future__ import annotations

import json
from typing import Any, AsyncIterator

import httpx
import pytest

from core.action import Action, load_action, parse_action
from core.agent import Agent, Conversation, compare, parse_rules, summary
from core.demo import DEMO_SECRETS, DemoServer, rebase_url
from core.errors import PlaygroundError
from core.executor import Executor
from core.llm import AssistantTurn, Message, ScriptedModel, ToolCall, turn
from core.rerun import approval_key, arerun, held, sent_writes
from core.secret import env_resolver
from core.session import SAMPLE_ACTIONS_DIR
from fault_server import FaultServer

TOKEN = "tok-live-0123456789abcdefZYXW"
BUY = ("create_order", {"sku": "PROD-1", "qty": 2})


def order_action(base: str, body: str = '{"sku": "{{sku}}", "qty": {{qty}}, "channel": "phone"}') -> Action:
    return parse_action({
        "name": "Create Order", "description": "Place an order for a product when the caller asks to buy one.",
        "method": "POST", "url": f"{base}/echo", "auth": {"type": "bearer", "token": "env:SHOP_TOKEN"}, "body": body,
        "variables": [{"name": "sku", "type": "string"}, {"name": "qty", "type": "integer"}]}, "test")


@pytest.fixture(scope="module")
def shop_executor(loop: Any) -> Any:
    client = httpx.AsyncClient(trust_env=False)
    yield Executor(async_client=client, resolver=env_resolver({"SHOP_TOKEN": TOKEN, **DEMO_SECRETS}))
    loop.run(client.aclose())


def posts(server: FaultServer) -> int:
    return sum(1 for r in server.log if r["method"] == "POST")


def test_a_rerun_replays_the_recorded_post_and_sends_a_changed_one_only_when_approved(loop, fault_server,
                                                                                      shop_executor) -> None:
    script = [turn("", BUY), turn("Ordered.")]
    action = order_action(fault_server.base)
    before = posts(fault_server)
    chat = loop.run(Agent(ScriptedModel(script), [action], shop_executor).replay(["buy 2 of PROD-1"]))
    assert posts(fault_server) == before + 1 and [t.delivery for t in chat.traces] == ["sent"]
    assert sent_writes(chat) == chat.traces

    # the same request: answered from the conversation itself, nothing sent
    again = loop.run(arerun(chat, ScriptedModel(script), [action], shop_executor))
    assert posts(fault_server) == before + 1
    assert [t.delivery for t in again.traces] == ["replayed"] and again.traces[0].status_code == 200
    assert summary(compare(chat, again)) == "0 of 1 turn changed"

    # a tweaked body: held, not sent, and the diff names the field
    tweaked = order_action(fault_server.base, '{"sku": "{{sku}}", "qty": {{qty}}, "channel": "web"}')
    rerun = loop.run(arerun(chat, ScriptedModel(script), [tweaked], shop_executor))
    assert posts(fault_server) == before + 1
    assert [t.delivery for t in held(rerun)] == ["held"] and rerun.traces[0].response is None
    assert "Held for your approval" in rerun.traces[0].hints[0]
    diff = compare(chat, rerun)
    assert diff[0].calls[0].request == ["body.channel: phone → web"]
    assert summary(diff) == "1 of 1 turn changed: turn 1 request, status 200 → not sent (held)"
    tool_result = json.loads(rerun.messages[-2].content or "")
    assert tool_result["sent"] is False and "approval" in tool_result["note"]

    # approved: it goes out, exactly once
    approved = loop.run(arerun(chat, ScriptedModel(script), [tweaked], shop_executor,
                               approved=[approval_key(rerun.traces[0])]))
    assert posts(fault_server) == before + 2
    assert [t.delivery for t in approved.traces] == ["sent"]
    assert fault_server.log[-1]["body"] and json.loads(fault_server.log[-1]["body"])["channel"] == "web"

    # dry run and strict replay send nothing either
    dry = loop.run(arerun(chat, ScriptedModel(script), [tweaked], shop_executor, policy="dry-run"))
    strict = loop.run(arerun(chat, ScriptedModel(script), [tweaked], shop_executor, policy="replay"))
    assert posts(fault_server) == before + 2
    assert dry.traces[0].delivery == "dry_run" and strict.traces[0].error.kind == "replay_mismatch"  # type: ignore


def test_a_rerun_can_replay_the_model_too(loop, fault_server, shop_executor) -> None:
    action = order_action(fault_server.base)
    chat = loop.run(Agent(ScriptedModel([turn("", BUY), turn("Ordered.")]), [action], shop_executor)
                    .replay(["buy 2 of PROD-1"]))
    again = loop.run(arerun(chat, None, [action], shop_executor, replay_model=True, policy="replay"))
    assert again.turns[0].reply == "Ordered." and not again.turns[0].error
    renamed = action.model_copy(update={"description": "Buy a product for the caller, once they named it."})
    changed = loop.run(arerun(chat, None, [renamed], shop_executor, replay_model=True, policy="replay"))
    assert "tool create_order: description changed" in (changed.turns[0].error or "")


class TicketEcho:
    """A model that files a ticket, then reads the ticket id and time back to the caller."""

    name = "ticket-echo"

    async def respond(self, messages: list[Message], tools: list[dict[str, Any]]) -> AsyncIterator[Any]:
        if messages[-1].role == "user":
            yield AssistantTurn(tool_calls=[ToolCall(name="create_support_ticket", arguments=json.dumps(
                {"issue_description": "My headphones stopped charging", "priority_level": "high"}))])
            return
        body = json.loads(messages[-1].content or "{}")["body"]
        yield AssistantTurn(text=f"Ticket {body['ticket_id']} is open since {body['created_at']}; we answer within "
                                 f"{body['expected_response']}.")


def test_the_diff_ignores_a_generated_id_and_timestamp_but_not_real_changes(loop, demo: DemoServer,
                                                                            shop_executor) -> None:
    ticket = load_action(SAMPLE_ACTIONS_DIR / "create_support_ticket.json")
    ticket = ticket.model_copy(update={"url": rebase_url(ticket.url, demo.base_url)})
    chat = loop.run(Agent(TicketEcho(), [ticket], shop_executor).replay(["my headphones stopped charging"]))
    live = loop.run(arerun(chat, TicketEcho(), [ticket], shop_executor, policy="live"))  # a second ticket
    old_id, new_id = chat.traces[0].response.body["ticket_id"], live.traces[0].response.body["ticket_id"]
    assert old_id != new_id and old_id in chat.turns[0].reply and new_id in live.turns[0].reply

    assert summary(compare(chat, live)) == "0 of 1 turn changed"  # the default rules ignore them
    raw = compare(chat, live, rules="")  # no rules: the id is a change
    assert "reply" in raw[0].changed and "response" in raw[0].changed
    assert any(c.startswith("response.ticket_id: ") for c in raw[0].calls[0].response)

    urgent = ticket.model_copy(update={"body": {"issue_description": "{{issue_description}}",
                                                "priority_level": "urgent"}})
    changed = loop.run(arerun(chat, TicketEcho(), [urgent], shop_executor, policy="live"))
    diff = compare(chat, changed)
    assert diff[0].changed == ["request", "response", "reply"]
    assert diff[0].calls[0].request == ["body.priority_level: high → urgent"]
    assert "response.priority_level: high → urgent" in diff[0].calls[0].response


def test_ignore_rules_are_text_and_a_bad_one_says_which_line() -> None:
    rules = parse_rules("field *_id   # ids\n\n# a comment\ntext \\d+ ms\n")
    assert [str(r) for r in rules] == ["field *_id", "text \\d+ ms"]
    with pytest.raises(PlaygroundError, match="line 2"):
        parse_rules("field id\nfield\n")
    with pytest.raises(PlaygroundError, match="invalid regex"):
        parse_rules("text (unclosed")


def test_compare_of_turns_added_or_removed_and_of_an_action_swap() -> None:
    a = Conversation.model_validate({"turns": [{"user": "hi", "reply": "hello"}]})
    b = Conversation.model_validate({"turns": [{"user": "hi", "reply": "hello"}, {"user": "bye", "reply": "ciao"}]})
    assert summary(compare(a, b)) == "1 of 2 turns changed: turn 2 reply"
