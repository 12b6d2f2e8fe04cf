"""What went wrong, as an error kind and a one-line message: from an exception, a status, a body."""

from __future__ import annotations

import ssl
from typing import Any

import httpx

from ..errors import (InvalidRequestError, OAuthTokenError, PlaygroundError, RequestBlockedError, SecretError,
                      SecretValueError, TemplateError, VariableError)
from .redirects import InsecureRedirectError
from .body import MAX_RATIO, Body

CONNECT_TIMEOUT = "connect timeout"
ERROR_KIND = {VariableError: "invalid_arguments", TemplateError: "unreplaced_placeholder",
              InvalidRequestError: "invalid_request", SecretError: "secret_missing", RequestBlockedError: "blocked",
              SecretValueError: "secret_invalid", InsecureRedirectError: "insecure_redirect",
              OAuthTokenError: "oauth_token"}
_DNS_TEXT = ("name or service not known", "nodename nor servname", "getaddrinfo", "name resolution",
             "no address associated", "temporary failure in name resolution")


def error_kind(exc: PlaygroundError) -> str:
    """The kind of an error raised before anything was sent."""
    for cls in type(exc).__mro__:
        if cls in ERROR_KIND:
            return ERROR_KIND[cls]
    return "invalid_arguments"


def _chain(exc: BaseException) -> list[BaseException]:
    out: list[BaseException] = []
    e: BaseException | None = exc
    while e is not None and len(out) < 8:
        out.append(e)
        e = e.__cause__ or e.__context__
    return out


def classify(exc: Exception, timeout_s: float | None = None) -> tuple[str, str]:
    """An exception raised while sending, as (error kind, message)."""
    text = str(exc) or type(exc).__name__
    within = f"within {timeout_s:g} s" if timeout_s is not None else "in time"
    chain = _chain(exc)
    if isinstance(exc, PlaygroundError):
        return error_kind(exc), text
    if isinstance(exc, httpx.PoolTimeout):
        return "pool_timeout", (f"waited {timeout_s or 0:g} s for a free connection in the playground's pool "
                                "(too many calls at once); nothing was sent")
    if isinstance(exc, httpx.TimeoutException) and "handshake" in text.lower():
        return "tls", f"TLS handshake timed out (does the server speak HTTPS on this port?): {text}"
    if isinstance(exc, httpx.ConnectTimeout):
        return "timeout", f"{CONNECT_TIMEOUT}: no answer to the connection attempt {within}"
    if isinstance(exc, httpx.TimeoutException):
        return "timeout", f"no complete response {within} ({type(exc).__name__})"
    if isinstance(exc, httpx.TooManyRedirects):
        return "too_many_redirects", text
    if isinstance(exc, httpx.LocalProtocolError):  # h11 refused to write it: nothing was sent
        return "invalid_request", f"the request could not be sent as HTTP: {text}"
    if any(isinstance(c, ssl.SSLError) for c in chain) or "SSL" in text or "CERTIFICATE" in text.upper():
        return "tls", f"TLS failure: {text}"
    if isinstance(exc, httpx.ConnectError):
        lowered = " ".join(str(c) for c in chain).lower()
        if any(s in lowered for s in _DNS_TEXT):
            return "dns", f"DNS lookup failed: {text}"
        return "connection_refused", f"connection failed: {text}"
    if isinstance(exc, httpx.DecodingError):
        return "bad_encoding", f"the response body could not be decoded: {text}"
    if isinstance(exc, httpx.InvalidURL) or any(s in text.lower() for s in ("location header", "redirect location")):
        return "protocol", f"the server redirected to an invalid URL: {text}"
    return "protocol", f"connection reset or broken response ({type(exc).__name__}): {text}"


def status_kind(status: int) -> str | None:
    if status < 400:
        return None
    if status >= 500:
        return "http_5xx"
    return f"http_{status}" if status in (400, 401, 403, 404, 405, 422, 429) else "http_4xx"


def body_kind(status: int, ctype: str, body: Body, parsed: Any, is_json: bool) -> tuple[str, str] | None:
    """A problem with a response body (checked before the status: a bomb is worse than a 500)."""
    if body.bomb:
        return "decompression_bomb", (
            f"the response ({'+'.join(body.encodings)}, {body.encoded_bytes} bytes on the wire) expands more than "
            f"{MAX_RATIO}x past the body cap; reading stopped at {len(body.data)} decoded bytes")
    if body.decode_error:
        return "bad_encoding", (f"the response claims Content-Encoding {', '.join(body.encodings)} but its bytes "
                                f"are corrupt ({body.decode_error})")
    if body.undecoded:
        return "bad_encoding", (f"the response uses Content-Encoding {body.undecoded}, which was not asked for "
                                "and cannot be decoded")
    if status_kind(status) or is_json or body.truncated:
        return None
    if not body.data.strip():
        if status == 200 and "json" in ctype:
            return "not_json", f"the response is empty although its Content-Type is {ctype}"
        return None
    if "json" in ctype and isinstance(parsed, str) and parsed.lstrip()[:1] == "<":
        return "not_json", f"the response is HTML or XML although its Content-Type is {ctype}"
    return "not_json", f"the response is not JSON (content-type: {ctype or 'none'})"
