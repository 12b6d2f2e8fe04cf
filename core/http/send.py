"""One send of the executor's request through the shared client, by the client's own transport.

``httpx.Client.send`` runs every request through layers the executor's requests do not use when the client is
the guarded one (core.http.transport.guard) and the call has no auth flow: an auth flow that does nothing,
event hooks there are none of, redirect following that is off (core.executor follows each hop itself), and
the extraction of the response's cookies into a jar that keeps none. On loopback these layers cost about a
sixth of a call. :func:`send` (:func:`asend` for the async client) hands such a request to the very transport ``Client.send`` would pick (the
client's mounts included) and gives the response what ``Client.send`` gives it: its request, the client's
default encoding, for a redirect httpx's ``next_request``, the ``RequestError``'s request, the INFO log line.
Any other case (an auth flow, the client's own auth, credentials in the URL, event hooks, a client not
guarded, not yet opened or closed, httpx internals not as expected) goes through ``Client.send`` itself.
tests/test_send.py checks that both give the same response.
"""

from __future__ import annotations

import logging
import typing
import weakref

import httpx

_LOG = logging.getLogger("httpx")
try:  # the client's state, as httpx keeps it: the fast path needs an opened (not closed) client
    from httpx._client import ClientState

    _OPENED: typing.Any = ClientState.OPENED
except ImportError:  # pragma: no cover - another httpx: always Client.send
    _OPENED = None
#: clients whose cookie jar keeps nothing (core.http.transport.guard adds them)
NO_COOKIE_CLIENTS: "weakref.WeakSet[typing.Any]" = weakref.WeakSet()


def _direct(client: httpx.Client | httpx.AsyncClient, request: httpx.Request, auth: httpx.Auth | None) -> bool:
    """True when ``Client.send`` would add nothing but the transport call (see the module docstring)."""
    return (auth is None and _OPENED is not None and getattr(client, "_state", None) is _OPENED
            and client.auth is None and client in NO_COOKIE_CLIENTS and not request.url.userinfo
            and not any(client.event_hooks.values()) and hasattr(client, "_transport_for_url")
            and hasattr(client, "_build_redirect_request"))


def send(client: httpx.Client, request: httpx.Request, auth: httpx.Auth | None = None) -> httpx.Response:
    """``client.send(request, stream=True, follow_redirects=False, auth=auth)``, the same response (the body
    not read yet), without the layers ``Client.send`` would run for nothing."""
    if not _direct(client, request, auth):
        return client.send(request, stream=True, follow_redirects=False,
                           auth=httpx.USE_CLIENT_DEFAULT if auth is None else auth)
    try:
        response = client._transport_for_url(request.url).handle_request(request)
    except httpx.RequestError as exc:  # as httpx's request_context does
        exc.request = request
        raise
    try:
        return _received(client, request, response)
    except BaseException:
        response.close()
        raise


async def asend(client: httpx.AsyncClient, request: httpx.Request,
                auth: httpx.Auth | None = None) -> httpx.Response:
    """:func:`send` for the async client."""
    if not _direct(client, request, auth):
        return await client.send(request, stream=True, follow_redirects=False,
                                 auth=httpx.USE_CLIENT_DEFAULT if auth is None else auth)
    try:
        response = await client._transport_for_url(request.url).handle_async_request(request)
    except httpx.RequestError as exc:
        exc.request = request
        raise
    try:
        return _received(client, request, response)
    except BaseException:
        await response.aclose()
        raise


def _received(client: httpx.Client | httpx.AsyncClient, request: httpx.Request,
              response: httpx.Response) -> httpx.Response:
    """What ``Client.send`` gives a response it did not follow: its request, the default encoding, the log
    line, and for a redirect the request httpx would make of it (``next_request``, see core.http.redirects)."""
    response.request = request
    response.default_encoding = getattr(client, "_default_encoding", "utf-8")
    if _LOG.isEnabledFor(logging.INFO):
        _LOG.info('HTTP Request: %s %s "%s %d %s"', request.method, request.url, response.http_version,
                  response.status_code, response.reason_phrase)
    if response.has_redirect_location:
        response.next_request = client._build_redirect_request(request, response)
    return response
