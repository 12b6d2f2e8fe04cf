"""The executor's cost per call, and rendering's, each against its baseline in the same run.

1. Executor per call: ``Executor.execute`` (render, build, send through the guarded transport, read the
   body with the bounded decoder, parse, trace, hints, scrub, what the model receives) vs a raw
   ``httpx.Client`` send of the SAME request as a user of httpx writes it: ``client.build_request(method,
   url, params=query, headers=headers, json=body)`` from the values, sent, its JSON parsed. Interleaved
   call by call, 2,000 calls each. The ratio to that is the target's. A second baseline, printed for
   comparison, is handed the request already encoded by our render (the URL with its query string and the
   body's bytes: ``build_request(method, rendered_url, headers=..., content=...)``): it skips the query and
   JSON encoding that a user's httpx call does, so it is the harsher one. Two servers, each in its own
   process on 127.0.0.1 so that it does not share our GIL:
   - the demo API (``playground demo-api``) and the sample action ``order_status.json`` (the setup
     of the issue's figure; every other benchmark here uses the demo API);
   - a minimal keep-alive asyncio server answering a fixed JSON body, with a 20-variable action: the
     harshest case, where the server costs almost nothing, so all of our overhead shows.
   Ratio of the medians (and of the means). Target <= 1.10x.
2. Rendering a 20-variable action (bearer auth, 4 headers, 8 query values, a 10-field JSON body), with the
   session's runtime variables as the app, the CLI and the agent pass them: CPU time per ``render()`` (process
   time, which other programs on a shared machine disturb far less than wall time), best and median of 7 runs;
   the best wall-clock run is printed too. Target <= 50 us.
3. Peak Python memory (tracemalloc) while executing one call to a double-gzip bomb (200 MB of zeros
   gzipped twice: a few hundred bytes on the wire), and its error kind.

    python benchmarks/executor.py [--calls 2000] [--renders 20000]
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import socket
import statistics
import subprocess
import sys
import time
import timeit
import tracemalloc
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from core.action import Action, load_action, parse_action  # noqa: E402
from core.demo import DEMO_SECRETS, rebase_url  # noqa: E402
from core.executor import Executor  # noqa: E402
from core.render import render  # noqa: E402
from core.secret import Resolver  # noqa: E402
from core.session import default_runtime  # noqa: E402

TOKEN = "sk-bench-0123456789abcdefTOKN"
BODY = json.dumps({"order_number": "ORD-10042", "status": "shipped", "carrier": "UPS",
                   "items": [{"sku": f"SKU-{i}", "qty": i} for i in range(5)]}).encode()


def bomb() -> bytes:
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    inner = c.compress(b'{"pad": "') + b"".join(c.compress(b"0" * 1_000_000) for _ in range(200)) + \
        c.compress(b'"}') + c.flush()
    return gzip.compress(inner, 9)


def serve(port_out: "multiprocessing.connection.Connection") -> None:
    """A minimal keep-alive HTTP/1.1 server: /bomb answers the double-gzip body, anything else a JSON body."""
    import asyncio

    bomb_body = bomb()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":")[1])
                if length:
                    await reader.readexactly(length)
                if head.startswith(b"GET /bomb"):
                    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip, gzip\r\n"
                                 b"Content-Length: %d\r\n\r\n" % len(bomb_body) + bomb_body)
                else:
                    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
                                 % len(BODY) + BODY)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port_out.send(server.sockets[0].getsockname()[1])
        await server.serve_forever()

    asyncio.run(main())


def twenty_variable_action(url: str) -> tuple[Action, dict[str, str]]:
    names = [f"v{i:02d}" for i in range(20)]
    data = {
        "name": "Update Customer Record", "description": "Update a customer's record with what the caller said.",
        "method": "POST", "url": url, "auth": {"type": "bearer", "token": "env:BENCH_TOKEN"},
        "headers": {"Accept": "application/json", "X-Request-Id": "{{v00}}", "X-Caller": "{{v01}}",
                    "X-Locale": "en-US"},
        "query": {n: "{{" + n + "}}" for n in names[2:10]},
        "body": {n: "{{" + n + "}}" for n in names[10:]},
        "variables": [{"name": n, "type": "integer" if i % 4 == 0 else "string", "description": f"Field {n}",
                       "example": "1" if i % 4 == 0 else "x"} for i, n in enumerate(names)],
        "timeout_s": 10,
    }
    values = {n: (str(i) if i % 4 == 0 else f"value {i} with spaces & symbols") for i, n in enumerate(names)}
    return parse_action(data, "bench"), values


def bench_calls(action: Action, values: dict[str, str], resolver: Resolver, calls: int) -> dict[str, list[float]]:
    runtime = default_runtime()  # what the app, the CLI and the agent always pass
    ours_client = httpx.Client(trust_env=False)
    executor = Executor(ours_client, resolver=resolver)
    raw = httpx.Client(trust_env=False)
    rendered = render(action, values, runtime, resolver)
    method, url, headers, content = rendered.method, rendered.url, rendered.headers, rendered.content
    # what a user of httpx writes for this request: the URL, the query values, the headers, the JSON body
    base, query, body = url.split("?")[0], rendered.query, rendered.body
    user_headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}  # json= sets it
    assert rendered.body_format == "json"
    user_request = raw.build_request(method, base, params=query, headers=user_headers, json=body)
    assert user_request.url == httpx.URL(url), (user_request.url, url)  # the same request on the wire
    assert json.loads(user_request.content) == json.loads(content or b"null") if body is not None else True
    times: dict[str, list[float]] = {"ours": [], "raw": [], "pre": []}
    for i in range(calls + 50):
        started = time.perf_counter()
        trace = executor.execute(action, values, runtime)
        t1 = time.perf_counter()
        response = raw.send(raw.build_request(method, base, params=query, headers=user_headers, json=body))
        response.json()
        t2 = time.perf_counter()
        response = raw.send(raw.build_request(method, url, headers=headers, content=content))
        response.json()
        t3 = time.perf_counter()
        assert trace.ok, trace.error
        if i >= 50:  # warm-up
            times["ours"].append(t1 - started)
            times["raw"].append(t2 - t1)
            times["pre"].append(t3 - t2)
    ours_client.close()
    raw.close()
    return times


def bench_render(renders: int) -> tuple[float, float, float]:
    """(best, median) of 7 runs of the mean CPU time per render, and the best run in wall-clock time."""
    action, values = twenty_variable_action("https://api.example.com/customers")
    resolver, runtime = {"BENCH_TOKEN": TOKEN}.get, default_runtime()
    number = max(renders // 7, 1)
    cpu = timeit.repeat(lambda: render(action, values, runtime, resolver), number=number, repeat=7,
                        timer=time.process_time)
    wall = timeit.repeat(lambda: render(action, values, runtime, resolver), number=number, repeat=7)
    per = [r / number for r in cpu]
    return min(per), statistics.median(per), min(wall) / number


def bench_bomb(url: str) -> tuple[str, float, int]:
    action = parse_action({"name": "Bomb", "url": url}, "bench")
    with httpx.Client(trust_env=False) as client:
        executor = Executor(client)
        tracemalloc.start()
        trace = executor.execute(action)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return trace.error.kind if trace.error else "ok", peak / 1e6, len(bomb())


def demo_api(port: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "core.cli", "demo-api", "--port", str(port)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1, trust_env=False).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the demo API did not start")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def report(label: str, times: dict[str, list[float]]) -> None:
    med = {k: statistics.median(v) for k, v in times.items()}
    mean = {k: statistics.fmean(v) for k, v in times.items()}
    print(f"executor per call, {label}: ours {med['ours'] * 1e6:.0f} us vs raw httpx {med['raw'] * 1e6:.0f} us "
          f"(medians of {len(times['ours'])}, interleaved) -> {med['ours'] / med['raw']:.2f}x "
          f"(means: {mean['ours'] / mean['raw']:.2f}x); target <= 1.10x")
    print(f"    vs raw httpx handed the request already encoded: {med['pre'] * 1e6:.0f} us -> "
          f"{med['ours'] / med['pre']:.2f}x (means: {mean['ours'] / mean['pre']:.2f}x)")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--renders", type=int, default=20000)
    args = parser.parse_args()

    port = free_port()
    demo = demo_api(port)
    try:
        order = load_action(ROOT / "sample_actions" / "order_status.json")
        order = order.model_copy(update={"url": rebase_url(order.url, f"http://127.0.0.1:{port}")})
        demo_times = bench_calls(order, {"order_number": "ORD-10042"}, DEMO_SECRETS.get, args.calls)
    finally:
        demo.terminate()
        demo.wait()
    here, there = multiprocessing.Pipe()
    server = multiprocessing.Process(target=serve, args=(there,), daemon=True)
    server.start()
    port = here.recv()
    try:
        base = f"http://127.0.0.1:{port}"
        action, values = twenty_variable_action(base + "/customers")
        minimal_times = bench_calls(action, values, {"BENCH_TOKEN": TOKEN}.get, args.calls)
        kind, peak_mb, size = bench_bomb(base + "/bomb")
    finally:
        server.terminate()
        server.join()
    best_render, median_render, wall_render = bench_render(args.renders)
    report("demo API, order_status sample", demo_times)
    report("minimal server, 20-variable action", minimal_times)
    print(f"render, 20 variables: {best_render * 1e6:.1f} us of CPU per render (best of 7 runs; median run "
          f"{median_render * 1e6:.1f} us; best wall-clock run {wall_render * 1e6:.1f} us; {args.renders} renders); "
          "target <= 50 us")
    print(f"double-gzip bomb ({size} bytes on the wire, 200 MB decoded): {kind}, peak traced memory {peak_mb:.1f} MB")


if __name__ == "__main__":
    main()
