"""How well the offline simulator understands callers, judged only by what reached the API.

Loads every action in benchmarks/realism/actions/ at once (none of them is in sample_actions/), plays
each conversation of benchmarks/realism/conversations.yaml through the real Agent, executor and
httpx against a recording HTTP server on 127.0.0.1, and compares the requests the server received
(tool, arguments, JSON types: 3 is not "3") with the expected ones. A conversation passes when
exactly the expected requests arrived, in order (the calls of one turn run concurrently, so within a turn
in any order); a negative passes when none did.

It prints the pass rate per category and overall, then the same set with every description (the
actions' AND their variables': a model reads both) replaced by "Does a thing.", and the drop between
the two: a model that chooses by what it reads must do worse when the descriptions say nothing.
Names and examples stay as they are. With nothing described, the simulator asks before it calls
("Just to check: do you want me to ...?"); the scripted callers never answer yes, so such a
conversation fails, as it would if a real agent hesitated.

    python benchmarks/agent_realism.py [--set main|heldout|fresh|paraphrase2|fresh2] [--failures] [--vague-failures] [--only ID] [--more]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import sys
import threading
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402
import yaml  # noqa: E402

from core.action import Action, load_action  # noqa: E402
from core.agent import Agent, ReplyEvent  # noqa: E402
from core.executor import Executor  # noqa: E402
from core.llm.offline import OfflineModel  # noqa: E402
from core.llm.offline.prompts import CONFIRM_LEAD  # noqa: E402

HERE = Path(__file__).resolve().parent / "realism"
TODAY = dt.date(2026, 3, 4)  # a Wednesday: every relative date in the corpus resolves against it
VAGUE = "Does a thing."
#: set -> (conversations, the action folders loaded at once)
SETS = {"main": ("conversations.yaml", ("actions",)), "heldout": ("heldout.yaml", ("actions",)),
        "fresh": ("fresh.yaml", ("actions",)), "paraphrase2": ("paraphrase2.yaml", ("actions", "more_actions")),
        "fresh2": ("fresh2.yaml", ("actions", "more_actions"))}
CATEGORIES = ["first", "multi", "paraphrase", "spoken", "corrections", "negatives"]

#: what each endpoint answers (the agent's reply is not judged here, but it reads these)
RESPONSES: dict[str, Any] = {
    "/clinic/appointments": {"appointment_id": "APT-70001", "status": "booked", "doctor": "Dr. Rivera"},
    "/clinic/appointments/reschedule": {"appointment_id": "APT-48213", "status": "moved"},
    "/pharmacy/refills": {"refill_id": "RF-2231", "ready_on": "2026-03-06", "pharmacy": "Main Street"},
    "/travel/flights": {"confirmation": "K7Q2PZ", "total_price": 412.8, "currency": "USD"},
    "/travel/flights/status": {"status": "delayed", "new_departure": "16:40", "gate": "B12"},
    "/retail/returns": {"return_id": "RT-5510", "label_sent_to": "email on file"},
    "/retail/refunds": {"refund_id": "RF-7781", "amount": 24.99, "arrives_in_days": 5},
    "/retail/orders": {"order_number": "SO-552310", "status": "cancelled"},
    "/retail/stock": {"in_stock": True, "units": 7, "aisle": "12"},
    "/bank/balance": {"available_balance": 1523.4, "currency": "USD"},
    "/bank/transfers": {"transfer_id": "TR-9001", "status": "sent"},
    "/bank/cards/lost": {"card_blocked": True, "replacement_arrives": "2026-03-10"},
    "/utility/outages": {"ticket": "OUT-3321", "crew_eta": "within 2 hours"},
    "/utility/meter-readings": {"accepted": True, "next_bill": "2026-03-28"},
    "/field/visits": {"visit_id": "FV-1204", "window": "8:00-12:00"},
    "/account/email": {"updated": True},
    "/insurance/claims": {"claim_id": "CL-20931", "adjuster_calls_within_hours": 24},
    "/telecom/plan": {"plan": "unlimited", "starts_on": "2026-04-01", "monthly_price": 55},
    "/vet/appointments": {"appointment_id": "VET-3390", "time": "10:30", "vet": "Dr. Okoye"},
    "/garage/bookings": {"booking_id": "GB-7710", "drop_off": "08:00"},
    "/hotel/bookings/change": {"booking_reference": "HB-40211", "status": "changed", "price_difference": 0},
}


class Recorder(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests: list[dict[str, Any]] = []
        self.lock = threading.Lock()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    server: Recorder

    def _handle(self) -> None:
        url = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except json.JSONDecodeError:
            body = raw.decode("utf-8", "replace")
        with self.server.lock:
            self.server.requests.append({"method": self.command, "path": url.path,
                                         "query": dict(parse_qsl(url.query)), "body": body})
        data = json.dumps(RESPONSES.get(url.path, {"ok": True})).encode()
        self.send_response(200 if url.path in RESPONSES else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

    def log_message(self, *args: Any) -> None:  # quiet
        pass


def action_paths(folders: tuple[str, ...]) -> list[Path]:
    return [path for folder in folders for path in sorted((HERE / folder).glob("*.json"))]


def load_actions(base_url: str, vague: bool, folders: tuple[str, ...] = ("actions",)) -> list[Action]:
    actions = []
    for path in action_paths(folders):
        action = load_action(path)
        update: dict[str, Any] = {"url": action.url.replace("https://api.example.test", base_url)}
        if vague:
            update["description"] = VAGUE
            update["variables"] = [v.model_copy(update={"description": VAGUE}) for v in action.variables]
        actions.append(action.model_copy(update=update))
    return actions


def received(requests: list[dict[str, Any]], by_path: dict[tuple[str, str], str]) -> list[dict[str, Any]]:
    """The requests as {tool: {argument: value}}: the JSON body's non-null values, or the query."""
    out = []
    for r in requests:
        tool = by_path.get((r["method"], r["path"]), f"{r['method']} {r['path']}")
        args = r["query"] if r["method"] == "GET" or r["body"] is None else r["body"]
        args = {k: v for k, v in (args.items() if isinstance(args, dict) else []) if v is not None}
        out.append({tool: args})
    return out


