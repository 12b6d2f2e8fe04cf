"""A small purpose-built HTTP server for executor tests: one raw-socket server per instance.

Plain sockets (not a framework) so that it can misbehave on purpose: reset a connection,
answer with bytes that are not HTTP, drip a body slowly. Every response closes the
connection (``Connection: close``) to keep the server trivial.

Endpoints (any method):

- ``/echo``                 200 JSON: method, path, query, headers (lower-case names), body
- ``/status/{code}``        that status with a JSON error body (405 sends Allow, 429 Retry-After);
                            the body repeats the Authorization and X-API-Key headers it got,
                            like APIs that echo credentials in error messages
- ``/slow?ms=N``            waits N ms, then 200 JSON
- ``/drip?chunks=N&ms=M``   200, then N body chunks M ms apart (slow but never silent)
- ``/reset``                closes the connection abruptly (TCP RST), no response
- ``/broken``               sends bytes that are not HTTP, then closes
- ``/huge?mb=N``            a JSON body of N MB (default 3)
- ``/html``                 200 text/html page
- ``/text``                 200 text/plain
- ``/badcharset``           200 text/plain with an unknown charset
- ``/empty``                204 no body
- ``/redirect?to=URL&status=302``   redirect to URL (relative = same origin)
- ``/loop``                 redirects to itself forever
- ``/gzip?layers=N&mb=M``   M MB of zeros inside a JSON string, gzipped N times (``Content-Encoding: gzip, gzip``)
- ``/corrupt-gzip``         ``Content-Encoding: gzip`` over bytes that are not gzip
- ``/stall?ms=N``           200 headers and half the body at once, then silence for N ms
- ``/json-html``            200 ``application/json`` whose body is an HTML page
- ``/json-empty``           200 ``application/json`` with an empty body
- ``/set-cookie?name=N&value=V``  200 JSON that sets a cookie
- ``/leak/{where}``         echoes the credentials it received (every header but the usual ones, the body) into
                            ``reason`` (the status line), ``ctype`` (Content-Type), ``location`` (an invalid
                            redirect), ``header`` (X-Echo), ``cookie`` (Set-Cookie), ``text`` (a text body)
"""

from __future__ import annotations

import functools
import gzip
import json
import socket
import socketserver
import struct
import threading
import time
import zlib
from typing import Any
from urllib.parse import parse_qsl, urlsplit

REASONS = {
    200: "OK", 204: "No Content", 301: "Moved Permanently", 302: "Found", 303: "See Other",
    307: "Temporary Redirect", 308: "Permanent Redirect", 400: "Bad Request", 401: "Unauthorized",
    403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 409: "Conflict", 418: "I'm a teapot",
    422: "Unprocessable Entity", 429: "Too Many Requests", 500: "Internal Server Error",
    502: "Bad Gateway", 503: "Service Unavailable",
}
ERROR_MESSAGES = {
    400: "malformed request", 401: "invalid or missing credentials", 403: "key lacks the orders:read scope",
    404: "no such resource", 405: "method not allowed", 422: "qty must be positive",
    429: "slow down", 500: "database exploded", 503: "maintenance",
}


@functools.lru_cache(maxsize=8)
def _gzipped_zeros(mb: float, layers: int) -> bytes:
    """``{"pad": "000..."}`` with ``mb`` MB of zeros, gzipped ``layers`` times, built without holding the zeros."""
    c = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [c.compress(b'{"pad": "')]
    left, block = int(mb * 1_000_000), b"0" * 1_000_000
    while left > 0:
        parts.append(c.compress(block[:left]))
        left -= len(block)
    data = b"".join(parts) + c.compress(b'"}') + c.flush()
    for _ in range(layers - 1):
        data = gzip.compress(data, 9)
    return data


