"""rendered request -> httpx -> trace. Layered like httpx: render, build, send, trace.

One shared client is injected (sync and async paths). Redirects are followed by hand so
that credentials are dropped on a redirect to another origin and every hop is checked.
"""

from __future__ import annotations

import ipaddress
import json
import socket
import ssl
import time
from typing import Any, Mapping

import httpx

from .action import Action, BodyAuth, HeaderAuth
from .diagnose import diagnose
from .errors import (InvalidRequestError, PlaygroundError, RequestBlockedError, SecretError, TemplateError,
                     VariableError)
from .render import RenderedRequest, render
from .result import shape
from .secret import Resolver, env_resolver, scrub
from .trace import ErrorInfo, ResponseInfo, Trace

BODY_CAP = 256 * 1024
MAX_REDIRECTS = 10
METADATA_HOSTS = {"metadata.google.internal", "metadata", "instance-data", "instance-data.ec2.internal",
                  "metadata.azure.com", "metadata.packet.net"}
_LINK_LOCAL = [ipaddress.ip_network("169.254.0.0/16"), ipaddress.ip_network("fe80::/10"),
               ipaddress.ip_network("fd00:ec2::254/128")]
_ERROR_KIND = {VariableError: "invalid_arguments", TemplateError: "unreplaced_placeholder",
               InvalidRequestError: "invalid_request", SecretError: "secret_missing", RequestBlockedError: "blocked"}


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a host names literally, in any form the OS resolver accepts (2852039166, 0xa9fea9fe)."""
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        if not host or not all(c in "0123456789abcdefx." for c in host):
            return None
        try:
            ip = ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def check_destination(url: httpx.URL, *, allow_link_local: bool = False) -> None:
    """Refuse link-local and cloud-metadata destinations unless explicitly allowed."""
    if allow_link_local:
        return
    host = url.host.lower().rstrip(".")
    ip = _ip(host)
    blocked = any(ip in net for net in _LINK_LOCAL) if ip is not None else host in METADATA_HOSTS
    if blocked:
        raise RequestBlockedError(
            f"refused to call {host}: link-local and cloud-metadata addresses are blocked; "
            "allow them explicitly (--allow-link-local) if you really mean to"
        )


def build_request(client: httpx.Client | httpx.AsyncClient, req: RenderedRequest, timeout_s: float) -> httpx.Request:
    # header values go out as UTF-8 (httpx alone accepts only ASCII, so "José" would crash the call)
    headers = {name: value.encode("utf-8") for name, value in req.headers.items()}
    return client.build_request(req.method, req.url, headers=headers, content=req.content, timeout=timeout_s)


def next_request(response: httpx.Response, action: Action) -> httpx.Request:
    """The redirect target; credentials are dropped when the origin changes."""
    nxt = response.next_request
    assert nxt is not None
    origin = response.request.url
    if (nxt.url.scheme, nxt.url.host, nxt.url.port) != (origin.scheme, origin.host, origin.port):
        nxt.headers.pop("Authorization", None)
        if isinstance(action.auth, HeaderAuth):
            nxt.headers.pop(action.auth.name, None)
        if isinstance(action.auth, BodyAuth) and nxt.content:
            raise RequestBlockedError(
                f"refused to resend body-auth credentials to another origin ({nxt.url.host}) on a "
                f"{response.status_code} redirect; point the action at the final URL"
            )
    return nxt


def classify(exc: Exception) -> tuple[str, str]:
    """An httpx exception as (error kind, message)."""
    text = str(exc) or type(exc).__name__
    chain: list[BaseException] = []
    e: BaseException | None = exc
    while e is not None and len(chain) < 8:
        chain.append(e)
        e = e.__cause__ or e.__context__
    if isinstance(exc, httpx.TimeoutException) and "handshake" in text.lower():
        return "tls", f"TLS handshake timed out (does the server speak HTTPS on this port?): {text}"
    if isinstance(exc, httpx.TimeoutException):
        return "timeout", f"timed out ({type(exc).__name__}): {text}"
    if isinstance(exc, httpx.TooManyRedirects):
        return "too_many_redirects", text
    if any(isinstance(c, ssl.SSLError) for c in chain) or "SSL" in text or "CERTIFICATE" in text.upper():
        return "tls", f"TLS failure: {text}"
    if isinstance(exc, httpx.ConnectError):
        lowered = " ".join(str(c) for c in chain).lower()
        if any(s in lowered for s in ("name or service not known", "nodename nor servname", "getaddrinfo",
                                      "name resolution", "no address associated")):
            return "dns", f"DNS lookup failed: {text}"
        return "connection_refused", f"connection failed: {text}"
    return "protocol", f"connection reset or broken response ({type(exc).__name__}): {text}"


def status_kind(status: int) -> str | None:
    if status < 400:
        return None
    if status >= 500:
        return "http_5xx"
    return f"http_{status}" if status in (400, 401, 403, 404, 405, 422, 429) else "http_4xx"


def _decode(raw: bytes, truncated: bool, content_type: str, charset: str | None) -> tuple[Any, bool]:
    """Parse as JSON when it is JSON, else keep text."""
    try:
        text = raw.decode(charset or "utf-8", errors="replace")
    except LookupError:  # an unknown charset name in Content-Type
        text = raw.decode("utf-8", errors="replace")
    if not truncated and ("json" in content_type or text.lstrip()[:1] in ("{", "[")):
        try:
            return json.loads(text), True
        except ValueError:
            pass
    return text, False


SEND_ERRORS = (RequestBlockedError, httpx.HTTPError, httpx.InvalidURL)


class Executor:
    """Runs actions and returns traces. Never raises for a failed call: the trace says what failed."""

    def __init__(
        self,
        client: httpx.Client | None = None,
        async_client: httpx.AsyncClient | None = None,
        *,
        resolver: Resolver | None = None,
        allow_link_local: bool = False,
        body_cap: int = BODY_CAP,
    ) -> None:
        self._client = client
        self._async_client = async_client
        self.resolver = resolver or env_resolver()
        self.allow_link_local = allow_link_local
        self.body_cap = body_cap

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client()
        return self._client

    @property
    def async_client(self) -> httpx.AsyncClient:
        if self._async_client is None:
            self._async_client = httpx.AsyncClient()
        return self._async_client

    # -- shared steps -------------------------------------------------------------------
    def _prepare(self, action: Action, values: Mapping[str, Any] | None, runtime: Mapping[str, Any] | None,
                 reveal: bool) -> tuple[Trace, RenderedRequest | None]:
        trace = Trace(action=action.name, tool_name=action.tool_name, arguments=dict(values or {}))
        try:
            rendered = render(action, values, runtime, self.resolver)
            trace.request = rendered.masked(reveal=reveal)
            check_destination(httpx.URL(rendered.url), allow_link_local=self.allow_link_local)
        except PlaygroundError as exc:
            return self._fail(trace, action, _ERROR_KIND.get(type(exc), "invalid_arguments"), str(exc)), None
        return trace, rendered

    def _fail(self, trace: Trace, action: Action, kind: str, message: str) -> Trace:
        trace.error = ErrorInfo(kind=kind, message=message)  # type: ignore[arg-type]
        trace.hints = diagnose(trace, action, self.resolver)
        return shape(trace, action)

    def _finish(self, trace: Trace, action: Action, rendered: RenderedRequest, response: httpx.Response,
                raw: bytes, truncated: bool, redirects: list[str], started: float, reveal: bool) -> Trace:
        elapsed = (time.perf_counter() - started) * 1000
        ctype = response.headers.get("content-type", "")
        body, is_json = _decode(raw, truncated, ctype, response.charset_encoding)
        secrets = [] if reveal else rendered.secrets
        trace.response = ResponseInfo(
            status_code=response.status_code, reason=response.reason_phrase,
            headers=scrub(dict(response.headers), secrets), body=scrub(body, secrets), is_json=is_json,
            truncated=truncated, size_bytes=len(raw), elapsed_ms=round(elapsed, 2),
            redirects=scrub(redirects, secrets),
        )
        trace.elapsed_ms = round(elapsed, 2)
        kind = status_kind(response.status_code)
        if kind is None and not is_json and raw.strip() and not truncated:
            kind = "not_json"
        if kind:
            message = f"HTTP {response.status_code} {response.reason_phrase}".strip()
            if kind == "not_json":
                message = f"the response is not JSON (content-type: {ctype or 'none'})"
            return self._fail(trace, action, kind, message)
        trace.hints = diagnose(trace, action, self.resolver)
        return shape(trace, action)  # what the model receives: the result picks, cut to max_chars

    def _send_failed(self, exc: Exception, trace: Trace, action: Action, started: float) -> Trace:
        if isinstance(exc, RequestBlockedError):
            return self._fail(trace, action, "blocked", str(exc))
        trace.elapsed_ms = round((time.perf_counter() - started) * 1000, 2)
        return self._fail(trace, action, *classify(exc))

    def _check_deadline(self, response: httpx.Response, deadline: float, timeout_s: float) -> None:
        """timeout_s bounds the whole call (every redirect hop and a slowly dripping body), not each read."""
        if time.perf_counter() > deadline:
            raise httpx.ReadTimeout(f"no complete response within {timeout_s:g} s", request=response.request)

    def _read_sync(self, response: httpx.Response, deadline: float, timeout_s: float) -> tuple[bytes, bool]:
        buf = bytearray()
        for chunk in response.iter_bytes():
            buf += chunk
            if len(buf) > self.body_cap:
                return bytes(buf[: self.body_cap]), True
            self._check_deadline(response, deadline, timeout_s)
        return bytes(buf), False

    async def _read_async(self, response: httpx.Response, deadline: float, timeout_s: float) -> tuple[bytes, bool]:
        buf = bytearray()
        async for chunk in response.aiter_bytes():
            buf += chunk
            if len(buf) > self.body_cap:
                return bytes(buf[: self.body_cap]), True
            self._check_deadline(response, deadline, timeout_s)
        return bytes(buf), False

    def _redirect(self, response: httpx.Response, action: Action, redirects: list[str],
                  deadline: float) -> httpx.Request | None:
        if not response.has_redirect_location:
            return None
        if len(redirects) >= MAX_REDIRECTS:
            raise httpx.TooManyRedirects(f"exceeded {MAX_REDIRECTS} redirects", request=response.request)
        self._check_deadline(response, deadline, action.timeout_s)
        nxt = next_request(response, action)
        check_destination(nxt.url, allow_link_local=self.allow_link_local)
        nxt.extensions["timeout"] = httpx.Timeout(max(deadline - time.perf_counter(), 0.001)).as_dict()
        redirects.append(str(nxt.url))
        return nxt

    # -- public API ---------------------------------------------------------------------
    def execute(self, action: Action, values: Mapping[str, Any] | None = None,
                runtime: Mapping[str, Any] | None = None, *, reveal: bool = False) -> Trace:
        trace, rendered = self._prepare(action, values, runtime, reveal)
        if rendered is None:
            return trace
        started = time.perf_counter()
        deadline = started + action.timeout_s
        redirects: list[str] = []
        try:
            request: httpx.Request | None = build_request(self.client, rendered, action.timeout_s)
            while request is not None:
                # follow_redirects=False even if the injected client follows: each hop is checked here
                response = self.client.send(request, stream=True, follow_redirects=False)
                try:
                    request = self._redirect(response, action, redirects, deadline)
                    if request is None:
                        raw, truncated = self._read_sync(response, deadline, action.timeout_s)
                finally:
                    response.close()
        except SEND_ERRORS as exc:
            return self._send_failed(exc, trace, action, started)
        return self._finish(trace, action, rendered, response, raw, truncated, redirects, started, reveal)

    async def aexecute(self, action: Action, values: Mapping[str, Any] | None = None,
                       runtime: Mapping[str, Any] | None = None, *, reveal: bool = False) -> Trace:
        trace, rendered = self._prepare(action, values, runtime, reveal)
        if rendered is None:
            return trace
        started = time.perf_counter()
        deadline = started + action.timeout_s
        redirects: list[str] = []
        try:
            request: httpx.Request | None = build_request(self.async_client, rendered, action.timeout_s)
            while request is not None:
                response = await self.async_client.send(request, stream=True, follow_redirects=False)
                try:
                    request = self._redirect(response, action, redirects, deadline)
                    if request is None:
                        raw, truncated = await self._read_async(response, deadline, action.timeout_s)
                finally:
                    await response.aclose()
        except SEND_ERRORS as exc:
            return self._send_failed(exc, trace, action, started)
        return self._finish(trace, action, rendered, response, raw, truncated, redirects, started, reveal)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()


def execute(action: Action, values: Mapping[str, Any] | None = None, runtime: Mapping[str, Any] | None = None,
            *, client: httpx.Client | None = None, resolver: Resolver | None = None,
            allow_link_local: bool = False, reveal: bool = False) -> Trace:
    """Run one action once (convenience wrapper over :class:`Executor`)."""
    executor = Executor(client, resolver=resolver, allow_link_local=allow_link_local)
    try:
        return executor.execute(action, values, runtime, reveal=reveal)
    finally:
        if client is None:  # the executor made its own client: do not leak its connections
            executor.close()
