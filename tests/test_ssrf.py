"""SSRF: link-local and metadata addresses are refused on the address really connected to (issue 13, point 3).

A host name's addresses are checked at connect time, on the first request and on every redirect;
a resolver is injected so a name can resolve to a metadata address without touching /etc/hosts.
"""

from __future__ import annotations

import asyncio
import ipaddress
from typing import Any, Callable

import httpx
import pytest

from conftest import SECRET_TOKEN
from core.action import Action, parse_action
from core.executor import Executor
from core.http.guard import embedded_ipv4, is_blocked
from fault_server import FaultServer

BEARER = {"type": "bearer", "token": "env:API_TOKEN"}


def act(url: str, **fields: Any) -> Action:
    return parse_action({"name": "Test Action", "description": "An action used by tests.", "url": url, **fields},
                        "test")


def hosts(table: dict[str, list[str]]) -> Callable[[str], list[str]]:
    """A resolver for names ending in .test; anything else resolves to nothing."""
    return lambda host: table.get(host, [])


@pytest.fixture
def resolving(http_client: httpx.Client, resolver: Callable[[str], str | None]) -> Callable[..., Executor]:
    def make(table: dict[str, list[str]], **kw: Any) -> Executor:
        return Executor(http_client, resolver=resolver, resolve_host=hosts(table), **kw)
    return make


@pytest.mark.parametrize("address", [
    "169.254.169.254", "169.254.170.2", "100.100.100.200", "fe80::1", "fd00:ec2::254",
    "::ffff:169.254.169.254", "::a9fe:a9fe", "64:ff9b::a9fe:a9fe", "64:ff9b:1::a9fe:a9fe", "2002:a9fe:a9fe::1",
    "::ffff:0:a9fe:a9fe", "::ffff:100.100.100.200",
])
def test_metadata_address_forms_are_blocked(address: str) -> None:
    assert is_blocked(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["127.0.0.1", "::1", "10.0.0.5", "192.168.1.10", "172.16.0.1", "100.64.0.1",
                                     "fd12::1", "::", "8.8.8.8", "2606:4700::1111", "::ffff:127.0.0.1"])
def test_loopback_private_and_public_addresses_are_reachable(address: str) -> None:
    assert not is_blocked(ipaddress.ip_address(address))


def test_embedded_ipv4_forms() -> None:
    assert str(embedded_ipv4(ipaddress.ip_address("64:ff9b::a9fe:a9fe"))) == "169.254.169.254"
    assert str(embedded_ipv4(ipaddress.ip_address("::a9fe:a9fe"))) == "169.254.169.254"
    assert embedded_ipv4(ipaddress.ip_address("::1")) is None


@pytest.mark.parametrize("url", [
    "http://100.100.100.200/latest/meta-data/",
    "http://[::a9fe:a9fe]/latest",
    "http://[64:ff9b::a9fe:a9fe]/latest",
    "http://[::ffff:a9fe:a9fe]/latest",
    "http://169.254.170.2/v2/credentials",
    "http://metadata.tencentyun.com/latest",
])
def test_literal_metadata_urls_are_blocked(executor: Executor, url: str) -> None:
    trace = executor.execute(act(url, auth=BEARER))
    assert trace.error.kind == "blocked" and trace.response is None
    assert "--allow-link-local" in trace.hints[0]


def test_a_name_that_resolves_to_metadata_is_blocked_before_connecting(resolving: Callable[..., Executor]) -> None:
    executor = resolving({"metadata.example.test": ["169.254.169.254"]})
    trace = executor.execute(act("http://metadata.example.test/latest/meta-data/", auth=BEARER))
    assert trace.error.kind == "blocked", trace.error
    assert "metadata.example.test (which resolves to 169.254.169.254)" in trace.error.message
    assert SECRET_TOKEN not in trace.model_dump_json()


@pytest.mark.parametrize("address", ["::a9fe:a9fe", "64:ff9b::a9fe:a9fe", "100.100.100.200", "fe80::1"])
def test_names_resolving_to_other_metadata_forms_are_blocked(resolving: Callable[..., Executor], address: str) -> None:
    trace = resolving({"evil.test": [address]}).execute(act("http://evil.test/x"))
    assert trace.error.kind == "blocked", trace.error


def test_a_name_resolving_to_loopback_is_reached(resolving: Callable[..., Executor], fault_server: FaultServer) -> None:
    trace = resolving({"api.example.test": ["127.0.0.1"]}).execute(
        act(f"http://api.example.test:{fault_server.port}/echo", auth=BEARER))
    assert trace.ok, trace.error
    assert fault_server.log[-1]["headers"]["host"] == f"api.example.test:{fault_server.port}"


def test_only_the_checked_address_is_connected_to(resolving: Callable[..., Executor], fault_server: FaultServer) -> None:
    # a name with a metadata address first and loopback second: the metadata one is skipped, never tried
    trace = resolving({"mixed.test": ["169.254.169.254", "127.0.0.1"]}).execute(
        act(f"http://mixed.test:{fault_server.port}/echo", timeout_s=2))
    assert trace.ok, trace.error


def test_a_redirect_to_a_name_resolving_to_metadata_is_blocked(resolving: Callable[..., Executor],
                                                                fault_server: FaultServer) -> None:
    executor = resolving({"metadata.example.test": ["169.254.169.254"]})
    before = len(fault_server.log)
    trace = executor.execute(act(fault_server.url("/redirect?to=http://metadata.example.test/latest"), auth=BEARER))
    assert trace.error.kind == "blocked", trace.error
    assert len(fault_server.log) - before == 1  # the first hop only


def test_async_path_checks_resolved_addresses(resolver: Callable[[str], str | None], fault_server: FaultServer) -> None:
    async def main() -> tuple[Any, Any]:
        async with httpx.AsyncClient(trust_env=False) as client:
            ex = Executor(async_client=client, resolver=resolver,
                          resolve_host=hosts({"evil.test": ["169.254.169.254"], "ok.test": ["127.0.0.1"]}))
            return await asyncio.gather(ex.aexecute(act("http://evil.test/x", auth=BEARER)),
                                        ex.aexecute(act(f"http://ok.test:{fault_server.port}/echo")))

    blocked, ok = asyncio.run(main())
    assert blocked.error.kind == "blocked" and "169.254.169.254" in blocked.error.message
    assert ok.ok, ok.error


def test_allow_link_local_connects_to_a_link_local_name(resolving: Callable[..., Executor]) -> None:
    # nothing answers at 169.254.169.254 here: the attempt is made (timeout or unreachable), not refused
    trace = resolving({"meta.test": ["169.254.169.254"]}, allow_link_local=True).execute(
        act("http://meta.test/latest", timeout_s=0.3))
    assert trace.error.kind != "blocked"
