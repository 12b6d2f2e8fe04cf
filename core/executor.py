"""rendered request -> httpx -> trace. Layered like httpx: render, build, send, trace.

One shared client is injected (sync and async paths). Redirects are followed by hand so
that credentials are dropped on a redirect to another origin and every hop is checked.
"""

from __future__ import annotations

import ipaddress
import json
import ssl
import time
from typing import Any, Callable, Mapping

import httpx

from .action import Action, HeaderAuth
from .diagnose import diagnose
from .errors import PlaygroundError, RequestBlockedError, SecretError, TemplateError, VariableError
from .render import RenderedRequest, render
from .secret import Resolver, env_resolver, scrub
from .trace import ErrorInfo, ResponseInfo, Trace

BODY_CAP = 256 * 1024
MAX_REDIRECTS = 10
METADATA_HOSTS = {"metadata.google.internal", "metadata", "instance-data", "instance-data.ec2.internal",
                  "metadata.azure.com", "metadata.packet.net"}
_LINK_LOCAL = [ipaddress.ip_network("169.254.0.0/16"), ipaddress.ip_network("fe80::/10"),
               ipaddress.ip_network("fd00:ec2::254/128")]
_ERROR_KIND = {VariableError: "invalid_arguments", TemplateError: "unreplaced_placeholder",
               SecretError: "secret_missing", RequestBlockedError: "blocked"}


def check_destination(url: httpx.URL, *, allow_link_local: bool = False) -> None:
    """Refuse link-local and cloud-metadata destinations unless explicitly allowed."""
    if allow_link_local:
        return
    host = url.host.lower().rstrip(".")
    try:
        blocked = any(ipaddress.ip_address(host) in net for net in _LINK_LOCAL)
    except ValueError:
        blocked = host in METADATA_HOSTS
    if blocked:
        raise RequestBlockedError(
            f"refused to call {host}: link-local and cloud-metadata addresses are blocked; "
            "allow them explicitly (--allow-link-local) if you really mean to"
        )


def build_request(client: httpx.Client | httpx.AsyncClient, req: RenderedRequest, timeout_s: float) -> httpx.Request:
    return client.build_request(req.method, req.url, headers=req.headers, content=req.content, timeout=timeout_s)


def next_request(response: httpx.Response, action: Action) -> httpx.Request:
    """The redirect target; credentials are dropped when the origin changes."""
    nxt = response.next_request
    assert nxt is not None
    origin = response.request.url
    if (nxt.url.scheme, nxt.url.host, nxt.url.port) != (origin.scheme, origin.host, origin.port):
        nxt.headers.pop("Authorization", None)
        if isinstance(action.auth, HeaderAuth):
            nxt.headers.pop(action.auth.name, None)
    return nxt


