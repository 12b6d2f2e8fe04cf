"""rendered request -> httpx -> trace. Layered like httpx: render, build, send, trace.

One shared client is injected (sync and async paths); :func:`core.http.transport.guard` installs the
network guard in its connection pool (resolved addresses checked, deadline on every read). Redirects
are followed by hand so that every hop is checked and credentials never go where they should not.

Seams for other layers (see /work/NOTES.md):
- ``Executor(client=..., async_client=...)``: inject any httpx client (a replay transport works; a
  client with an httpcore pool gets the guard installed).
- ``_attempt`` / ``_aattempt``: ONE send (with its redirects and body read) -> :class:`Outcome`;
  the retry layer (core.retry, an action's ``retry``) loops over it; ``_settle`` turns the last outcome
  into the trace (``_conclude``), with the attempts, the OAuth2 token steps and what the model receives.
- Every trace leaves through ``_conclude`` or ``_fail``, which scrub it with the call's secrets.
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field
from typing import Any, Mapping

import httpx

from .action import Action, OAuth2ClientCredentials
from .diagnose import diagnose
from .errors import PlaygroundError
from .http import body as body_mod
from .http.body import Body
from .http.classify import body_kind, classify, error_kind, status_kind  # noqa: F401 (classify, status_kind: API)
from .http.guard import check_host
from .http.redirects import MAX_REDIRECTS, next_request
from .http.send import asend, send
from .http.transport import (ACCEPT_ENCODING, HostResolver, guard, make_async_client, make_client, policy)
from .http.response import decode_text, header_dict, set_cookies  # noqa: F401 (decode_text: API)
from .http.url import wire_url
from .instances import construct
from .oauth import ClientCredentialsAuth, TokenCache
from .render import RenderedRequest, auth_parts, render
from .result import shape
from .retry import RetryPlan, Verdict
from .secret import Resolver, Scrubber, default_resolver
from .trace import ErrorInfo, ResponseInfo, Trace, new_trace

BODY_CAP = 256 * 1024
SEND_ERRORS = (PlaygroundError, httpx.HTTPError, httpx.InvalidURL, httpx.StreamError, ValueError, UnicodeError)
#: httpx extensions between the executor and an injected transport (e.g. core.recording's replay): the request
#: carries its masked RenderedRequest; a response may say how it was delivered (see core.trace.Delivery).
MASKED_REQUEST = "playground.masked_request"
DELIVERY = "playground.delivery"


def check_destination(url: httpx.URL, *, allow_link_local: bool = False) -> None:
    """Refuse link-local and cloud-metadata hosts written in a URL (resolved names: see core.http.transport)."""
    check_host(url.host, allow_link_local=allow_link_local)


def build_request(client: httpx.Client | httpx.AsyncClient, req: RenderedRequest, timeout_s: float,
                  cookies: httpx.Cookies | None = None, *, url: httpx.URL | None = None,
                  masked: RenderedRequest | None = None) -> httpx.Request:
    """The request exactly as rendered, over the client's default headers; never the client's cookie jar.
    ``url`` and ``masked``: the parsed URL and the masked request when the caller has them already."""
    merged = {k.lower(): (k, v) for k, v in client.headers.raw}
    merged[b"accept-encoding"] = (b"Accept-Encoding", ACCEPT_ENCODING)  # only what core.http.body bounds
    for name, value in req.headers.items():
        key = name.encode("ascii")
        # header values go out as UTF-8 (httpx alone accepts only ASCII, so "José" would crash the call)
        merged[key.lower()] = (key, value.encode("utf-8"))
    request = httpx.Request(req.method, url or req.url, headers=list(merged.values()), content=req.content,
                            extensions={"timeout": dict.fromkeys(("connect", "read", "write", "pool"), timeout_s),
                                        MASKED_REQUEST: masked or req.masked()})
    request.method = req.method  # httpx upper-cases it; an extension method is sent as written (case matters)
    if cookies:  # an empty jar has nothing to add
        cookies.set_cookie_header(request)
    return request


@dataclass
class Call:
    """One call in flight: what was rendered, its secrets, its deadline, its cookie jar."""

    action: Action
    trace: Trace
    rendered: RenderedRequest
    scrubber: Scrubber
    cookies: httpx.Cookies
    url: httpx.URL
    masked: RenderedRequest
    started: float = field(default_factory=time.monotonic)
    redirects: list[str] = field(default_factory=list)
    cookies_set: dict[str, str] = field(default_factory=dict)
    auth: ClientCredentialsAuth | None = None  # OAuth2: fetches, caches and applies the token
    plan: RetryPlan[Outcome] | None = None  # the action's retry policy and its attempts

    @property
    def deadline(self) -> float:
        return self.started + self.action.timeout_s

    def remaining(self) -> float:
        return max(self.deadline - time.monotonic(), 0.001)


@dataclass
class Outcome:
    """The result of one attempt: a response and its body, or an error (kind, message)."""

    response: httpx.Response | None = None
    body: Body | None = None
    error: tuple[str, str] | None = None
    delivery: str | None = "sent"  # see core.trace.Delivery: dry_run / held = deliberately not sent (no retry)
    note: str = ""  # why it was not sent


def outcome_of(exc: Exception, timeout_s: float) -> Outcome:
    """A send that raised: classified, unless an injected transport said how it handled the request (a dry
    run or a request held back: not sent on purpose; a recorded failure replayed; a replay mismatch)."""
    delivery = getattr(exc, "delivery", "sent")
    if delivery in ("dry_run", "held"):
        return Outcome(delivery=delivery, note=str(exc))
    return Outcome(error=getattr(exc, "playground_error", None) or classify(exc, timeout_s), delivery=delivery)


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
        resolve_host: HostResolver | None = None,
    ) -> None:
        self._client = client
        self._async_client = async_client
        for c in (client, async_client):
            if c is not None:
                guard(c)
        self.resolver = resolver or default_resolver()  # the environment, then .streamlit/secrets.toml
        self.allow_link_local = allow_link_local
        self.body_cap = body_cap
        self.resolve_host = resolve_host
        self.tokens = TokenCache()  # OAuth2 tokens, shared by this executor's calls

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            self._client = make_client()
        return self._client

    @property
    def async_client(self) -> httpx.AsyncClient:
        if self._async_client is None:
            self._async_client = make_async_client()
        return self._async_client

    def using(self, transport: Any) -> "Executor":
        """A copy of this executor (same resolver and checks) whose clients send through ``transport``, an
        httpx transport for both sync and async use (e.g. core.recording's replay or dry run). Close its
        clients when done (``close`` and ``async_client.aclose``)."""
        clone = copy.copy(self)
        clone._client = httpx.Client(transport=transport)
        clone._async_client = httpx.AsyncClient(transport=transport)
        return clone

    # -- shared steps -------------------------------------------------------------------
    def _start(self, action: Action, values: Mapping[str, Any] | None, runtime: Mapping[str, Any] | None,
               reveal: bool, cookies: httpx.Cookies | None) -> Call | Trace:
        """Render and check the request; a finished trace when nothing can be sent."""
        trace = new_trace(action.name, action.tool_name, dict(values or {}))
        try:
            rendered = render(action, values, runtime, self.resolver)
            masked = rendered.masked()
            trace.request = rendered.masked(reveal=True) if reveal else masked
            url = wire_url(rendered)  # parsed once: checked here, sent as is
            check_destination(url, allow_link_local=self.allow_link_local)
            auth = ClientCredentialsAuth(action, self.resolver, self.tokens, reveal=reveal) \
                if isinstance(action.auth, OAuth2ClientCredentials) else None
        except PlaygroundError as exc:
            return shape(self._fail(trace, action, error_kind(exc), str(exc), self._scrubber(action, reveal)), action)
        scrubber = Scrubber([] if reveal else rendered.secrets)
        call = Call(action, trace, rendered, scrubber, cookies if cookies is not None else httpx.Cookies(), url,
                    masked, auth=auth)
        if action.retry is not None:
            call.plan = RetryPlan(action, _verdict, call.remaining)
        return call

    def _scrubber(self, action: Action, reveal: bool) -> Scrubber:
        """The secrets of an action whose render failed (best effort: an unset one cannot leak)."""
        if reveal:
            return Scrubber([])
        try:
            return Scrubber(auth_parts(action, self.resolver)[2])
        except PlaygroundError:
            return Scrubber([])

    def _fail(self, trace: Trace, action: Action, kind: str, message: str, scrubber: Scrubber,
              url: str | None = None) -> Trace:
        trace.error = ErrorInfo(kind=kind, message=message, url=url)  # type: ignore[arg-type]
        trace.hints = diagnose(trace, action, self.resolver)
        return trace.scrub(scrubber)

    def _policy(self, call: Call) -> Any:
        return policy(allow_link_local=self.allow_link_local, timeout_s=call.action.timeout_s,
                      resolve=self.resolve_host)

    def _hop(self, call: Call, response: httpx.Response) -> httpx.Request | None:
        """Record the response's cookies; the next request when it redirects, else None."""
        if "set-cookie" in response.headers:
            call.cookies.extract_cookies(response)
            call.cookies_set.update(set_cookies(response))
        if not response.has_redirect_location:
            return None
        if len(call.redirects) >= MAX_REDIRECTS:
            raise httpx.TooManyRedirects(f"exceeded {MAX_REDIRECTS} redirects", request=response.request)
        nxt = next_request(response, call.action, call.rendered.content, call.cookies,
                           allow_link_local=self.allow_link_local)
        nxt.extensions["timeout"] = httpx.Timeout(call.remaining()).as_dict()
        call.redirects.append(str(nxt.url))
        return nxt

    def _attempt(self, call: Call) -> Outcome:
        """One send (its redirects followed, its body read), sync."""
        client = self.client
        try:
            call.redirects.clear()  # a retried attempt follows its own redirects
            request: httpx.Request | None = build_request(client, call.rendered, call.remaining(), call.cookies,
                                                          url=call.url, masked=call.masked)
            while request is not None:
                # follow_redirects=False even if the injected client follows: each hop is checked here
                response = send(client, request, call.auth)
                try:
                    request = self._hop(call, response)
                    if request is None:
                        body = body_mod.read_body(response, self.body_cap, call.deadline, call.action.timeout_s)
                        return Outcome(response, body, delivery=response.extensions.get(DELIVERY, "sent"))
                finally:
                    response.close()
        except SEND_ERRORS as exc:
            return outcome_of(exc, call.action.timeout_s)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _aattempt(self, call: Call) -> Outcome:
        """One send (its redirects followed, its body read), async."""
        client = self.async_client
        try:
            call.redirects.clear()  # a retried attempt follows its own redirects
            request: httpx.Request | None = build_request(client, call.rendered, call.remaining(), call.cookies,
                                                          url=call.url, masked=call.masked)
            while request is not None:
                response = await asend(client, request, call.auth)
                try:
                    request = self._hop(call, response)
                    if request is None:
                        body = await body_mod.aread_body(response, self.body_cap, call.deadline,
                                                         call.action.timeout_s)
                        return Outcome(response, body, delivery=response.extensions.get(DELIVERY, "sent"))
                finally:
                    await response.aclose()
        except SEND_ERRORS as exc:
            return outcome_of(exc, call.action.timeout_s)
        raise AssertionError("unreachable")  # pragma: no cover

    def _conclude(self, call: Call, outcome: Outcome) -> Trace:
        trace, action = call.trace, call.action
        elapsed = round((time.monotonic() - call.started) * 1000, 2)
        trace.elapsed_ms = elapsed
        trace.delivery = outcome.delivery  # type: ignore[assignment]
        if trace.not_sent:  # the trace shows the request that would have gone out
            trace.hints = [outcome.note]
            return trace.scrub(call.scrubber)
        if outcome.error is not None or outcome.response is None or outcome.body is None:
            kind, message = outcome.error or ("protocol", "no response")
            failed = call.redirects[-1] if call.redirects else None  # after a redirect: the last URL followed
            return self._fail(trace, action, kind, message, call.scrubber, failed)
        response, body = outcome.response, outcome.body
        headers = header_dict(response.headers)  # read once (each look-up in httpx's Headers walks them all)
        ctype = headers.get("content-type", "")
        charset = response.charset_encoding if "charset" in ctype.lower() else None  # parsing it costs
        parsed, is_json = decode_text(body.data, body.truncated, ctype, charset)
        trace.response = construct(ResponseInfo, {
            "status_code": response.status_code, "reason": response.reason_phrase, "headers": headers,
            "body": parsed, "is_json": is_json, "truncated": body.truncated, "size_bytes": len(body.data),
            "elapsed_ms": elapsed, "redirects": call.redirects, "cookies": call.cookies_set,
        })
        sent_cookie = response.request.headers.get("cookie")
        if sent_cookie and trace.request is not None:
            trace.request.headers["Cookie"] = sent_cookie
        # a response to HEAD has no body, whatever its Content-Type says
        problem = None if action.method == "HEAD" else body_kind(response.status_code, ctype, body, parsed, is_json)
        kind = problem[0] if problem else status_kind(response.status_code)
        if kind:
            message = problem[1] if problem else f"HTTP {response.status_code} {response.reason_phrase}".strip()
            return self._fail(trace, action, kind, message, call.scrubber)
        trace.hints = diagnose(trace, action, self.resolver)
        return trace.scrub(call.scrubber)

    def _settle(self, call: Call, outcome: Outcome, reveal: bool) -> Trace:
        """The last outcome as the trace, with the attempts, the OAuth2 token steps and what the model receives."""
        auth = call.auth
        if auth is not None:
            if not reveal:  # the access token too, should the API echo it
                call.scrubber = Scrubber([*call.rendered.secrets, *auth.secrets])
            step = auth.pending_step()
            if step is not None and outcome.error is not None:  # the token request itself failed
                kind, message = outcome.error
                step.error = ErrorInfo(kind=kind, message=message)  # type: ignore[arg-type]
                outcome = Outcome(error=("oauth_token", f"the token request to {auth.spec.token_url} failed "
                                                        f"({kind}): {message}"))
            call.trace.steps = auth.steps
            shown = auth.shown_authorization()
            if shown and call.trace.request is not None:
                call.trace.request.headers["Authorization"] = shown
        trace = self._conclude(call, outcome)
        if call.plan is not None:
            trace.attempts = call.plan.attempts
            hint = call.plan.hint()
            if hint:
                trace.hints.append(hint)
        return shape(trace, call.action)  # what the model receives: the result picks, cut to max_chars

    # -- public API ---------------------------------------------------------------------
    def execute(self, action: Action, values: Mapping[str, Any] | None = None,
                runtime: Mapping[str, Any] | None = None, *, reveal: bool = False,
                cookies: httpx.Cookies | None = None) -> Trace:
        """Run one action. ``cookies``: the conversation's jar (read and updated); None = a fresh one."""
        call = self._start(action, values, runtime, reveal, cookies)
        if isinstance(call, Trace):
            return call
        with self._policy(call):  # the whole call, every attempt and wait included, within timeout_s
            outcome = call.plan.run(lambda: self._attempt(call)) if call.plan else self._attempt(call)
        return self._settle(call, outcome, reveal)

    async def aexecute(self, action: Action, values: Mapping[str, Any] | None = None,
                       runtime: Mapping[str, Any] | None = None, *, reveal: bool = False,
                       cookies: httpx.Cookies | None = None) -> Trace:
        call = self._start(action, values, runtime, reveal, cookies)
        if isinstance(call, Trace):
            return call
        with self._policy(call):
            outcome = await call.plan.arun(lambda: self._aattempt(call)) if call.plan else await self._aattempt(call)
        return self._settle(call, outcome, reveal)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()


def _verdict(outcome: Outcome) -> Verdict:
    """One attempt's outcome as the retry policy sees it."""
    if outcome.error is not None or outcome.response is None:
        kind, message = outcome.error or ("protocol", "no response")
        return Verdict(kind=kind, message=message)
    response = outcome.response
    return Verdict(status_code=response.status_code, retry_after=response.headers.get("retry-after"),
                   kind=status_kind(response.status_code))


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
