"""OAuth2 client credentials as an ``httpx.Auth``: a token is fetched with the executor's own client, cached
until it expires, and fetched again once when the API answers 401. authlib speaks the protocol (the token
request, client authentication, token and error parsing); this module adds the cache and the trace steps.

Each token request becomes a step of the call's trace, with the client secret, the Basic credentials and
the access token masked.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
import time
from typing import Any, AsyncGenerator, Generator
from urllib.parse import parse_qsl

import httpx
from authlib.oauth2.base import OAuth2Error
from authlib.oauth2.client import OAuth2Client
from authlib.oauth2.rfc6749 import OAuth2Token
from authlib.oauth2.rfc6749.parameters import prepare_token_request

from .action import Action, OAuth2ClientCredentials
from .errors import OAuthTokenError
from .render import RenderedRequest, auth_parts
from .secret import Resolver, mask, resolve, scrub
from .trace import ErrorInfo, ResponseInfo, Trace

_METHODS = {"basic": "client_secret_basic", "post": "client_secret_post"}
#: a token response larger than this is not a token response
TOKEN_BODY_CAP = 64 * 1024


def credentials(auth: OAuth2ClientCredentials, resolver: Resolver | None) -> tuple[str, str]:
    """(client_id, client_secret), resolved; SecretError names an unset env var."""
    return (resolve(auth.client_id, resolver, field="auth.client_id"),
            resolve(auth.client_secret, resolver, field="auth.client_secret"))


class TokenCache:
    """Tokens by token endpoint, client and scope; one per executor, shared by its calls (sync and async)."""

    def __init__(self) -> None:
        self._tokens: dict[str, OAuth2Token] = {}
        self._thread_locks: dict[str, threading.Lock] = {}
        self._async_locks: dict[str, asyncio.Lock] = {}
        self.fetches = 0  # token requests sent, for the debug view and tests

    @staticmethod
    def key(auth: OAuth2ClientCredentials, client_id: str, client_secret: str) -> str:
        digest = hashlib.sha256(client_secret.encode()).hexdigest()[:16]  # a new secret means a new token
        return "\n".join((auth.token_url, client_id, auth.scope, auth.client_auth, digest))

    def get(self, key: str) -> OAuth2Token | None:
        token = self._tokens.get(key)
        if token is None:
            return None
        lifetime = float(token.get("expires_in") or 0)
        leeway = int(min(30.0, lifetime / 10)) if lifetime else 0  # a 60 s token is still good for 54 s
        return None if token.is_expired(leeway=leeway) else token

    def put(self, key: str, token: OAuth2Token) -> None:
        self._tokens[key] = token

    def drop(self, key: str, token: OAuth2Token | None) -> None:
        if token is not None and self._tokens.get(key) is token:
            del self._tokens[key]

    def thread_lock(self, key: str) -> threading.Lock:
        return self._thread_locks.setdefault(key, threading.Lock())

    def async_lock(self, key: str) -> asyncio.Lock:
        return self._async_locks.setdefault(key, asyncio.Lock())

    def clear(self) -> None:
        self._tokens.clear()


class ClientCredentialsAuth(httpx.Auth):
    """The auth of one call. ``steps`` are the token requests it made, as masked traces."""

    def __init__(self, action: Action, resolver: Resolver | None, cache: TokenCache, *, reveal: bool = False) -> None:
        assert isinstance(action.auth, OAuth2ClientCredentials)
        self.action, self.spec, self.cache = action, action.auth, cache
        self.client_id, self.client_secret = credentials(self.spec, resolver)
        self.key = cache.key(self.spec, self.client_id, self.client_secret)
        self.secrets = auth_parts(action, resolver)[2]  # the secret, the Basic form, a client id from env:
        self.reveal = reveal
        self.steps: list[Trace] = []
        self.token: OAuth2Token | None = None
        self.origin = httpx.URL(action.url).copy_with(path="/", query=None, fragment=None)
        self._client = OAuth2Client(None, client_id=self.client_id, client_secret=self.client_secret,
                                    token_endpoint_auth_method=_METHODS[self.spec.client_auth], scope=self.spec.scope)
        self._started = 0.0

    # -- the token request ----------------------------------------------------------------
    def _token_request(self) -> httpx.Request:
        body = prepare_token_request("client_credentials", scope=self.spec.scope or None)
        headers = {"Accept": "application/json", "Content-Type": "application/x-www-form-urlencoded"}
        url, headers, body = self._client.client_auth(_METHODS[self.spec.client_auth]).prepare(
            "POST", self.spec.token_url, headers, body)
        request = httpx.Request("POST", url, headers=headers, content=body.encode())
        shown = self._mask({"method": "POST", "url": url, "headers": dict(headers), "query": {},
                            "body": dict(parse_qsl(body))})
        self.steps.append(Trace(action=f"{self.action.name}: OAuth2 token", tool_name=self.action.tool_name,
                                request=RenderedRequest(**shown, body_format="form", secrets_masked=not self.reveal)))
        self._started = time.perf_counter()
        return request

    def _mask(self, value: Any) -> Any:
        if self.reveal:
            return value
        out = scrub(value, self.secrets + ([self.token["access_token"]] if self.token else []))
        if isinstance(out, dict) and isinstance(out.get("headers"), dict) and "Authorization" in out["headers"]:
            scheme, _, cred = out["headers"]["Authorization"].partition(" ")
            out["headers"]["Authorization"] = f"{scheme} {mask(cred) if not cred.startswith('****') else cred}"
        return out

    def _take(self, response: httpx.Response) -> OAuth2Token:
        """Parse the token response (authlib), record the step, and cache the token; OAuthTokenError if refused."""
        step = self.steps[-1]
        elapsed = round((time.perf_counter() - self._started) * 1000, 2)
        step.elapsed_ms = elapsed
        try:
            body: Any = response.json()
        except ValueError:
            body = response.text[:2000]
        error: OAuthTokenError | None = None
        token: OAuth2Token | None = None
        try:
            token = self._client.parse_response_token(response)
            if not token.get("access_token"):
                raise ValueError("the response has no access_token")
        except OAuth2Error as exc:
            error = OAuthTokenError(f"the token endpoint refused: {exc.error}"
                                    + (f" ({exc.description})" if exc.description else ""), exc.error or "")
        except (httpx.HTTPStatusError, ValueError) as exc:
            what = str(exc).splitlines()[0] if not isinstance(exc, httpx.HTTPStatusError) else \
                f"HTTP {response.status_code} {response.reason_phrase}"
            error = OAuthTokenError(f"{self.spec.token_url} is not a working token endpoint: {what}", "bad_endpoint")
        if token is not None and error is None:
            self.token = token
            self.cache.put(self.key, token)
            self.cache.fetches += 1
            self.secrets.append(token["access_token"])
        step.response = ResponseInfo(
            status_code=response.status_code, reason=response.reason_phrase,
            headers=self._mask(dict(response.headers)), body=self._mask(body), is_json=not isinstance(body, str),
            size_bytes=len(response.content), elapsed_ms=elapsed)
        if error is not None:
            step.error = ErrorInfo(kind="oauth_token", message=str(error))
            raise error
        assert token is not None
        return token

    def _read_checked(self, response: httpx.Response) -> None:
        size = int(response.headers.get("content-length") or 0)
        if size > TOKEN_BODY_CAP:
            raise OAuthTokenError(f"{self.spec.token_url} answered {size} bytes, not a token response; check "
                                  "auth.token_url", "bad_endpoint")

    def _apply(self, request: httpx.Request, token: OAuth2Token) -> None:
        """The bearer token goes only to the action's own origin (not to a redirect elsewhere)."""
        url = request.url
        if (url.scheme, url.host, url.port) == (self.origin.scheme, self.origin.host, self.origin.port):
            request.headers["Authorization"] = f"Bearer {token['access_token']}"
        else:
            request.headers.pop("Authorization", None)

    # -- the flows (one per I/O style; the same steps) --------------------------------------
    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        fresh = False
        with self.cache.thread_lock(self.key):
            token = self.cache.get(self.key)
            if token is None:
                response = yield self._token_request()
                self._read_checked(response)
                response.read()
                token, fresh = self._take(response), True
        self.token = token
        self._apply(request, token)
        response = yield request
        if response.status_code == 401 and not fresh:  # a cached token the API no longer takes: once more
            self.cache.drop(self.key, token)
            with self.cache.thread_lock(self.key):
                token = self.cache.get(self.key)
                if token is None:
                    token_response = yield self._token_request()
                    self._read_checked(token_response)
                    token_response.read()
                    token = self._take(token_response)
            self._apply(request, token)
            yield request

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        fresh = False
        async with self.cache.async_lock(self.key):
            token = self.cache.get(self.key)
            if token is None:
                response = yield self._token_request()
                self._read_checked(response)
                await response.aread()
                token, fresh = self._take(response), True
        self.token = token
        self._apply(request, token)
        response = yield request
        if response.status_code == 401 and not fresh:
            self.cache.drop(self.key, token)
            async with self.cache.async_lock(self.key):
                token = self.cache.get(self.key)
                if token is None:
                    token_response = yield self._token_request()
                    self._read_checked(token_response)
                    await token_response.aread()
                    token = self._take(token_response)
            self._apply(request, token)
            yield request

    # -- after the call -----------------------------------------------------------------------
    def pending_step(self) -> Trace | None:
        """The token request that was sent but never answered (the call failed inside it), if any."""
        if self.steps and self.steps[-1].response is None and self.steps[-1].error is None:
            return self.steps[-1]
        return None

    def shown_authorization(self) -> str | None:
        """The Authorization header the API got, masked unless revealed."""
        if self.token is None:
            return None
        value = self.token["access_token"]
        return f"Bearer {value if self.reveal else mask(value)}"