class _Handler(socketserver.BaseRequestHandler):
    server: "_TCPServer"

    # -- reading ------------------------------------------------------------------------
    def _read_request(self) -> tuple[str, str, dict[str, str], bytes] | None:
        sock: socket.socket = self.request
        sock.settimeout(10)
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                return None
            data += chunk
            if not data[:1].isalpha():  # e.g. a TLS ClientHello (0x16): not HTTP, answer at once
                return None
            if len(data) > 1 << 20:
                return None
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ")
        if len(parts) != 3 or not parts[2].startswith("HTTP/"):
            return None
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0") or 0)
        while len(rest) < length:
            chunk = sock.recv(65536)
            if not chunk:
                break
            rest += chunk
        return parts[0], parts[1], headers, rest[:length]

    # -- writing ------------------------------------------------------------------------
    def _send(self, status: int, body: bytes = b"", content_type: str = "application/json",
              extra: dict[str, str] | None = None) -> None:
        head = [f"HTTP/1.1 {status} {REASONS.get(status, 'Status')}"]
        headers = {"Content-Length": str(len(body)), "Connection": "close"}
        if body or content_type != "application/json":
            headers["Content-Type"] = content_type
        headers.update(extra or {})
        head += [f"{k}: {v}" for k, v in headers.items()]
        self.request.sendall(("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body)

    def _json(self, status: int, data: Any, extra: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(data).encode(), "application/json", extra)

    def _abort(self) -> None:
        """Close with RST (SO_LINGER 0): the client sees a reset, not a clean close."""
        self.request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.request.close()

    # -- routing ------------------------------------------------------------------------
    def handle(self) -> None:
        try:
            req = self._read_request()
            if req is None:  # not HTTP (e.g. a TLS ClientHello): answer like a plain server would
                self.request.sendall(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
                return
            self._route(*req)
        except (BrokenPipeError, ConnectionResetError, socket.timeout, OSError):
            pass  # the client gave up (timeout, truncated read): nothing to do

    def _route(self, method: str, target: str, headers: dict[str, str], body: bytes) -> None:
        split = urlsplit(target)
        path, query = split.path, dict(parse_qsl(split.query, keep_blank_values=True))
        self.server.log.append({"method": method, "path": path, "query": query, "headers": headers, "body": body})

        if path == "/echo":
            try:
                parsed: Any = json.loads(body) if body else None
            except ValueError:
                parsed = body.decode("utf-8", "replace")
            self._json(200, {"method": method, "path": path, "query": query, "raw_query": split.query,
                             "headers": headers, "body": parsed, "server": self.server.name})
        elif path.startswith("/status/"):
            code = int(path.rsplit("/", 1)[1])
            extra = {}
            if code == 405:
                extra["Allow"] = "GET, POST"
            if code == 429:
                extra["Retry-After"] = "7"
            self._json(code, {"error": {"message": ERROR_MESSAGES.get(code, "failed"), "code": code},
                              "received_authorization": headers.get("authorization"),
                              "received_api_key": headers.get("x-api-key")}, extra)
        elif path == "/slow":
            time.sleep(int(query.get("ms", "1000")) / 1000)
            self._json(200, {"slow": True})
        elif path == "/drip":
            chunks, ms = int(query.get("chunks", "20")), int(query.get("ms", "100"))
            self.request.sendall(
                f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {chunks + 2}\r\n"
                "Connection: close\r\n\r\n[".encode())
            for _ in range(chunks):
                time.sleep(ms / 1000)
                self.request.sendall(b"1" if _ == 0 else b" ")
            self.request.sendall(b"]")
        elif path == "/reset":
            self._abort()
        elif path == "/broken":
            self.request.sendall(b"\x00\x01 this is not HTTP at all \xff\xfe\r\n\r\n")
        elif path == "/huge":
            mb = float(query.get("mb", "3"))
            filler = "x" * 1000
            items = ",".join(json.dumps({"i": i, "pad": filler}) for i in range(int(mb * 1000)))
            self._send(200, f"[{items}]".encode())
        elif path == "/html":
            self._send(200, b"<!doctype html><html><body><h1>Sign in</h1></body></html>",
                       "text/html; charset=utf-8")
        elif path == "/text":
            self._send(200, "plain text, caf\u00e9".encode(), "text/plain; charset=utf-8")
        elif path == "/badcharset":
            self._send(200, b"hello", "text/plain; charset=no-such-charset")
        elif path == "/empty":
            self._send(204)
        elif path == "/redirect":
            self._send(int(query.get("status", "302")), b"", "text/plain", {"Location": query.get("to", "/echo")})
        elif path == "/loop":
            self._send(302, b"", "text/plain", {"Location": "/loop"})
        elif path == "/gzip":
            layers = int(query.get("layers", "1"))
            self._send(200, _gzipped_zeros(float(query.get("mb", "1")), layers), "application/json",
                       {"Content-Encoding": ", ".join(["gzip"] * layers)})
        elif path == "/corrupt-gzip":
            self._send(200, b"\x1f\x8b\x08\x00 this is not gzip at all", "application/json",
                       {"Content-Encoding": "gzip"})
        elif path == "/stall":
            self.request.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 20\r\n"
                                 b"Connection: close\r\n\r\n[1,2,3,")
            time.sleep(int(query.get("ms", "3000")) / 1000)
        elif path == "/json-html":
            self._send(200, b"<!DOCTYPE html><html><body>Please sign in</body></html>", "application/json")
        elif path == "/json-empty":
            self._send(200, b"", "application/json", {"Content-Type": "application/json"})
        elif path == "/set-cookie":
            self._json(200, {"ok": True}, {"Set-Cookie": f"{query.get('name', 'sid')}={query.get('value', 'v')}; Path=/"})
        elif path.startswith("/leak/"):
            self._leak(path.rsplit("/", 1)[1], headers, body)
        else:
            self._json(404, {"detail": f"no route {path}"})


    def _leak(self, where: str, headers: dict[str, str], body: bytes) -> None:
        """Echo every credential received into one place of the response, like careless servers do."""
        plain = {"host", "accept", "accept-encoding", "connection", "user-agent", "content-length", "content-type"}
        sent = [v for k, v in headers.items() if k not in plain] + [body.decode("utf-8", "replace")]
        echo = " ".join(v for v in sent if v) or "nothing"
        echo = echo.replace("\r", " ").replace("\n", " ")
        if where == "reason":
            self.request.sendall(f"HTTP/1.1 401 Bad credentials {echo}\r\nContent-Length: 0\r\n"
                                 "Connection: close\r\n\r\n".encode("utf-8"))
        elif where == "ctype":
            self._send(200, b"hello", f"text/plain; token={echo}")
        elif where == "location":
            self._send(302, b"", "text/plain", {"Location": f"http://[{echo}/x"})
        elif where == "header":
            self._json(200, {"ok": True}, {"X-Echo": echo})
        elif where == "cookie":
            self._json(200, {"ok": True}, {"Set-Cookie": f"echo={echo.replace(' ', '_')}"})
        else:
            self._send(200, f"you sent: {echo}".encode("utf-8"), "text/plain")


class _TCPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256  # many concurrent calls: the default backlog of 5 drops connections

    def __init__(self, name: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.name = name
        self.log: list[dict[str, Any]] = []


class FaultServer:
    """``with FaultServer() as srv: srv.url("/echo")`` -> ``http://127.0.0.1:PORT/echo``."""

    def __init__(self, name: str = "fault") -> None:
        self._server = _TCPServer(name)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"fault-server-{name}", daemon=True)

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> list[dict[str, Any]]:
        """Every request received, in order (method, path, query, lower-case headers, raw body)."""
        return self._server.log

    def url(self, path: str = "/echo") -> str:
        return self.base + path

    def start(self) -> "FaultServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> "FaultServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
