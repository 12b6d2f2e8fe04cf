"""core.http.send: the executor's send through the guarded client's transport gives the response httpx's
Client.send gives, and every case Client.send would do more for still goes through Client.send."""

from __future__ import annotations

from typing import Any

import asyncio

import httpx
import pytest

from core.demo import DemoServer
from core.http import send as send_mod
from core.http.send import asend, send
from core.http.transport import guard


def _guarded(**kwargs: Any) -> httpx.Client:
    client = httpx.Client(trust_env=False, **kwargs)
    guard(client)
    client.__enter__()  # opened, as a client that has sent a request is
    return client


@pytest.mark.parametrize("path", ["/health", "/debug/redirect?x=1", "/orders/ORD-10042"])
def test_the_direct_send_gives_the_response_client_send_gives(session_demo: DemoServer, path: str) -> None:
    client = _guarded()
    try:
        ours_request, theirs_request = client.build_request("GET", session_demo.url(path)), \
            client.build_request("GET", session_demo.url(path))
        assert send_mod._direct(client, ours_request, None)
        ours = send(client, ours_request)
        theirs = client.send(theirs_request, stream=True, follow_redirects=False)
        try:
            assert ours.request is ours_request and ours.status_code == theirs.status_code
            assert ours.default_encoding == theirs.default_encoding
            assert ours.read() == theirs.read()
            assert (ours.next_request is None) == (theirs.next_request is None)
            if theirs.next_request is not None:  # the redirect core.http.redirects follows
                assert ours.next_request.url == theirs.next_request.url
                assert ours.next_request.method == theirs.next_request.method
        finally:
            ours.close()
            theirs.close()
        assert not client.cookies  # the guarded client keeps no cookies either way
    finally:
        client.close()


def test_a_failed_send_names_its_request(free_port: int) -> None:
    client = _guarded()
    request = client.build_request("GET", f"http://127.0.0.1:{free_port}/nothing-listens")
    with pytest.raises(httpx.ConnectError) as caught:
        send(client, request)
    assert caught.value.request is request
    client.close()


def test_whatever_client_send_would_add_goes_through_client_send(session_demo: DemoServer) -> None:
    url = session_demo.url("/health")
    seen: list[str] = []
    hooked = _guarded(event_hooks={"request": [lambda r: seen.append(str(r.url))]})
    response = send(hooked, hooked.build_request("GET", url))
    response.read()
    response.close()
    assert seen == [url]  # the client's event hooks ran
    plain = _guarded()
    assert not send_mod._direct(plain, plain.build_request("GET", url), httpx.BasicAuth("u", "p"))  # an auth flow
    assert not send_mod._direct(plain, plain.build_request("GET", url.replace("://", "://u:p@")), None)  # URL creds
    authed = _guarded(auth=("u", "p"))
    assert not send_mod._direct(authed, authed.build_request("GET", url), None)
    unguarded = httpx.Client(trust_env=False)  # its jar keeps cookies: Client.send fills it
    unguarded.__enter__()
    assert not send_mod._direct(unguarded, unguarded.build_request("GET", url), None)
    fresh = httpx.Client(trust_env=False)
    guard(fresh)
    assert not send_mod._direct(fresh, fresh.build_request("GET", url), None)  # not opened yet: Client.send opens
    send(fresh, fresh.build_request("GET", url)).close()
    assert send_mod._direct(fresh, fresh.build_request("GET", url), None)
    for client in (hooked, plain, authed, unguarded, fresh):
        client.close()
    with pytest.raises(RuntimeError, match="closed"):  # a closed client still says so
        send(plain, plain.build_request("GET", url))


def test_the_async_direct_send_gives_the_response_client_send_gives(session_demo: DemoServer) -> None:
    async def both() -> None:
        client = httpx.AsyncClient(trust_env=False)
        guard(client)
        await client.__aenter__()
        try:
            for path in ("/health", "/debug/redirect?x=1"):
                ours_request = client.build_request("GET", session_demo.url(path))
                assert send_mod._direct(client, ours_request, None)
                ours = await asend(client, ours_request)
                theirs = await client.send(client.build_request("GET", session_demo.url(path)), stream=True)
                assert ours.request is ours_request and ours.status_code == theirs.status_code
                assert await ours.aread() == await theirs.aread()
                assert (ours.next_request and ours.next_request.url) == (theirs.next_request and theirs.next_request.url)
                await ours.aclose()
                await theirs.aclose()
        finally:
            await client.aclose()

    asyncio.run(both())
