"""The executor's cost per call, and rendering's, each against its baseline in the same run.

1. Executor per call: ``Executor.execute`` (render, build, send through the guarded transport, read the
   body with the bounded decoder, parse, trace, hints, scrub) vs a raw ``httpx.Client`` send of the SAME
   request (built with ``client.build_request`` from the same method, URL, headers and body, sent, its
   JSON parsed), interleaved call by call, 2,000 calls each. Two servers, each in its own process on
   127.0.0.1 so that it does not share our GIL:
   - the demo API (``playground demo-api``) and the sample action ``order_status.json`` (the setup
     of the issue's figure; every other benchmark here uses the demo API);
   - a minimal keep-alive asyncio server answering a fixed JSON body, with a 20-variable action: the
     harshest case, where the server costs almost nothing, so all of our overhead shows.
   Ratio of the medians (and of the means). Target <= 1.10x.
2. Rendering a 20-variable action (bearer auth, 4 headers, 8 query values, a 10-field JSON body), with the
   session's runtime variables as the app, the CLI and the agent pass them: time per ``render()``, best and
   median of 7 runs. Target <= 50 us.
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
    times: dict[str, list[float]] = {"ours": [], "raw": []}
    for i in range(calls + 50):
        started = time.perf_counter()
        trace = executor.execute(action, values, runtime)
        mid = time.perf_counter()
        response = raw.send(raw.build_request(method, url, headers=headers, content=content))
        response.json()
        end = time.perf_counter()
        assert trace.ok, trace.error
        if i >= 50:  # warm-up
            times["ours"].append(mid - started)
            times["raw"].append(end - mid)
    ours_client.close()
    raw.close()
    return times


def bench_render(renders: int) -> tuple[float, float]:
    """(best, median) of 7 runs of the mean time per render."""
    action, values = twenty_variable_action("https://api.example.com/customers")
    resolver, runtime = {"BENCH_TOKEN": TOKEN}.get, default_runtime()
    number = max(renders // 7, 1)
    runs = timeit.repeat(lambda: render(action, values, runtime, resolver), number=number, repeat=7)
    per = [r / number for r in runs]
    return min(per), statistics.median(per)


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
    med_ours, med_raw = statistics.median(times["ours"]), statistics.median(times["raw"])
    mean_ours, mean_raw = statistics.fmean(times["ours"]), statistics.fmean(times["raw"])
    print(f"executor per call, {label}: ours {med_ours * 1e6:.0f} us vs raw httpx {med_raw * 1e6:.0f} us (medians "
          f"of {len(times['ours'])}, interleaved) -> {med_ours / med_raw:.2f}x (means: {mean_ours / mean_raw:.2f}x); "
          "target <= 1.10x")


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
    best_render, median_render = bench_render(args.renders)
    report("demo API, order_status sample", demo_times)
    report("minimal server, 20-variable action", minimal_times)
    print(f"render, 20 variables: {best_render * 1e6:.1f} us per render (best of 7 runs; median run "
          f"{median_render * 1e6:.1f} us; {args.renders} renders); target <= 50 us")
    print(f"double-gzip bomb ({size} bytes on the wire, 200 MB decoded): {kind}, peak traced memory {peak_mb:.1f} MB")


if __name__ == "__main__":
    main()