def hint(trace: Trace, auth: OAuth2ClientCredentials, sources: str) -> str:
    """Developer text for a failed token request: a wrong token URL, invalid_client, invalid_scope, or other.
    ``sources``: where the credentials came from (env var set or not, literal)."""
    message = trace.error.message if trace.error else ""
    step = trace.steps[-1] if trace.steps else None
    status = step.response.status_code if step is not None and step.response is not None else None
    if "invalid_client" in message:
        return (f"The token endpoint rejected the client (invalid_client): check auth.client_id and "
                f"auth.client_secret ({sources}), that this client may use the client_credentials grant, and how the "
                f"endpoint wants them: auth.client_auth is {auth.client_auth!r} (basic = HTTP Basic header, "
                "post = client_id and client_secret in the form).")
    if "invalid_scope" in message:
        return (f"The token endpoint refused the scope {auth.scope!r} (invalid_scope): set auth.scope to a scope this "
                "client is granted (space-separated), or leave it empty for the client's default scopes.")
    if "unauthorized_client" in message or "unsupported_grant_type" in message:
        return ("This client may not use the client_credentials grant at this token endpoint: enable it for the "
                "client in the provider's console, or use the auth type the API documents.")
    if step is not None and step.response is None or "bad_endpoint" in message or "not a working token endpoint" \
            in message or status in (404, 405):
        return (f"auth.token_url ({auth.token_url}) is not a working OAuth2 token endpoint"
                + (f": it answered {status}" if status else ": nothing answered there")
                + ". Copy the token URL from the provider's documentation (often .../oauth/token or "
                  "/oauth2/v2.0/token); it takes a form POST and answers JSON with an access_token.")
    return f"The OAuth2 token request failed: {message}. Check auth.token_url, auth.client_id and auth.client_secret."
