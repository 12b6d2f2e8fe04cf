"""An httpx transport that answers requests from a recording, or sends nothing at all.

Injected into the executor (``Executor.using(transport)``), so render -> build -> send -> trace stays as it
is; only the sending changes. Modes:

- ``replay``: a request equal to a recorded one of the same user turn (method, URL, query, headers and body,
  masked secrets ignored) gets the recorded response; any other fails its call with ``replay_mismatch`` and
  says what changed (``body.qty: 2 → 3``). Nothing goes out.
- ``dry-run``: nothing goes out; the trace shows the request that would have.
- ``ask``: like replay, but a request that is not in the recording is *held* (not sent) until the user
  approves it; approved ones (by :func:`request_key`) go out through ``inner``, and with ``send_reads`` any
  GET, HEAD or OPTIONS too. Writes never go out unless approved one by one.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Literal, Sequence

import httpx

from ..executor import DELIVERY, MASKED_REQUEST
from .changes import MASKED_RE, Change, describe, request_changes, request_view, unmasked_equal
from .fingerprint import digest
from .model import HttpExchange

Mode = Literal["replay", "dry-run", "ask"]
READS = ("GET", "HEAD", "OPTIONS")
#: response headers a replay leaves out: they describe the original transfer, not the content
_DROP_HEADERS = {"content-length", "content-encoding", "transfer-encoding", "connection", "keep-alive"}
_ERRORS: dict[str, type[httpx.TransportError]] = {
    "timeout": httpx.ReadTimeout, "connection_refused": httpx.ConnectError, "dns": httpx.ConnectError,
    "tls": httpx.ConnectError, "protocol": httpx.RemoteProtocolError,
}


def stand_in_secret(name: str) -> str:
    """A resolver for replays and dry runs: they send nothing, so an unset secret (CI has none) gets a stand-in,
    masked like any secret (masked secrets are ignored when requests are compared)."""
    return f"unset-secret-{name}"


def request_key(req: Any) -> str:
    """The identity of a request, masked secrets left out: what an approval refers to."""
    return digest(MASKED_RE.sub("****", json.dumps(request_view(req), sort_keys=True, ensure_ascii=False,
                                                    default=str)))


def same_request(a: Any, b: Any) -> bool:
    return not request_changes(a, b)


def network_transport(transport: Any, client_class: Any) -> Any:
    """``transport`` with the executor's network guard installed in its pool (core.http.transport.guard:
    resolved addresses checked, the call's deadline on every read), for the requests that do go out."""
    from ..http.transport import guard

    guard(client_class(transport=transport))
    return transport


class NotSent(httpx.TransportError):
    """The request did not go out, on purpose; ``delivery`` says why (core.trace.Delivery)."""

    delivery: str | None = "dry_run"


class Held(NotSent):
    delivery = "held"


class ReplayMismatch(NotSent):
    """Nothing in the recording matches: the call fails with kind replay_mismatch (``playground_error``)."""

    delivery = None

    def __init__(self, message: str, request: httpx.Request) -> None:
        super().__init__(message, request=request)
        self.playground_error = ("replay_mismatch", message)


def _replayed_failure(ex: HttpExchange, request: httpx.Request) -> httpx.TransportError:
    assert ex.error is not None
    cls = httpx.TooManyRedirects if ex.error.kind == "too_many_redirects" else _ERRORS.get(ex.error.kind,
                                                                                              httpx.TransportError)
    exc = cls(ex.error.message, request=request)
    exc.playground_error = (ex.error.kind, ex.error.message)  # type: ignore[attr-defined]
    exc.delivery = "replayed"  # type: ignore[attr-defined]
    return exc


def replayed_response(ex: HttpExchange, request: httpx.Request) -> httpx.Response:
    """The recorded response as an httpx.Response (or the recorded failure, raised)."""
    if ex.response is None:
        raise _replayed_failure(ex, request)
    rec = ex.response
    if rec.body is None:
        content = b""
    elif rec.is_json or not isinstance(rec.body, str):
        content = json.dumps(rec.body, ensure_ascii=False).encode("utf-8")
    else:
        content = rec.body.encode("utf-8")
    headers = {k: v for k, v in rec.headers.items() if k.lower() not in _DROP_HEADERS}
    extensions: dict[str, Any] = {DELIVERY: "replayed"}
    if rec.reason:
        extensions["reason_phrase"] = rec.reason.encode("ascii", "replace")
    return httpx.Response(rec.status_code, headers=headers, content=content, request=request, extensions=extensions)


class RecordedTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Answers from ``exchanges`` ((turn, HttpExchange) pairs). Set :attr:`turn` before each user turn."""

    def __init__(self, exchanges: Iterable[tuple[int, HttpExchange]], mode: Mode = "replay", *,
                 approved: Iterable[str] = (), send_reads: bool = False,
                 inner: httpx.AsyncBaseTransport | None = None, inner_sync: httpx.BaseTransport | None = None) -> None:
        if mode not in ("replay", "dry-run", "ask"):
            raise ValueError(f"unknown mode {mode!r}")
        self.exchanges = list(exchanges)
        self.mode = mode
        self.approved = set(approved)
        self.send_reads = send_reads  # ask mode: a changed GET/HEAD goes out without asking
        self.turn = 1
        self.used: set[int] = set()
        self._inner, self._inner_sync = inner, inner_sync
        self._hops: set[str] = set()  # redirect targets of approved requests, which may go out too

    # -- deciding -----------------------------------------------------------------------------------------
    def _candidates(self) -> list[int]:
        return [i for i, (turn, _) in enumerate(self.exchanges) if turn == self.turn and i not in self.used]

    def _closest(self, view: dict[str, Any], candidates: Sequence[int]) -> list[Change] | None:
        best: list[Change] | None = None
        for i in candidates:
            rec = request_view(self.exchanges[i][1].request)
            if rec["method"] != view["method"] or not unmasked_equal(rec["url"], view["url"]):
                continue
            found = request_changes(rec, view)
            if best is None or len(found) < len(best):
                best = found
        return best

    def _decide(self, request: httpx.Request) -> HttpExchange | str:
        """The recorded exchange to answer with, or "send" (live), or raise why it is not sent."""
        masked = request.extensions.get(MASKED_REQUEST)
        if masked is None:  # a redirect hop of an approved request (the executor follows them one by one)
            if str(request.url) in self._hops:
                return "send"
            raise NotSent("not sent: only requests built by the playground's executor go through a replay",
                          request=request)
        view = request_view(masked)
        if self.mode == "dry-run":
            raise NotSent(f"Dry run: {view['method']} {masked.url} was not sent.", request=request)
        candidates = self._candidates()
        for i in candidates:
            if same_request(self.exchanges[i][1].request, masked):
                self.used.add(i)
                return self.exchanges[i][1]
        closest = self._closest(view, candidates)
        what = (f"changed since the recording: {describe(closest)}" if closest
                else f"{view['method']} {view['url']} is not in the recording of turn {self.turn}")
        if self.mode == "ask":
            if request_key(masked) in self.approved or (self.send_reads and view["method"] in READS):
                return "send"
            raise Held(f"Held for your approval, not sent: {what}.", request=request)
        raise ReplayMismatch(f"not sent: the request {what}", request)

    def _sent(self, response: httpx.Response) -> httpx.Response:
        location = response.headers.get("location")
        if location and response.is_redirect:
            self._hops.add(str(response.request.url.join(location)))
        return response

    # -- httpx --------------------------------------------------------------------------------------------
    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        decision = self._decide(request)
        if decision == "send":
            self._inner = self._inner or network_transport(httpx.AsyncHTTPTransport(), httpx.AsyncClient)
            return self._sent(await self._inner.handle_async_request(request))
        return replayed_response(decision, request)  # type: ignore[arg-type]

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        decision = self._decide(request)
        if decision == "send":
            self._inner_sync = self._inner_sync or network_transport(httpx.HTTPTransport(), httpx.Client)
            return self._sent(self._inner_sync.handle_request(request))
        return replayed_response(decision, request)  # type: ignore[arg-type]

    async def aclose(self) -> None:
        if self._inner is not None:
            await self._inner.aclose()

    def close(self) -> None:
        if self._inner_sync is not None:
            self._inner_sync.close()