def classify(exc: Exception) -> tuple[str, str]:
    """An httpx exception as (error kind, message)."""
    text = str(exc) or type(exc).__name__
    chain: list[BaseException] = []
    e: BaseException | None = exc
    while e is not None and len(chain) < 8:
        chain.append(e)
        e = e.__cause__ or e.__context__
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
    text = raw.decode(charset or "utf-8", errors="replace")
    if not truncated and ("json" in content_type or text.lstrip()[:1] in ("{", "[")):
        try:
            return json.loads(text), True
        except ValueError:
            pass
    return text, False


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
        return trace

    def _finish(self, trace: Trace, action: Action, rendered: RenderedRequest, response: httpx.Response,
                raw: bytes, truncated: bool, redirects: list[str], started: float, reveal: bool) -> Trace:
        elapsed = (time.perf_counter() - started) * 1000
        ctype = response.headers.get("content-type", "")
        body, is_json = _decode(raw, truncated, ctype, response.charset_encoding)
        secrets = [] if reveal else rendered.secrets
        trace.response = ResponseInfo(
            status_code=response.status_code, reason=response.reason_phrase,
            headers=scrub(dict(response.headers), secrets), body=scrub(body, secrets), is_json=is_json,
            truncated=truncated, size_bytes=len(raw), elapsed_ms=round(elapsed, 2), redirects=redirects,
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
        return trace

    def _read_sync(self, response: httpx.Response) -> tuple[bytes, bool]:
        buf = bytearray()
        for chunk in response.iter_bytes():
            buf += chunk
            if len(buf) > self.body_cap:
                return bytes(buf[: self.body_cap]), True
        return bytes(buf), False

    async def _read_async(self, response: httpx.Response) -> tuple[bytes, bool]:
        buf = bytearray()
        async for chunk in response.aiter_bytes():
            buf += chunk
            if len(buf) > self.body_cap:
                return bytes(buf[: self.body_cap]), True
        return bytes(buf), False

    def _redirect(self, response: httpx.Response, action: Action, redirects: list[str]) -> httpx.Request | None:
        if not response.has_redirect_location:
            return None
        if len(redirects) >= MAX_REDIRECTS:
            raise httpx.TooManyRedirects(f"exceeded {MAX_REDIRECTS} redirects", request=response.request)
        nxt = next_request(response, action)
        check_destination(nxt.url, allow_link_local=self.allow_link_local)
        redirects.append(str(nxt.url))
        return nxt

    # -- public API ---------------------------------------------------------------------
    def execute(self, action: Action, values: Mapping[str, Any] | None = None,
                runtime: Mapping[str, Any] | None = None, *, reveal: bool = False) -> Trace:
        trace, rendered = self._prepare(action, values, runtime, reveal)
        if rendered is None:
            return trace
        started = time.perf_counter()
        request: httpx.Request | None = build_request(self.client, rendered, action.timeout_s)
        redirects: list[str] = []
        try:
            while request is not None:
                response = self.client.send(request, stream=True)
                try:
                    request = self._redirect(response, action, redirects)
                    if request is None:
                        raw, truncated = self._read_sync(response)
                finally:
                    response.close()
        except RequestBlockedError as exc:
            return self._fail(trace, action, "blocked", str(exc))
        except httpx.HTTPError as exc:
            trace.elapsed_ms = round((time.perf_counter() - started) * 1000, 2)
            return self._fail(trace, action, *classify(exc))
        return self._finish(trace, action, rendered, response, raw, truncated, redirects, started, reveal)

    async def aexecute(self, action: Action, values: Mapping[str, Any] | None = None,
                       runtime: Mapping[str, Any] | None = None, *, reveal: bool = False) -> Trace:
        trace, rendered = self._prepare(action, values, runtime, reveal)
        if rendered is None:
            return trace
        started = time.perf_counter()
        request: httpx.Request | None = build_request(self.async_client, rendered, action.timeout_s)
        redirects: list[str] = []
        try:
            while request is not None:
                response = await self.async_client.send(request, stream=True)
                try:
                    request = self._redirect(response, action, redirects)
                    if request is None:
                        raw, truncated = await self._read_async(response)
                finally:
                    await response.aclose()
        except RequestBlockedError as exc:
            return self._fail(trace, action, "blocked", str(exc))
        except httpx.HTTPError as exc:
            trace.elapsed_ms = round((time.perf_counter() - started) * 1000, 2)
            return self._fail(trace, action, *classify(exc))
        return self._finish(trace, action, rendered, response, raw, truncated, redirects, started, reveal)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()


def execute(action: Action, values: Mapping[str, Any] | None = None, runtime: Mapping[str, Any] | None = None,
            *, client: httpx.Client | None = None, resolver: Resolver | None = None,
            allow_link_local: bool = False, reveal: bool = False) -> Trace:
    """Run one action once (convenience wrapper over :class:`Executor`)."""
    return Executor(client, resolver=resolver, allow_link_local=allow_link_local).execute(
        action, values, runtime, reveal=reveal)