def same(expected: Any, got: Any) -> bool:
    """JSON equality with types: 3 == 3.0, but 3 != "3" and True != 1."""
    if isinstance(expected, bool) or isinstance(got, bool):
        return type(expected) is type(got) and expected == got
    if isinstance(expected, (int, float)) and isinstance(got, (int, float)):
        return abs(expected - got) < 1e-9
    if isinstance(expected, dict) and isinstance(got, dict):
        return expected.keys() == got.keys() and all(same(expected[k], got[k]) for k in expected)
    if isinstance(expected, list) and isinstance(got, list):
        return len(expected) == len(got) and all(same(a, b) for a, b in zip(expected, got))
    return type(expected) is type(got) and expected == got


def normalise(expect: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # YAML turns 2026-03-12 into a date only when unquoted; the corpus quotes dates, but be safe
    def fix(v: Any) -> Any:
        return v.isoformat() if isinstance(v, dt.date) else v
    return [{tool: {k: fix(v) for k, v in args.items()} for tool, args in e.items()} for e in expect]


def in_expected_order(got: list[dict[str, Any]], want: list[dict[str, Any]], cuts: list[int]) -> list[dict[str, Any]]:
    """The calls of one turn run concurrently, so they may reach the server in any order: within a turn,
    put them in the expected order when they are the same calls. Order across turns still counts."""
    out, start = [], 0
    for end in cuts:
        group, expected = got[start:end], want[start:end]
        key = lambda call: json.dumps(call, sort_keys=True)  # noqa: E731
        out += expected if sorted(map(key, group)) == sorted(map(key, expected)) else group
        start = end
    return out + got[start:]


async def run_set(conversations: list[dict[str, Any]], server: Recorder, vague: bool,
                  show: bool, agrees: bool = False, folders: tuple[str, ...] = ("actions",)) -> dict[str, list[bool]]:
    """Each conversation through the Agent; ``agrees``: the caller answers "yes" whenever the simulator
    asks to confirm an action before calling it (the scripted turns never do)."""
    actions = load_actions(server.base_url, vague, folders)
    by_path = {(a.method, urlsplit(a.url).path): a.tool_name for a in actions}
    results: dict[str, list[bool]] = defaultdict(list)
    async with httpx.AsyncClient(trust_env=False) as client:
        agent = Agent(OfflineModel(today=TODAY), actions, Executor(async_client=client))
        for conv in conversations:
            with server.lock:
                server.requests.clear()
            state = agent.new_conversation()
            said: list[tuple[str, str]] = []
            cuts: list[int] = []  # how many requests had arrived after each turn
            for text in conv["turns"]:
                while text:
                    reply = ""
                    async for event in agent.run(state, text):
                        if isinstance(event, ReplyEvent):
                            reply = event.text
                    said.append((text, reply))
                    text = "yes" if agrees and reply.startswith(CONFIRM_LEAD) else ""
                with server.lock:
                    cuts.append(len(server.requests))
            with server.lock:
                got = received(server.requests, by_path)
            want = normalise(conv["expect"])
            got = in_expected_order(got, want, cuts)
            ok = same(want, got)
            results[conv["category"]].append(ok)
            if show and not ok:
                print(f"\nFAIL {conv['id']} ({conv['category']}{', vague' if vague else ''})")
                for text, reply in said:
                    print(f"  user:  {text}\n  agent: {reply}")
                print(f"  expected: {json.dumps(want)}\n  received: {json.dumps(got)}")
    return results


def rate(values: list[bool]) -> float:
    return 100.0 * sum(values) / len(values) if values else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=sorted(SETS), default="main",
                        help="the corpus (main), the held-out set written with it, or the fresh set written later; "
                             "neither of the last two is tuned on; paraphrase2: paraphrases, with the 5 actions of more_actions/ too; "
                             "fresh2: a blind held-out set over all 22 actions")
    parser.add_argument("--failures", action="store_true", help="print each failed conversation")
    parser.add_argument("--vague-failures", action="store_true", help="print each failed conversation of the vague run")
    parser.add_argument("--only", help="run only the conversation with this id")
    parser.add_argument("--more", action="store_true", help="load the actions of more_actions/ too (22 actions)")
    args = parser.parse_args()
    name, folders = SETS[args.set]
    if args.more and "more_actions" not in folders:
        folders = (*folders, "more_actions")
    conversations = yaml.safe_load((HERE / name).read_text(encoding="utf-8"))
    if args.only:
        conversations = [c for c in conversations if c["id"] == args.only]
    server = Recorder()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        good = asyncio.run(run_set(conversations, server, vague=False, show=args.failures, folders=folders))
        vague = asyncio.run(run_set(conversations, server, vague=True, show=args.vague_failures, folders=folders))
        agreed = asyncio.run(run_set(conversations, server, vague=True, show=False, agrees=True, folders=folders))
    finally:
        server.shutdown()
        server.server_close()
    n_actions = len(action_paths(folders))
    print(f"agent realism: {len(conversations)} conversations ({args.set}), {n_actions} actions loaded at once, "
          f"offline simulator, today={TODAY}")
    print(f"  {'category':<13} {'n':>3}  {'described':>9}  {'vague':>7}  {'vague, caller says yes':>22}")
    for cat in CATEGORIES:
        if good.get(cat):
            print(f"  {cat:<13} {len(good[cat]):>3}  {rate(good[cat]):8.1f}%  {rate(vague[cat]):6.1f}%  "
                  f"{rate(agreed[cat]):21.1f}%")
    every = [ok for cat in CATEGORIES for ok in good.get(cat, [])]
    every_vague = [ok for cat in CATEGORIES for ok in vague.get(cat, [])]
    every_agreed = [ok for cat in CATEGORIES for ok in agreed.get(cat, [])]
    print(f"  {'overall':<13} {len(every):>3}  {rate(every):8.1f}%  {rate(every_vague):6.1f}%  "
          f"{rate(every_agreed):21.1f}%")
    print(f"  drop with vague descriptions (\"{VAGUE}\"): {rate(every) - rate(every_vague):.1f} points")
    print(f"  vague: every description (the actions' and their variables') reads \"{VAGUE}\"; names and examples stay.\n"
          f"  The simulator asks before calling an action nothing describes; the scripted callers never say yes,\n"
          f"  except in the last column, where they answer yes to each such question.")

if __name__ == "__main__":
    main()
