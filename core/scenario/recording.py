"""A conversation's recording: its model turns and the HTTP exchanges its calls made, in order."""

from __future__ import annotations

from ..agent import Conversation
from ..recording import ErrorRecord, Exchange, HttpExchange, Recording, RequestRecord, ResponseRecord
from ..trace import Trace

#: failures that happen on the wire (a recording replays them); others happen before anything is sent
SEND_ERRORS = ("timeout", "connection_refused", "dns", "tls", "protocol", "too_many_redirects")
#: response headers worth keeping: the rest (date, server, content-length...) describe the transfer
_KEEP_HEADERS = ("content-type", "location", "retry-after", "allow", "www-authenticate")


def _unrebase(url: str, demo_base: str | None) -> str:
    from ..demo import DEFAULT_BASE_URL

    if demo_base and demo_base.rstrip("/") != DEFAULT_BASE_URL and url.startswith(demo_base.rstrip("/")):
        return DEFAULT_BASE_URL + url[len(demo_base.rstrip("/")):]
    return url


def http_exchange(trace: Trace, demo_base: str | None = None) -> HttpExchange | None:
    """What went over the wire for one call, as the action file names it; None when nothing was sent."""
    if trace.request is None or trace.mcp is not None or trace.not_sent:
        return None
    if trace.response is None and (trace.error is None or trace.error.kind not in SEND_ERRORS):
        return None
    req = trace.request
    request = RequestRecord(method=req.method, url=_unrebase(req.url, demo_base), headers=dict(req.headers),
                            query=dict(req.query), body=req.body)
    if trace.response is None:
        assert trace.error is not None
        return HttpExchange(action=trace.tool_name or trace.action, request=request,
                            error=ErrorRecord(kind=trace.error.kind, message=trace.error.message))
    resp = trace.response
    headers = {k: v for k, v in resp.headers.items() if k.lower() in _KEEP_HEADERS}
    return HttpExchange(action=trace.tool_name or trace.action, request=request, response=ResponseRecord(
        status_code=resp.status_code, reason=resp.reason, headers=headers, body=resp.body, is_json=resp.is_json))


def recording_from_conversation(conv: Conversation, *, model: str = "", demo_base: str | None = None) -> Recording:
    """Each model answer of ``conv``, followed by the HTTP exchanges of the calls it made.

    ``model``: the model's spec (default: its name); ``demo_base``: the URL the demo API ran on, written back as the action files' http://127.0.0.1:8765.
    """
    traces = {t.id: t for t in conv.traces}
    exchanges: list[Exchange] = []
    for number, turn in enumerate(conv.turns, 1):
        calls = iter(turn.calls)
        for ex in (e for e in conv.model_turns if e.turn == number):
            exchanges.append(ex)
            assert ex.model is not None
            for _ in ex.model.tool_calls:
                call = next(calls, None)
                trace = traces.get(call.trace_id) if call is not None else None
                http = http_exchange(trace, demo_base) if trace is not None else None
                if http is not None:
                    exchanges.append(Exchange(turn=number, http=http))
    return Recording(model=model or conv.model, tools=dict(conv.tools_seen), exchanges=exchanges)
