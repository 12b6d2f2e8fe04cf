"""The network layer under httpx: resolve, check, connect to the checked address, within the deadline.

httpcore opens every connection through a *network backend*. :func:`guard` wraps the backend of a
client's connection pool so that, for every new connection, the host name is resolved here, each
address is checked (:mod:`core.http.guard`) and the socket connects to that very address: there is
no second lookup between the check and the connect (no DNS-rebinding window). TLS still verifies
the certificate against the host name (httpcore passes it as SNI).

The per-call settings travel in a context variable set by :func:`policy` around one call:
whether link-local addresses are allowed, the call's deadline (every read, write and connect
waits at most until then, so ``timeout_s`` bounds the whole call, a stalled body included), and
an optional host resolver (tests inject one to make a name resolve to a metadata address).
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import socket
import time
import typing
from contextvars import ContextVar
from dataclasses import dataclass

import anyio
import httpcore
import httpx

from .guard import check_address, is_blocked, literal_ip, refuse
from .send import NO_COOKIE_CLIENTS

#: host -> addresses, in the order to try them (tests inject one; default: the OS resolver)
HostResolver = typing.Callable[[str], typing.Sequence[str]]
#: sized for the work: the agent's parallel tool calls and every app session share one client
LIMITS = httpx.Limits(max_connections=512, max_keepalive_connections=64, keepalive_expiry=5.0)
ACCEPT_ENCODING = b"gzip, deflate"  # only what core.http.body decodes with a memory bound
DEADLINE_PASSED = "the call's timeout_s ran out"


@dataclass(frozen=True)
class Policy:
    allow_link_local: bool = False
    deadline: float | None = None  # time.monotonic() value
    resolve: HostResolver | None = None


_POLICY: ContextVar[Policy] = ContextVar("playground_http_policy", default=Policy())


@contextlib.contextmanager
def policy(*, allow_link_local: bool = False, timeout_s: float | None = None,
           resolve: HostResolver | None = None) -> typing.Iterator[Policy]:
    """Settings for the calls made inside the block (sync or async, one task or thread)."""
    deadline = time.monotonic() + timeout_s if timeout_s is not None else None
    pol = Policy(allow_link_local, deadline, resolve)
    token = _POLICY.set(pol)
    try:
        yield pol
    finally:
        _POLICY.reset(token)


def current_policy() -> Policy:
    return _POLICY.get()


def _clamp(timeout: float | None, exc: type[Exception]) -> float | None:
    """The smaller of httpcore's timeout and what is left of the call's deadline."""
    deadline = _POLICY.get().deadline
    if deadline is None:
        return timeout
    left = deadline - time.monotonic()
    if left <= 0:
        raise exc(DEADLINE_PASSED)
    return left if timeout is None else min(timeout, left)


def _unique(addresses: typing.Iterable[str]) -> list[str]:
    return list(dict.fromkeys(addresses))


def _gai(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:  # socket.gaierror: the name does not resolve
        raise httpcore.ConnectError(str(exc)) from exc
    return _unique(str(info[4][0]) for info in infos)


async def _agai(host: str, port: int, timeout: float | None) -> list[str]:
    try:
        with anyio.fail_after(timeout):
            infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except TimeoutError as exc:
        raise httpcore.ConnectTimeout(f"DNS lookup of {host} timed out") from exc
    except OSError as exc:
        raise httpcore.ConnectError(str(exc)) from exc
    return _unique(str(info[4][0]) for info in infos)


def _split(addresses: typing.Sequence[str], host: str, pol: Policy) -> list[tuple[str, bool]]:
    """(address, is link-local) to try, in order; refused when every address is blocked."""
    out = [(a, _blocked(a)) for a in addresses]
    allowed = [(a, b) for a, b in out if pol.allow_link_local or not b]
    if not allowed and out:
        raise refuse(host, out[0][0])
    return allowed


def _blocked(address: str) -> bool:
    ip = literal_ip(address)
    return ip is not None and is_blocked(ip)


def _recheck(host: str, link_local: str | None) -> None:
    """A pooled connection to a link-local address, reused by a call that does not allow it: refused."""
    if link_local is not None:
        check_address(host, link_local, allow_link_local=_POLICY.get().allow_link_local)


class GuardedStream(httpcore.NetworkStream):
    """A connection whose reads and writes end by the call's deadline."""

    def __init__(self, inner: httpcore.NetworkStream, host: str, link_local: str | None) -> None:
        self._inner, self._host, self._link_local = inner, host, link_local

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _clamp(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        _recheck(self._host, self._link_local)
        self._inner.write(buffer, _clamp(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: typing.Any, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(ssl_context, server_hostname, _clamp(timeout, httpcore.ConnectTimeout))
        return GuardedStream(inner, self._host, self._link_local)

    def get_extra_info(self, info: str) -> typing.Any:
        return self._inner.get_extra_info(info)


class AsyncGuardedStream(httpcore.AsyncNetworkStream):
    def __init__(self, inner: httpcore.AsyncNetworkStream, host: str, link_local: str | None) -> None:
        self._inner, self._host, self._link_local = inner, host, link_local

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return await self._inner.read(max_bytes, _clamp(timeout, httpcore.ReadTimeout))

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        _recheck(self._host, self._link_local)
        await self._inner.write(buffer, _clamp(timeout, httpcore.WriteTimeout))

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def start_tls(self, ssl_context: typing.Any, server_hostname: str | None = None,
                        timeout: float | None = None) -> httpcore.AsyncNetworkStream:
        inner = await self._inner.start_tls(ssl_context, server_hostname, _clamp(timeout, httpcore.ConnectTimeout))
        return AsyncGuardedStream(inner, self._host, self._link_local)

    def get_extra_info(self, info: str) -> typing.Any:
        return self._inner.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """Resolve, check each address, connect to the checked address (see the module docstring)."""

    def __init__(self, inner: httpcore.NetworkBackend) -> None:
        self._inner = inner

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: typing.Iterable[typing.Any] | None = None) -> httpcore.NetworkStream:
        pol = _POLICY.get()
        addresses = _unique(pol.resolve(host)) if pol.resolve and literal_ip(host) is None else _gai(host, port)
        error: Exception | None = None
        for address, link_local in _split(addresses, host, pol):
            try:
                stream = self._inner.connect_tcp(address, port, _clamp(timeout, httpcore.ConnectTimeout),
                                                 local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
                continue
            return GuardedStream(stream, host, address if link_local else None)
        raise error or httpcore.ConnectError(f"{host} resolves to no address")

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: typing.Iterable[typing.Any] | None = None) -> httpcore.NetworkStream:
        return self._inner.connect_unix_socket(path, timeout, socket_options)

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


class AsyncGuardedBackend(httpcore.AsyncNetworkBackend):
    def __init__(self, inner: httpcore.AsyncNetworkBackend) -> None:
        self._inner = inner

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: typing.Iterable[typing.Any] | None = None) -> httpcore.AsyncNetworkStream:
        pol = _POLICY.get()
        if pol.resolve and literal_ip(host) is None:
            addresses = _unique(pol.resolve(host))
        else:
            addresses = await _agai(host, port, _clamp(timeout, httpcore.ConnectTimeout))
        error: Exception | None = None
        for address, link_local in _split(addresses, host, pol):
            try:
                stream = await self._inner.connect_tcp(address, port, _clamp(timeout, httpcore.ConnectTimeout),
                                                       local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
                continue
            return AsyncGuardedStream(stream, host, address if link_local else None)
        raise error or httpcore.ConnectError(f"{host} resolves to no address")

    async def connect_unix_socket(self, path: str, timeout: float | None = None,
                                  socket_options: typing.Iterable[typing.Any] | None = None
                                  ) -> httpcore.AsyncNetworkStream:
        return await self._inner.connect_unix_socket(path, timeout, socket_options)

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def _pools(client: httpx.Client | httpx.AsyncClient) -> typing.Iterator[typing.Any]:
    transports = [getattr(client, "_transport", None), *getattr(client, "_mounts", {}).values()]
    for transport in transports:
        pool = getattr(transport, "_pool", None)
        if pool is not None and hasattr(pool, "_network_backend"):
            yield pool


class _NoCookies(http.cookiejar.DefaultCookiePolicy):
    """The shared client keeps no cookies: they belong to a conversation (see Executor.execute)."""

    def set_ok(self, cookie: http.cookiejar.Cookie, request: typing.Any) -> bool:
        return False


def guard(client: httpx.Client | httpx.AsyncClient) -> bool:
    """Install the guarded backend in every connection pool of ``client`` (idempotent), and make its
    cookie jar keep nothing (one client serves every conversation and browser session).

    Returns False when the client has no httpcore pool (a MockTransport, a replay transport):
    nothing goes to the network then, and only the URL's literal host is checked.
    """
    client.cookies.jar.set_policy(_NoCookies())
    NO_COOKIE_CLIENTS.add(client)
    found = False
    for pool in _pools(client):
        found = True
        backend = pool._network_backend
        if isinstance(backend, (GuardedBackend, AsyncGuardedBackend)):
            continue
        if isinstance(pool, httpcore.AsyncConnectionPool):
            pool._network_backend = AsyncGuardedBackend(backend)
        else:
            pool._network_backend = GuardedBackend(backend)
    return found


def make_client(**kwargs: typing.Any) -> httpx.Client:
    """The executor's sync client: a pool sized for the work, guarded."""
    client = httpx.Client(limits=kwargs.pop("limits", LIMITS), **kwargs)
    guard(client)
    return client


def make_async_client(**kwargs: typing.Any) -> httpx.AsyncClient:
    """The executor's async client: a pool sized for the work, guarded."""
    client = httpx.AsyncClient(limits=kwargs.pop("limits", LIMITS), **kwargs)
    guard(client)
    return client
