"""Which destinations a call may reach: link-local and cloud-metadata addresses are refused.

Loopback and private ranges stay reachable (this is a local playground). The check runs on the
literal host of every URL (first request and each redirect) and, in :mod:`core.http.transport`,
on every address a host name resolves to, right before connecting to that very address.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import socket

import httpx

from ..errors import RequestBlockedError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

METADATA_HOSTS = frozenset({
    "metadata.google.internal", "metadata.goog", "metadata", "instance-data", "instance-data.ec2.internal",
    "metadata.azure.com", "metadata.packet.net", "metadata.tencentyun.com", "metadata.platformequinix.com",
})
_BLOCKED_NETS = tuple(ipaddress.ip_network(n) for n in (
    "169.254.0.0/16",      # IPv4 link-local: AWS, GCP, Azure, OpenStack, DigitalOcean... metadata at .169.254
    "100.100.100.200/32",  # Alibaba Cloud metadata
    "fe80::/10",           # IPv6 link-local
    "fd00:ec2::254/128",   # AWS metadata over IPv6
))
# IPv6 forms that carry an IPv4 address in their low 32 bits
_EMBEDDING_NETS = tuple(ipaddress.ip_network(n) for n in (
    "::/96",               # IPv4-compatible (deprecated): ::a9fe:a9fe
    "::ffff:0:0:0/96",     # IPv4-translated (SIIT)
    "64:ff9b::/96",        # NAT64 well-known prefix
    "64:ff9b:1::/48",      # NAT64 local-use prefix
))
HOST_RE = re.compile(r"^[A-Za-z0-9._-]+$")  # a host name after IDNA encoding (httpx does it)
ALLOW_HINT = "allow them explicitly (--allow-link-local) if you really mean to"


def embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, compatible, NAT64, 6to4, Teredo), if any."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if int(ip) > 0xFFFF and any(ip in net for net in _EMBEDDING_NETS):  # not :: or ::1
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_blocked(ip: IPAddress) -> bool:
    """A link-local or cloud-metadata address, in any of its IPv4 or IPv6 forms."""
    candidates = [ip]
    inner = embedded_ipv4(ip)
    if inner is not None:
        candidates.append(inner)
    return any(c.version == net.version and c in net for c in candidates for net in _BLOCKED_NETS)


def literal_ip(host: str) -> IPAddress | None:
    """The address a host names literally, in any form the OS resolver accepts (2852039166, 0xa9fea9fe)."""
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])  # fe80::1%eth0: the zone is not part of the address
    except ValueError:
        pass
    if not host or not all(c in "0123456789abcdefx." for c in host.lower()):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def refuse(host: str, address: str | None = None) -> RequestBlockedError:
    where = f"{host} (which resolves to {address})" if address and address != host else host
    return RequestBlockedError(
        f"refused to call {where}: link-local and cloud-metadata addresses are blocked; {ALLOW_HINT}")


@functools.lru_cache(maxsize=1024)
def _blocked_host(name: str) -> bool:
    ip = literal_ip(name)
    return (ip is not None and is_blocked(ip)) or (ip is None and name in METADATA_HOSTS)


def check_host(host: str, *, allow_link_local: bool = False) -> None:
    """Refuse a link-local or metadata host written in a URL (names are checked again once resolved)."""
    if allow_link_local:
        return
    name = host.lower().rstrip(".")
    if _blocked_host(name):
        raise refuse(name)


def check_address(host: str, address: str, *, allow_link_local: bool = False) -> None:
    """Refuse a resolved address; called with the exact address about to be connected to."""
    if allow_link_local:
        return
    ip = literal_ip(address)
    if ip is not None and is_blocked(ip):
        raise refuse(host, address)


def url_problem(url: httpx.URL) -> str | None:
    """What httpx accepts but no connection can use (None when fine): a port outside 1-65535 (the OS
    would wrap 99999 to another port), a host with characters no host name has (httpx percent-encodes
    them), DNS labels over 63 characters or a name over 253."""
    if url.port is not None and not 0 < url.port < 65536:
        return f"port {url.port} is out of range; use a port from 1 to 65535"
    host = url.raw_host.decode("ascii", "replace")
    if ":" in host:  # an IPv6 literal
        return None
    if not HOST_RE.fullmatch(host):
        bad = next((c for c in host if not HOST_RE.fullmatch(c)), "")
        return f"host name {host[:40]!r} has {bad!r}, which no host name holds; check the URL"
    if len(host) > 253 or any(len(label) > 63 for label in host.split(".")):
        return (f"host name {host[:40]}... is not a valid DNS name (at most 63 characters per label and 253 "
                "in all); check the URL")
    return None
