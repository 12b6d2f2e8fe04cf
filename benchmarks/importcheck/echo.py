"""An HTTP + HTTPS echo server on one 127.0.0.1 port that records every request exactly as it arrived.

Used to compare what curl sends with what an imported action sends. The first byte of a
connection tells TLS (0x16, a handshake) from plain HTTP, so ``curl --connect-to`` can point both
http:// and https:// URLs at the same port. The certificate is self-signed (``openssl`` makes it);
clients skip verification.
"""

from __future__ import annotations

import shutil
import socket
import socketserver
import ssl
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Received:
    method: str
    target: str
    headers: list[tuple[str, str]]  # in order, names as sent
    body: bytes
    tls: bool

    def header_values(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for name, value in self.headers:
            out.setdefault(name.lower(), []).append(value)
        return out


def _self_signed(folder: Path) -> ssl.SSLContext | None:
    if shutil.which("openssl") is None:
        return None
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "2", "-subj", "/CN=localhost"], check=True, capture_output=True, timeout=60)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    ctx.set_alpn_protocols(["http/1.1"])
    return ctx


class _Handler(socketserver.BaseRequestHandler):
    server: "_Server"

    def handle(self) -> None:
        sock: socket.socket = self.request
        sock.settimeout(10)
        tls = False
        try:
            first = sock.recv(1, socket.MSG_PEEK)
            if first == b"\x16" and self.server.tls is not None:
                sock = self.server.tls.wrap_socket(sock, server_side=True)
                tls = True
            self._serve(sock, tls)
        except (OSError, ssl.SSLError, ValueError):
            pass
        finally:
            try:
                sock.close()
            except OSError:
                pass

    def _serve(self, sock: socket.socket, tls: bool) -> None:
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                return
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, target = lines[0].split(" ")[:2]
        headers = [(n.strip(), v.strip()) for n, _, v in (line.partition(":") for line in lines[1:])]
        lower = {n.lower(): v for n, v in headers}
        if lower.get("expect", "").lower() == "100-continue":
            sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
        body = rest
        if "chunked" in lower.get("transfer-encoding", "").lower():
            body = self._chunked(sock, rest)
        else:
            length = int(lower.get("content-length", "0") or 0)
            while len(body) < length:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                body += chunk
            body = body[:length]
        self.server.received.append(Received(method, target, headers, body, tls))
        sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                     b"Connection: close\r\n\r\n{}")

    @staticmethod
    def _chunked(sock: socket.socket, data: bytes) -> bytes:
        body = b""
        while True:
            while b"\r\n" not in data:
                data += sock.recv(65536)
            size_line, _, data = data.partition(b"\r\n")
            size = int(size_line.split(b";")[0], 16)
            while len(data) < size + 2:
                data += sock.recv(65536)
            if size == 0:
                return body
            body, data = body + data[:size], data[size + 2:]


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
    received: list[Received]
    tls: ssl.SSLContext | None


@dataclass
class EchoServer:
    """``with EchoServer() as echo: ... echo.port ... echo.received``"""

    received: list[Received] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="echo-")
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.received = self.received
        self._server.tls = _self_signed(Path(self._dir.name))
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def tls(self) -> bool:
        return self._server.tls is not None

    def __enter__(self) -> "EchoServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
        self._dir.cleanup()
